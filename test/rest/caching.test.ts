/** ETags, 304s, Cache-Control for pinned and latest, Content-Location, and the in-memory response cache. */
import t from 'tap'
import { createHash } from 'node:crypto'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { ajvOptions } from '../../src/app.js'
import { ResponseCache } from '../../src/web/response-cache.js'
import errors from '../../src/web/error-handler.js'
import { restSchemas } from '../../src/rest/schemas/index.js'
import formats from '../../src/formats/plugin.js'
import rest from '../../src/rest/index.js'
import openapi from '../../src/web/openapi.js'
import repository from '../../src/catalog/plugin.js'
import { buildApp, testConfig } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'

const BASE = 'http://localhost:3000'
const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)

const urls = [
  '/v1', '/v1/frameworks', '/v1/frameworks/isp', '/v1/frameworks/isp/1.1', '/v1/frameworks/isp/1.1/principles',
  '/v1/frameworks/isp/1.1/competencies/co-learning', '/v1/frameworks/isp/1.1/competencies?include=activities,hint',
  '/v1/frameworks/isp/1.1/competencies/co-learning/activities', '/v1/frameworks/isp/1.1/resources/collaborative-for-implementation-practice',
  '/v1/frameworks/isp/1.2/changes?from=1.1', '/v1/frameworks/isp/1.1/export', '/v1/search?q=trust'
]

