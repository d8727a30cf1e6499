/**
 * Property-based robustness: random queries built from the schema (random fields, aliases and
 * argument values, valid or not) and random request bodies never get a 5xx or an uncoded error,
 * and the server answers normally afterwards.
 */
import t from 'tap'
import fc from 'fast-check'
import {
  buildClientSchema, getIntrospectionQuery, getNamedType, getNullableType, isEnumType, isInterfaceType, isListType, isObjectType, isScalarType,
  type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLSchema, type IntrospectionQuery
} from 'graphql'
import { entityUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

const codes = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'NOT_FOUND', 'SEARCH_SYNTAX_ERROR',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'])

/** A small deterministic PRNG, so a failing seed reproduces. */
function random (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const strings = ['isp', 'latest', '1.1', '9.9', 'co-learning', 'co-learning-a1', 'brokering-hint', 'sustaining-change', 'trust', 'trust*', '"unclosed', 'NEAR(a b)', '', ' ', '../etc/passwd', '%00', 'ü', '💥', 'x'.repeat(300), entityUuid('isp', 'co-learning'), '00000000-0000-0000-0000-000000000000']
const ints = [0, 1, 5, 100, 101, -1, 2147483647, -2147483648]

function literal (type: GraphQLInputType, pick: <T>(xs: readonly T[]) => T, rnd: () => number): string {
  const inner = getNullableType(type)
  if (isListType(inner)) return `[${literal(inner.ofType, pick, rnd)}]`
  if (isEnumType(inner)) return rnd() < 0.9 ? pick(inner.getValues()).name : 'nope'
  if (isScalarType(inner) && inner.name === 'Int') return rnd() < 0.9 ? String(pick(ints)) : '"1"'
  return JSON.stringify(pick(strings))
}

function selection (schema: GraphQLSchema, type: GraphQLNamedType, depth: number, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  if (!isObjectType(type) && !isInterfaceType(type)) return ''
  const fields = Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>
  const parts: string[] = []
  const count = 1 + Math.floor(rnd() * 3)
  for (let i = 0; i < count; i++) {
    const field = pick(fields)
    const named = getNamedType(field.type)
    const composite = isObjectType(named) || isInterfaceType(named)
    if (composite && depth <= 0) continue
    const args = field.args.filter((a) => a.type.toString().endsWith('!') || rnd() < 0.4).map((a) => `${a.name}: ${literal(a.type, pick, rnd)}`)
    const alias = rnd() < 0.2 ? `a${i}: ` : ''
    const sub = composite ? ` { __typename ${selection(schema, named, depth - 1, rnd)} }` : ''
    parts.push(`${alias}${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${sub}`)
  }
  if (isInterfaceType(type)) parts.push(`... on ${pick(schema.getPossibleTypes(type)).name} { __typename }`)
  return parts.join(' ')
}

t.test('random queries from the schema', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const introspection = await gql(app, getIntrospectionQuery())
  const schema = buildClientSchema(introspection.body.data as unknown as IntrospectionQuery)
  const statuses: Record<string, number> = {}
  let cases = 0
  await fc.assert(fc.asyncProperty(fc.integer(), async (seed) => {
    cases++
    const rnd = random(seed)
    const query = `{ ${selection(schema, schema.getQueryType()!, 5, rnd)} }`
    const res = await gql(app, query, { method: rnd() < 0.3 ? 'GET' : 'POST' })
    statuses[res.status] = (statuses[res.status] ?? 0) + 1
    const uncoded = (res.body.errors ?? []).filter((e) => !codes.has(String(e.extensions?.code)))
    if (res.status >= 500 || uncoded.length > 0) throw new Error(`${res.status} ${JSON.stringify(uncoded)} for ${query}`)
  }), { numRuns: 600 })
  t.comment(`${cases} random queries; statuses ${JSON.stringify(statuses)}`)
  t.ok(cases >= 600)
  t.same((await gql(app, '{ frameworks { id } }')).body, { data: { frameworks: [{ id: 'isp' }] } }, 'still healthy')
})

t.test('random request bodies, variables and extensions', async (t) => {
  const app = await buildApp(t)
  const statuses: Record<string, number> = {}
  const body = fc.oneof(
    fc.json(),
    fc.record({ query: fc.oneof(fc.string(), fc.constant('query ($id: ID!) { competency(id: $id) { id } }')), variables: fc.oneof(fc.jsonValue(), fc.string()), operationName: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.record({ extensions: fc.record({ persistedQuery: fc.record({ version: fc.oneof(fc.integer(), fc.string()), sha256Hash: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef') }), fc.jsonValue()) }) }) }).map((o) => JSON.stringify(o)),
    fc.string()
  )
  await fc.assert(fc.asyncProperty(body, fc.constantFrom('application/json', 'application/graphql', 'text/plain', 'application/x-www-form-urlencoded'), async (payload, type) => {
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': type }, payload })
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
    if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body} for ${type} ${payload}`)
    const parsed = JSON.parse(res.body) as { errors?: Array<{ extensions?: { code?: string } }> }
    for (const e of parsed.errors ?? []) if (!codes.has(String(e.extensions?.code))) throw new Error(`uncoded ${res.body} for ${payload}`)
  }), { numRuns: 1000 })
  t.comment(`statuses ${JSON.stringify(statuses)}`)
  const get = await app.inject({ method: 'GET', url: '/graphql?query=%7Bframeworks%7Bid%7D%7D&variables=%5B1%5D' })
  t.ok(get.statusCode < 500, 'variables that are not an object')
  t.same((await gql(app, '{ frameworks { id } }')).body, { data: { frameworks: [{ id: 'isp' }] } }, 'still healthy')
})
