/**
 * GraphQL abuse in the production configuration: deep, wide, aliased, costly, cyclic and batched
 * queries, huge paging values, long and hostile search text and oversized bodies. Each is refused
 * with its documented status and code (and the limit it hit), nothing internal shows, and the
 * service still answers and is ready afterwards.
 */
import t, { type Test } from 'tap'
import { buildApp } from '../helpers/app.js'
import { healthy, hostile, leaks } from '../helpers/fuzz.js'
import { MAX_ALIASES, MAX_COST, MAX_DEPTH, MAX_Q_LENGTH, MAX_TOKENS } from '../../src/graphql/limits.js'

const app = await buildApp(t, { env: { NODE_ENV: 'production' } })

interface Refusal { status: number, code: string, limit?: string, argument?: string }

/** Sends a request and checks it is refused as expected: status, code, limit, no data when the request fails, nothing internal. */
async function refused (t: Test, name: string, payload: unknown, expect: Refusal, headers: Record<string, string> = {}): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })
  t.equal(res.statusCode, expect.status, `${name}: HTTP ${expect.status}`)
  const body = res.json<{ data?: unknown, errors?: Array<{ message: string, extensions?: Record<string, unknown> }> }>()
  const error = body.errors?.find((e) => e.extensions?.code === expect.code)
  t.ok(error, `${name}: ${expect.code} (${JSON.stringify(body.errors?.map((e) => e.extensions))})`)
  if (expect.limit !== undefined) t.equal(error?.extensions?.limit, expect.limit, `${name}: names the ${expect.limit} limit`)
  if (expect.argument !== undefined) t.equal(error?.extensions?.argument, expect.argument, `${name}: names ${expect.argument}`)
  t.ok(body.errors?.every((e) => typeof e.extensions?.code === 'string'), `${name}: every error has a code`)
  if (expect.status >= 400) t.notOk('data' in body && body.data !== null, `${name}: no data`)
  t.same(leaks(res.body), [], `${name}: nothing internal`)
  t.notMatch(res.body, /Did you mean/, `${name}: no field suggestions in production`)
}

