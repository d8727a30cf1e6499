/**
 * The content as the service reads it back: what the repository returns and every view (REST,
 * GraphQL, CASE, JSON-LD, CSV) is built from. Each entity carries its framework, version and the
 * three identifiers (slug `id`, `code`, `uuid`).
 */
import type { FrameworkMeta, StatementSeed } from './schema.js'

export const entityTypes = ['principle', 'domain', 'competency', 'activity', 'subpoint', 'hint', 'definition', 'question', 'dilemma', 'resource'] as const
export type EntityType = typeof entityTypes[number]

/** A framework version as stored; `vkey` is its internal key for repository calls. */
export interface VersionRecord {
  vkey: number
  framework: string
  number: string
  uuid: string
  /** 0 for the newest version of its framework, 1 for the next, … */
  ordinal: number
  released: string
  checksum: string
  meta: FrameworkMeta
  dilemmasIntroduction: string
  dilemmasConclusion: string | null
  resourcesIntroduction: string
  counts: Record<string, number>
}

export interface FrameworkRecord {
  id: string
  uuid: string
  title: string
  /** Newest first. */
  versions: VersionRecord[]
}

export interface EntityRecord {
  type: EntityType
  framework: string
  version: string
  id: string
  code: string
  uuid: string
  /** 1-based order within the version (for activities and sub-points, within their parent). */
  position: number
}

export interface PrincipleRecord extends EntityRecord { type: 'principle', name: string, description: string }
export interface DomainRecord extends EntityRecord { type: 'domain', name: string, description: string }
export interface CompetencyRecord extends EntityRecord { type: 'competency', domain: string, name: string, overview: StatementSeed[] }
export interface SubPointRecord extends EntityRecord { type: 'subpoint', activity: string, text: string }
export interface ActivityRecord extends EntityRecord {
  type: 'activity'
  competency: string
  domain: string
  text: string
  subpoints: SubPointRecord[]
}
export interface HintRecord extends EntityRecord { type: 'hint', competency: string, domain: string, paragraphs: string[] }
export interface DefinitionRecord extends EntityRecord { type: 'definition', term: string, text: string, otherNames: string[] }
export interface QuestionRecord extends EntityRecord { type: 'question', text: string, subquestions: string[] }
export interface DilemmaRecord extends EntityRecord { type: 'dilemma', text: string }
export interface ResourceRecord extends EntityRecord {
  type: 'resource'
  group: string
  groupTitle: string | null
  groupNote: string | null
  kind: 'link' | 'reference'
  text: string
  url: string | null
  doi: string | null
}

export interface RecordByType {
  principle: PrincipleRecord
  domain: DomainRecord
  competency: CompetencyRecord
  activity: ActivityRecord
  subpoint: SubPointRecord
  hint: HintRecord
  definition: DefinitionRecord
  question: QuestionRecord
  dilemma: DilemmaRecord
  resource: ResourceRecord
}

/** A resource group: the heading (and the note under it) that resources are listed under. */
export interface ResourceGroupRecord { id: string, title: string | null, note: string | null }

/** Every record of one version, by kind, each list in guide order. */
export interface VersionRecords {
  principle: PrincipleRecord[]
  domain: DomainRecord[]
  competency: CompetencyRecord[]
  activity: ActivityRecord[]
  hint: HintRecord[]
  definition: DefinitionRecord[]
  question: QuestionRecord[]
  dilemma: DilemmaRecord[]
  resource: ResourceRecord[]
  groups: ResourceGroupRecord[]
}
