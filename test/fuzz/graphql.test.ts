/**
 * Property-based fuzzing of /graphql: random queries built from the schema (random selections,
 * aliases, fragments, arguments of the right and the wrong types), operations with random
 * variables, random and malformed bodies under every content type, and GET requests with junk
 * query strings. No response is a 5xx, every error carries a known `extensions.code`, every body
 * is JSON, and the app answers normally afterwards. (Moved here from test/graphql with the other fuzzers.)
 */
import t from 'tap'
import fc from 'fast-check'
import {
  buildClientSchema, getIntrospectionQuery, getNamedType, getNullableType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType,
  isScalarType, isUnionType, type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLSchema, type IntrospectionQuery
} from 'graphql'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { entityUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { fuzzParameters, healthy, hostile, leaks, seedLine, Tally } from '../helpers/fuzz.js'
import { gql } from '../helpers/graphql.js'

const codes = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'NOT_FOUND', 'SEARCH_SYNTAX_ERROR',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'URL_TOO_LONG', 'SERVICE_UNAVAILABLE',
  // The curricula fields, asked without an API key (docs/curricula.md).
  'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT'])

/** What is wrong with a GraphQL response: a 5xx, a body that is not JSON, errors without a known code, leaked internals. */
function graphqlViolations (res: LightMyRequestResponse, method = 'POST'): string[] {
  if (res.statusCode >= 500) return [`server error ${res.statusCode}: ${res.body.slice(0, 300)}`]
  if (res.statusCode === 304 || method === 'HEAD') return []
  let body: { errors?: Array<{ extensions?: { code?: unknown } }>, data?: unknown }
  try {
    body = JSON.parse(res.body)
  } catch {
    return [`body is not JSON: ${res.body.slice(0, 200)}`]
  }
  const out = (body.errors ?? []).filter((e) => !codes.has(String(e.extensions?.code))).map((e) => `error without a known code: ${JSON.stringify(e)}`)
  if (res.statusCode >= 400 && (body.errors ?? []).length === 0) out.push(`${res.statusCode} without errors`)
  return [...out, ...leaks(res.body)]
}

/** A small deterministic PRNG, so a query is a function of the integer fast-check draws. */
function random (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const strings = ['isp', 'latest', '1.1', '1.2', '9.9', 'co-learning', 'co-learning-a1', 'brokering-hint', 'sustaining-change', 'trust', 'trust*', '"unclosed',
  'NEAR(a b)', '', ' ', '../etc/passwd', '%00', 'ü', '💥', 'x'.repeat(300), entityUuid('isp', 'co-learning'), '00000000-0000-0000-0000-000000000000',
  ...hostile.fts, ...hostile.injection]
const ints = [0, 1, 5, 100, 101, -1, 2147483647, -2147483648]

/** A GraphQL literal for an input type: usually of that type, sometimes of another. */
function literal (type: GraphQLInputType, pick: <T>(xs: readonly T[]) => T, rnd: () => number): string {
  const inner = getNullableType(type)
  if (rnd() < 0.08) return pick(['null', '"1"', '1', '1.5', 'true', '[]', '{}', 'NOPE', '$undeclared'])
  if (isListType(inner)) return `[${literal(inner.ofType, pick, rnd)}]`
  if (isEnumType(inner)) return rnd() < 0.9 ? pick(inner.getValues()).name : 'nope'
  if (isScalarType(inner) && inner.name === 'Int') return String(pick(ints))
  if (isInputObjectType(inner)) return `{ ${Object.values(inner.getFields()).map((f) => `${f.name}: ${literal(f.type, pick, rnd)}`).join(', ')} }`
  return JSON.stringify(pick(strings))
}

/** A JSON value for a variable of an input type: usually of that type, sometimes of another. */
function jsonValue (type: GraphQLInputType, pick: <T>(xs: readonly T[]) => T, rnd: () => number): unknown {
  const inner = getNullableType(type)
  if (rnd() < 0.15) return pick([null, '1', 1, 1.5, true, [], {}, 2 ** 53, -(2 ** 31) - 1, 'x'.repeat(1000), { __proto__: 1 }])
  if (isListType(inner)) return Array.from({ length: Math.floor(rnd() * 3) }, () => jsonValue(inner.ofType, pick, rnd))
  if (isEnumType(inner)) return rnd() < 0.9 ? pick(inner.getValues()).name : 'nope'
  if (isScalarType(inner) && inner.name === 'Int') return pick(ints)
  if (isInputObjectType(inner)) return Object.fromEntries(Object.values(inner.getFields()).map((f) => [f.name, jsonValue(f.type, pick, rnd)]))
  return pick(strings)
}

interface Variables { definitions: string[], values: Record<string, unknown> }

/** Arguments of a field: literals, or variables declared with the argument's type (or a wrong one) and given random values. */
function argumentList (args: readonly GraphQLArgument[], vars: Variables | undefined, pick: <T>(xs: readonly T[]) => T, rnd: () => number): string {
  return args.filter((a) => isNonNullType(a.type) || rnd() < 0.4).map((a) => {
    if (vars === undefined || rnd() < 0.3) return `${a.name}: ${literal(a.type, pick, rnd)}`
    const name = `v${vars.definitions.length}`
    const declared = rnd() < 0.1 ? pick(['Int', 'String!', '[ID]', 'Boolean', 'Nope', a.type.toString().replace(/!$/, '')]) : a.type.toString()
    vars.definitions.push(`$${name}: ${declared}`)
    if (rnd() < 0.9) vars.values[name] = jsonValue(a.type, pick, rnd)
    return `${a.name}: $${name}`
  }).join(', ')
}

/** A random selection set of a type, `depth` levels deep at most. */
function selection (schema: GraphQLSchema, type: GraphQLNamedType, depth: number, rnd: () => number, vars?: Variables): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  if (isUnionType(type)) return pick(type.getTypes()).name.length > 0 ? `... on ${pick(type.getTypes()).name} { __typename }` : ''
  if (!isObjectType(type) && !isInterfaceType(type)) return ''
  const fields = Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>
  const parts: string[] = []
  const count = 1 + Math.floor(rnd() * 3)
  for (let i = 0; i < count; i++) {
    const field = pick(fields)
    const named = getNamedType(field.type)
    const composite = isObjectType(named) || isInterfaceType(named) || isUnionType(named)
    if (composite && depth <= 0) continue
    const args = argumentList(field.args, vars, pick, rnd)
    const alias = rnd() < 0.2 ? `a${i}: ` : ''
    const sub = composite ? ` { __typename ${selection(schema, named, depth - 1, rnd, vars)} }` : ''
    parts.push(`${alias}${field.name}${args.length > 0 ? `(${args})` : ''}${sub}`)
  }
  if (isInterfaceType(type)) parts.push(`... on ${pick(schema.getPossibleTypes(type)).name} { __typename }`)
  return parts.join(' ')
}

