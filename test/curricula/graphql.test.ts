/** Curricula in GraphQL on both stores: auth codes, isolation, mutations with ifMatch, targets as framework types, parity with REST. */
import t from 'tap'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { storeKinds } from '../helpers/stores.js'

interface Result { data?: Record<string, any> | null, errors?: Array<{ message: string, extensions?: { code?: string } }> }

for (const kind of storeKinds) {
  t.test(`${kind}: GraphQL queries and mutations`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    const gql = async (key: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<Result> =>
      (await app.inject({ method: 'POST', url: '/graphql', headers: key === undefined ? {} : auth(key), payload: { query, variables } })).json()
    const code = (r: Result) => r.errors?.[0]?.extensions?.code

    t.equal(code(await gql(undefined, '{ curricula { id } }')), 'UNAUTHENTICATED')
    t.equal(code(await gql('ispk_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '{ curricula { id } }')), 'UNAUTHENTICATED')
    const create = 'mutation ($input: CurriculumInput!) { createCurriculum(input: $input) { id version etag revision } }'
    t.equal(code(await gql(keys.aRead, create, { input: { name: 'X', framework: 'isp', version: '1.1' } })), 'FORBIDDEN')
    t.equal(code(await gql(keys.a, create, { input: { name: 'X', framework: 'isp', version: '7.0' } })), 'BAD_USER_INPUT')
    const created = await gql(keys.a, create, { input: { name: 'MSc', framework: 'isp', version: 'latest' } })
    const cur = created.data?.createCurriculum
    t.match(cur, { version: '1.1', revision: 1 })

    const course = (await gql(keys.a, 'mutation ($c: ID!) { createCourse(curriculum: $c, input: { code: "IS101", title: "Foundations" }) { id etag } }', { c: cur.id })).data?.createCourse
    t.ok(course?.id)
    t.equal(code(await gql(keys.a, 'mutation ($c: ID!) { createCourse(curriculum: $c, input: { code: "IS101", title: "Again" }) { id } }', { c: cur.id })), 'CONFLICT')
    const set = 'mutation ($c: ID!, $k: ID!, $m: String!, $a: [AlignmentInput!]!) { setAlignments(curriculum: $c, course: $k, ifMatch: $m, alignments: $a) { etag alignments { targetCode level } } }'
    const typo = await gql(keys.a, set, { c: cur.id, k: course.id, m: course.etag, a: [{ target: 'C1', level: 'introduced' }] })
    t.equal(code(typo), 'BAD_USER_INPUT')
    t.match(typo.errors?.[0]?.message, /; suggestions: /)
    const aligned = await gql(keys.a, set, { c: cur.id, k: course.id, m: course.etag, a: [{ target: 'C01', level: 'introduced' }, { target: 'C01.A03', level: 'mastered' }] })
    t.same(aligned.data?.setAlignments.alignments, [{ targetCode: 'C01', level: 'introduced' }, { targetCode: 'C01.A03', level: 'mastered' }])
    t.equal(code(await gql(keys.a, set, { c: cur.id, k: course.id, m: course.etag, a: [] })), 'CONFLICT', 'a stale ifMatch')

    const read = `query ($id: ID!) { curriculum(id: $id) { id name version courseCount courses { code alignments { level target {
      __typename ... on Competency { code name } ... on Activity { code text } } } } } }`
    const got = await gql(keys.a, read, { id: cur.id })
    t.equal(got.errors, undefined)
    t.match(got.data?.curriculum, { name: 'MSc', courseCount: 1, courses: [{ code: 'IS101', alignments: [{ level: 'introduced', target: { __typename: 'Competency', code: 'C01', name: 'Co-learning' } }, { level: 'mastered', target: { __typename: 'Activity', code: 'C01.A03' } }] }] })
    t.same((await gql(keys.b, read, { id: cur.id })).data?.curriculum, null, 'another institution sees nothing')
    t.same((await gql(keys.b, '{ curricula { id } }')).data?.curricula, [])
    t.equal(code(await gql(keys.b, 'mutation ($id: ID!, $m: String!) { deleteCurriculum(id: $id, ifMatch: $m) }', { id: cur.id, m: cur.etag })), 'NOT_FOUND')

    // Parity: REST shows what GraphQL wrote, and the reverse.
    const rest = await app.inject({ method: 'GET', url: `/v1/curricula/${cur.id}/courses/${course.id}/alignments`, headers: auth(keys.a) })
    t.same(rest.json().data.map((a: { target: { code: string }, level: string }) => [a.target.code, a.level]), [['C01', 'introduced'], ['C01.A03', 'mastered']])
    t.equal(rest.headers.etag, aligned.data?.setAlignments.etag, 'the same etag in both')
    const renamed = await app.inject({ method: 'PATCH', url: `/v1/curricula/${cur.id}`, headers: auth(keys.a, { 'if-match': cur.etag }), payload: { name: 'MSc IS' } })
    t.equal(renamed.statusCode, 200)
    t.equal((await gql(keys.a, '{ curricula { name etag } }')).data?.curricula[0].etag, renamed.headers.etag)

    const one = await gql(keys.a, 'mutation ($c: ID!, $k: ID!) { createAlignment(curriculum: $c, course: $k, input: { target: "brokering", level: reinforced }) { targetCode etag } }', { c: cur.id, k: course.id })
    t.equal(one.data?.createAlignment.targetCode, 'C02')
    t.equal((await gql(keys.a, 'mutation ($c: ID!, $k: ID!, $m: String!) { deleteAlignment(curriculum: $c, course: $k, target: "C02", ifMatch: $m) }', { c: cur.id, k: course.id, m: one.data?.createAlignment.etag })).data?.deleteAlignment, true)
    const c2 = (await gql(keys.a, 'query ($id: ID!) { curriculum(id: $id) { courses { etag } } }', { id: cur.id })).data?.curriculum.courses[0]
    const upd = await gql(keys.a, 'mutation ($c: ID!, $k: ID!, $m: String!) { updateCourse(curriculum: $c, id: $k, ifMatch: $m, input: { title: "Foundations I" }) { title etag } }', { c: cur.id, k: course.id, m: c2.etag })
    t.equal(upd.data?.updateCourse.title, 'Foundations I')
    t.equal((await gql(keys.a, 'mutation ($c: ID!, $k: ID!, $m: String!) { deleteCourse(curriculum: $c, id: $k, ifMatch: $m) }', { c: cur.id, k: course.id, m: upd.data?.updateCourse.etag })).data?.deleteCourse, true)
    const now = (await gql(keys.a, 'mutation ($id: ID!, $m: String!) { updateCurriculum(id: $id, ifMatch: $m, input: { description: "Two years" }) { etag } }', { id: cur.id, m: renamed.headers.etag })).data?.updateCurriculum
    t.equal((await gql(keys.a, 'mutation ($id: ID!, $m: String!) { deleteCurriculum(id: $id, ifMatch: $m) }', { id: cur.id, m: now.etag })).data?.deleteCurriculum, true)
    t.equal((await gql(keys.a, '{ curricula { id } }')).data?.curricula.length, 0)
  })
}
