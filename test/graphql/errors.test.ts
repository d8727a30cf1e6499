/**
 * Every GraphQL error carries extensions.code; unexpected failures are a generic
 * INTERNAL_SERVER_ERROR with nothing internal in them; suggestions are off in production.
 */
import { createHash } from 'node:crypto'
import t from 'tap'
import { build } from '../../src/app.js'
import type { RecordByType } from '../../src/content/model.js'
import { Repository, type EntityReader, type ListedType } from '../../src/store/repository.js'
import { buildApp, testConfig, testDatabase } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

const codeOf = (res: Awaited<ReturnType<typeof gql>>): unknown => res.body.errors?.[0]?.extensions?.code

t.test('codes for each kind of mistake', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const cases: Array<[string, string, Record<string, unknown> | undefined, string, number]> = [
    ['unknown field', '{ frameworks { nope } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400],
    ['syntax', '{ frameworks { id }', undefined, 'GRAPHQL_PARSE_FAILED', 400],
    ['missing variable', 'query ($id: ID!) { competency(id: $id) { id } }', {}, 'BAD_USER_INPUT', 400],
    ['wrong variable type', 'query ($n: Int) { search(q: "x", first: $n) { total } }', { n: 'ten' }, 'BAD_USER_INPUT', 400],
    ['unknown framework', '{ framework(id: "nope") { id } }', undefined, 'NOT_FOUND', 200],
    ['unknown version', '{ framework(id: "isp") { version(number: "9.9") { number } } }', undefined, 'NOT_FOUND', 200],
    ['unknown competency', '{ competency(id: "../../etc/passwd") { id } }', undefined, 'NOT_FOUND', 200],
    ['unknown lookup', '{ framework(id: "isp") { version { activity(id: "nope") { id } } } }', undefined, 'NOT_FOUND', 200],
    ['unknown filter value', '{ framework(id: "isp") { version { competencies(domain: "nope") { id } } } }', undefined, 'BAD_USER_INPUT', 200],
    ['unknown changes base', '{ framework(id: "isp") { version { changes(from: "0.1") { from } } } }', undefined, 'NOT_FOUND', 200],
    ['bad uuid', '{ node(id: "co-learning") { uuid } }', undefined, 'BAD_USER_INPUT', 200],
    ['unknown uuid', '{ node(id: "00000000-0000-4000-8000-000000000000") { uuid } }', undefined, 'NOT_FOUND', 200],
    ['FTS syntax', '{ search(q: "\\"unclosed") { total } }', undefined, 'SEARCH_SYNTAX_ERROR', 200],
    ['FTS column injection', '{ search(q: "vkey:1 OR nope:trust") { total } }', undefined, 'SEARCH_SYNTAX_ERROR', 200],
    ['FTS operator soup', '{ search(q: "NEAR(( AND OR NOT *") { total } }', undefined, 'SEARCH_SYNTAX_ERROR', 200],
    ['empty search', '{ search(q: "   ") { total } }', undefined, 'BAD_USER_INPUT', 200],
    ['unknown enum', '{ search(q: "trust", type: [nope]) { total } }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400],
    ['subscription', 'subscription { x }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400],
    ['mutation', 'mutation { x }', undefined, 'GRAPHQL_VALIDATION_FAILED', 400]
  ]
  for (const [name, query, variables, code, status] of cases) {
    const res = await gql(app, query, variables === undefined ? {} : { variables })
    t.equal(codeOf(res), code, `${name}: ${code}`)
    t.equal(res.status, status, `${name}: HTTP ${status}`)
    for (const error of res.body.errors ?? []) t.ok(typeof error.extensions?.code === 'string' && error.message.length > 0, `${name}: every error has a code and a message`)
  }
})

t.test('a not-found lookup nulls only its field, with the path', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, '{ frameworks { id } competency(id: "nope") { id } }')
  t.same(res.body.data, { frameworks: [{ id: 'isp' }], competency: null })
  t.same(res.body.errors?.[0]?.path, ['competency'])
  t.match(res.body.errors?.[0]?.message, /no competency 'nope' in isp@1\.1/)
})

