/**
 * `nodes(ids:)`: several uuids in one call, in the order asked, each answered as `node(id:)`
 * answers it (an unknown uuid is null in place with a NOT_FOUND error at its index), at most
 * MAX_NODES; and parity with the REST lists' `id=`.
 */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'
import { MAX_NODES } from '../../src/graphql/limits.js'

const app = await buildApp(t, { fixtures: true })

const nodesQuery = `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename uuid uri
  ... on Entity { id code href version }
  ... on Competency { name }
  ... on FrameworkVersion { number }
  ... on Framework { id }
  ... on SubPoint { code text }
} }`
const nodeQuery = 'query ($id: ID!) { node(id: $id) { uuid } }'

type Json = Record<string, any>
const rest = async (url: string): Promise<Json> => (await app.inject(url)).json<Json>()

const competencies = (await rest('/v1/frameworks/isp/1.1/competencies')).data as Json[]
const activity = (await rest('/v1/frameworks/isp/1.1/activities/communication-a1')) as Json
const v11 = await rest('/v1/frameworks/isp/1.1')
const framework = await rest('/v1/frameworks/isp')
const unknown = '00000000-0000-4000-8000-000000000000'

t.test('uuids of any kind, in the order asked', async (t) => {
  const subpoint = activity.subpoints[0] as Json
  const ids = [competencies[3]!.uuid, v11.uuid, subpoint.uuid, framework.uuid, competencies[0]!.uuid, competencies[3]!.uuid.toUpperCase()]
  const res = await gql(app, nodesQuery, { variables: { ids } })
  t.equal(res.status, 200)
  t.same(res.body.errors, undefined)
  const nodes = res.body.data!.nodes as Json[]
  t.same(nodes.map((n) => n.__typename), ['Competency', 'FrameworkVersion', 'SubPoint', 'Framework', 'Competency', 'Competency'])
  t.same(nodes.map((n) => n.uuid), [competencies[3]!.uuid, v11.uuid, subpoint.uuid, framework.uuid, competencies[0]!.uuid, competencies[3]!.uuid],
    'one node per id asked, repeats included')
  t.equal(nodes[2]!.text, subpoint.text)
  for (const id of ids) {
    const one = await gql(app, nodeQuery, { variables: { id } })
    t.same(nodes[ids.indexOf(id)]!.uuid, (one.body.data!.node as Json).uuid, 'the same node as node(id:)')
  }
  t.same((await gql(app, nodesQuery, { variables: { ids: [] } })).body.data, { nodes: [] }, 'no ids, no nodes')
})

t.test('an unknown uuid: null in place, NOT_FOUND at its index, as node(id:)', async (t) => {
  const ids = [competencies[0]!.uuid, unknown, competencies[1]!.uuid]
  const res = await gql(app, nodesQuery, { variables: { ids } })
  t.equal(res.status, 200)
  const nodes = res.body.data!.nodes as Array<Json | null>
  t.same(nodes.map((n) => n?.id ?? null), [competencies[0]!.id, null, competencies[1]!.id])
  t.equal(res.body.errors?.length, 1)
  const error = res.body.errors![0]!
  t.same(error.path, ['nodes', 1])
  t.equal(error.extensions?.code, 'NOT_FOUND')
  const single = await gql(app, nodeQuery, { variables: { id: unknown } })
  t.same(single.body.data, { node: null })
  t.equal(error.message, single.body.errors![0]!.message, 'in the words node(id:) uses')
})

t.test('bad input: not uuids, or too many', async (t) => {
  const notUuids = await gql(app, `{ nodes(ids: ["co-learning", "${competencies[0]!.uuid}", "C01"]) { uuid } frameworks { id } }`)
  t.equal(notUuids.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT')
  t.match(notUuids.body.errors![0]!.message, /'co-learning', 'C01'/)
  t.same(notUuids.body.data, { nodes: null, frameworks: [{ id: 'isp' }] }, 'nodes is null, as node is; the rest of the query stands')

  const many = Array.from({ length: MAX_NODES + 1 }, () => competencies[0]!.uuid)
  const tooMany = await gql(app, 'query ($ids: [ID!]!) { nodes(ids: $ids) { uuid } }', { variables: { ids: many } })
  t.equal(tooMany.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT')
  t.match(tooMany.body.errors![0]!.message, new RegExp(`at most ${MAX_NODES}`))
  const most = await gql(app, 'query ($ids: [ID!]!) { nodes(ids: $ids) { uuid } }', { variables: { ids: many.slice(1) } })
  t.equal((most.body.data!.nodes as unknown[]).length, MAX_NODES, `${MAX_NODES} is allowed`)
})

t.test('the cost estimate sizes nodes by its ids', async (t) => {
  const deep = '{ uuid ... on Competency { activities { code text subpoints { code text } } } }'
  const two = await gql(app, `{ nodes(ids: ["${competencies[0]!.uuid}", "${competencies[1]!.uuid}"]) ${deep} }`)
  t.same(two.body.errors, undefined, 'two literal ids: a small estimate')
  const variable = await gql(app, `query ($ids: [ID!]!) { nodes(ids: $ids) ${deep} a: nodes(ids: $ids) ${deep} b: nodes(ids: $ids) ${deep} }`,
    { variables: { ids: [competencies[0]!.uuid] } })
  t.equal(variable.body.errors?.[0]?.extensions?.limit, 'cost', `a variable counts as ${MAX_NODES} ids`)
})

t.test('parity: REST lists with id= and nodes(ids:) give the same entities, in the same order', async (t) => {
  const chosen = [competencies[7]!, competencies[2]!, competencies[12]!]
  const graph = (await gql(app, nodesQuery, { variables: { ids: chosen.map((c) => c.uuid) } })).body.data!.nodes as Json[]
  // node(id:) gives an entity as in the newest version that has it: REST's latest.
  const listed = (await rest(`/v1/frameworks/isp/latest/competencies?id=${chosen.map((c) => c.uuid).join(',')}`)).data as Json[]
  const shared = (e: Json) => ({ id: e.id, code: e.code, uuid: e.uuid, uri: e.uri, href: e.href, version: e.version, name: e.name })
  t.same(graph.map(shared), listed.map(shared))
  const unknownRest = await app.inject(`/v1/frameworks/isp/1.1/competencies?id=${chosen[0]!.uuid},${unknown}`)
  t.equal(unknownRest.statusCode, 404, 'REST refuses a set with an unknown uuid; GraphQL answers the rest with a NOT_FOUND in place')
  t.match(unknownRest.json<Json>().detail, unknown)
})
