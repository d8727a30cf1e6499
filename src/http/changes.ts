/**
 * What changed between two versions of a framework, keyed by stable id. Pure: records in,
 * differences out.
 * - added / removed: ids only in one version;
 * - changed: ids in both whose text differs, with a word diff per field;
 * - moved: ids whose parent changed, or whose order among the siblings both versions share
 *   changed (a longest increasing run of the old order stays put; the rest moved). An insertion
 *   or removal alone shifts positions but moves nothing.
 */
import { paragraphsToMarkdown, statementsToMarkdown } from '../content/markdown.js'
import type { VersionRecord } from '../content/model.js'
import type { VersionRecords } from './snapshot.js'
import { diffText, type DiffRun } from './text-diff.js'

export type ChangeType = 'principle' | 'domain' | 'competency' | 'activity' | 'subpoint' | 'hint' | 'definition' | 'question' | 'dilemma' | 'resource'

/** An entity reduced to what is compared: identity, parent and texts. */
export interface Comparable {
  type: ChangeType
  id: string
  code: string
  uuid: string
  parent: string | null
  fields: Record<string, string | undefined>
}

/** A version reduced to what is compared. */
export interface ComparableVersion {
  entities: Comparable[]
  metadata: Record<string, string | undefined>
}

export interface FieldDiff {
  field: string
  from?: string
  to?: string
  diff: DiffRun[]
}

export interface Placement {
  parent: string | null
  position: number
}

export interface VersionDiff {
  added: Comparable[]
  removed: Comparable[]
  changed: Array<{ entity: Comparable, fields: FieldDiff[] }>
  moved: Array<{ entity: Comparable, from: Placement, to: Placement }>
  metadata: FieldDiff[]
}

const joinLines = (lines: readonly string[]): string | undefined => lines.length === 0 ? undefined : lines.join('\n')

/** The comparable form of a version's records. Structured texts are compared as Markdown. */
export function comparable (v: VersionRecord, records: VersionRecords): ComparableVersion {
  const entities: Comparable[] = []
  const add = (type: ChangeType, r: { id: string, code: string, uuid: string }, parent: string | null, fields: Record<string, string | undefined>): void => {
    entities.push({ type, id: r.id, code: r.code, uuid: r.uuid, parent, fields: { code: r.code, ...fields } })
  }
  for (const p of records.principle) add('principle', p, null, { name: p.name, description: p.description })
  for (const d of records.domain) add('domain', d, null, { name: d.name, description: d.description })
  for (const c of records.competency) add('competency', c, c.domain, { name: c.name, overview: statementsToMarkdown(c.overview) })
  for (const a of records.activity) {
    add('activity', a, a.competency, { text: a.text })
    for (const s of a.subpoints) add('subpoint', s, a.id, { text: s.text })
  }
  for (const h of records.hint) add('hint', h, h.competency, { text: paragraphsToMarkdown(h.paragraphs) })
  for (const d of records.definition) add('definition', d, null, { term: d.term, text: d.text, otherNames: joinLines(d.otherNames) })
  for (const q of records.question) add('question', q, null, { text: q.text, subquestions: joinLines(q.subquestions) })
  for (const d of records.dilemma) add('dilemma', d, null, { text: d.text })
  for (const r of records.resource) add('resource', r, r.group, { kind: r.kind, text: r.text, url: r.url ?? undefined, doi: r.doi ?? undefined })

  const m = v.meta
  return {
    entities,
    metadata: {
      title: m.title,
      subtitle: m.subtitle,
      released: m.released,
      citation: m.citation,
      language: m.language,
      authors: joinLines(m.authors.map((a) => a.affiliation === undefined ? a.name : `${a.name} (${a.affiliation})`)),
      publishers: joinLines(m.publishers),
      description: m.description,
      development: m.development,
      derivedFrom: m.derivedFrom,
      dilemmasIntroduction: v.dilemmasIntroduction,
      dilemmasConclusion: v.dilemmasConclusion ?? undefined,
      resourcesIntroduction: v.resourcesIntroduction
    }
  }
}

/** The fields whose text differs, in the order they first appear. */
export function fieldDiffs (from: Record<string, string | undefined>, to: Record<string, string | undefined>): FieldDiff[] {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])]
  const out: FieldDiff[] = []
  for (const field of names) {
    const a = from[field]
    const b = to[field]
    if (a === b) continue
    out.push({ field, ...(a === undefined ? {} : { from: a }), ...(b === undefined ? {} : { to: b }), diff: diffText(a ?? '', b ?? '') })
  }
  return out
}

/** Indexes (into `seq`) of one longest strictly increasing subsequence. */
export function longestIncreasing (seq: readonly number[]): Set<number> {
  const tails: number[] = []
  const prev: number[] = new Array<number>(seq.length).fill(-1)
  for (let i = 0; i < seq.length; i++) {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1
      else hi = mid
    }
    if (lo > 0) prev[i] = tails[lo - 1]!
    tails[lo] = i
  }
  const keep = new Set<number>()
  for (let i = tails[tails.length - 1] ?? -1; i !== -1; i = prev[i]!) keep.add(i)
  return keep
}

const keyOf = (e: Comparable): string => `${e.type}:${e.id}`
const siblingsKey = (e: Comparable): string => `${e.type}:${e.parent ?? ''}`

/** 1-based position of each entity among its siblings (same type and parent). */
function placements (entities: Comparable[]): Map<string, Placement> {
  const counters = new Map<string, number>()
  const out = new Map<string, Placement>()
  for (const e of entities) {
    const group = siblingsKey(e)
    const position = (counters.get(group) ?? 0) + 1
    counters.set(group, position)
    out.set(keyOf(e), { parent: e.parent, position })
  }
  return out
}

/** Compares two versions (`from` the older one, usually). */
export function diffVersions (from: ComparableVersion, to: ComparableVersion): VersionDiff {
  const before = new Map(from.entities.map((e) => [keyOf(e), e]))
  const after = new Map(to.entities.map((e) => [keyOf(e), e]))
  const placedBefore = placements(from.entities)
  const placedAfter = placements(to.entities)

  const added = to.entities.filter((e) => !before.has(keyOf(e)))
  const removed = from.entities.filter((e) => !after.has(keyOf(e)))
  const changed: VersionDiff['changed'] = []
  for (const e of to.entities) {
    const old = before.get(keyOf(e))
    if (old === undefined) continue
    const fields = fieldDiffs(old.fields, e.fields)
    if (fields.length > 0) changed.push({ entity: e, fields })
  }

  // Within each sibling group of `to`, the entities that kept their parent, in new order, by old position.
  const moved = new Set<string>()
  const groups = new Map<string, Comparable[]>()
  for (const e of to.entities) {
    const old = before.get(keyOf(e))
    if (old === undefined) continue
    if (old.parent !== e.parent) {
      moved.add(keyOf(e))
      continue
    }
    const group = groups.get(siblingsKey(e))
    if (group === undefined) groups.set(siblingsKey(e), [e])
    else group.push(e)
  }
  for (const group of groups.values()) {
    const oldPositions = group.map((e) => placedBefore.get(keyOf(e))!.position)
    const stay = longestIncreasing(oldPositions)
    group.forEach((e, i) => { if (!stay.has(i)) moved.add(keyOf(e)) })
  }

  return {
    added,
    removed,
    changed,
    moved: to.entities.filter((e) => moved.has(keyOf(e))).map((e) => ({
      entity: e,
      from: placedBefore.get(keyOf(e))!,
      to: placedAfter.get(keyOf(e))!
    })),
    metadata: fieldDiffs(from.metadata, to.metadata)
  }
}
