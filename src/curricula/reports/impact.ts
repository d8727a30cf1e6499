/**
 * What moving a curriculum to another version of its framework does to each alignment, read off
 * the framework's own comparison (`Catalog.changes`, the diff REST serves at `…/changes`) by the
 * target's stable uuid:
 * - unchanged: the target is in both versions with the same text and place;
 * - changed: its text differs (the word diff of each field comes with it);
 * - moved: same text, another parent or place among its siblings;
 * - removed: it is not in the new version.
 * The same reading says what `migrate` writes: unchanged and moved alignments follow their target,
 * changed ones follow it and are marked for review, removed ones stay, detached, remembering the
 * version their target was last in. A detached alignment is compared from that version, so if
 * its target comes back it is re-attached (and marked for review).
 */
import type { Catalog } from '../../catalog/catalog.js'
import type { EntityChange, FieldChange, Placement, VersionChanges } from '../../content/changes.js'
import type { VersionRecord } from '../../content/model.js'
import type { Repository } from '../../store/repository.js'
import type { Alignment, AlignmentMove, Course, Target } from '../store/repository.js'
import { resolveTarget } from '../targets.js'

export type ImpactStatus = 'unchanged' | 'changed' | 'moved' | 'removed'
export const impactStatuses: readonly ImpactStatus[] = ['unchanged', 'changed', 'moved', 'removed']

/** A target as one version publishes it: its names and its CASE identifier there. */
export interface TargetIn extends Target {
  version: VersionRecord
  /** The CASE identifier of its text in that version (see catalog/revisions.ts). */
  identifier: string
}

export interface AlignmentImpact {
  alignment: Alignment
  course: Course
  status: ImpactStatus
  /** The target in the version the alignment is compared from (the pinned one, or the one a detached target was last in). */
  from: TargetIn
  /** The target in the new version; null when removed. */
  to: TargetIn | null
  /** The fields whose text changed, with their word diff (empty unless changed). */
  fields: FieldChange[]
  /** Where it was and is, when it moved (a changed target may have moved too). */
  moved: { from: Placement, to: Placement } | null
  /** The CASE identifier of the new text, when it replaced the old one (CASE `replacedBy`). */
  replacedBy: string | null
  /** The alignment as it is after migrating. */
  needsReview: boolean
  detachedFrom: string | null
  /** What migrating writes to the alignment; null when it stays as it is. */
  move: AlignmentMove | null
}

export interface Impact {
  from: VersionRecord
  to: VersionRecord
  alignments: AlignmentImpact[]
}

interface ChangeIndex { changed: Map<string, EntityChange>, moved: Map<string, EntityChange> }
const indexes = new WeakMap<VersionChanges, ChangeIndex>()

/** A comparison's changed and moved entities by uuid, built once per comparison. */
function changeIndex (diff: VersionChanges): ChangeIndex {
  let index = indexes.get(diff)
  if (index === undefined) {
    index = { changed: new Map(diff.changed.map((e) => [e.uuid, e])), moved: new Map(diff.moved.map((e) => [e.uuid, e])) }
    indexes.set(diff, index)
  }
  return index
}

const sameTarget = (a: Target, b: Target): boolean => a.uuid === b.uuid && a.type === b.type && a.id === b.id && a.code === b.code

/** How each alignment fares from the curriculum's pinned version to `to`; `courses` names them. */
export function curriculumImpact (repo: Repository, catalog: Catalog, pinned: VersionRecord, to: VersionRecord, courses: readonly Course[], alignments: readonly Alignment[]): Impact {
  const byId = new Map(courses.map((c) => [c.id, c]))
  const targetIn = (t: Target, v: VersionRecord): TargetIn => ({ ...t, version: v, identifier: catalog.index(v).revisionOf(t.uuid).identifier })
  const out: AlignmentImpact[] = []
  for (const a of alignments) {
    const course = byId.get(a.courseId)
    if (course === undefined) continue
    const from = a.detachedFrom === null ? pinned : repo.version(pinned.framework, a.detachedFrom)
    const was = from === undefined ? undefined : resolveTarget(repo, from, a.target.uuid)
    const fromTarget: TargetIn = from === undefined || was === undefined
      ? { ...a.target, version: pinned, identifier: a.target.uuid }
      : targetIn(was, from)
    const now = resolveTarget(repo, to, a.target.uuid)
    const base = { alignment: a, course, from: fromTarget }
    if (now === undefined) {
      const detachedFrom = a.detachedFrom ?? pinned.number
      out.push({
        ...base, status: 'removed', to: null, fields: [], moved: null, replacedBy: null, needsReview: a.needsReview, detachedFrom,
        move: a.detachedFrom === null ? { target: a.target, needsReview: a.needsReview, detachedFrom } : null
      })
      continue
    }
    const index = from === undefined ? { changed: new Map(), moved: new Map() } : changeIndex(catalog.changes(from, to))
    const changed = index.changed.get(now.uuid)
    const moved = index.moved.get(now.uuid)
    const toTarget = targetIn(now, to)
    const needsReview = a.needsReview || changed !== undefined || a.detachedFrom !== null
    const unchangedRow = sameTarget(a.target, now) && needsReview === a.needsReview && a.detachedFrom === null
    out.push({
      ...base,
      status: changed !== undefined ? 'changed' : moved !== undefined ? 'moved' : 'unchanged',
      to: toTarget,
      fields: changed?.fields ?? [],
      moved: moved?.before != null && moved.after !== null ? { from: moved.before, to: moved.after } : null,
      replacedBy: toTarget.identifier !== fromTarget.identifier ? toTarget.identifier : null,
      needsReview,
      detachedFrom: null,
      move: unchangedRow ? null : { target: now, needsReview, detachedFrom: null }
    })
  }
  return { from: pinned, to, alignments: out }
}

/** How many alignments have each status. */
export function impactSummary (alignments: readonly AlignmentImpact[]): Record<ImpactStatus, number> {
  const summary: Record<ImpactStatus, number> = { unchanged: 0, changed: 0, moved: 0, removed: 0 }
  for (const a of alignments) summary[a.status]++
  return summary
}