async function clientSchema (app: FastifyInstance): Promise<GraphQLSchema> {
  return buildClientSchema((await gql(app, getIntrospectionQuery())).body.data as unknown as IntrospectionQuery)
}

const stillServes = { data: { frameworks: [{ id: 'isp' }] } }

t.test('random queries from the schema, with literal arguments', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const schema = await clientSchema(app)
  const tally = new Tally()
  t.comment(seedLine())
  await fc.assert(fc.asyncProperty(fc.integer(), fc.boolean(), async (seed, get) => {
    const rnd = random(seed)
    const query = `{ ${selection(schema, schema.getQueryType()!, 5, rnd)} }`
    const res = get
      ? await app.inject({ method: 'GET', url: '/graphql', query: { query } })
      : await app.inject({ method: 'POST', url: '/graphql', payload: { query } })
    tally.add(res.statusCode)
    const problems = graphqlViolations(res)
    if (problems.length > 0) throw new Error(`${problems.join('; ')} for ${query}`)
  }), fuzzParameters(800))
  t.comment(tally.summary('random queries'))
  t.ok((tally.statuses[200] ?? 0) > tally.cases / 4, 'most random queries are valid and run')
  t.same((await gql(app, '{ frameworks { id } }')).body, stillServes, 'still serves')
})

t.test('random operations with variables of the right and the wrong types', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const schema = await clientSchema(app)
  const tally = new Tally()
  await fc.assert(fc.asyncProperty(fc.integer(), fc.constantFrom('POST', 'POST', 'GET'), fc.constantFrom(undefined, 'Q', 'Other', ''), async (seed, method, operationName) => {
    const rnd = random(seed)
    const vars: Variables = { definitions: [], values: {} }
    const body = selection(schema, schema.getQueryType()!, 4, rnd, vars)
    const query = `query Q${vars.definitions.length > 0 ? `(${vars.definitions.join(', ')})` : ''} { ${body} }`
    if (rnd() < 0.1) vars.values.extra = 'unused'
    const res = method === 'GET'
      ? await app.inject({ method, url: '/graphql', query: { query, variables: JSON.stringify(vars.values), ...(operationName === undefined ? {} : { operationName }) } })
      : await app.inject({ method, url: '/graphql', payload: { query, variables: vars.values, ...(operationName === undefined ? {} : { operationName }) } })
    tally.add(res.statusCode)
    const problems = graphqlViolations(res)
    if (problems.length > 0) throw new Error(`${problems.join('; ')} for ${query} with ${JSON.stringify(vars.values)}`)
  }), fuzzParameters(800))
  t.comment(tally.summary('operations with variables'))
  t.ok((tally.statuses[200] ?? 0) > 0 && (tally.statuses[400] ?? 0) > 0, 'both valid and invalid variables were sent')
  t.same((await gql(app, '{ frameworks { id } }')).body, stillServes, 'still serves')
})