t.test('every GET has a strong ETag, and If-None-Match with it is a 304 without a body', async (t) => {
  for (const url of urls) {
    const res = await inject(url)
    t.equal(res.statusCode, 200, url)
    const etag = res.headers.etag as string
    t.match(etag, /^"[A-Za-z0-9_-]+"$/, `${url}: strong ETag`)
    t.equal(res.headers.vary, 'Accept, Accept-Encoding')
    const again = await inject({ url, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304, `${url}: 304`)
    t.equal(again.body, '')
    t.equal(again.headers.etag, etag)
    t.equal(again.headers['cache-control'], res.headers['cache-control'])
    const weak = await inject({ url, headers: { 'if-none-match': `"other", W/${etag}` } })
    t.equal(weak.statusCode, 304, `${url}: a list with a weak match is a 304`)
    const star = await inject({ url, headers: { 'if-none-match': '*' } })
    t.equal(star.statusCode, 304)
    const stale = await inject({ url, headers: { 'if-none-match': '"stale"' } })
    t.equal(stale.statusCode, 200, `${url}: a stale ETag gets the body`)
    t.equal(stale.body, res.body)
  }
})

t.test('different representations have different ETags; the same body has the same ETag', async (t) => {
  const a = await inject('/v1/frameworks/isp/1.1/competencies/co-learning')
  const b = await inject('/v1/frameworks/isp/1.1/competencies/brokering')
  t.not(a.headers.etag, b.headers.etag)
  const latest = await inject('/v1/frameworks/isp/latest/competencies/co-learning')
  const pinned = await inject('/v1/frameworks/isp/1.2/competencies/co-learning')
  t.equal(latest.headers.etag, pinned.headers.etag, 'latest and its pinned URL send the same bytes')
  t.equal(latest.body, pinned.body)
  const v11 = await inject('/v1/frameworks/isp/1.1/competencies/co-learning')
  t.not(v11.headers.etag, pinned.headers.etag, 'versions differ (href, version and the fixture edit)')
})

t.test('pinned versions are immutable; latest is short-lived and names its pinned URL', async (t) => {
  const pinned = await inject('/v1/frameworks/isp/1.1/competencies?limit=5')
  t.equal(pinned.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.notOk(pinned.headers['content-location'])

  const cases: Array<[string, string]> = [
    ['/v1/frameworks/isp/latest', `${BASE}/v1/frameworks/isp/1.2`],
    ['/v1/frameworks/isp/latest/competencies?limit=5', `${BASE}/v1/frameworks/isp/1.2/competencies?limit=5`],
    ['/v1/frameworks/isp/latest/activities/co-learning-a8', `${BASE}/v1/frameworks/isp/1.2/activities/co-learning-a8`],
    ['/v1/frameworks/isp/latest/export', `${BASE}/v1/frameworks/isp/1.2/export`],
    ['/v1/frameworks/isp/latest/changes?from=1.1', `${BASE}/v1/frameworks/isp/1.2/changes?from=1.1`],
    ['/v1/search?q=trust', `${BASE}/v1/search?q=trust&version=1.2&framework=isp`]
  ]
  for (const [url, location] of cases) {
    const res = await inject(url)
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['cache-control'], 'public, max-age=300', `${url}: short max-age`)
    t.equal(res.headers['content-location'], location, `${url}: Content-Location`)
    const revalidated = await inject({ url, headers: { 'if-none-match': res.headers.etag as string } })
    t.equal(revalidated.headers['content-location'], location, '304s keep Content-Location')
  }
  const searchPinned = await inject('/v1/search?q=trust&version=1.1')
  t.equal(searchPinned.headers['cache-control'], 'public, max-age=31536000, immutable')
  for (const url of ['/v1', '/v1/frameworks', '/v1/frameworks/isp']) {
    t.equal((await inject(url)).headers['cache-control'], 'public, max-age=300', `${url} changes with a deploy: short max-age`)
  }
})

t.test('a repeated request is served from memory: no database statement, the same bytes', async (t) => {
  const url = '/v1/frameworks/isp/1.1/activities?q=trust&sort=-code'
  const first = await inject(url)
  const before = app.repo.statements
  const second = await inject(url)
  t.equal(app.repo.statements, before, 'no statement on a repeat')
  t.equal(second.body, first.body)
  t.equal(second.headers.etag, first.headers.etag)
  const reordered = await inject('/v1/frameworks/isp/1.1/activities?sort=-code&q=trust')
  t.equal(app.repo.statements, before, 'the same parameters in another order reuse the response')
  t.equal(reordered.body, first.body)
  const withDefaults = await inject('/v1/frameworks/isp/1.1/activities?sort=-code&q=trust&limit=50&offset=0&format=json')
  t.equal(withDefaults.body, first.body)
  t.equal(app.repo.statements, before)
})

/** The REST layer on its own, with a small cache the test can inspect. */
async function withCache (t: Test, cache: ResponseCache): Promise<FastifyInstance> {
  const config = testConfig({ fixtures: true })
  const small = Fastify({ ajv: { customOptions: ajvOptions } })
  small.decorate('config', config)
  await small.register(openapi, { config, schemas: restSchemas })
  await small.register(repository, { dbPath: config.DB_PATH })
  await small.register(errors)
  await small.register(formats, { config })
  await small.register(rest, { prefix: '/v1', config, cache })
  t.teardown(() => small.close())
  return small
}

t.test('bad requests never enter the cache', async (t) => {
  const cache = new ResponseCache()
  const small = await withCache(t, cache)
  for (let i = 0; i < 3; i++) t.equal((await small.inject('/v1/frameworks/isp/1.1/competencies?limit=500')).statusCode, 400, 'validated on every try')
  t.equal((await small.inject('/v1/frameworks/isp/1.1/competencies?bogus=1')).statusCode, 400)
  t.equal((await small.inject('/v1/frameworks/isp/1.1/competencies/nope')).statusCode, 404)
  t.equal((await small.inject('/v1/frameworks/isp/9.9/competencies')).statusCode, 404)
  t.equal((await small.inject({ url: '/v1/frameworks/isp/1.1', headers: { accept: 'text/html' } })).statusCode, 406)
  t.equal((await small.inject('/v1/search?q=%22unbalanced')).statusCode, 400)
  t.same(cache.stats(), { entries: 0, aliases: 0, bytes: 0, protected: 0, declined: 0 })
  const ok = await small.inject('/v1/frameworks/isp/1.1/competencies/co-learning')
  t.equal(cache.stats().entries, 1)
  t.ok(cache.stats().bytes > ok.rawPayload.length, 'the body and its keys')
})

t.test('the cache stays within its bounds and answers correctly after evictions', async (t) => {
  const cache = new ResponseCache({ maxBytes: 60_000, maxEntryBytes: 20_000, maxAliasesPerEntry: 2 })
  const small = await withCache(t, cache)
  const ids = ['co-learning', 'brokering', 'co-design', 'facilitation', 'communication', 'developing-teams']
  const first = new Map<string, string>()
  for (const id of ids) {
    first.set(id, (await small.inject(`/v1/frameworks/isp/1.1/competencies/${id}`)).body)
    t.ok(cache.stats().bytes <= 60_000, `bounded in bytes after ${id}`)
  }
  for (const id of ids) {
    t.equal((await small.inject(`/v1/frameworks/isp/1.1/competencies/${id}`)).body, first.get(id), `${id} after eviction`)
  }
})

t.test('a flood of distinct queries and junk headers stays within the byte cap, and the hot set survives it', async (t) => {
  const cap = 600_000
  const cache = new ResponseCache({ maxBytes: cap, maxEntryBytes: 200_000 })
  const small = await withCache(t, cache)
  const hot = ['/v1/frameworks/isp/1.1/competencies/co-learning', '/v1/frameworks/isp/1.1/competencies?include=activities,hint']
  for (const url of hot) for (let i = 0; i < 2; i++) await small.inject({ url, headers: { 'accept-encoding': 'br' } })
  let peak = 0
  const words = ['trust', 'team', 'data', 'change', 'learn', 'support', 'practice', 'equity']
  for (let i = 0; i < 300; i++) {
    const url = i % 3 === 0
      ? `/v1/search?q=${words[i % words.length]!}&limit=${1 + (i % 50)}`
      : `/v1/frameworks/isp/1.1/activities?limit=${1 + (i % 100)}&offset=${i % 7}`
    // A 4 KB Accept header per request: each spelling is a distinct raw key.
    const res = await small.inject({ url, headers: { accept: `application/json, ${'x'.repeat(4000)}${i}/y;q=0.1`, 'accept-encoding': i % 2 === 0 ? 'gzip' : 'identity' } })
    t.equal(res.statusCode, 200, `flood request ${i}`)
    peak = Math.max(peak, cache.stats().bytes)
    if (i % 25 === 0) for (const url of hot) await small.inject({ url, headers: { 'accept-encoding': 'br' } })
  }
  t.ok(peak <= cap, `accounted bytes peaked at ${peak}, within ${cap}`)
  t.ok(cache.stats().aliases <= cache.stats().entries * 8, 'aliases only of entries still kept')
  const statements = small.repo.statements
  for (const url of hot) t.equal((await small.inject({ url, headers: { 'accept-encoding': 'br' } })).headers['content-encoding'], 'br')
  t.equal(small.repo.statements, statements, 'the hot responses were still cached: no database work')
})

t.test('compression on demand: none for a client that does not ask, one encoding for one that does', async (t) => {
  const cache = new ResponseCache()
  const small = await withCache(t, cache)
  const url = '/v1/frameworks/isp/1.1/competencies?include=activities,hint'
  const plain = await small.inject(url)
  const identityBytes = cache.stats().bytes
  t.notOk(plain.headers['content-encoding'])
  await small.inject(url)
  t.equal(cache.stats().bytes, identityBytes, 'no encoded variant was made for clients that accept none')
  const gz = await small.inject({ url, headers: { 'accept-encoding': 'gzip' } })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.equal(gunzipSync(gz.rawPayload).toString(), plain.body)
  const withGzip = cache.stats().bytes
  t.ok(withGzip > identityBytes && withGzip < identityBytes + plain.rawPayload.length / 2, 'the gzip variant alone was added and charged')
})

t.test('Content-Digest of the export is the SHA-256 of the bytes sent, in each encoding', async (t) => {
  for (const encoding of [undefined, 'br', 'gzip']) {
    const res = await inject({ url: '/v1/frameworks/isp/1.1/export', headers: encoding === undefined ? {} : { 'accept-encoding': encoding } })
    t.equal(res.headers['content-encoding'], encoding)
    t.equal(res.headers['content-digest'], `sha-256=:${createHash('sha256').update(res.rawPayload).digest('base64')}:`, `${encoding ?? 'identity'}`)
  }
})

t.test('bodies over 1 KiB are sent compressed when the client accepts it, each encoding with its own ETag', async (t) => {
  const url = '/v1/frameworks/isp/1.1/competencies?include=activities,hint'
  const plain = await inject(url)
  t.notOk(plain.headers['content-encoding'], 'no Accept-Encoding: identity')
  const br = await inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body)
  t.ok(br.rawPayload.length * 5 < plain.rawPayload.length, `brotli: ${plain.rawPayload.length} → ${br.rawPayload.length} bytes`)
  const gz = await inject({ url, headers: { 'accept-encoding': 'gzip' } })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.equal(gunzipSync(gz.rawPayload).toString(), plain.body)
  const etags = [plain.headers.etag, br.headers.etag, gz.headers.etag]
  t.equal(new Set(etags).size, 3, 'three encodings, three strong ETags')
  t.match(br.headers.etag, /-br"$/)
  t.match(gz.headers.etag, /-gz"$/)
  t.equal(br.headers.link, plain.headers.link)

  const revalidated = await inject({ url, headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string } })
  t.equal(revalidated.statusCode, 304)
  t.equal(revalidated.headers.etag, br.headers.etag)
  const otherEncoding = await inject({ url, headers: { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag as string } })
  t.equal(otherEncoding.statusCode, 200, 'a brotli ETag does not validate the gzip bytes')
  t.equal((await inject({ url, headers: { 'accept-encoding': 'br;q=0, identity' } })).headers['content-encoding'], undefined)

  const small = await inject({ url: '/v1/frameworks/isp', headers: { 'accept-encoding': 'br' } })
  t.ok(small.rawPayload.length < 1024)
  t.notOk(small.headers['content-encoding'], 'small bodies are sent as they are')
})