/** `{ competency(id: "co-learning") { domain { competencies { domain … { id } } } } }`, `levels` below competency. */
function deep (levels: number): string {
  const fields = Array.from({ length: levels }, (_, i) => i % 2 === 0 ? 'domain' : 'competencies')
  return `{ competency(id: "co-learning") { ${fields.map((f) => `${f} { `).join('')}id${' }'.repeat(levels)} } }`
}

t.test('deep, wide, aliased, costly, cyclic and batched queries', async (t) => {
  t.equal((await app.inject({ method: 'POST', url: '/graphql', payload: { query: deep(MAX_DEPTH - 2) } })).statusCode, 200, `a query ${MAX_DEPTH - 1} deep runs`)
  await refused(t, 'one level too deep', { query: deep(MAX_DEPTH) }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' })
  await refused(t, 'very deep', { query: deep(300) }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' })
  await refused(t, 'deeper than the parser reads', { query: deep(1000) }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens' })
  await refused(t, 'wide: thousands of fields', { query: `{ frameworks { ${'id '.repeat(MAX_TOKENS)} } }` }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens' })
  await refused(t, 'wide: a directive flood', { query: `{ frameworks ${'@include(if: true) '.repeat(400)} { id } }` }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens' })
  const aliases = (n: number): string => `{ ${Array.from({ length: n }, (_, i) => `a${i}: frameworks { id }`).join(' ')} }`
  t.equal((await app.inject({ method: 'POST', url: '/graphql', payload: { query: aliases(MAX_ALIASES) } })).statusCode, 200, `${MAX_ALIASES} aliases run`)
  await refused(t, 'one alias too many', { query: aliases(MAX_ALIASES + 1) }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' })
  await refused(t, 'aliases in a fragment', { query: `{ ...F } fragment F on Query { ${Array.from({ length: 40 }, (_, i) => `x${i}: frameworks { id }`).join(' ')} }` }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' })
  await refused(t, 'a fragment of aliases spread again and again', { query: `{ ${'...F '.repeat(50)} } fragment F on Query { a: frameworks { id } }` }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' })
  await refused(t, `costly: nested lists over ${MAX_COST} values`, { query: '{ framework(id: "isp") { versions { activities { competency { activities { competency { activities { id code text } } } } } } } }' },
    { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' })
  await refused(t, 'a fragment cycle', { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' })
  await refused(t, 'batched queries', [{ query: '{ frameworks { id } }' }, { query: '{ frameworks { id } }' }], { status: 400, code: 'BAD_REQUEST' })
  await refused(t, 'a batch of one', [{ query: '{ frameworks { id } }' }], { status: 400, code: 'BAD_REQUEST' })
  await refused(t, 'a body over 64 KiB', { query: `{ frameworks { id } } # ${'x'.repeat(70_000)}` }, { status: 413, code: 'PAYLOAD_TOO_LARGE' })
  await refused(t, 'a field guessed in production', { query: '{ framework(id: "isp") { versio { number } } }' }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' })
})

t.test('huge paging values', async (t) => {
  const list = (args: string): string => `{ framework(id: "isp") { version { activities(${args}) { id } } } }`
  await refused(t, 'first: 1000000', { query: list('first: 1000000') }, { status: 200, code: 'BAD_USER_INPUT', argument: 'first' })
  await refused(t, 'first over 32 bits', { query: list('first: 99999999999') }, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' })
  await refused(t, 'first as a variable over 32 bits', { query: 'query ($n: Int) { search(q: "trust", first: $n) { total } }', variables: { n: 2 ** 53 } }, { status: 400, code: 'BAD_USER_INPUT' })
  await refused(t, 'offset: -1', { query: list('offset: -1') }, { status: 200, code: 'BAD_USER_INPUT', argument: 'offset' })
  await refused(t, 'search first: 101', { query: '{ search(q: "trust", first: 101) { total } }' }, { status: 200, code: 'BAD_USER_INPUT', argument: 'first' })
  const far = await app.inject({ method: 'POST', url: '/graphql', payload: { query: list('offset: 2147483647') } })
  t.same(far.json(), { data: { framework: { version: { activities: [] } } } }, 'the largest offset is an empty page, not an error')
})

t.test('long and hostile search text', async (t) => {
  const search = (q: string) => ({ query: 'query ($q: String!) { search(q: $q) { total hits { id } } }', variables: { q } })
  await refused(t, `q over ${MAX_Q_LENGTH} characters`, search('trust '.repeat(40)), { status: 200, code: 'BAD_USER_INPUT', argument: 'q' })
  await refused(t, 'q of 60 KB', search('a'.repeat(60_000)), { status: 200, code: 'BAD_USER_INPUT', argument: 'q' })
  for (const q of ['"', '"unclosed', 'NEAR(', '*', '(', '((trust)', 'trust AND', 'text:(trust OR team)', "trust' OR 1=1 --", "x' UNION SELECT sql FROM sqlite_master --", 'rank:bm25']) {
    await refused(t, `FTS ${q}`, search(q), { status: 200, code: 'SEARCH_SYNTAX_ERROR' })
  }
  for (const q of hostile.fts) {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: search(q) })
    t.equal(res.statusCode, 200, `FTS ${q}: answered`)
    const body = res.json<{ data: { search: { total: number } } | null, errors?: Array<{ extensions: { code: string } }> }>()
    t.ok(body.data?.search !== undefined || body.errors?.[0]?.extensions.code === 'SEARCH_SYNTAX_ERROR', `FTS ${q}: results or SEARCH_SYNTAX_ERROR`)
  }
})

t.test('still serving and ready after all that', async (t) => {
  t.same((await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ competency(id: "co-learning") { code } }' } })).json(), { data: { competency: { code: 'C01' } } })
  t.same(await healthy(app), { status: 200, body: { status: 'ok', checks: { database: 'pass', content: 'pass', load: 'pass', shutdown: 'pass', curricula: 'pass' } } })
})
