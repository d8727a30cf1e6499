/**
 * The curricula store's tables, as Kysely sees them. Times are ISO 8601 text and ids are UUIDs
 * made by the application, so both dialects hold exactly the same values.
 */
import type { Generated } from 'kysely'

export interface InstitutionTable {
  id: string
  name: string
  created_at: string
  updated_at: string
}

export interface ApiKeyTable {
  id: string
  institution_id: string
  /** The public part of the key, shown in listings and used to find the row. */
  prefix: string
  /** sha256 of the whole key, hex. */
  hash: string
  scope: 'read' | 'write'
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface CurriculumTable {
  id: string
  institution_id: string
  name: string
  description: string | null
  framework: string
  framework_version: string
  created_at: string
  updated_at: string
  revision: number
}

export interface CourseTable {
  id: string
  institution_id: string
  curriculum_id: string
  code: string
  title: string
  url: string | null
  term: string | null
  credits: number | null
  /** JSON object of system name → id, e.g. {"moodle":"1234"}. */
  external_ids: string
  created_at: string
  updated_at: string
  revision: number
}

export interface AlignmentTable {
  id: string
  institution_id: string
  course_id: string
  target_uuid: string
  target_type: 'competency' | 'activity' | 'subpoint'
  target_id: string
  target_code: string
  level: 'introduced' | 'reinforced' | 'mastered'
  note: string | null
  evidence_url: string | null
  /** 1 when a re-pin changed the target's text and nobody has looked since (0002). */
  needs_review: Generated<number>
  /** The version the target was last in, when a re-pin found it removed; null when attached (0002). */
  detached_from: string | null
  created_at: string
  updated_at: string
  revision: number
}

export interface IdempotencyTable {
  institution_id: string
  key: string
  fingerprint: string
  status: number
  /** JSON object of the response headers to replay (Location, ETag). */
  headers: string
  body: string
  created_at: string
}

export interface AuditTable {
  id: Generated<number>
  at: string
  institution_id: string
  key_id: string | null
  action: string
  target: string
}

export interface CurriculaDatabase {
  institutions: InstitutionTable
  api_keys: ApiKeyTable
  curricula: CurriculumTable
  courses: CourseTable
  alignments: AlignmentTable
  idempotency_keys: IdempotencyTable
  audit_log: AuditTable
}
