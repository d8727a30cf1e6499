/**
 * What changed between two versions of a framework, entity by entity. Entities are matched by
 * their stable id; text fields get a word-level diff. Pure: it takes the two versions' records
 * and returns plain data, so REST and GraphQL can both serve it.
 */
import type {
  ActivityRecord, CompetencyRecord, DefinitionRecord, DilemmaRecord, DomainRecord, HintRecord, PrincipleRecord,
  QuestionRecord, ResourceRecord
} from './model.js'
import { paragraphsToMarkdown, statementsToMarkdown } from './markdown.js'

/** Every entity of one version, by kind, each list in guide order. */
export interface VersionContent {
  principles: PrincipleRecord[]
  domains: DomainRecord[]
  competencies: CompetencyRecord[]
  activities: ActivityRecord[]
  hints: HintRecord[]
  definitions: DefinitionRecord[]
  questions: QuestionRecord[]
  dilemmas: DilemmaRecord[]
  resources: ResourceRecord[]
}

export type ChangedType = 'principle' | 'domain' | 'competency' | 'activity' | 'hint' | 'definition' | 'question' | 'dilemma' | 'resource'

export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete'
  text: string
}

export interface FieldChange {
  field: string
  before: string | null
  after: string | null
  diff: DiffSegment[]
}

export interface Placement {
  /** The parent's id (domain of a competency, competency of an activity or hint, group of a resource); null at the top level. */
  parent: string | null
  position: number
}

export interface EntityChange {
  type: ChangedType
  id: string
  code: string
  uuid: string
  before: Placement | null
  after: Placement | null
  fields: FieldChange[]
}

export interface VersionChanges {
  from: string
  to: string
  /** Only in `to`, in its order. */
  added: EntityChange[]
  /** Only in `from`, in its order. */
  removed: EntityChange[]
  /** In both, with differing fields. */
  changed: EntityChange[]
  /** In both, with another parent or another place among the siblings both versions share. */
  moved: EntityChange[]
}

interface Comparable { id: string, code: string, uuid: string, position: number }

interface Kind<T extends Comparable> {
  type: ChangedType
  list: (c: VersionContent) => T[]
  parent: (e: T) => string | null
  /** The compared fields, as text (lists as Markdown lists), named as in the API. */
  fields: (e: T) => Record<string, string | null>
}

/** Erases a kind's record type so kinds of every type fit in one list. */
const kind = <T extends Comparable>(k: Kind<T>): Kind<Comparable> => k as unknown as Kind<Comparable>

const bullets = (items: readonly string[]): string => items.map((i) => `- ${i}`).join('\n')

const kinds: Array<Kind<Comparable>> = [
  kind<PrincipleRecord>({ type: 'principle', list: (c) => c.principles, parent: () => null, fields: (e) => ({ code: e.code, name: e.name, description: e.description }) }),
  kind<DomainRecord>({ type: 'domain', list: (c) => c.domains, parent: () => null, fields: (e) => ({ code: e.code, name: e.name, description: e.description }) }),
  kind<CompetencyRecord>({
    type: 'competency',
    list: (c) => c.competencies,
    parent: (e) => e.domain,
    fields: (e) => ({ code: e.code, name: e.name, overview: statementsToMarkdown(e.overview) })
  }),
  kind<ActivityRecord>({
    type: 'activity',
    list: (c) => c.activities,
    parent: (e) => e.competency,
    fields: (e) => ({ code: e.code, text: e.text, subitems: bullets(e.subpoints.map((s) => s.text)) })
  }),
  kind<HintRecord>({ type: 'hint', list: (c) => c.hints, parent: (e) => e.competency, fields: (e) => ({ code: e.code, text: paragraphsToMarkdown(e.paragraphs) }) }),
  kind<DefinitionRecord>({
    type: 'definition',
    list: (c) => c.definitions,
    parent: () => null,
    fields: (e) => ({ code: e.code, term: e.term, text: e.text, otherNames: bullets(e.otherNames) })
  }),
  kind<QuestionRecord>({ type: 'question', list: (c) => c.questions, parent: () => null, fields: (e) => ({ code: e.code, text: e.text, subquestions: bullets(e.subquestions) }) }),
  kind<DilemmaRecord>({ type: 'dilemma', list: (c) => c.dilemmas, parent: () => null, fields: (e) => ({ code: e.code, text: e.text }) }),
  kind<ResourceRecord>({
    type: 'resource',
    list: (c) => c.resources,
    parent: (e) => e.group,
    fields: (e) => ({ code: e.code, kind: e.kind, text: e.text, url: e.url, doi: e.doi })
  })
]

