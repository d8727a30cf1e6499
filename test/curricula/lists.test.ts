/** Curricula lists follow the API's list conventions: shared page links (clamped prev, query kept) and `fields`. */
import t from 'tap'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { storeKinds } from '../helpers/stores.js'

for (const kind of storeKinds) {
  t.test(`${kind}: fields and paging on curricula and courses`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    for (const name of ['A', 'B', 'C']) {
      t.equal((await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.a), payload: { name, framework: 'isp', version: '1.1' } })).statusCode, 201)
    }
    const sparse = await app.inject({ method: 'GET', url: '/v1/curricula?fields=name,version&limit=2', headers: auth(keys.a) })
    t.equal(sparse.statusCode, 200)
    const body = sparse.json()
    t.equal(body.data.length, 2)
    for (const item of body.data) t.same(Object.keys(item).sort(), ['id', 'name', 'type', 'version'], 'type and id are kept with the named fields')
    t.equal(body.meta.total, 3)
    t.match(body.links.next, /\/v1\/curricula\?fields=name%2Cversion&limit=2&offset=2$/, 'links keep fields')
    t.match(sparse.headers.link, /rel="next"/)

    const beyond = await app.inject({ method: 'GET', url: '/v1/curricula?limit=2&offset=10', headers: auth(keys.a) })
    t.match(beyond.json().links.prev, /limit=2&offset=2$/, 'prev past the end goes to the last page')

    const bad = await app.inject({ method: 'GET', url: '/v1/curricula?fields=name,secret', headers: auth(keys.a) })
    t.equal(bad.statusCode, 400)
    t.match(bad.json(), { type: /\/problems\/invalid-parameter$/, errors: [{ in: 'query', name: 'fields', allowed: ['name', 'description', 'framework', 'version', 'createdAt', 'updatedAt', 'revision', 'href', 'courses'] }] })

    const cur = body.data[0].id as string
    const course = await app.inject({ method: 'POST', url: `/v1/curricula/${cur}/courses`, headers: auth(keys.a), payload: { code: 'IS101', title: 'Foundations' } })
    t.equal(course.statusCode, 201)
    const courses = await app.inject({ method: 'GET', url: `/v1/curricula/${cur}/courses?fields=code`, headers: auth(keys.a) })
    t.same(courses.json().data, [{ type: 'course', id: course.json().id, code: 'IS101' }])
  })
}
