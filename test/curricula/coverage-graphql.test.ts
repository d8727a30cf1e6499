/** Curriculum.coverage in GraphQL: the same report as REST's JSON, coded errors, isolation. */
import t from 'tap'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { exampleCurriculum } from '../helpers/coverage.js'

interface Result { data?: Record<string, any> | null, errors?: Array<{ message: string, extensions?: { code?: string, argument?: string } }> }

const query = `query ($id: ID!, $a: Boolean, $from: Int, $to: Int) { curriculum(id: $id) { coverage(includeActivities: $a, from: $from, to: $to) {
  activities columns { from to of } courses { id code title alignments }
  rows { type code id uuid label domain competency cells { level direct via { code level } } courses highest introduced reinforced mastered }
  domains { code id name competencies { total covered introduced reinforced mastered share { covered introduced reinforced mastered } }
    activities { total covered introduced reinforced mastered share { covered introduced reinforced mastered } } }
  totals { competencies { total covered introduced reinforced mastered share { covered introduced reinforced mastered } }
    activities { total covered introduced reinforced mastered share { covered introduced reinforced mastered } } }
  gaps { competencies { code id label } activities { code id label } introducedNotMastered { code id label } courses { code id label } unresolved { course target } }
} } }`

t.test('sqlite: coverage in GraphQL is REST\'s JSON', async (t) => {
  const f = await curriculaFixture(t, 'sqlite')
  if (f === undefined) return
  const { app, keys } = f
  const id = await exampleCurriculum(app, keys.a)
  const gql = async (key: string, variables: Record<string, unknown>): Promise<Result> =>
    (await app.inject({ method: 'POST', url: '/graphql', headers: auth(key), payload: { query, variables } })).json()

  for (const [variables, q] of [[{ id }, ''], [{ id, a: true, from: 2, to: 3 }, '?include=activities&columns=2-3']] as const) {
    const got = await gql(keys.aRead, variables)
    t.equal(got.errors, undefined, `no errors for ${JSON.stringify(variables)}`)
    const rest = (await app.inject({ method: 'GET', url: `/v1/curricula/${id}/coverage${q}`, headers: auth(keys.a) })).json()
    const { curriculum: _c, ...same } = rest
    const coverage = got.data!.curriculum.coverage
    t.same(coverage, same, `the report matches REST ${q}`)
    t.equal(coverage.gaps.activities.length, 111)
    t.same(coverage.gaps.introducedNotMastered.map((g: any) => g.code), ['C02', 'C10', 'C12'])
  }

  for (const [variables, argument] of [[{ id, from: 0 }, 'from'], [{ id, from: 3, to: 2 }, 'from'], [{ id, from: 9 }, 'from'], [{ id, to: 100000 }, 'to']] as const) {
    const bad = await gql(keys.a, variables)
    t.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${JSON.stringify(variables)} is bad input`)
    t.equal(bad.errors?.[0]?.extensions?.argument, argument)
  }
  const other = await gql(keys.b, { id })
  t.equal(other.data?.curriculum, null, 'another institution does not see it')
  const none = (await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables: { id } } })).json() as Result
  t.equal(none.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED')
})
