/**
 * The curricula repository: the one interface to institutions, keys, curricula, courses,
 * alignments, idempotency records and the audit trail, on SQLite or PostgreSQL through Kysely.
 * Every query of an institution's data carries its institution id, so one institution can never
 * read or change another's records. Every write runs in a transaction with its audit entry.
 * Updates are compare-and-set on `revision`, so two writers with the same If-Match cannot both win.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Dialect } from './migrations.js'
import type { AlignmentTable, ApiKeyTable, CourseTable, CurriculaDatabase, CurriculumTable } from './schema.js'
import { ConflictError, LimitError, NotFoundError, StaleError, UnavailableError, isUnavailable, isUniqueViolation } from './errors.js'

export type Scope = 'read' | 'write'
export type Level = 'introduced' | 'reinforced' | 'mastered'
export const levels: readonly Level[] = ['introduced', 'reinforced', 'mastered']
export type TargetType = 'competency' | 'activity' | 'subpoint'

export interface Institution { id: string, name: string, createdAt: string, updatedAt: string }

export interface ApiKeyRecord {
  id: string
  institutionId: string
  prefix: string
  scope: Scope
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface Curriculum {
  id: string
  name: string
  description: string | null
  framework: string
  version: string
  createdAt: string
  updatedAt: string
  revision: number
}

export interface Course {
  id: string
  curriculumId: string
  code: string
  title: string
  url: string | null
  term: string | null
  credits: number | null
  externalIds: Record<string, string>
  createdAt: string
  updatedAt: string
  revision: number
}

/** A resolved alignment target in the curriculum's pinned version. */
export interface Target { uuid: string, type: TargetType, id: string, code: string }

export interface Alignment {
  id: string
  courseId: string
  target: Target
  level: Level
  note: string | null
  evidenceUrl: string | null
  /** A re-pin changed the target's text: someone should check the alignment still holds. */
  needsReview: boolean
  /** The version the target was last in, when a re-pin found it removed; null while attached. */
  detachedFrom: string | null
  createdAt: string
  updatedAt: string
  revision: number
}

/** What a re-pin does to one alignment: its target in the new version (or detached), and whether to review it. */
export interface AlignmentMove { target: Target, needsReview: boolean, detachedFrom: string | null }

export interface CurriculumInput { name: string, description?: string | null, framework: string, version: string }
export type CurriculumPatch = Partial<Pick<CurriculumInput, 'name' | 'description'>>
export interface CourseInput {
  code: string
  title: string
  url?: string | null
  term?: string | null
  credits?: number | null
  externalIds?: Record<string, string>
}
export type CoursePatch = Partial<CourseInput>
export interface AlignmentInput { target: Target, level: Level, note?: string | null, evidenceUrl?: string | null }
export interface ImportRow { course: CourseInput, alignments: AlignmentInput[] }

export interface AuditEntry { id: number, at: string, institutionId: string, keyId: string | null, action: string, target: string }
export interface StoredResponse { fingerprint: string, status: number, headers: Record<string, string>, body: string }

/** Who writes: the institution, and the key (null for operators through the CLI). */
export interface Actor { institutionId: string, keyId: string | null }
export interface Page { limit: number, offset: number }
export interface Paged<T> { total: number, items: T[] }
/** A curriculum, its courses by code and their alignments (by course, then target code), as of one moment. */
export interface CurriculumSnapshot { curriculum: Curriculum, courses: Course[], alignments: Alignment[] }

/** Per-institution limits; a write past one is a LimitError naming it. */
export interface StoreLimits {
  curricula: number
  coursesPerCurriculum: number
  alignmentsPerCourse: number
}

/** Told each query's duration in seconds, whether it failed, and its SQL. */
export type QueryObserver = (seconds: number, failed: boolean, sql: string) => void
/** A PostgreSQL pool's connections now: open in all, idle, and requests waiting for one. */
export type PoolStats = () => { total: number, idle: number, waiting: number }
/** What the store's opener hands the repository for observing it (see observe(), poolStats()). */
export interface StoreInstruments { observer: { current: QueryObserver | undefined }, pool: PoolStats | undefined }

export const defaultLimits: StoreLimits = { curricula: 100, coursesPerCurriculum: 1000, alignmentsPerCourse: 200 }

type Db = Kysely<CurriculaDatabase> | Transaction<CurriculaDatabase>

const now = (): string => new Date().toISOString()

