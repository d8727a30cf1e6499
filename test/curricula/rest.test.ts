/** The curricula REST API on both stores: auth, isolation, CRUD, If-Match, Idempotency-Key, targets, import. */
import t from 'tap'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { storeKinds } from '../helpers/stores.js'

for (const kind of storeKinds) {
  t.test(`${kind}: authentication and isolation`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    const none = await app.inject({ method: 'GET', url: '/v1/curricula' })
    t.equal(none.statusCode, 401)
    t.match(none.headers['www-authenticate'], /^Bearer realm="curricula"/)
    t.match(none.headers['content-type'], /application\/problem\+json/)
    t.match(none.json(), { type: /\/problems\/unauthorized$/, status: 401 })
    const bad = await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.a.slice(0, -1) + (keys.a.endsWith('A') ? 'B' : 'A')) })
    t.equal(bad.statusCode, 401, 'a key with a wrong secret')
    t.match(bad.headers['www-authenticate'], /error="invalid_token"/)
    t.equal((await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth('nonsense') })).statusCode, 401)
    const readWrite = await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.aRead), payload: { name: 'X', framework: 'isp', version: '1.1' } })
    t.equal(readWrite.statusCode, 403, 'a read key cannot write')
    t.equal((await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.aRead) })).statusCode, 200, 'but can read')

    const created = await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.a), payload: { name: 'MSc', framework: 'isp', version: 'latest' } })
    t.equal(created.statusCode, 201)
    const cur = created.json()
    t.equal(cur.version, '1.1', 'latest is pinned to a number')
    t.equal(created.headers.location, cur.href)
    t.equal(created.headers.etag, `"${cur.id}.1"`)
    for (const [method, url] of [['GET', `/v1/curricula/${cur.id}`], ['PATCH', `/v1/curricula/${cur.id}`], ['DELETE', `/v1/curricula/${cur.id}`], ['GET', `/v1/curricula/${cur.id}/courses`]] as const) {
      const res = await app.inject({ method, url, headers: auth(keys.b, { 'if-match': created.headers.etag as string }), ...(method === 'PATCH' ? { payload: { name: 'stolen' } } : {}) })
      t.equal(res.statusCode, 404, `${method} ${url} by another institution is a 404`)
    }
    t.same((await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.b) })).json().meta.total, 0)
    t.equal((await app.inject({ method: 'GET', url: '/v1/frameworks/isp/1.1/competencies/co-learning' })).statusCode, 200, 'the framework API stays public')
    const keyRow = (await f.repo.listKeys(f.institutions.a)).find((k) => k.scope === 'write')
    t.ok(keyRow?.lastUsedAt, 'lastUsedAt is kept')
  })

  t.test(`${kind}: curricula, courses, alignments with If-Match`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    const h = (more: Record<string, string> = {}) => auth(keys.a, more)
    const cur = (await app.inject({ method: 'POST', url: '/v1/curricula', headers: h(), payload: { name: 'MSc', framework: 'isp', version: '1.1' } })).json()
    const bad = await app.inject({ method: 'POST', url: '/v1/curricula', headers: h(), payload: { name: 'MSc', framework: 'isp', version: '9.9' } })
    t.equal(bad.statusCode, 422)
    t.match(bad.json().errors, [{ name: 'version', allowed: ['latest', '1.1'] }])
    t.equal((await app.inject({ method: 'POST', url: '/v1/curricula', headers: h(), payload: { framework: 'isp', version: '1.1' } })).statusCode, 400, 'a missing name is a 400')

    const noMatch = await app.inject({ method: 'PATCH', url: `/v1/curricula/${cur.id}`, headers: h(), payload: { name: 'MSc IS' } })
    t.equal(noMatch.statusCode, 428)
    const patched = await app.inject({ method: 'PATCH', url: `/v1/curricula/${cur.id}`, headers: h({ 'if-match': `"${cur.id}.1"` }), payload: { name: 'MSc IS' } })
    t.equal(patched.statusCode, 200)
    t.equal(patched.headers.etag, `"${cur.id}.2"`)
    const stale = await app.inject({ method: 'PATCH', url: `/v1/curricula/${cur.id}`, headers: h({ 'if-match': `"${cur.id}.1"` }), payload: { name: 'lost' } })
    t.equal(stale.statusCode, 412)
    t.equal((await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}`, headers: h() })).json().name, 'MSc IS')

    const courses = []
    for (const [code, title] of [['IS101', 'Foundations'], ['IS102', 'Methods'], ['IS201', 'Practice']]) {
      const res = await app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/courses`, headers: h(), payload: { code, title, credits: 7.5, externalIds: { moodle: code } } })
      t.equal(res.statusCode, 201)
      courses.push(res.json())
    }
    const dup = await app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/courses`, headers: h(), payload: { code: 'IS101', title: 'Again' } })
    t.equal(dup.statusCode, 409)
    const list = await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}/courses?limit=2`, headers: h() })
    t.equal(list.json().meta.total, 3)
    t.equal(list.json().data.length, 2)
    t.match(list.headers.link, /rel="next"/)

    const c1 = courses[0]
    const alignUrl = `/v1/curricula/${cur.id}/courses/${c1.id}/alignments`
    const get0 = await app.inject({ method: 'GET', url: alignUrl, headers: h() })
    t.equal(get0.headers.etag, `"${c1.id}.1"`)
    const put = await app.inject({
      method: 'PUT', url: alignUrl, headers: h({ 'if-match': get0.headers.etag as string }),
      payload: [{ target: 'C01', level: 'introduced' }, { target: 'co-learning-a3', level: 'reinforced', note: 'seminar' }, { target: 'C02.A01', level: 'mastered', evidenceUrl: 'https://example.org/exam' }]
    })
    t.equal(put.statusCode, 200, put.body)
    t.same(put.json().data.map((a: { target: { code: string }, level: string }) => [a.target.code, a.level]), [['C01', 'introduced'], ['C01.A03', 'reinforced'], ['C02.A01', 'mastered']])
    t.equal((await app.inject({ method: 'PUT', url: alignUrl, headers: h({ 'if-match': get0.headers.etag as string }), payload: [] })).statusCode, 412, 'a stale set is refused')
    const typo = await app.inject({ method: 'PUT', url: alignUrl, headers: h({ 'if-match': put.headers.etag as string }), payload: [{ target: 'C01.A3', level: 'introduced' }, { target: 'nothing-like-it', level: 'mastered' }] })
    t.equal(typo.statusCode, 422)
    t.match(typo.json(), { type: /unknown-target$/, errors: [{ name: '/0/target', allowed: ['C01.A03 (co-learning-a3)'] }, { name: '/1/target' }] })
    t.match(typo.json().detail, /C01\.A3/)

    const one = await app.inject({ method: 'POST', url: `${alignUrl}/C03`, headers: h(), payload: { level: 'mastered' } })
    t.equal(one.statusCode, 201)
    t.equal((await app.inject({ method: 'POST', url: `${alignUrl}/C03`, headers: h(), payload: { level: 'mastered' } })).statusCode, 409)
    const got = await app.inject({ method: 'GET', url: `${alignUrl}/${one.json().target.uuid}`, headers: h() })
    t.equal(got.json().target.code, 'C03', 'an alignment is found by the target\'s uuid too')
    t.equal((await app.inject({ method: 'DELETE', url: `${alignUrl}/C03`, headers: h() })).statusCode, 428)
    t.equal((await app.inject({ method: 'DELETE', url: `${alignUrl}/C03`, headers: h({ 'if-match': got.headers.etag as string }) })).statusCode, 204)
    t.equal((await app.inject({ method: 'GET', url: `${alignUrl}/C03`, headers: h() })).statusCode, 404)

    const course = await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}/courses/${c1.id}`, headers: h() })
    const renamed = await app.inject({ method: 'PATCH', url: `/v1/curricula/${cur.id}/courses/${c1.id}`, headers: h({ 'if-match': course.headers.etag as string }), payload: { title: 'Foundations I', url: 'https://example.org/is101' } })
    t.equal(renamed.statusCode, 200)
    t.equal(renamed.json().title, 'Foundations I')
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/curricula/${cur.id}/courses/${c1.id}`, headers: h({ 'if-match': '*' }) })).statusCode, 204)
    const last = await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}`, headers: h() })
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/curricula/${cur.id}`, headers: h({ 'if-match': last.headers.etag as string }) })).statusCode, 204)
    t.equal((await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}/courses`, headers: h() })).statusCode, 404)
    const actions = (await f.repo.listAudit(f.institutions.a)).map((e) => e.action)
    t.ok(actions.includes('alignments.replace') && actions.includes('curriculum.delete'), 'writes are audited')
  })

  t.test(`${kind}: Idempotency-Key`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    const post = (payload: object, key = 'k-1') => app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.a, { 'idempotency-key': key }), payload })
    const first = await post({ name: 'A', framework: 'isp', version: '1.1' })
    const again = await post({ name: 'A', framework: 'isp', version: '1.1' })
    t.equal(again.statusCode, 201)
    t.equal(again.body, first.body, 'the first answer is replayed')
    t.equal(again.headers['idempotent-replayed'], 'true')
    t.equal(again.headers.location, first.headers.location)
    const other = await post({ name: 'B', framework: 'isp', version: '1.1' })
    t.equal(other.statusCode, 422)
    t.equal((await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.a) })).json().meta.total, 1, 'one curriculum, not two')
    const otherInstitution = await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.b, { 'idempotency-key': 'k-1' }), payload: { name: 'A', framework: 'isp', version: '1.1' } })
    t.not(otherInstitution.json().id, first.json().id, 'keys are per institution')
  })

  t.test(`${kind}: courses:import`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    const cur = (await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.a), payload: { name: 'BA', framework: 'isp', version: '1.1' } })).json()
    const post = (csv: string) => app.inject({ method: 'POST', url: `/v1/curricula/${cur.id}/courses:import`, headers: auth(keys.a, { 'content-type': 'text/csv' }), payload: csv })
    const good = await post('code,title,credits,alignments\nA1,One,5,C01.A03:I; C02:M\nA2,Two,,co-learning:reinforced\n')
    t.equal(good.statusCode, 200, good.body)
    t.equal(good.json().created.length, 2)
    const broken = await post('code,title,alignments\nA3,Three,C01:I\nA4,,C99:M\nA5,Five,C01:X\n')
    t.equal(broken.statusCode, 422)
    t.match(broken.json().errors, [{ name: 'row 3, column title' }, { name: 'row 3, column alignments', message: /C99/ }, { name: 'row 4, column alignments' }])
    const list = await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}/courses`, headers: auth(keys.a) })
    t.same(list.json().data.map((c: { code: string }) => c.code), ['A1', 'A2'], 'nothing of a failing file is applied')
    t.equal((await post('name,title\nx,y\n')).statusCode, 422, 'an unknown column')
    t.equal((await post('code,title\n"unterminated,y\n')).statusCode, 422, 'a CSV that does not parse')
    const a1 = list.json().data[0]
    const aligned = await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}/courses/${a1.id}/alignments`, headers: auth(keys.a) })
    t.same(aligned.json().data.map((a: { target: { code: string }, level: string }) => [a.target.code, a.level]), [['C01.A03', 'introduced'], ['C02', 'mastered']])
  })
}
