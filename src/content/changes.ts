/**
 * What changed between two versions of a framework, keyed by stable id. Pure: records in,
 * differences out. REST (`/changes`) and GraphQL (`changes(from:)`) serve this one result, each in
 * its own shape, and the published identity of the export formats (catalog/revisions.ts) uses the
 * same notion of an entity's text.
 * - added / removed: ids only in one version;
 * - changed: ids in both whose compared fields differ, with a word diff per field;
 * - moved: ids whose parent changed, or whose order among the siblings both versions share
 *   changed (a longest increasing run of the old order stays put; the rest moved). An insertion
 *   or removal alone shifts positions but moves nothing.
 */
import { paragraphsToMarkdown, statementsToMarkdown } from './markdown.js'
import type { EntityType, RecordByType, VersionRecord, VersionRecords } from './model.js'
import { diffText, type DiffRun } from './text-diff.js'

/** A version's compared content: its record and every entity's record. */
export interface ComparedVersion {
  version: VersionRecord
  records: VersionRecords
}

export type Fields = Record<string, string | null>

export interface FieldChange {
  field: string
  /** The text in `from` (null when it had none). */
  before: string | null
  /** The text in `to` (null when it has none). */
  after: string | null
  diff: DiffRun[]
}

export interface Placement {
  /** The parent's id (domain of a competency, competency of an activity or hint, activity of a sub-point, group of a resource); null at the top. */
  parent: string | null
  /** 1-based position among the siblings (same kind, same parent). */
  position: number
}

export interface EntityChange {
  type: EntityType
  id: string
  code: string
  uuid: string
  /** Where it was in `from` (null if added). */
  before: Placement | null
  /** Where it is in `to` (null if removed). */
  after: Placement | null
  /** The fields that differ (empty unless changed). */
  fields: FieldChange[]
}

export interface VersionChanges {
  from: string
  to: string
  /** Only in `to`, in its guide order. */
  added: EntityChange[]
  /** Only in `from`, in its guide order. */
  removed: EntityChange[]
  /** In both, with differing fields, in `to`'s guide order. */
  changed: EntityChange[]
  /** In both, with another parent or another place among the siblings both versions share. */
  moved: EntityChange[]
  /** The version's metadata and framing texts that differ. */
  metadata: FieldChange[]
}

/** A Markdown list of strings; null for none. */
const bullets = (items: readonly string[]): string | null => items.length === 0 ? null : items.map((i) => `- ${i}`).join('\n')

type Compared = { [K in EntityType]: (r: RecordByType[K]) => Fields }

/**
 * The fields compared for each kind, as text named as the APIs name them: structured texts as
 * Markdown, lists as Markdown lists.
 */
const compared: Compared = {
  principle: (r) => ({ code: r.code, name: r.name, description: r.description }),
  domain: (r) => ({ code: r.code, name: r.name, description: r.description }),
  competency: (r) => ({ code: r.code, name: r.name, overview: statementsToMarkdown(r.overview) }),
  activity: (r) => ({ code: r.code, text: r.text, subitems: bullets(r.subpoints.map((s) => s.text)) }),
  subpoint: (r) => ({ code: r.code, text: r.text }),
  hint: (r) => ({ code: r.code, text: paragraphsToMarkdown(r.paragraphs) }),
  definition: (r) => ({ code: r.code, term: r.term, text: r.text, otherNames: bullets(r.otherNames) }),
  question: (r) => ({ code: r.code, text: r.text, subquestions: bullets(r.subquestions) }),
  dilemma: (r) => ({ code: r.code, text: r.text }),
  resource: (r) => ({ code: r.code, kind: r.kind, text: r.text, url: r.url, doi: r.doi })
}

/** Fields that repeat the text of child entities (an activity's sub-points), not the entity's own. */
const nested: Partial<Record<EntityType, readonly string[]>> = { activity: ['subitems'] }

/** Any entity's record. */
export type AnyRecord = RecordByType[EntityType]

/** The compared fields of an entity. */
export function fieldsOf (record: AnyRecord): Fields {
  return (compared[record.type] as (r: AnyRecord) => Fields)(record)
}

/**
 * A fingerprint of an entity's own published text: its kind and compared fields, without those
 * that repeat its children's text. Equal fingerprints mean the same text in both versions.
 */
export function ownText (record: AnyRecord): string {
  const skip = nested[record.type] ?? []
  return JSON.stringify([record.type, ...Object.entries(fieldsOf(record)).filter(([k]) => !skip.includes(k))])
}

/** An entity reduced to what is compared. */
interface Comparable {
  type: EntityType
  id: string
  code: string
  uuid: string
  parent: string | null
  /** Its order among its siblings, as the repository gives it (sorts the siblings). */
  order: number
  fields: Fields
}