const curriculumOf = (r: Selectable<CurriculumTable>): Curriculum => ({
  id: r.id,
  name: r.name,
  description: r.description,
  framework: r.framework,
  version: r.framework_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  revision: Number(r.revision)
})

const courseOf = (r: Selectable<CourseTable>): Course => ({
  id: r.id,
  curriculumId: r.curriculum_id,
  code: r.code,
  title: r.title,
  url: r.url,
  term: r.term,
  credits: r.credits === null ? null : Number(r.credits),
  externalIds: JSON.parse(r.external_ids) as Record<string, string>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  revision: Number(r.revision)
})

const alignmentOf = (r: Selectable<AlignmentTable>): Alignment => ({
  id: r.id,
  courseId: r.course_id,
  target: { uuid: r.target_uuid, type: r.target_type, id: r.target_id, code: r.target_code },
  level: r.level,
  note: r.note,
  evidenceUrl: r.evidence_url,
  needsReview: Number(r.needs_review) !== 0,
  detachedFrom: r.detached_from,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  revision: Number(r.revision)
})

const keyOf = (r: Selectable<ApiKeyTable>): ApiKeyRecord => ({
  id: r.id,
  institutionId: r.institution_id,
  prefix: r.prefix,
  scope: r.scope,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at
})

const count = (row: { n: string | number | bigint } | undefined): number => Number(row?.n ?? 0)

export class CurriculaRepository {
  constructor (
    readonly db: Kysely<CurriculaDatabase>,
    readonly dialect: Dialect,
    readonly limits: StoreLimits = defaultLimits,
    private readonly instruments: StoreInstruments = { observer: { current: undefined }, pool: undefined }
  ) {}

  /** Reports every query from now on (metrics); one observer at a time. */
  observe (observer: QueryObserver): void {
    this.instruments.observer.current = observer
  }

  /** The connection pool's state (PostgreSQL); undefined for SQLite's single connection. */
  poolStats (): ReturnType<PoolStats> | undefined {
    return this.instruments.pool?.()
  }

