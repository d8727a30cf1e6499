/**
 * A curriculum's exports: the CASE 1.1 CFPackage validates against the official schema and every
 * destinationNodeURI resolves on the server; the Open Badges alignments match the framework's own
 * (REST `…/alignment`); the CSV has one row per alignment with the target text as the seeds hold it;
 * ETag/304 on each, and a detached alignment is in none of them.
 */
import t, { type Test } from 'tap'
import Ajv2019 from 'ajv/dist/2019.js'
import addFormats from 'ajv-formats'
import { build } from '../../src/app.js'
import { createKey } from '../../src/curricula/keys.js'
import { testConfig } from '../helpers/app.js'
import { auth } from '../helpers/curricula.js'
import { caseSchemaGate } from '../helpers/formats.js'
import { readSeeds } from '../helpers/seeds.js'
import { openTestStore } from '../helpers/stores.js'

const BASE = 'http://localhost:3000'

async function setUp (t: Test) {
  const repo = await openTestStore(t, 'sqlite')
  if (repo === undefined) throw new Error('no SQLite store')
  const app = await build({ config: testConfig({ fixtures: true }), curricula: repo })
  t.teardown(() => app.close())
  await app.ready()
  const institution = await repo.createInstitution('Alpha University')
  const key = (await createKey(repo, institution.id, 'write')).key
  const h = (more: Record<string, string> = {}) => auth(key, more)
  const cur = (await app.inject({ method: 'POST', url: '/v1/curricula', headers: h(), payload: { name: 'MSc Implementation Practice', description: 'A programme.', framework: 'isp', version: '1.1' } })).json()
  const course = async (code: string, title: string, alignments: unknown[]) => {
    const c = (await app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/courses`, headers: h(), payload: { code, title, credits: 15 } })).json()
    await app.inject({ method: 'PUT', url: `/v1/curricula/${cur.id}/courses/${c.id}/alignments`, headers: h({ 'if-match': `"${c.id}.1"` }), payload: alignments })
    return c
  }
  const ip101 = await course('IP101', 'Foundations, "first" steps', [
    { target: 'C01', level: 'introduced' },
    { target: 'co-learning-a2', level: 'reinforced', note: 'seminar, week 3' },
    { target: 'brokering-a7', level: 'mastered' }
  ])
  const ip102 = await course('IP102', 'Practice', [{ target: 'C10.A01.S01', level: 'mastered' }])
  const ip103 = await course('IP103', 'Electives', [])
  return { app, h, cur, ip101, ip102, ip103, institution }
}

const seedActivity = (id: string): { code: string, text: string } => {
  for (const c of readSeeds('1.1').competencies) for (const a of c.activities) if (a.id === id) return a
  throw new Error(id)
}

t.test('CASE 1.1: a CFPackage of the curriculum', async (t) => {
  const { app, h, cur, ip101, ip102, ip103, institution } = await setUp(t)
  const res = await app.inject({ url: `/v1/curricula/${cur.id}/export?format=case`, headers: h() })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /application\/json/)
  const pkg = res.json()
  t.match(pkg.CFDocument, { identifier: cur.id, title: 'MSc Implementation Practice', creator: institution.name, frameworkType: 'CourseCodes', caseVersion: '1.1', uri: `${BASE}/v1/curricula/${cur.id}` })
  t.same(pkg.CFItems.map((i: { humanCodingScheme: string }) => i.humanCodingScheme), ['IP101', 'IP102', 'IP103'])
  t.match(pkg.CFItems[0], { identifier: ip101.id, CFItemType: 'Course', fullStatement: 'Foundations, "first" steps' })
  const related = pkg.CFAssociations.filter((a: { associationType: string }) => a.associationType === 'isRelatedTo')
  t.equal(related.length, 4, 'one association per alignment')
  const children = pkg.CFAssociations.filter((a: { associationType: string }) => a.associationType === 'isChildOf')
  t.same(children.map((a: { originNodeURI: { identifier: string }, sequenceNumber: number }) => [a.originNodeURI.identifier, a.sequenceNumber]), [[ip101.id, 1], [ip102.id, 2], [ip103.id, 3]], 'each course is a child of the document, in code order')
  t.match(children[0], { destinationNodeURI: { identifier: cur.id }, uri: `${BASE}/v1/curricula/${cur.id}/export?format=case#${children[0].identifier}` })
  const times = (await app.inject({ url: `/v1/curricula/${cur.id}/courses`, headers: h() })).json().data.map((c: { updatedAt: string }) => Date.parse(c.updatedAt))
  t.equal(Date.parse(pkg.CFDocument.lastChangeDateTime), Math.max(Date.parse(cur.updatedAt), ...times), 'the document changed when its last course did')
  const a2 = related.find((a: { originNodeURI: { identifier: string }, notes: string }) => a.originNodeURI.identifier === ip101.id && a.notes.startsWith('Level: reinforced'))
  t.equal(a2.notes, 'Level: reinforced\n\nseminar, week 3', 'the level, then the note')
  t.same(related.map((a: { notes: string }) => a.notes.split('\n')[0]).sort(), ['Level: introduced', 'Level: mastered', 'Level: mastered', 'Level: reinforced'])
  t.ok(related.some((a: { originNodeURI: { identifier: string } }) => a.originNodeURI.identifier === ip102.id))
  t.notOk(pkg.CFAssociations.some((a: { associationType: string, originNodeURI: { identifier: string } }) => a.associationType === 'isRelatedTo' && a.originNodeURI.identifier === ip103.id))

  const gate = caseSchemaGate(t)
  if (gate.skip === false) {
    const ajv = new Ajv2019.default({ strict: false, allErrors: true })
    addFormats.default(ajv)
    const validate = ajv.compile(gate.schema)
    t.ok(validate(pkg), 'valid against the official CASE 1.1 CFPackage schema', { errors: validate.errors?.slice(0, 5) })
  } else {
    t.comment(gate.skip)
  }

  const framework = (await app.inject({ url: '/ims/case/v1p1/CFPackages/' + (await app.inject({ url: '/v1/frameworks/isp/1.1' })).json().uuid })).json()
  const items = new Map(framework.CFItems.map((i: { identifier: string, humanCodingScheme: string }) => [i.identifier, i.humanCodingScheme]))
  for (const a of related) {
    const d = a.destinationNodeURI
    t.ok(d.uri.startsWith(`${BASE}/uri/`), `${d.title} links to our URI`)
    t.ok(items.has(d.identifier), `${d.identifier} is a CFItem of isp 1.1`)
    t.equal(d.uri, `${BASE}/uri/${d.identifier}`)
    const resolved = await app.inject({ url: new URL(d.uri).pathname, headers: { accept: 'application/json' } })
    t.ok(resolved.statusCode === 200 || resolved.statusCode === 303, `${d.uri} resolves (${resolved.statusCode})`)
    if (resolved.statusCode === 303) t.equal((await app.inject({ url: new URL(String(resolved.headers.location), BASE).pathname })).statusCode, 200)
  }
  t.same(related.map((a: { destinationNodeURI: { identifier: string } }) => items.get(a.destinationNodeURI.identifier)).sort(), ['C01', 'C01.A02', 'C02.A07', 'C10.A01.S01'])
  const caseItem = await app.inject({ url: `/ims/case/v1p1/CFItems/${related[0].destinationNodeURI.identifier}` })
  t.equal(caseItem.statusCode, 200, 'and is served by the CASE provider')

  const ids = pkg.CFAssociations.map((a: { identifier: string }) => a.identifier)
  t.equal(new Set(ids).size, ids.length, 'association identifiers are unique')
  // Re-set IP101's alignments as they were: new rows, the same association identifiers.
  const etag = (await app.inject({ url: `/v1/curricula/${cur.id}/courses/${ip101.id}/alignments`, headers: h() })).headers.etag as string
  await app.inject({
    method: 'PUT', url: `/v1/curricula/${cur.id}/courses/${ip101.id}/alignments`, headers: h({ 'if-match': etag }),
    payload: [{ target: 'C01', level: 'introduced' }, { target: 'co-learning-a2', level: 'reinforced', note: 'seminar, week 3' }, { target: 'brokering-a7', level: 'mastered' }]
  })
  const again = (await app.inject({ url: `/v1/curricula/${cur.id}/export?format=case`, headers: h() })).json()
  t.same(again.CFAssociations.map((a: { identifier: string }) => a.identifier).sort(), [...ids].sort(), 'identifiers are stable')
})

t.test('Open Badges 3.0: per course, the alignments of its targets', async (t) => {
  const { app, h, cur, ip101 } = await setUp(t)
  const res = await app.inject({ url: `/v1/curricula/${cur.id}/export?format=openbadges`, headers: h() })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { curriculum: cur.id, framework: 'isp', version: '1.1' })
  t.same(body.courses.map((c: { course: { code: string }, alignment: unknown[] }) => [c.course.code, c.alignment.length]), [['IP101', 3], ['IP102', 1], ['IP103', 0]])
  t.equal(body.courses[0].course.id, ip101.id)
  const first = body.courses[0].alignment as Array<Record<string, unknown>>
  t.same(first.map((a) => a.targetCode), ['C01', 'C01.A02', 'C02.A07'])
  const own = (await app.inject({ url: '/v1/frameworks/isp/1.1/competencies/co-learning/alignment' })).json()
  t.same(first[0], own, 'the framework\'s own Alignment of C01')
  t.match(first[1], { type: ['Alignment'], targetType: 'CFItem', targetName: seedActivity('co-learning-a2').text, targetCode: 'C01.A02' })
  const sub = body.courses[1].alignment[0]
  t.match(sub, { type: ['Alignment'], targetType: 'CFItem', targetCode: 'C10.A01.S01' })
  t.equal((await app.inject({ url: new URL(sub.targetUrl).pathname, headers: { accept: 'application/json' } })).statusCode < 400, true, 'the sub-point\'s URL resolves')
})