t.test('request-level mistakes', async (t) => {
  const app = await buildApp(t)
  const post = async (payload: string, type = 'application/json') => app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': type }, payload })
  const cases: Array<[string, Awaited<ReturnType<typeof post>>, string, number]> = [
    ['malformed JSON', await post('{"query": '), 'BAD_REQUEST', 400],
    ['not an object', await post('"query"'), 'BAD_REQUEST', 400],
    ['no query', await post('{}'), 'BAD_REQUEST', 400],
    ['text body', await post('query=x', 'text/plain'), 'BAD_REQUEST', 400],
    ['JSON that is not a query', await post('{"query": "{\\"kind\\": \\"Document\\", \\"definitions\\": 42}"}'), 'GRAPHQL_PARSE_FAILED', 400],
    ['an empty JSON object as a GraphQL body', await post('{}', 'application/graphql'), 'GRAPHQL_PARSE_FAILED', 400],
    ['a number for a query', await post('{"query": 42}'), 'GRAPHQL_PARSE_FAILED', 400],
    ['wrong media type', await post('<query/>', 'application/xml'), 'UNSUPPORTED_MEDIA_TYPE', 415],
    ['GET without query', await app.inject({ method: 'GET', url: '/graphql' }), 'BAD_REQUEST', 400],
    ['GET with bad variables', await app.inject({ method: 'GET', url: '/graphql?query=%7B__typename%7D&variables=%7Bnot-json' }), 'BAD_REQUEST', 400],
    // The query string itself cannot be decoded: the request is malformed, before any GraphQL.
    ['invalid percent-encoding', await app.inject({ method: 'GET', url: '/graphql?query=%E0%A4%A' }), 'BAD_REQUEST', 400],
    ['invalid UTF-8', await app.inject({ method: 'GET', url: '/graphql?query=%7B%C3%28%7D' }), 'BAD_REQUEST', 400]
  ]
  for (const [name, res, code, status] of cases) {
    t.equal(res.statusCode, status, `${name}: HTTP ${status}`)
    const body = res.json() as { errors: Array<{ message: string, extensions: { code: string } }> }
    t.equal(body.errors[0]?.extensions.code, code, `${name}: ${code}`)
    t.notMatch(res.body, /node_modules|at \w+ \(/, `${name}: no stack trace`)
  }
  const graphqlBody = await post('{ frameworks { id } }', 'application/graphql')
  t.same(graphqlBody.json(), { data: { frameworks: [{ id: 'isp' }] } }, 'application/graphql bodies work too')
})

t.test('GET with an operationName the document lacks, several operations and none named, or a mutation: the error a POST gets (found by fuzzing)', async (t) => {
  const app = await buildApp(t)
  const two = 'query A { frameworks { id } } query B { frameworks { id } }'
  const get = (query: string | undefined, extra: Record<string, string>) => app.inject({ method: 'GET', url: '/graphql', query: { ...(query === undefined ? {} : { query }), ...extra } })
  t.equal((await gql(app, '{ frameworks { id } }')).status, 200, 'the query is known (parsed and cached) before the GETs')
  const cases: Array<[string, string | undefined, Record<string, string>, string]> = [
    ['unknown name', '{ frameworks { id } }', { operationName: 'Other' }, 'Unknown operation named "Other".'],
    ['unknown name, named operation', 'query Q { frameworks { id } }', { operationName: 'Other' }, 'Unknown operation named "Other".'],
    ['two operations, no name', two, {}, 'Must provide operation name if query contains multiple operations.'],
    ['an empty name', 'query Q { frameworks { id } }', { operationName: '' }, 'Unknown operation named "".'],
    ['a mutation', 'mutation { x }', {}, 'Schema is not configured to execute mutation operation.'],
    ['a subscription by name', 'subscription S { x } query Q { frameworks { id } }', { operationName: 'S' }, 'Schema is not configured to execute subscription operation.']
  ]
  const hash = createHash('sha256').update(two).digest('hex')
  const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } })
  t.equal((await app.inject({ method: 'POST', url: '/graphql', payload: { query: two, operationName: 'A', extensions: JSON.parse(extensions) } })).statusCode, 200, 'registered')
  cases.push(['persisted, unknown name', undefined, { extensions, operationName: 'C' }, 'Unknown operation named "C".'])
  for (const [name, query, extra, message] of cases) {
    const res = await get(query, extra)
    t.equal(res.statusCode, 400, name)
    t.same(res.json(), { errors: [{ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }, name)
  }
  t.equal((await get(two, { operationName: 'B' })).statusCode, 200, 'a name the document has runs')
  t.equal((await get(undefined, { extensions, operationName: 'A' })).statusCode, 200, 'and so does the persisted one')
})