/** Longest common subsequence of two sequences, as index pairs (dynamic programming; inputs are small). */
function lcs<T> (a: readonly T[], b: readonly T[]): Array<[number, number]> {
  const n = a.length
  const m = b.length
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!)
    }
  }
  const pairs: Array<[number, number]> = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j])
      i++
      j++
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) {
      i++
    } else {
      j++
    }
  }
  return pairs
}

/** Token counts beyond which a diff is reported as one replacement rather than computed. */
const MAX_DIFF_CELLS = 4_000_000

/** A word-level diff: runs of equal, deleted and inserted text that rebuild `before` and `after`. */
export function diffText (before: string, after: string): DiffSegment[] {
  const a = before.split(/(\s+)/).filter((t) => t !== '')
  const b = after.split(/(\s+)/).filter((t) => t !== '')
  const segments: DiffSegment[] = []
  const push = (op: DiffSegment['op'], text: string): void => {
    if (text === '') return
    const last = segments[segments.length - 1]
    if (last !== undefined && last.op === op) last.text += text
    else segments.push({ op, text })
  }
  if (a.length * b.length > MAX_DIFF_CELLS) {
    push('delete', before)
    push('insert', after)
    return segments
  }
  let i = 0
  let j = 0
  for (const [x, y] of lcs(a, b)) {
    push('delete', a.slice(i, x).join(''))
    push('insert', b.slice(j, y).join(''))
    push('equal', a[x]!)
    i = x + 1
    j = y + 1
  }
  push('delete', a.slice(i).join(''))
  push('insert', b.slice(j).join(''))
  return segments
}

/** Ids whose place among the siblings present in both versions changed (those off one longest common order). */
function reordered (before: readonly string[], after: readonly string[]): Set<string> {
  const inBoth = new Set(after)
  const a = before.filter((id) => inBoth.has(id))
  const inA = new Set(a)
  const b = after.filter((id) => inA.has(id))
  const kept = new Set(lcs(a, b).map(([i]) => a[i]!))
  return new Set(a.filter((id) => !kept.has(id)))
}

function groupIds<T extends Comparable> (list: readonly T[], parent: (e: T) => string | null): Map<string | null, string[]> {
  const groups = new Map<string | null, string[]>()
  for (const e of list) {
    const key = parent(e)
    const ids = groups.get(key) ?? []
    ids.push(e.id)
    groups.set(key, ids)
  }
  return groups
}

/** Compares two versions' content; `from` and `to` label them (their version numbers). */
export function diffVersions (before: VersionContent, after: VersionContent, labels: { from: string, to: string }): VersionChanges {
  const result: VersionChanges = { ...labels, added: [], removed: [], changed: [], moved: [] }
  for (const kind of kinds) {
    const oldList = kind.list(before)
    const newList = kind.list(after)
    const oldById = new Map(oldList.map((e) => [e.id, e]))
    const newById = new Map(newList.map((e) => [e.id, e]))
    const place = (e: Comparable): Placement => ({ parent: kind.parent(e), position: e.position })
    const entry = (e: Comparable, was: Comparable | undefined, now: Comparable | undefined, fields: FieldChange[] = []): EntityChange =>
      ({ type: kind.type, id: e.id, code: e.code, uuid: e.uuid, before: was === undefined ? null : place(was), after: now === undefined ? null : place(now), fields })

    const oldGroups = groupIds(oldList, kind.parent)
    const newGroups = groupIds(newList, kind.parent)
    const shuffled = new Set<string>()
    for (const [parent, ids] of newGroups) {
      for (const id of reordered(oldGroups.get(parent) ?? [], ids)) shuffled.add(id)
    }

    for (const now of newList) {
      const was = oldById.get(now.id)
      if (was === undefined) {
        result.added.push(entry(now, undefined, now))
        continue
      }
      const a = kind.fields(was)
      const b = kind.fields(now)
      const fields = Object.keys(b).filter((f) => a[f] !== b[f]).map((field) => ({
        field,
        before: a[field] ?? null,
        after: b[field] ?? null,
        diff: diffText(a[field] ?? '', b[field] ?? '')
      }))
      if (fields.length > 0) result.changed.push(entry(now, was, now, fields))
      if (kind.parent(was) !== kind.parent(now) || shuffled.has(now.id)) result.moved.push(entry(now, was, now))
    }
    for (const was of oldList) {
      if (!newById.has(was.id)) result.removed.push(entry(was, was, undefined))
    }
  }
  return result
}
