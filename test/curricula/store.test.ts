/** The curricula repository on both stores: CRUD, isolation, compare-and-set, limits, import atomicity, audit, migrations. */
import t from 'tap'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely'
import pg from 'pg'
import { closeStore, openSqlite, openStore } from '../../src/curricula/store/open.js'
import { migrations } from '../../src/curricula/store/migrations.js'
import { ConflictError, LimitError, NotFoundError, StaleError } from '../../src/curricula/store/errors.js'
import type { AlignmentInput, CurriculaRepository, Target } from '../../src/curricula/store/repository.js'
import { openTestStore, storeKinds, storeLocation } from '../helpers/stores.js'

const target = (code: string, uuid: string, type: Target['type'] = 'competency'): Target => ({ uuid, type, id: code.toLowerCase(), code })
const c01 = target('C01', '00000000-0000-5000-8000-000000000001')
const c02 = target('C02', '00000000-0000-5000-8000-000000000002')
const a03 = target('C01.A03', '00000000-0000-5000-8000-000000000003', 'activity')
const align = (t: Target, level: AlignmentInput['level'] = 'introduced'): AlignmentInput => ({ target: t, level })

async function institutions (repo: CurriculaRepository) {
  const a = await repo.createInstitution('Alpha University')
  const b = await repo.createInstitution('Beta College')
  return { a: { institutionId: a.id, keyId: null }, b: { institutionId: b.id, keyId: null } }
}