t.test('random and malformed bodies under every content type', async (t) => {
  const app = await buildApp(t)
  const tally = new Tally()
  const body = fc.oneof(
    fc.json(),
    fc.record({ query: fc.oneof(fc.string(), fc.constant('query ($id: ID!) { competency(id: $id) { id } }')), variables: fc.oneof(fc.jsonValue(), fc.string()), operationName: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.record({ extensions: fc.record({ persistedQuery: fc.record({ version: fc.oneof(fc.integer(), fc.string()), sha256Hash: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef') }), fc.jsonValue()) }) }) }).map((o) => JSON.stringify(o)),
    fc.constantFrom('{', '{"query":', '{"query":"{ frameworks { id } }"', '[]', '[{"query":"{ frameworks { id } }"}]', 'null', '""', '{"query":null}', '\uFEFF{"query":"{ frameworks { id } }"}',
      '{"query":"{ frameworks { id } }","variables":"{"}', '{"query":"{ frameworks { id } }","__proto__":{"x":1}}', '{"query":"{ frameworks { id } }","query":"{"}'),
    fc.string()
  )
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/graphql', 'text/plain',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json-patch+json', '', 'garbage', '*/*')
  await fc.assert(fc.asyncProperty(body, contentType, async (payload, type) => {
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: type === '' ? {} : { 'content-type': type }, payload })
    tally.add(res.statusCode)
    const problems = graphqlViolations(res)
    if (problems.length > 0) throw new Error(`${problems.join('; ')} for ${type} ${payload}`)
  }), fuzzParameters(1000))
  t.comment(tally.summary('POST bodies'))
  t.ok((tally.statuses[415] ?? 0) > 0, 'unsupported content types were sent')
  t.same((await gql(app, '{ frameworks { id } }')).body, stillServes, 'still serves')
})

t.test('GET with junk query strings', async (t) => {
  const app = await buildApp(t)
  const tally = new Tally()
  const value = fc.oneof(
    fc.constantFrom('{ frameworks { id } }', '{frameworks{id}}', 'query($id:ID!){competency(id:$id){id}}', '{"id":"co-learning"}', '{"persistedQuery":{"version":1,"sha256Hash":"00"}}',
      '[1]', 'null', '{', '}', 'mutation { x }', 'subscription { x }', '{ __schema { types { name } } }').map(encodeURIComponent),
    fc.constantFrom(...hostile.badEncoding, ...hostile.traversal, ...hostile.numbers),
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => encodeURIComponent(s.replace(/\p{Cs}/gu, '\uFFFD')))
  )
  const name = fc.constantFrom('query', 'query', 'variables', 'variables', 'extensions', 'operationName', 'query[]', 'variables[id]', 'nope', '', '%zz')
  const queryString = fc.array(fc.tuple(name, value, fc.boolean()).map(([n, v, bare]) => bare && n !== '' ? n : `${n}=${v}`), { maxLength: 5 }).map((pairs) => pairs.join('&'))
  await fc.assert(fc.asyncProperty(queryString, fc.constantFrom('GET', 'GET', 'HEAD'), async (qs, method) => {
    const res = await app.inject({ method, url: `/graphql?${qs}` })
    tally.add(res.statusCode)
    const problems = graphqlViolations(res, method)
    if (problems.length > 0) throw new Error(`${problems.join('; ')} for ${method} /graphql?${qs}`)
  }), fuzzParameters(800))
  t.comment(tally.summary('GET query strings'))
  t.same((await gql(app, '{ frameworks { id } }', { method: 'GET' })).body, stillServes, 'still serves')
  t.same(await healthy(app), { status: 200, body: { status: 'ok', checks: { database: 'pass', content: 'pass', load: 'pass', shutdown: 'pass', curricula: 'pass' } } }, 'still ready')
})