t.test('refusals before GraphQL runs keep their HTTP status and say why (found by the abuse tests: they were INTERNAL_SERVER_ERROR in a 200)', async (t) => {
  const limited = await buildApp(t, { env: { RATE_LIMIT_MAX: '1' } })
  t.equal((await gql(limited, '{ frameworks { id } }', { method: 'GET' })).status, 200)
  const rate = await gql(limited, '{ frameworks { id } }', { method: 'GET' })
  t.equal(rate.status, 429)
  t.match(rate.headers['retry-after'], /^[1-9]\d*$/)
  t.same(rate.body.errors?.map((e) => e.extensions?.code), ['RATE_LIMITED'])
  t.match(rate.body.errors?.[0]?.message, /Rate limit exceeded/)

  const app = await buildApp(t)
  const long = await app.inject({ method: 'GET', url: `/graphql?query=${'x'.repeat(9000)}` })
  t.equal(long.statusCode, 414)
  t.same(long.json().errors.map((e: { extensions: { code: string } }) => e.extensions.code), ['URL_TOO_LONG'])

  const pressed = await buildApp(t, { env: { PRESSURE_MAX_HEAP_BYTES: '1', PRESSURE_SAMPLE_INTERVAL: '10', PRESSURE_RETRY_AFTER: '7' } })
  for (let i = 0; i < 1000 && !pressed.isUnderPressure(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  const shed = await gql(pressed, '{ frameworks { id } }')
  t.equal(shed.status, 503)
  t.equal(shed.headers['retry-after'], '7')
  t.same(shed.body.errors?.map((e) => e.extensions?.code), ['SERVICE_UNAVAILABLE'])
})

t.test('an unexpected failure is a generic INTERNAL_SERVER_ERROR', async (t) => {
  class Failing extends Repository {
    override entities<K extends ListedType> (type: K): EntityReader<RecordByType[K]> {
      const reader = super.entities(type)
      if (type !== 'hint') return reader
      return Object.assign(Object.create(reader) as EntityReader<RecordByType[K]>, {
        list: () => { throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path/content.db') }
      })
    }
  }
  const repository = new Failing(testDatabase())
  t.teardown(() => repository.close())
  const app = await build({ config: testConfig(), repository })
  t.teardown(() => app.close())
  // The version's index reads the hints when it is built, on the first query that needs it.
  const res = await gql(app, '{ competency(id: "co-learning") { id hint { id } } }')
  t.equal(res.status, 200, 'GraphQL over HTTP: the request was fine, the error is in the body')
  t.same(res.body.data, { competency: null })
  t.same(res.body.errors, [{ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['competency'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }])
  t.notMatch(res.raw, /SQLITE|secret|malformed|\.ts/)
})

t.test('field suggestions: on in development, off in production', async (t) => {
  const typo = '{ framworks { id } }'
  const dev = await gql(await buildApp(t), typo)
  t.match(dev.body.errors?.[0]?.message, /Did you mean "frameworks"/)
  const prod = await gql(await buildApp(t, { env: { NODE_ENV: 'production' } }), typo)
  t.equal(prod.body.errors?.[0]?.message, 'Cannot query field "framworks" on type "Query".')
  t.equal(prod.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED')
  const arg = await gql(await buildApp(t, { env: { NODE_ENV: 'production' } }), '{ competency(idd: "x") { id } }')
  for (const e of arg.body.errors ?? []) t.notMatch(e.message, /Did you mean/)
})
