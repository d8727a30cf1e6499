/**
 * A curriculum pinned to isp 1.1 and the fixture isp 1.2 (test/fixtures/seeds/README.md lists its
 * edits): the impact report and the migration, entity by entity (unchanged, changed, moved,
 * removed), on both stores. Expected values are worked out here from the fixture's README and the
 * seed files, not from the code under test.
 */
import t, { type Test } from 'tap'
import { build } from '../../src/app.js'
import { createKey } from '../../src/curricula/keys.js'
import { testConfig } from '../helpers/app.js'
import { auth } from '../helpers/curricula.js'
import { readSeeds } from '../helpers/seeds.js'
import { openTestStore, storeKinds, type StoreKind } from '../helpers/stores.js'

/** An app serving isp 1.1 and 1.2 on a fresh store, with a write key, a read key and a curriculum pinned to 1.1. */
async function setUp (t: Test, kind: StoreKind) {
  const repo = await openTestStore(t, kind)
  if (repo === undefined) return undefined
  const app = await build({ config: testConfig({ fixtures: true }), curricula: repo })
  t.teardown(() => app.close())
  await app.ready()
  const institution = await repo.createInstitution('Alpha University')
  const key = (await createKey(repo, institution.id, 'write')).key
  const readKey = (await createKey(repo, institution.id, 'read')).key
  const h = (more: Record<string, string> = {}) => auth(key, more)
  const cur = (await app.inject({ method: 'POST', url: '/v1/curricula', headers: h(), payload: { name: 'MSc', framework: 'isp', version: '1.1' } })).json()
  const course = async (code: string, title: string, alignments: unknown[]) => {
    const c = (await app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/courses`, headers: h(), payload: { code, title } })).json()
    const put = await app.inject({ method: 'PUT', url: `/v1/curricula/${cur.id}/courses/${c.id}/alignments`, headers: h({ 'if-match': `"${c.id}.1"` }), payload: alignments })
    t.equal(put.statusCode, 200, `alignments of ${code}`)
    return c
  }
  const ip101 = await course('IP101', 'Foundations', [
    { target: 'C01', level: 'introduced' },
    { target: 'co-learning-a2', level: 'introduced' },
    { target: 'brokering-a7', level: 'reinforced', note: 'brokering project' },
    { target: 'co-design-a1', level: 'mastered' }
  ])
  const ip102 = await course('IP102', 'Practice', [{ target: 'C01.A01', level: 'reinforced' }, { target: 'C10.A01.S01', level: 'mastered' }])
  return { app, repo, h, readKey, cur, ip101, ip102 }
}

const activityText = (version: '1.1' | '1.2', id: string): string => {
  for (const c of readSeeds(version).competencies) for (const a of c.activities) if (a.id === id) return a.text
  throw new Error(`no ${id} in ${version}`)
}

for (const kind of storeKinds) {
  t.test(`${kind}: the impact of 1.2 on a curriculum pinned to 1.1, alignment by alignment`, async (t) => {
    const f = await setUp(t, kind)
    if (f === undefined) return
    const { app, h, cur } = f
    const res = await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=1.2`, headers: auth(f.readKey) })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.match(body, { curriculum: cur.id, framework: 'isp', from: '1.1', to: '1.2', changes: 'http://localhost:3000/v1/frameworks/isp/1.2/changes?from=1.1' })
    t.same(body.summary, { unchanged: 3, changed: 1, moved: 1, removed: 1 })
    const by = new Map<string, Record<string, any>>(body.alignments.map((a: Record<string, any>) => [`${a.course.code} ${a.from.code}`, a]))
    t.same([...by.keys()], ['IP101 C01', 'IP101 C01.A02', 'IP101 C02.A07', 'IP101 C04.A01', 'IP102 C01.A01', 'IP102 C10.A01.S01'], 'every alignment, by course then target code')

    for (const key of ['IP101 C01', 'IP102 C01.A01', 'IP102 C10.A01.S01']) {
      const a = by.get(key)!
      t.match(a, { status: 'unchanged', fields: [], moved: null, replacedBy: null, needsReview: false, detached: false }, `${key} is unchanged`)
      t.equal(a.to.uuid, a.from.uuid)
      t.equal(a.to.identifier, a.from.identifier, 'same CASE identifier')
    }

    const changed = by.get('IP101 C01.A02')!
    const before = activityText('1.1', 'co-learning-a2')
    const after = activityText('1.2', 'co-learning-a2')
    t.equal(after, `${before} (fixture edit)`, 'the fixture appends " (fixture edit)"')
    t.match(changed, { status: 'changed', level: 'introduced', needsReview: true, detached: false, moved: null, from: { version: '1.1', id: 'co-learning-a2' }, to: { version: '1.2', id: 'co-learning-a2', code: 'C01.A02' } })
    t.same(changed.fields.map((x: { field: string }) => x.field), ['text'])
    t.match(changed.fields[0], { from: before, to: after })
    const inserted = changed.fields[0].diff.filter((d: { op: string }) => d.op === 'insert').map((d: { text: string }) => d.text).join('')
    t.equal(inserted.trim(), '(fixture edit)', 'the word diff inserts the fixture edit')
    t.not(changed.to.identifier, changed.from.identifier, 'the new text has a new CASE identifier')
    t.equal(changed.replacedBy, `http://localhost:3000/uri/${changed.to.identifier}`)
    const framework = (await app.inject({ url: `/v1/frameworks/isp/1.2/changes?from=1.1` })).json()
    t.same(changed.fields, framework.changed.find((e: { id: string }) => e.id === 'co-learning-a2').fields, 'the same diff as the framework\'s changes resource')
    t.equal((await app.inject({ url: new URL(changed.replacedBy).pathname })).statusCode, 200, 'replacedBy resolves')
    const v12 = (await app.inject({ url: '/v1/frameworks/isp/1.2' })).json().uuid
    const pkg = (await app.inject({ url: `/ims/case/v1p1/CFPackages/${v12}` })).json()
    const published = pkg.CFAssociations.find((x: { associationType: string, originNodeURI: { identifier: string } }) => x.associationType === 'replacedBy' && x.originNodeURI.identifier === changed.from.identifier)
    t.equal(published?.destinationNodeURI.uri, changed.replacedBy, 'as the CASE package of 1.2 publishes it')

    t.match(by.get('IP101 C02.A07'), { status: 'removed', to: null, level: 'reinforced', needsReview: false, detached: true, from: { id: 'brokering-a7', version: '1.1' } })
    t.match(by.get('IP101 C04.A01'), {
      status: 'moved', fields: [], needsReview: false, detached: false, replacedBy: null,
      moved: { from: { parent: 'co-design', position: 1 }, to: { parent: 'co-design', position: 6 } }, to: { id: 'co-design-a1', code: 'C04.A01' }
    })

    const etag = res.headers.etag as string
    t.match(res.headers['cache-control'], /private/)
    t.equal((await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=1.2`, headers: h({ 'if-none-match': etag }) })).statusCode, 304)
    t.not((await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=1.1`, headers: h() })).headers.etag, etag, 'another target version, another ETag')
    const same = (await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=1.1`, headers: h() })).json()
    t.same(same.summary, { unchanged: 6, changed: 0, moved: 0, removed: 0 }, 'to the pinned version nothing changes')
    const latest = (await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=latest`, headers: h() })).json()
    t.equal(latest.to, '1.2', 'latest is resolved')

    const unknown = await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=9.9`, headers: h() })
    t.equal(unknown.statusCode, 400)
    t.match(unknown.json(), { errors: [{ name: 'to', allowed: ['latest', '1.2', '1.1'] }] })
    t.equal((await app.inject({ url: `/v1/curricula/${cur.id}/impact`, headers: h() })).statusCode, 400, 'to is required')
    t.equal((await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=1.2` })).statusCode, 401)
  })

  t.test(`${kind}: migrating to 1.2, entity by entity`, async (t) => {
    const f = await setUp(t, kind)
    if (f === undefined) return
    const { app, h, cur, ip101, ip102 } = f
    const url = `/v1/curricula/${cur.id}/migrate`
    const alignments = async (courseId: string) => {
      const list = (await app.inject({ url: `/v1/curricula/${cur.id}/courses/${courseId}/alignments`, headers: h() })).json().data as Array<Record<string, any>>
      return new Map(list.map((a) => [a.target.code, a]))
    }
    const beforeIp101 = await alignments(ip101.id)
    const beforeIp102 = await alignments(ip102.id)
    for (const a of [...beforeIp101.values(), ...beforeIp102.values()]) t.match(a, { needsReview: false, detached: false, detachedFrom: null })

    t.equal((await app.inject({ method: 'POST', url, headers: h(), payload: { to: '1.2' } })).statusCode, 428, 'If-Match is required')
    t.equal((await app.inject({ method: 'POST', url, headers: h({ 'if-match': `"${cur.id}.7"` }), payload: { to: '1.2' } })).statusCode, 412, 'a stale ETag')
    t.equal((await app.inject({ method: 'POST', url, headers: auth(f.readKey, { 'if-match': `"${cur.id}.1"` }), payload: { to: '1.2' } })).statusCode, 403, 'a read key')
    const unknown = await app.inject({ method: 'POST', url, headers: h({ 'if-match': `"${cur.id}.1"` }), payload: { to: '9.9' } })
    t.equal(unknown.statusCode, 422)
    t.match(unknown.json(), { errors: [{ in: 'body', name: 'to' }] })

    const res = await app.inject({ method: 'POST', url, headers: h({ 'if-match': `"${cur.id}.1"` }), payload: { to: '1.2' } })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.equal(res.headers.etag, `"${cur.id}.2"`)
    t.match(body, { migrated: true, impact: { from: '1.1', to: '1.2' }, curriculum: { version: '1.2', revision: 2 } })
    t.same(body.impact.summary, { unchanged: 3, changed: 1, moved: 1, removed: 1 })
    t.same(body.detached, [beforeIp101.get('C02.A07')!.id], 'the removed alignment is listed as detached')
    t.same(body.impact.alignments.map((a: { status: string }) => a.status), ['unchanged', 'changed', 'removed', 'moved', 'unchanged', 'unchanged'], 'reported per alignment')
    t.equal((await app.inject({ url: `/v1/curricula/${cur.id}`, headers: h() })).json().version, '1.2')

    const ip101After = await alignments(ip101.id)
    const ip102After = await alignments(ip102.id)
    // unchanged: follows its entity, nothing else changes (same row, same revision)
    t.match(ip101After.get('C01'), { needsReview: false, detached: false, revision: beforeIp101.get('C01')!.revision })
    t.match(ip102After.get('C01.A01'), { needsReview: false, detached: false, revision: beforeIp102.get('C01.A01')!.revision })
    t.match(ip102After.get('C10.A01.S01'), { needsReview: false, detached: false })
    // changed: follows, marked for review
    t.match(ip101After.get('C01.A02'), { needsReview: true, detached: false, detachedFrom: null, level: 'introduced', target: { id: 'co-learning-a2' } })
    t.equal(ip101After.get('C01.A02')!.revision, beforeIp101.get('C01.A02')!.revision + 1)
    // moved: follows its entity, no review
    t.match(ip101After.get('C04.A01'), { needsReview: false, detached: false, level: 'mastered', target: { id: 'co-design-a1' } })
    // removed: kept, detached, remembering where it was
    t.match(ip101After.get('C02.A07'), { needsReview: false, detached: true, detachedFrom: '1.1', level: 'reinforced', note: 'brokering project', target: { id: 'brokering-a7' } })
    t.equal(ip101After.size, 4, 'nothing is lost')
    const detached = ip101After.get('C02.A07')!
    const one = await app.inject({ url: `/v1/curricula/${cur.id}/courses/${ip101.id}/alignments/${detached.target.uuid}`, headers: h() })
    t.match(one.json(), { id: detached.id, detached: true }, 'a detached alignment is read by its target\'s uuid')
    t.equal((await app.inject({ url: `/v1/curricula/${cur.id}/courses/${ip101.id}/alignments/C02.A07`, headers: h() })).statusCode, 422, 'its code is not in 1.2')
    const course101 = (await app.inject({ url: `/v1/curricula/${cur.id}/courses/${ip101.id}`, headers: h() })).json()
    t.equal(course101.revision, 3, 'a course whose alignments changed gets a new revision')
    const course102 = (await app.inject({ url: `/v1/curricula/${cur.id}/courses/${ip102.id}`, headers: h() })).json()
    t.equal(course102.revision, 2, 'one whose alignments did not keeps its revision')
    const audit = await f.repo.listAudit(undefined, 1)
    t.match(audit[0], { action: 'curriculum.migrate', target: `curriculum/${cur.id}` })

    // idempotent: the same request again (stale ETag and all) is a no-op reported as such
    const again = await app.inject({ method: 'POST', url, headers: h({ 'if-match': `"${cur.id}.1"` }), payload: { to: '1.2' } })
    t.equal(again.statusCode, 200)
    t.match(again.json(), { migrated: false, impact: { from: '1.2', to: '1.2' }, curriculum: { revision: 2 }, detached: [] })
    t.equal(again.json().impact.summary.removed, 1, 'the detached alignment is still reported')
    t.equal((await alignments(ip101.id)).get('C01.A02')!.revision, ip101After.get('C01.A02')!.revision, 'nothing written')

    // the impact now compares from 1.2; the detached alignment from the version it was last in
    const back = (await app.inject({ url: `/v1/curricula/${cur.id}/impact?to=1.1`, headers: h() })).json()
    t.match(back.alignments.find((a: { from: { code: string } }) => a.from.code === 'C02.A07'), { status: 'unchanged', from: { version: '1.1' }, needsReview: true, detached: false })

    // and back to 1.1: the detached one is re-attached for review
    const down = await app.inject({ method: 'POST', url, headers: h({ 'if-match': `"${cur.id}.2"` }), payload: { to: '1.1' } })
    t.equal(down.statusCode, 200)
    t.match(down.json(), { migrated: true, impact: { from: '1.2', to: '1.1' }, detached: [] })
    const ip101Down = await alignments(ip101.id)
    t.match(ip101Down.get('C02.A07'), { detached: false, detachedFrom: null, needsReview: true })
    t.match(ip101Down.get('C01.A02'), { needsReview: true }, 'still to review')

    // setting the alignments again clears the marks
    const etag = (await app.inject({ url: `/v1/curricula/${cur.id}/courses/${ip101.id}/alignments`, headers: h() })).headers.etag as string
    await app.inject({ method: 'PUT', url: `/v1/curricula/${cur.id}/courses/${ip101.id}/alignments`, headers: h({ 'if-match': etag }), payload: [{ target: 'C01.A02', level: 'reinforced' }] })
    t.match((await alignments(ip101.id)).get('C01.A02'), { needsReview: false, level: 'reinforced' })
  })

  t.test(`${kind}: GraphQL shows the marks, and a detached target as the version it was last in`, async (t) => {
    const f = await setUp(t, kind)
    if (f === undefined) return
    const { app, h, cur } = f
    await app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/migrate`, headers: h({ 'if-match': `"${cur.id}.1"` }), payload: { to: '1.2' } })
    const query = `{ curriculum(id: "${cur.id}") { version impact(to: "1.1") exports { case openBadges csv } courses { code alignments { targetCode needsReview detached detachedFrom target { ... on Activity { id text } } } } } }`
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: h(), payload: { query } })
    const body = res.json()
    t.notOk(body.errors, 'no errors')
    const c = body.data.curriculum
    t.equal(c.version, '1.2')
    t.equal(c.impact, `http://localhost:3000/v1/curricula/${cur.id}/impact?to=1.1`)
    t.same(c.exports, {
      case: `http://localhost:3000/v1/curricula/${cur.id}/export?format=case`,
      openBadges: `http://localhost:3000/v1/curricula/${cur.id}/export?format=openbadges`,
      csv: `http://localhost:3000/v1/curricula/${cur.id}/export?format=csv`
    })
    const ip101 = c.courses.find((x: { code: string }) => x.code === 'IP101')
    const a = new Map<string, Record<string, any>>(ip101.alignments.map((x: Record<string, any>) => [x.targetCode, x]))
    t.match(a.get('C01.A02'), { needsReview: true, detached: false, target: { id: 'co-learning-a2', text: activityText('1.2', 'co-learning-a2') } })
    t.match(a.get('C02.A07'), { needsReview: false, detached: true, detachedFrom: '1.1', target: { id: 'brokering-a7', text: activityText('1.1', 'brokering-a7') } })
  })
}