function comparable (record: AnyRecord, parent: string | null): Comparable {
  return { type: record.type, id: record.id, code: record.code, uuid: record.uuid, parent, order: record.position, fields: fieldsOf(record) }
}

/** A version's entities in guide order: kind by kind, each key activity followed by its sub-points. */
function entities (r: VersionRecords): Comparable[] {
  return [
    ...r.principle.map((p) => comparable(p, null)),
    ...r.domain.map((d) => comparable(d, null)),
    ...r.competency.map((c) => comparable(c, c.domain)),
    ...r.activity.flatMap((a) => [comparable(a, a.competency), ...a.subpoints.map((s) => comparable(s, a.id))]),
    ...r.hint.map((h) => comparable(h, h.competency)),
    ...r.definition.map((d) => comparable(d, null)),
    ...r.question.map((q) => comparable(q, null)),
    ...r.dilemma.map((d) => comparable(d, null)),
    ...r.resource.map((x) => comparable(x, x.group))
  ]
}

/** The version's own texts (framework.json and the framing texts), compared like an entity's fields. */
function metadataOf (v: VersionRecord): Fields {
  const m = v.meta
  return {
    title: m.title,
    subtitle: m.subtitle ?? null,
    released: m.released,
    citation: m.citation,
    language: m.language,
    authors: bullets(m.authors.map((a) => a.affiliation === undefined ? a.name : `${a.name} (${a.affiliation})`)),
    publishers: bullets(m.publishers),
    description: m.description,
    development: m.development ?? null,
    derivedFrom: m.derivedFrom ?? null,
    dilemmasIntroduction: v.dilemmasIntroduction,
    dilemmasConclusion: v.dilemmasConclusion,
    resourcesIntroduction: v.resourcesIntroduction
  }
}

/** The fields whose text differs, in the order they first appear. */
export function fieldChanges (from: Fields, to: Fields): FieldChange[] {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])]
  const out: FieldChange[] = []
  for (const field of names) {
    const before = from[field] ?? null
    const after = to[field] ?? null
    if (before !== after) out.push({ field, before, after, diff: diffText(before ?? '', after ?? '') })
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

/** 1-based position of each entity among its siblings (same kind and parent), by the repository's order. */
function placements (list: readonly Comparable[]): Map<string, Placement> {
  const groups = new Map<string, Comparable[]>()
  for (const e of list) {
    const group = groups.get(siblingsKey(e))
    if (group === undefined) groups.set(siblingsKey(e), [e])
    else group.push(e)
  }
  const out = new Map<string, Placement>()
  for (const group of groups.values()) {
    group.sort((a, b) => a.order - b.order).forEach((e, i) => out.set(keyOf(e), { parent: e.parent, position: i + 1 }))
  }
  return out
}

/** Compares two versions of a framework (`from` usually the older one). */
export function diffVersions (from: ComparedVersion, to: ComparedVersion): VersionChanges {
  const oldList = entities(from.records)
  const newList = entities(to.records)
  const before = new Map(oldList.map((e) => [keyOf(e), e]))
  const after = new Map(newList.map((e) => [keyOf(e), e]))
  const placedBefore = placements(oldList)
  const placedAfter = placements(newList)
  const entry = (e: Comparable, fields: FieldChange[] = []): EntityChange => ({
    type: e.type,
    id: e.id,
    code: e.code,
    uuid: e.uuid,
    before: placedBefore.get(keyOf(e)) ?? null,
    after: placedAfter.get(keyOf(e)) ?? null,
    fields
  })

  const changed: EntityChange[] = []
  // Within each sibling group of `to`, those that kept their parent, in the new order, by old position.
  const moved = new Set<string>()
  const groups = new Map<string, Comparable[]>()
  for (const e of newList) {
    const old = before.get(keyOf(e))
    if (old === undefined) continue
    const fields = fieldChanges(old.fields, e.fields)
    if (fields.length > 0) changed.push(entry(e, fields))
    if (old.parent !== e.parent) {
      moved.add(keyOf(e))
      continue
    }
    const group = groups.get(siblingsKey(e))
    if (group === undefined) groups.set(siblingsKey(e), [e])
    else group.push(e)
  }
  for (const group of groups.values()) {
    group.sort((a, b) => a.order - b.order)
    const stay = longestIncreasing(group.map((e) => placedBefore.get(keyOf(e))!.position))
    group.forEach((e, i) => { if (!stay.has(i)) moved.add(keyOf(e)) })
  }

  return {
    from: from.version.number,
    to: to.version.number,
    added: newList.filter((e) => !before.has(keyOf(e))).map((e) => entry(e)),
    removed: oldList.filter((e) => !after.has(keyOf(e))).map((e) => entry(e)),
    changed,
    moved: newList.filter((e) => moved.has(keyOf(e))).map((e) => entry(e)),
    metadata: fieldChanges(metadataOf(from.version), metadataOf(to.version))
  }
}
