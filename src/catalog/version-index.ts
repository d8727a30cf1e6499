/**
 * One framework version as a value: every record, read once, with the lookups and derived forms
 * every interface shares (by-id maps, children, the outline, each entity's published identity).
 * Built by the Catalog and never changed afterwards; renderers may memoize on it.
 */
import type {
  ActivityRecord, CompetencyRecord, DefinitionRecord, DilemmaRecord, DomainRecord, HintRecord, PrincipleRecord,
  QuestionRecord, RecordByType, ResourceGroupRecord, ResourceRecord, SubPointRecord, VersionRecord, VersionRecords
} from '../content/model.js'
import type { ListedType } from '../store/repository.js'
import { groupBy } from './group-by.js'
import { outline, type OutlineNode } from './version.js'
import type { Revision } from './revisions.js'

type ById = { readonly [K in ListedType]: ReadonlyMap<string, RecordByType[K]> }

/**
 * The parents each kind's list can be narrowed to: a property of the record holding the parent's
 * id, compared exactly (the repository's `filters`, which read the same columns).
 */
export const listFilters = {
  principle: [],
  domain: [],
  competency: ['domain'],
  activity: ['domain', 'competency'],
  hint: ['domain', 'competency'],
  definition: [],
  question: [],
  dilemma: [],
  resource: ['group']
} as const satisfies Record<ListedType, ReadonlyArray<'domain' | 'competency' | 'group'>>

/** A parent a list can be narrowed to. */
export type ListFilter = (typeof listFilters)[ListedType][number]

export class VersionIndex {
  /** Each kind's records by slug id. */
  readonly byId: ById
  /** The competencies of each domain, in guide order. */
  readonly competenciesOf: ReadonlyMap<string, CompetencyRecord[]>
  /** The key activities of each competency, in guide order. */
  readonly activitiesOf: ReadonlyMap<string, ActivityRecord[]>
  /** The helpful hint of each competency. */
  readonly hintOf: ReadonlyMap<string, HintRecord>
  /** The resource groups by id. */
  readonly groupById: ReadonlyMap<string, ResourceGroupRecord>
  /** The resources of each group, in guide order. */
  readonly resourcesOf: ReadonlyMap<string, ResourceRecord[]>
  private outlineNodes: OutlineNode[] | null = null

  constructor (
    readonly version: VersionRecord,
    readonly records: VersionRecords,
    /** The published identity of every outline node and definition, by entity uuid. */
    readonly revisions: ReadonlyMap<string, Revision>
  ) {
    const index = <T extends { id: string }>(list: readonly T[]): Map<string, T> => new Map(list.map((r) => [r.id, r]))
    this.byId = {
      principle: index(records.principle),
      domain: index(records.domain),
      competency: index(records.competency),
      activity: index(records.activity),
      hint: index(records.hint),
      definition: index(records.definition),
      question: index(records.question),
      dilemma: index(records.dilemma),
      resource: index(records.resource)
    }
    this.competenciesOf = groupBy(records.competency, (c) => c.domain)
    this.activitiesOf = groupBy(records.activity, (a) => a.competency)
    this.hintOf = new Map(records.hint.map((h) => [h.competency, h]))
    this.groupById = index(records.groups)
    this.resourcesOf = groupBy(records.resource, (r) => r.group)
  }

  /**
   * A kind's records in guide order, narrowed to the parents `filter` names (unset ones are
   * ignored): what the repository's filtered `list` returns, in the same order.
   */
  list<K extends ListedType> (type: K, filter: Partial<Record<ListFilter, string>> = {}): Array<RecordByType[K]> {
    const allowed: readonly ListFilter[] = listFilters[type]
    const applied = (Object.keys(filter) as ListFilter[]).filter((name) => filter[name] !== undefined)
    for (const name of applied) {
      if (!allowed.includes(name)) throw new Error(`${type} cannot be filtered by ${name}`)
    }
    const records = this.records[type] as Array<RecordByType[K]>
    if (applied.length === 0) return records
    return records.filter((r) => applied.every((name) => (r as unknown as Record<ListFilter, string>)[name] === filter[name]))
  }

  /** Whether the version has the parent a filter names (a domain, a competency or a resource group). */
  has (parent: ListFilter, id: string): boolean {
    return parent === 'group' ? this.groupById.has(id) : this.byId[parent].has(id)
  }

  /** A sub-point by id (sub-points are kept in their activity). */
  subpoint (id: string): SubPointRecord | undefined {
    for (const a of this.records.activity) {
      const found = a.subpoints.find((s) => s.id === id)
      if (found !== undefined) return found
    }
    return undefined
  }

  get principles (): PrincipleRecord[] { return this.records.principle }
  get domains (): DomainRecord[] { return this.records.domain }
  get competencies (): CompetencyRecord[] { return this.records.competency }
  get activities (): ActivityRecord[] { return this.records.activity }
  get hints (): HintRecord[] { return this.records.hint }
  get definitions (): DefinitionRecord[] { return this.records.definition }
  get questions (): QuestionRecord[] { return this.records.question }
  get dilemmas (): DilemmaRecord[] { return this.records.dilemma }
  get resources (): ResourceRecord[] { return this.records.resource }
  get resourceGroups (): ResourceGroupRecord[] { return this.records.groups }

  /** The tree in the guide's order (see outline()), computed once. */
  get outline (): OutlineNode[] {
    this.outlineNodes ??= outline(this.records)
    return this.outlineNodes
  }

  /** The revision of an entity; every outline node and definition has one. */
  revisionOf (entityUuid: string): Revision {
    const revision = this.revisions.get(entityUuid)
    if (revision === undefined) throw new Error(`no revision for ${entityUuid} in ${this.version.framework}@${this.version.number}`)
    return revision
  }
}