for (const kind of storeKinds) {
  t.test(`${kind}: curricula, courses and alignments`, async (t) => {
    const repo = await openTestStore(t, kind)
    if (repo === undefined) return
    t.equal(repo.dialect, kind)
    const { a, b } = await institutions(repo)
    const cur = await repo.createCurriculum(a, { name: 'MSc Implementation Science', framework: 'isp', version: '1.1' })
    t.match(cur, { name: 'MSc Implementation Science', description: null, framework: 'isp', version: '1.1', revision: 1 })
    t.same(await repo.getCurriculum(a.institutionId, cur.id), cur)
    await t.rejects(repo.getCurriculum(b.institutionId, cur.id), NotFoundError, 'another institution cannot read it')
    await t.rejects(repo.updateCurriculum(b, cur.id, 1, { name: 'x' }), NotFoundError, 'nor change it')
    t.same(await repo.listCurricula(b.institutionId, { limit: 10, offset: 0 }), { total: 0, items: [] })

    const updated = await repo.updateCurriculum(a, cur.id, 1, { description: 'Two years' })
    t.match(updated, { description: 'Two years', revision: 2 })
    await t.rejects(repo.updateCurriculum(a, cur.id, 1, { name: 'stale' }), StaleError, 'a stale revision is refused')
    t.equal((await repo.getCurriculum(a.institutionId, cur.id)).name, 'MSc Implementation Science')

    const course = await repo.createCourse(a, cur.id, { code: 'IS101', title: 'Foundations', credits: 7.5, externalIds: { moodle: '42' } })
    t.match(course, { code: 'IS101', credits: 7.5, externalIds: { moodle: '42' }, url: null, revision: 1 })
    await t.rejects(repo.createCourse(a, cur.id, { code: 'IS101', title: 'again' }), ConflictError)
    await t.rejects(repo.createCourse(b, cur.id, { code: 'IS102', title: 'intruder' }), NotFoundError)
    const { course: c1, alignments } = await repo.replaceAlignments(a, cur.id, course.id, 1, [align(c01, 'mastered'), align(a03)])
    t.equal(c1.revision, 2, 'replacing alignments moves the course revision on')
    t.same(alignments.map((x) => [x.target.code, x.level]), [['C01', 'mastered'], ['C01.A03', 'introduced']])
    await t.rejects(repo.replaceAlignments(a, cur.id, course.id, 1, []), StaleError)
    await t.rejects(repo.replaceAlignments(a, cur.id, course.id, 2, [align(c01), align(c01)]), ConflictError, 'one alignment per target')
    const added = await repo.createAlignment(a, cur.id, course.id, { target: c02, level: 'reinforced', note: 'week 3', evidenceUrl: 'https://example.org/e' })
    t.match(added, { level: 'reinforced', note: 'week 3', evidenceUrl: 'https://example.org/e', revision: 1 })
    await t.rejects(repo.createAlignment(a, cur.id, course.id, align(c02)), ConflictError)
    await t.rejects(repo.listAlignments(b.institutionId, cur.id, course.id), NotFoundError)
    await t.rejects(repo.deleteAlignment(a, cur.id, course.id, c02.uuid, 9), StaleError)
    await repo.deleteAlignment(a, cur.id, course.id, c02.uuid, 1)
    t.equal((await repo.listAlignments(a.institutionId, cur.id, course.id)).alignments.length, 2)

    const patched = await repo.updateCourse(a, cur.id, course.id, (await repo.getCourse(a.institutionId, cur.id, course.id)).revision, { title: 'Foundations I', url: 'https://example.org/is101' })
    t.match(patched, { title: 'Foundations I', url: 'https://example.org/is101', code: 'IS101' })
    await t.rejects(repo.deleteCourse(a, cur.id, course.id, 1), StaleError)
    await repo.deleteCourse(a, cur.id, course.id, patched.revision)
    await t.rejects(repo.getCourse(a.institutionId, cur.id, course.id), NotFoundError)
    t.same(await repo.alignmentsOfCourses(a.institutionId, [course.id]), [], 'alignments go with their course')

    await t.rejects(repo.deleteCurriculum(b, cur.id, 2), NotFoundError)
    await repo.deleteCurriculum(a, cur.id, 2)
    t.same(await repo.listCurricula(a.institutionId, { limit: 10, offset: 0 }), { total: 0, items: [] })

    const audit = await repo.listAudit(a.institutionId)
    t.same(audit.map((e) => e.action).reverse(), [
      'institution.create', 'curriculum.create', 'curriculum.update', 'course.create', 'alignments.replace', 'alignment.create',
      'alignment.delete', 'course.update', 'course.delete', 'curriculum.delete'
    ], 'every successful write is audited, failed ones not')
  })

  t.test(`${kind}: import is all-or-nothing`, async (t) => {
    const repo = await openTestStore(t, kind)
    if (repo === undefined) return
    const { a } = await institutions(repo)
    const cur = await repo.createCurriculum(a, { name: 'BA', framework: 'isp', version: '1.1' })
    const first = await repo.importCourses(a, cur.id, [
      { course: { code: 'A1', title: 'One' }, alignments: [align(c01)] },
      { course: { code: 'A2', title: 'Two' }, alignments: [align(c02, 'mastered')] }
    ])
    t.same([first.created.length, first.updated.length], [2, 0])
    await t.rejects(repo.importCourses(a, cur.id, [
      { course: { code: 'A3', title: 'Three' }, alignments: [] },
      { course: { code: 'A1', title: 'One again' }, alignments: [align(c01), align(c01)] }
    ]), ConflictError)
    const list = await repo.listCourses(a.institutionId, cur.id, { limit: 10, offset: 0 })
    t.same(list.items.map((c) => c.code), ['A1', 'A2'], 'a failing import leaves nothing behind')
    const second = await repo.importCourses(a, cur.id, [{ course: { code: 'A1', title: 'One, revised' }, alignments: [align(a03, 'reinforced')] }])
    t.same([second.created.length, second.updated.length], [0, 1])
    const { alignments } = await repo.listAlignments(a.institutionId, cur.id, second.updated[0]!.id)
    t.same(alignments.map((x) => x.target.code), ['C01.A03'], 'an imported course\'s alignments are replaced')
  })

  t.test(`${kind}: limits`, async (t) => {
    const repo = await openTestStore(t, kind, { curricula: 1, coursesPerCurriculum: 1, alignmentsPerCourse: 1 })
    if (repo === undefined) return
    const { a } = await institutions(repo)
    const cur = await repo.createCurriculum(a, { name: 'One', framework: 'isp', version: '1.1' })
    await t.rejects(repo.createCurriculum(a, { name: 'Two', framework: 'isp', version: '1.1' }), LimitError)
    const course = await repo.createCourse(a, cur.id, { code: 'X', title: 'X' })
    await t.rejects(repo.createCourse(a, cur.id, { code: 'Y', title: 'Y' }), { name: 'LimitError', limit: 'coursesPerCurriculum' })
    await t.rejects(repo.replaceAlignments(a, cur.id, course.id, 1, [align(c01), align(c02)]), { name: 'LimitError', limit: 'alignmentsPerCourse' })
  })

  t.test(`${kind}: keys, idempotency records, migrations run once`, async (t) => {
    const location = await storeLocation(t, kind)
    if (location === undefined) return
    // PostgreSQL: two stores opening together; SQLite (one synchronous connection per store in this
    // process would block each other) one after the other.
    const [one, two] = kind === 'postgres'
      ? await Promise.all([openStore(location), openStore(location)])
      : [await openStore(location), await openStore(location)]
    t.teardown(async () => { await closeStore(one); await closeStore(two) })
    const inst = await one.createInstitution('Gamma')
    await t.rejects(one.addKey('00000000-0000-4000-8000-000000000000', 'pfx0', 'h', 'read'), NotFoundError)
    const key = await one.addKey(inst.id, 'pfx1', 'hash1', 'write')
    t.match(await two.keyByPrefix('pfx1'), { id: key.id, hash: 'hash1', scope: 'write', revokedAt: null })
    await two.touchKey(key.id, '2026-01-01T00:00:00.000Z')
    t.equal((await one.listKeys(inst.id))[0]?.lastUsedAt, '2026-01-01T00:00:00.000Z')
    t.ok((await one.revokeKey('pfx1')).revokedAt)
    await t.rejects(one.revokeKey('nope'), NotFoundError)
    const stored = { fingerprint: 'f', status: 201, headers: { location: '/x' }, body: '{}' }
    t.equal(await one.storeResponse(inst.id, 'k1', stored), true)
    t.equal(await two.storeResponse(inst.id, 'k1', { ...stored, fingerprint: 'g' }), false, 'the first answer wins')
    t.same(await two.storedResponse(inst.id, 'k1'), stored)
    t.equal(await one.storedResponse(inst.id, 'k2'), undefined)
    t.same((await one.listInstitutions()).map((i) => i.name), ['Gamma'])
    t.equal((await one.getInstitution(inst.id))?.name, 'Gamma')
    const applied = await one.db.selectFrom('kysely_migration' as never).selectAll().execute()
    t.equal(applied.length, Object.keys(migrations(kind)).length, 'each migration was applied once')
    await one.ping()
  })
}