t.test('CSV: one row per alignment', async (t) => {
  const { app, h, cur } = await setUp(t)
  const res = await app.inject({ url: `/v1/curricula/${cur.id}/export?format=csv`, headers: h() })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.match(res.headers['content-disposition'], /attachment; filename="curriculum-.*\.csv"/)
  const lines = res.body.split('\r\n')
  t.equal(lines.at(-1), '', 'ends with CRLF')
  t.equal(lines[0], 'course_code,course_title,target_code,target_uuid,target_text,level,note')
  t.equal(lines.length, 1 + 4 + 1, 'a header and one row per alignment')
  const a2 = seedActivity('co-learning-a2')
  const a2Uuid = (await app.inject({ url: '/v1/frameworks/isp/1.1/activities/co-learning-a2' })).json().uuid
  t.equal(lines[2], `IP101,"Foundations, ""first"" steps",C01.A02,${a2Uuid},${/[",]/.test(a2.text) ? `"${a2.text.replaceAll('"', '""')}"` : a2.text},reinforced,"seminar, week 3"`)
  t.match(lines[4], /^IP102,Practice,C10\.A01\.S01,/)
})

t.test('ETags: 304 until the curriculum changes; detached alignments leave the exports', async (t) => {
  const { app, h, cur, ip101 } = await setUp(t)
  const paths = ['case', 'openbadges', 'csv'].map((f) => `/v1/curricula/${cur.id}/export?format=${f}`)
  const etags: string[] = []
  for (const path of paths) {
    const res = await app.inject({ url: path, headers: h() })
    t.match(res.headers['cache-control'], /private/)
    etags.push(res.headers.etag as string)
    t.equal((await app.inject({ url: path, headers: h({ 'if-none-match': res.headers.etag as string }) })).statusCode, 304, `${path}: 304`)
  }
  t.equal(new Set(etags).size, 3, 'each representation its own ETag')
  t.equal((await app.inject({ url: paths[0]!, headers: auth('nonsense') })).statusCode, 401)
  t.equal((await app.inject({ url: `/v1/curricula/${cur.id}/export?format=pdf`, headers: h() })).statusCode, 400, 'an unknown format')
  t.equal((await app.inject({ url: `/v1/curricula/${cur.id}/export`, headers: h() })).statusCode, 400, 'format is required')

  const migrated = await app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/migrate`, headers: h({ 'if-match': `"${cur.id}.1"` }), payload: { to: '1.2' } })
  t.equal(migrated.statusCode, 200)
  for (const [i, path] of paths.entries()) {
    t.equal((await app.inject({ url: path, headers: h({ 'if-none-match': etags[i]! }) })).statusCode, 200, `${path}: changed after the migration`)
  }
  const pkg = (await app.inject({ url: paths[0]!, headers: h() })).json()
  t.equal(pkg.CFAssociations.filter((a: { associationType: string }) => a.associationType === 'isRelatedTo').length, 3, 'C02.A07 is detached and left out')
  t.match(pkg.CFDocument.notes, /version 1\.2/)
  const badges = (await app.inject({ url: paths[1]!, headers: h() })).json()
  t.same(badges.courses.find((c: { course: { id: string } }) => c.course.id === ip101.id).alignment.map((a: { targetCode: string }) => a.targetCode), ['C01', 'C01.A02'])
  const csv = (await app.inject({ url: paths[2]!, headers: h() })).body
  t.notMatch(csv, /C02\.A07/)
  t.match(csv, /\(fixture edit\)/, 'the target text is the pinned version\'s')
})
