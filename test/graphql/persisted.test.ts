/**
 * Automatic persisted queries: a client registers a query by its sha256 hash, then sends only the
 * hash, by GET, which proxies and browsers can cache (ETag, Cache-Control, 304).
 */
import t from 'tap'
import { createHash } from 'node:crypto'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

const query = 'query ($id: ID!) { competency(id: $id) { id name hint { text } } }'
const sha256Hash = createHash('sha256').update(query).digest('hex')
const persisted = { persistedQuery: { version: 1, sha256Hash } }

t.test('register by POST, then GET with only the hash', async (t) => {
  const app = await buildApp(t)
  const variables = { id: 'co-learning' }

  const unknown = await gql(app, undefined, { method: 'GET', variables, extensions: persisted })
  t.equal(unknown.body.errors?.[0]?.message, 'PersistedQueryNotFound', 'the message Apollo clients look for')
  t.equal(unknown.body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_FOUND')

  const registered = await gql(app, query, { variables, extensions: persisted })
  t.equal(registered.status, 200)
  t.equal(registered.body.errors, undefined)

  const byHash = await gql(app, undefined, { method: 'GET', variables, extensions: persisted })
  t.equal(byHash.status, 200)
  t.same(byHash.body, registered.body, 'the hash runs the registered query')
  t.match(byHash.headers['cache-control'], /public, max-age=\d+/, 'cacheable')
  t.match(byHash.headers.etag, /^"[\w-]+"$/, 'with a validator')

  const again = await gql(app, undefined, { method: 'GET', variables, extensions: persisted, headers: { 'if-none-match': String(byHash.headers.etag) } })
  t.equal(again.status, 304, 'revalidation')
  t.equal(again.raw, '')

  const other = await gql(app, undefined, { method: 'GET', variables: { id: 'brokering' }, extensions: persisted })
  t.match(other.body.data, { competency: { id: 'brokering' } }, 'the same hash with other variables')
  t.not(other.headers.etag, byHash.headers.etag)
})

t.test('a hash that does not match its query, and an unknown protocol version', async (t) => {
  const app = await buildApp(t)
  const wrong = await gql(app, '{ frameworks { id } }', { extensions: persisted })
  t.equal(wrong.status, 400)
  t.equal(wrong.body.errors?.[0]?.extensions?.code, 'BAD_REQUEST')
  t.match(wrong.body.errors?.[0]?.message, /hash does not match/)
  const v2 = await gql(app, undefined, { method: 'GET', extensions: { persistedQuery: { version: 2, sha256Hash } } })
  t.equal(v2.body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_SUPPORTED')
})

t.test('results are cached per query and variables; errors are not', async (t) => {
  const app = await buildApp(t)
  // Every resolver that reads content asks the catalog for a version's index: count the asks.
  let reads = 0
  const readyIndex = app.catalog.readyIndex.bind(app.catalog)
  app.catalog.readyIndex = (v) => { reads++; return readyIndex(v) }
  const statements = async (q: string, variables?: Record<string, unknown>, method: 'GET' | 'POST' = 'POST') => {
    const before = reads
    const res = await gql(app, q, { method, ...(variables === undefined ? {} : { variables }) })
    return { n: reads - before, res }
  }
  const first = await statements(query, { id: 'co-design' })
  t.ok(first.n > 0)
  const second = await statements(query, { id: 'co-design' })
  t.equal(second.n, 0, 'the same query and variables are answered from memory')
  t.equal(second.res.raw, first.res.raw, 'byte for byte')
  const viaGet = await statements(query, { id: 'co-design' }, 'GET')
  t.equal(viaGet.n, 0, 'GET and POST share entries')
  t.equal(viaGet.res.raw, first.res.raw)
  t.ok((await statements(query, { id: 'brokering' })).n > 0, 'other variables run')

  const missing = '{ competency(id: "no-such-competency") { id } }'
  t.ok((await statements(missing)).n > 0)
  t.ok((await statements(missing)).n > 0, 'a response with errors is computed again')

  const post = await gql(app, query, { variables: { id: 'co-design' } })
  t.equal(post.headers['cache-control'], 'public, max-age=300', 'POST responses carry the validators and Cache-Control of GET (src/web/http-cache.ts)')
  t.ok(post.headers.etag)
  const get = await gql(app, query, { method: 'GET', variables: { id: 'co-design' } })
  t.match(get.headers['cache-control'], /public/)
  const getFresh = await gql(app, '{ frameworks { id } }', { method: 'GET' })
  t.match(getFresh.headers.etag, /^"/, 'a GET computed now has an ETag too')
})

t.test('over a real connection: register, then GET by hash and revalidate', async (t) => {
  const app = await buildApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/graphql`
  const variables = JSON.stringify({ id: 'facilitation' })
  const register = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: JSON.parse(variables), extensions: persisted }) })
  t.equal(register.status, 200)
  const url = `${base}?${new URLSearchParams({ extensions: JSON.stringify(persisted), variables })}`
  const first = await fetch(url)
  t.equal(first.status, 200)
  t.match(await first.json(), { data: { competency: { id: 'facilitation' } } })
  const etag = first.headers.get('etag')
  t.ok(etag)
  const second = await fetch(url, { headers: { 'if-none-match': etag! } })
  t.equal(second.status, 304)
})

t.test('registered queries are kept within a byte budget, the ones asked for again first', async (t) => {
  const { persistedQueries } = await import('../../src/graphql/persisted.js')
  const counts = { hit: 0, miss: 0, evicted: 0 }
  const store = persistedQueries({ hit: () => { counts.hit++ }, miss: () => { counts.miss++ }, evicted: () => { counts.evicted++ } }, 1024 * 1024)
  const big = (i: number): string => `# ${'c'.repeat(30 * 1024)}\n{ frameworks { id } } # ${i}`
  const hot = '{ frameworks { id name } }'
  const hotHash = store.getHashForQuery!(hot)
  await store.saveQuery!(hotHash, hot)
  t.equal(await store.getQueryFromHash(hotHash), hot, 'asked for by its hash: kept')
  let peak = 0
  for (let i = 0; i < 200; i++) {
    const query = big(i)
    await store.saveQuery!(store.getHashForQuery!(query), query)
    peak = Math.max(peak, store.stats().bytes)
  }
  t.ok(peak <= 1024 * 1024, `at most the budget held (peak ${peak} bytes of 200 × 60 KB registered)`)
  t.ok(counts.evicted > 150, 'one-off registrations evicted')
  t.equal(await store.getQueryFromHash(hotHash), hot, 'the hot query survived the flood')
  t.equal(await store.getQueryFromHash(store.getHashForQuery!(big(0))), undefined, 'an early one-off is gone')
  t.same([counts.hit, counts.miss], [2, 1])
  t.equal(store.peek(hotHash), hot)
  t.same([counts.hit, counts.miss], [2, 1], 'peek counts no lookup')
  t.equal(store.getHash({ query: '', extensions: { persistedQuery: { version: 2, sha256Hash: hotHash } } } as never), '', 'only version 1')
})