for (const kind of storeKinds) {
  t.test(`${kind}: 0002 adds the review marks to a store that has alignments`, async (t) => {
    const location = await storeLocation(t, kind)
    if (location === undefined) return
    const db = new Kysely<any>({
      dialect: kind === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: location.databaseUrl, max: 1 }) })
        : new SqliteDialect({ database: openSqlite(location.sqlitePath) })
    })
    const first: Record<string, Migration> = { '0001-initial': migrations(kind)['0001-initial']! }
    t.equal((await new Migrator({ db, provider: { getMigrations: async () => first } }).migrateToLatest()).error, undefined)
    const at = '2026-01-01T00:00:00.000Z'
    await db.insertInto('institutions').values({ id: 'i', name: 'Old', created_at: at, updated_at: at }).execute()
    await db.insertInto('curricula').values({ id: 'c', institution_id: 'i', name: 'MSc', description: null, framework: 'isp', framework_version: '1.1', created_at: at, updated_at: at, revision: 1 }).execute()
    await db.insertInto('courses').values({ id: 'k', institution_id: 'i', curriculum_id: 'c', code: 'IP101', title: 'T', url: null, term: null, credits: null, external_ids: '{}', created_at: at, updated_at: at, revision: 1 }).execute()
    await db.insertInto('alignments').values({
      id: 'a', institution_id: 'i', course_id: 'k', target_uuid: 'u', target_type: 'competency', target_id: 'co-learning', target_code: 'C01',
      level: 'introduced', note: null, evidence_url: null, created_at: at, updated_at: at, revision: 1
    }).execute()
    await db.destroy()
    const repo = await openStore(location)
    t.teardown(() => closeStore(repo))
    const snapshot = await repo.curriculumSnapshot('i', 'c')
    t.match(snapshot.alignments, [{ id: 'a', needsReview: false, detachedFrom: null, target: { code: 'C01' } }], 'an existing alignment is attached and needs no review')
  })
}
