/**
 * Over HTTP, on both stores: a target of another version is named with the version that has it,
 * and each per-institution limit is a 422 (REST) or BAD_USER_INPUT (GraphQL) naming the limit.
 */
import t from 'tap'
import { build } from '../../src/app.js'
import { createKey } from '../../src/curricula/keys.js'
import { testConfig } from '../helpers/app.js'
import { auth } from '../helpers/curricula.js'
import { openTestStore, storeKinds } from '../helpers/stores.js'

for (const kind of storeKinds) {
  t.test(`${kind}: other versions' targets and per-institution limits`, async (t) => {
    const repo = await openTestStore(t, kind, { curricula: 1, coursesPerCurriculum: 1, alignmentsPerCourse: 1 })
    if (repo === undefined) return
    const app = await build({ config: testConfig({ fixtures: true }), curricula: repo })
    t.teardown(() => app.close())
    await app.ready()
    const institution = await repo.createInstitution('Alpha')
    const { key } = await createKey(repo, institution.id, 'write')
    const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: auth(key), payload: payload as Record<string, unknown> })

    const cur = await post('/v1/curricula', { name: 'MSc', framework: 'isp', version: '1.2' })
    t.equal(cur.statusCode, 201)
    const id = cur.json().id as string
    const course = await post(`/v1/curricula/${id}/courses`, { code: 'IS101', title: 'Foundations' })
    t.equal(course.statusCode, 201)
    const courseId = course.json().id as string

    const removed = await post(`/v1/curricula/${id}/courses/${courseId}/alignments/brokering-a7`, { level: 'introduced' })
    t.equal(removed.statusCode, 422, 'a key activity removed in 1.2 is not a target of a curriculum pinned to 1.2')
    const problem = removed.json()
    t.match(problem.detail, /"brokering-a7" is not a competency, key activity or sub-point of isp 1\.2; suggestions: .*brokering-a7 is activity C02\.A07 in isp 1\.1, not in 1\.2\.$/, 'the version that has it is named')
    t.notMatch(problem.detail, /\?\./, 'one closing stop')
    t.ok(problem.errors[0].allowed.includes('brokering-a7 is activity C02.A07 in isp 1.1, not in 1.2'), 'and listed in allowed, beside near codes')

    const second = await post('/v1/curricula', { name: 'Another', framework: 'isp', version: '1.2' })
    t.equal(second.statusCode, 422)
    t.match(second.json(), { type: /\/problems\/limit-exceeded$/, detail: /^Limit curricula reached: /, errors: [{ in: 'body', name: 'curricula' }] }, 'the curricula limit is named')
    const secondCourse = await post(`/v1/curricula/${id}/courses`, { code: 'IS102', title: 'More' })
    t.match(secondCourse.json(), { status: 422, errors: [{ name: 'coursesPerCurriculum' }] }, 'the courses limit is named')
    t.equal((await post(`/v1/curricula/${id}/courses/${courseId}/alignments/C01`, { level: 'introduced' })).statusCode, 201)
    const secondAlignment = await post(`/v1/curricula/${id}/courses/${courseId}/alignments/C02`, { level: 'introduced' })
    t.match(secondAlignment.json(), { status: 422, errors: [{ name: 'alignmentsPerCourse' }] }, 'the alignments limit is named')

    const gql = await app.inject({ method: 'POST', url: '/graphql', headers: auth(key), payload: { query: 'mutation { createCurriculum(input: { name: "Third", framework: "isp", version: "1.2" }) { id } }' } })
    t.match(gql.json().errors?.[0], { extensions: { code: 'BAD_USER_INPUT', limit: 'curricula', max: 1 } }, 'GraphQL names the limit too')
  })
}