  /** Runs a store operation, translating driver errors into the store's own. */
  private async run<T> (work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof StaleError || err instanceof ConflictError || err instanceof LimitError) throw err
      if (isUnavailable(err)) throw new UnavailableError(err)
      if (isUniqueViolation(err)) throw new ConflictError('a record with the same unique key already exists')
      throw err
    }
  }

  private async write<T> (actor: Actor, action: string, target: (result: T) => string, work: (trx: Transaction<CurriculaDatabase>) => Promise<T>): Promise<T> {
    return this.run(() => this.db.transaction().execute(async (trx) => {
      const result = await work(trx)
      await trx.insertInto('audit_log').values({ at: now(), institution_id: actor.institutionId, key_id: actor.keyId, action, target: target(result) }).execute()
      return result
    }))
  }

  /** Answers when the database does (for readiness probes). */
  async ping (): Promise<void> {
    await this.run(() => this.db.selectFrom('institutions').select('id').limit(1).execute())
  }

  // Operators

  async createInstitution (name: string): Promise<Institution> {
    const at = now()
    const row = { id: randomUUID(), name, created_at: at, updated_at: at }
    await this.write({ institutionId: row.id, keyId: null }, 'institution.create', () => `institution/${row.id}`, async (trx) => {
      await trx.insertInto('institutions').values(row).execute()
    })
    return { id: row.id, name, createdAt: at, updatedAt: at }
  }

  async listInstitutions (): Promise<Institution[]> {
    const rows = await this.run(() => this.db.selectFrom('institutions').selectAll().orderBy('created_at').orderBy('id').execute())
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at }))
  }

  async getInstitution (id: string): Promise<Institution | undefined> {
    const r = await this.run(() => this.db.selectFrom('institutions').selectAll().where('id', '=', id).executeTakeFirst())
    return r === undefined ? undefined : { id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at }
  }

  /** Stores a key's public prefix and hash (see keys.ts); the key itself is never stored. */
  async addKey (institutionId: string, prefix: string, hash: string, scope: Scope): Promise<ApiKeyRecord> {
    const row = { id: randomUUID(), institution_id: institutionId, prefix, hash, scope, created_at: now(), last_used_at: null, revoked_at: null }
    await this.write({ institutionId, keyId: null }, 'key.create', () => `key/${prefix}`, async (trx) => {
      const institution = await trx.selectFrom('institutions').select('id').where('id', '=', institutionId).executeTakeFirst()
      if (institution === undefined) throw new NotFoundError(`institution ${institutionId}`)
      await trx.insertInto('api_keys').values(row).execute()
    })
    return keyOf(row)
  }

  async listKeys (institutionId?: string): Promise<ApiKeyRecord[]> {
    let q = this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id')
    if (institutionId !== undefined) q = q.where('institution_id', '=', institutionId)
    return (await this.run(() => q.execute())).map(keyOf)
  }

  /** Revokes a key by its id or prefix; revoking twice is harmless. */
  async revokeKey (idOrPrefix: string): Promise<ApiKeyRecord> {
    const key = await this.run(() => this.db.selectFrom('api_keys').selectAll().where((eb) => eb.or([eb('id', '=', idOrPrefix), eb('prefix', '=', idOrPrefix)])).executeTakeFirst())
    if (key === undefined) throw new NotFoundError(`key ${idOrPrefix}`)
    const at = key.revoked_at ?? now()
    await this.write({ institutionId: key.institution_id, keyId: null }, 'key.revoke', () => `key/${key.prefix}`, async (trx) => {
      await trx.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', key.id).execute()
    })
    return keyOf({ ...key, revoked_at: at })
  }

  /** The key row with this prefix and its hash, revoked or not; the caller compares hashes. */
  async keyByPrefix (prefix: string): Promise<(ApiKeyRecord & { hash: string }) | undefined> {
    const r = await this.run(() => this.db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst())
    return r === undefined ? undefined : { ...keyOf(r), hash: r.hash }
  }

  async touchKey (id: string, at = now()): Promise<void> {
    await this.run(() => this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute())
  }

  async listAudit (institutionId?: string, limit = 100): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit)
    if (institutionId !== undefined) q = q.where('institution_id', '=', institutionId)
    const rows = await this.run(() => q.execute())
    return rows.map((r) => ({ id: Number(r.id), at: r.at, institutionId: r.institution_id, keyId: r.key_id, action: r.action, target: r.target }))
  }

  // Curricula

  async listCurricula (institutionId: string, page: Page): Promise<Paged<Curriculum>> {
    return this.run(async () => {
      const base = this.db.selectFrom('curricula').where('institution_id', '=', institutionId)
      const total = count(await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst())
      const rows = await base.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute()
      return { total, items: rows.map(curriculumOf) }
    })
  }

  private async curriculumRow (db: Db, institutionId: string, id: string): Promise<Selectable<CurriculumTable>> {
    const row = await db.selectFrom('curricula').selectAll().where('institution_id', '=', institutionId).where('id', '=', id).executeTakeFirst()
    if (row === undefined) throw new NotFoundError(`curriculum ${id}`)
    return row
  }

  async getCurriculum (institutionId: string, id: string): Promise<Curriculum> {
    return curriculumOf(await this.run(() => this.curriculumRow(this.db, institutionId, id)))
  }

  async createCurriculum (actor: Actor, input: CurriculumInput): Promise<Curriculum> {
    const at = now()
    const row: CurriculumTable = {
      id: randomUUID(), institution_id: actor.institutionId, name: input.name, description: input.description ?? null,
      framework: input.framework, framework_version: input.version, created_at: at, updated_at: at, revision: 1
    }
    return this.write(actor, 'curriculum.create', () => `curriculum/${row.id}`, async (trx) => {
      const n = count(await trx.selectFrom('curricula').select((eb) => eb.fn.countAll<string>().as('n')).where('institution_id', '=', actor.institutionId).executeTakeFirst())
      if (n >= this.limits.curricula) throw new LimitError('curricula', this.limits.curricula, `an institution may have at most ${this.limits.curricula} curricula`)
      await trx.insertInto('curricula').values(row).execute()
      return curriculumOf(row)
    })
  }

  /** Compare-and-set: the row changes only if it is still at `revision`. */
  async updateCurriculum (actor: Actor, id: string, revision: number, patch: CurriculumPatch): Promise<Curriculum> {
    return this.write(actor, 'curriculum.update', () => `curriculum/${id}`, async (trx) => {
      const set = {
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        updated_at: now(),
        revision: revision + 1
      }
      const done = await trx.updateTable('curricula').set(set)
        .where('institution_id', '=', actor.institutionId).where('id', '=', id).where('revision', '=', revision).executeTakeFirst()
      const row = await this.curriculumRow(trx, actor.institutionId, id)
      if (Number(done.numUpdatedRows) === 0) throw new StaleError(`curriculum ${id}`, Number(row.revision))
      return curriculumOf(row)
    })
  }

  async deleteCurriculum (actor: Actor, id: string, revision: number): Promise<void> {
    await this.write(actor, 'curriculum.delete', () => `curriculum/${id}`, async (trx) => {
      const row = await this.curriculumRow(trx, actor.institutionId, id)
      if (Number(row.revision) !== revision) throw new StaleError(`curriculum ${id}`, Number(row.revision))
      await trx.deleteFrom('curricula').where('institution_id', '=', actor.institutionId).where('id', '=', id).where('revision', '=', revision).execute()
    })
  }

  // Courses

  async listCourses (institutionId: string, curriculumId: string, page: Page): Promise<Paged<Course>> {
    return this.run(async () => {
      await this.curriculumRow(this.db, institutionId, curriculumId)
      const base = this.db.selectFrom('courses').where('institution_id', '=', institutionId).where('curriculum_id', '=', curriculumId)
      const total = count(await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst())
      const rows = await base.selectAll().orderBy('code').orderBy('id').limit(page.limit).offset(page.offset).execute()
      return { total, items: rows.map(courseOf) }
    })
  }

  private async courseRow (db: Db, institutionId: string, curriculumId: string, id: string): Promise<Selectable<CourseTable>> {
    const row = await db.selectFrom('courses').selectAll()
      .where('institution_id', '=', institutionId).where('curriculum_id', '=', curriculumId).where('id', '=', id).executeTakeFirst()
    if (row === undefined) throw new NotFoundError(`course ${id}`)
    return row
  }

  async getCourse (institutionId: string, curriculumId: string, id: string): Promise<Course> {
    return courseOf(await this.run(() => this.courseRow(this.db, institutionId, curriculumId, id)))
  }

  private async insertCourse (trx: Transaction<CurriculaDatabase>, actor: Actor, curriculumId: string, input: CourseInput): Promise<Course> {
    const n = count(await trx.selectFrom('courses').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('institution_id', '=', actor.institutionId).where('curriculum_id', '=', curriculumId).executeTakeFirst())
    if (n >= this.limits.coursesPerCurriculum) {
      throw new LimitError('coursesPerCurriculum', this.limits.coursesPerCurriculum, `a curriculum may have at most ${this.limits.coursesPerCurriculum} courses`)
    }
    const taken = await trx.selectFrom('courses').select('id').where('curriculum_id', '=', curriculumId).where('code', '=', input.code).executeTakeFirst()
    if (taken !== undefined) throw new ConflictError(`the curriculum already has a course with code "${input.code}"`)
    const at = now()
    const row: CourseTable = {
      id: randomUUID(), institution_id: actor.institutionId, curriculum_id: curriculumId, code: input.code, title: input.title,
      url: input.url ?? null, term: input.term ?? null, credits: input.credits ?? null, external_ids: JSON.stringify(input.externalIds ?? {}),
      created_at: at, updated_at: at, revision: 1
    }
    await trx.insertInto('courses').values(row).execute()
    return courseOf(row)
  }

  async createCourse (actor: Actor, curriculumId: string, input: CourseInput): Promise<Course> {
    return this.write(actor, 'course.create', (c) => `course/${c.id}`, async (trx) => {
      await this.curriculumRow(trx, actor.institutionId, curriculumId)
      return this.insertCourse(trx, actor, curriculumId, input)
    })
  }

  private async bumpCourse (trx: Transaction<CurriculaDatabase>, actor: Actor, curriculumId: string, id: string, revision: number | null, patch: CoursePatch = {}): Promise<Course> {
    const current = await this.courseRow(trx, actor.institutionId, curriculumId, id)
    const expected = revision ?? Number(current.revision)
    if (patch.code !== undefined && patch.code !== current.code) {
      const taken = await trx.selectFrom('courses').select('id').where('curriculum_id', '=', curriculumId).where('code', '=', patch.code).executeTakeFirst()
      if (taken !== undefined) throw new ConflictError(`the curriculum already has a course with code "${patch.code}"`)
    }
    const set = {
      ...(patch.code === undefined ? {} : { code: patch.code }),
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.url === undefined ? {} : { url: patch.url }),
      ...(patch.term === undefined ? {} : { term: patch.term }),
      ...(patch.credits === undefined ? {} : { credits: patch.credits }),
      ...(patch.externalIds === undefined ? {} : { external_ids: JSON.stringify(patch.externalIds) }),
      updated_at: now(),
      revision: expected + 1
    }
    const done = await trx.updateTable('courses').set(set)
      .where('institution_id', '=', actor.institutionId).where('id', '=', id).where('revision', '=', expected).executeTakeFirst()
    const row = await this.courseRow(trx, actor.institutionId, curriculumId, id)
    if (Number(done.numUpdatedRows) === 0) throw new StaleError(`course ${id}`, Number(row.revision))
    return courseOf(row)
  }

  async updateCourse (actor: Actor, curriculumId: string, id: string, revision: number, patch: CoursePatch): Promise<Course> {
    return this.write(actor, 'course.update', () => `course/${id}`, (trx) => this.bumpCourse(trx, actor, curriculumId, id, revision, patch))
  }

  async deleteCourse (actor: Actor, curriculumId: string, id: string, revision: number): Promise<void> {
    await this.write(actor, 'course.delete', () => `course/${id}`, async (trx) => {
      const row = await this.courseRow(trx, actor.institutionId, curriculumId, id)
      if (Number(row.revision) !== revision) throw new StaleError(`course ${id}`, Number(row.revision))
      await trx.deleteFrom('courses').where('institution_id', '=', actor.institutionId).where('id', '=', id).where('revision', '=', revision).execute()
    })
  }

  // Alignments

  async listAlignments (institutionId: string, curriculumId: string, courseId: string): Promise<{ course: Course, alignments: Alignment[] }> {
    return this.run(async () => {
      const course = courseOf(await this.courseRow(this.db, institutionId, curriculumId, courseId))
      return { course, alignments: await this.alignmentsOf(this.db, institutionId, [courseId]) }
    })
  }

  /**
   * A curriculum with all its courses (by code) and their alignments, read in one transaction so
   * that the three agree: what the reports and exports render.
   */
  async curriculumSnapshot (institutionId: string, curriculumId: string): Promise<CurriculumSnapshot> {
    return this.run(() => this.db.transaction().execute(async (trx) => {
      const curriculum = curriculumOf(await this.curriculumRow(trx, institutionId, curriculumId))
      const courses = (await trx.selectFrom('courses').selectAll()
        .where('institution_id', '=', institutionId).where('curriculum_id', '=', curriculumId).orderBy('code').orderBy('id').execute()).map(courseOf)
      return { curriculum, courses, alignments: await this.alignmentsOf(trx, institutionId, courses.map((c) => c.id)) }
    }))
  }

  /**
   * Re-pins a curriculum to another version of its framework in one transaction, if it is still at
   * `revision`: `plan` sees the alignments as they are inside the transaction and says, for those
   * that change, where each goes; those rows and their courses get a new revision. Returns the
   * curriculum and the alignments before and after.
   */
  async migrateCurriculum (actor: Actor, id: string, revision: number, version: string, plan: (before: Alignment[], courses: Course[]) => Map<string, AlignmentMove>): Promise<{ curriculum: Curriculum, courses: Course[], before: Alignment[], after: Alignment[] }> {
    return this.write(actor, 'curriculum.migrate', () => `curriculum/${id}`, async (trx) => {
      const at = now()
      const done = await trx.updateTable('curricula').set({ framework_version: version, updated_at: at, revision: revision + 1 })
        .where('institution_id', '=', actor.institutionId).where('id', '=', id).where('revision', '=', revision).executeTakeFirst()
      const row = await this.curriculumRow(trx, actor.institutionId, id)
      if (Number(done.numUpdatedRows) === 0) throw new StaleError(`curriculum ${id}`, Number(row.revision))
      // Lock the courses (PostgreSQL), so no alignment of theirs changes between reading and writing.
      let query = trx.selectFrom('courses').selectAll().where('institution_id', '=', actor.institutionId).where('curriculum_id', '=', id).orderBy('code').orderBy('id')
      if (this.dialect === 'postgres') query = query.forUpdate()
      const rows = await query.execute()
      const courseIds = rows.map((c) => c.id)
      const before = await this.alignmentsOf(trx, actor.institutionId, courseIds)
      const moves = plan(before, rows.map(courseOf))
      const touched = new Set<string>()
      for (const a of before) {
        const move = moves.get(a.id)
        if (move === undefined) continue
        await trx.updateTable('alignments').set({
          target_uuid: move.target.uuid, target_type: move.target.type, target_id: move.target.id, target_code: move.target.code,
          needs_review: move.needsReview ? 1 : 0, detached_from: move.detachedFrom, updated_at: at, revision: a.revision + 1
        }).where('institution_id', '=', actor.institutionId).where('id', '=', a.id).execute()
        touched.add(a.courseId)
      }
      for (const courseId of touched) {
        await trx.updateTable('courses').set((eb) => ({ updated_at: at, revision: eb('revision', '+', 1) }))
          .where('institution_id', '=', actor.institutionId).where('id', '=', courseId).execute()
      }
      const courses = (await trx.selectFrom('courses').selectAll().where('institution_id', '=', actor.institutionId).where('curriculum_id', '=', id)
        .orderBy('code').orderBy('id').execute()).map(courseOf)
      return { curriculum: curriculumOf(row), courses, before, after: await this.alignmentsOf(trx, actor.institutionId, courseIds) }
    })
  }

  /** The alignments of several courses (of one institution), by course then target code. */
  async alignmentsOfCourses (institutionId: string, courseIds: readonly string[]): Promise<Alignment[]> {
    return this.run(() => this.alignmentsOf(this.db, institutionId, courseIds))
  }

  private async alignmentsOf (db: Db, institutionId: string, courseIds: readonly string[]): Promise<Alignment[]> {
    if (courseIds.length === 0) return []
    const rows = await db.selectFrom('alignments').selectAll()
      .where('institution_id', '=', institutionId).where('course_id', 'in', [...courseIds]).orderBy('course_id').orderBy('target_code').execute()
    return rows.map(alignmentOf)
  }

  private async insertAlignments (trx: Transaction<CurriculaDatabase>, actor: Actor, courseId: string, inputs: readonly AlignmentInput[]): Promise<void> {
    if (inputs.length === 0) return
    const at = now()
    await trx.insertInto('alignments').values(inputs.map((a) => ({
      id: randomUUID(), institution_id: actor.institutionId, course_id: courseId, target_uuid: a.target.uuid, target_type: a.target.type,
      target_id: a.target.id, target_code: a.target.code, level: a.level, note: a.note ?? null, evidence_url: a.evidenceUrl ?? null,
      created_at: at, updated_at: at, revision: 1
    }))).execute()
  }

  private checkAlignments (inputs: readonly AlignmentInput[]): void {
    if (inputs.length > this.limits.alignmentsPerCourse) {
      throw new LimitError('alignmentsPerCourse', this.limits.alignmentsPerCourse, `a course may have at most ${this.limits.alignmentsPerCourse} alignments`)
    }
    const seen = new Set<string>()
    for (const a of inputs) {
      if (seen.has(a.target.uuid)) throw new ConflictError(`target ${a.target.code} is given twice: a course has one alignment per target`)
      seen.add(a.target.uuid)
    }
  }

  /** Replaces a course's alignments, if the course is still at `revision`; the course's revision goes up. */
  async replaceAlignments (actor: Actor, curriculumId: string, courseId: string, revision: number, inputs: readonly AlignmentInput[]): Promise<{ course: Course, alignments: Alignment[] }> {
    this.checkAlignments(inputs)
    return this.write(actor, 'alignments.replace', () => `course/${courseId}/alignments`, async (trx) => {
      const course = await this.bumpCourse(trx, actor, curriculumId, courseId, revision)
      await trx.deleteFrom('alignments').where('institution_id', '=', actor.institutionId).where('course_id', '=', courseId).execute()
      await this.insertAlignments(trx, actor, courseId, inputs)
      return { course, alignments: await this.alignmentsOf(trx, actor.institutionId, [courseId]) }
    })
  }

  /** Adds one alignment; a second one for the same target is a ConflictError. */
  async createAlignment (actor: Actor, curriculumId: string, courseId: string, input: AlignmentInput): Promise<Alignment> {
    return this.write(actor, 'alignment.create', (a) => `course/${courseId}/alignments/${a.target.uuid}`, async (trx) => {
      await this.bumpCourse(trx, actor, curriculumId, courseId, null)
      const existing = await this.alignmentsOf(trx, actor.institutionId, [courseId])
      if (existing.some((a) => a.target.uuid === input.target.uuid)) throw new ConflictError(`the course is already aligned to ${input.target.code}`)
      if (existing.length >= this.limits.alignmentsPerCourse) {
        throw new LimitError('alignmentsPerCourse', this.limits.alignmentsPerCourse, `a course may have at most ${this.limits.alignmentsPerCourse} alignments`)
      }
      await this.insertAlignments(trx, actor, courseId, [input])
      const created = (await this.alignmentsOf(trx, actor.institutionId, [courseId])).find((a) => a.target.uuid === input.target.uuid)
      if (created === undefined) throw new NotFoundError(`alignment ${input.target.code}`)
      return created
    })
  }

  async getAlignment (institutionId: string, curriculumId: string, courseId: string, targetUuid: string): Promise<Alignment> {
    const { alignments } = await this.listAlignments(institutionId, curriculumId, courseId)
    const found = alignments.find((a) => a.target.uuid === targetUuid)
    if (found === undefined) throw new NotFoundError(`alignment of course ${courseId} to ${targetUuid}`)
    return found
  }

  async deleteAlignment (actor: Actor, curriculumId: string, courseId: string, targetUuid: string, revision: number): Promise<void> {
    await this.write(actor, 'alignment.delete', () => `course/${courseId}/alignments/${targetUuid}`, async (trx) => {
      await this.courseRow(trx, actor.institutionId, curriculumId, courseId)
      const row = await trx.selectFrom('alignments').selectAll()
        .where('institution_id', '=', actor.institutionId).where('course_id', '=', courseId).where('target_uuid', '=', targetUuid).executeTakeFirst()
      if (row === undefined) throw new NotFoundError(`alignment of course ${courseId} to ${targetUuid}`)
      if (Number(row.revision) !== revision) throw new StaleError(`alignment ${row.target_code}`, Number(row.revision))
      await trx.deleteFrom('alignments').where('id', '=', row.id).execute()
      await this.bumpCourse(trx, actor, curriculumId, courseId, null)
    })
  }

  /**
   * Imports courses with their alignments in one transaction: a row whose code exists updates that
   * course's title (and the other given fields) and replaces its alignments; other rows create courses.
   */
  async importCourses (actor: Actor, curriculumId: string, rows: readonly ImportRow[]): Promise<{ created: Course[], updated: Course[] }> {
    for (const row of rows) this.checkAlignments(row.alignments)
    return this.write(actor, 'courses.import', () => `curriculum/${curriculumId}/courses`, async (trx) => {
      await this.curriculumRow(trx, actor.institutionId, curriculumId)
      const created: Course[] = []
      const updated: Course[] = []
      for (const row of rows) {
        const existing = await trx.selectFrom('courses').select('id')
          .where('institution_id', '=', actor.institutionId).where('curriculum_id', '=', curriculumId).where('code', '=', row.course.code).executeTakeFirst()
        let course: Course
        if (existing === undefined) {
          course = await this.insertCourse(trx, actor, curriculumId, row.course)
          created.push(course)
        } else {
          course = await this.bumpCourse(trx, actor, curriculumId, existing.id, null, row.course)
          await trx.deleteFrom('alignments').where('institution_id', '=', actor.institutionId).where('course_id', '=', course.id).execute()
          updated.push(course)
        }
        await this.insertAlignments(trx, actor, course.id, row.alignments)
      }
      return { created, updated }
    })
  }

  // Idempotency

  async storedResponse (institutionId: string, key: string): Promise<StoredResponse | undefined> {
    const r = await this.run(() => this.db.selectFrom('idempotency_keys').selectAll().where('institution_id', '=', institutionId).where('key', '=', key).executeTakeFirst())
    return r === undefined ? undefined : { fingerprint: r.fingerprint, status: Number(r.status), headers: JSON.parse(r.headers) as Record<string, string>, body: r.body }
  }

  /** Records the first answer to an Idempotency-Key; false when another request recorded one first. */
  async storeResponse (institutionId: string, key: string, response: StoredResponse): Promise<boolean> {
    try {
      await this.run(() => this.db.insertInto('idempotency_keys').values({
        institution_id: institutionId, key, fingerprint: response.fingerprint, status: response.status,
        headers: JSON.stringify(response.headers), body: response.body, created_at: now()
      }).execute())
      return true
    } catch (err) {
      if (err instanceof ConflictError) return false
      throw err
    }
  }
}
