/**
 * One framework version as a value: every record, read once, with the lookups and derived forms
 * every interface shares (by-id maps, children, the outline, each entity's published identity).
 * Built by the Catalog and never changed afterwards; renderers may memoize on it.
 */
import type {
  ActivityRecord, CompetencyRecord, DefinitionRecord, DilemmaRecord, DomainRecord, HintRecord, PrincipleRecord,
  QuestionRecord, RecordByType, ResourceGroupRecord, ResourceRecord, VersionRecord, VersionRecords
} from '../content/model.js'
import type { ListedType } from '../store/repository.js'
import { groupBy } from './group-by.js'
import { outline, type OutlineNode } from './version.js'
import type { Revision } from './revisions.js'

type ById = { readonly [K in ListedType]: ReadonlyMap<string, RecordByType[K]> }

export class VersionIndex {
  /** Each kind's records by slug id. */
  readonly byId: ById
  /** The competencies of each domain, in guide order. */
  readonly competenciesOf: ReadonlyMap<string, CompetencyRecord[]>
  /** The key activities of each competency, in guide order. */
  readonly activitiesOf: ReadonlyMap<string, ActivityRecord[]>
  /** The helpful hint of each competency. */
  readonly hintOf: ReadonlyMap<string, HintRecord>
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
