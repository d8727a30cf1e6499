/**
 * REST's caching conventions hold for every transport (src/web/http-cache.ts): CASE, the resolver,
 * the OpenAPI and discovery documents, the JSON-LD contexts and GraphQL send a strong ETag,
 * Cache-Control and Vary, answer a matching If-None-Match with a 304, and compress only when asked.
 */
import t from 'tap'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { InjectOptions } from 'fastify'
import { entityUuid } from '../../src/content/ids.js'
import { SHORT } from '../../src/web/response-cache.js'
import { HttpCache, MAX_EFFORT_BYTES, NO_STORE, attachment, mergeVary } from '../../src/web/http-cache.js'
import { buildApp } from '../helpers/app.js'

const app = await buildApp(t)

const documents = await app.inject({ url: '/ims/case/v1p1/CFDocuments' })
const documentId = (documents.json() as { CFDocuments: Array<{ identifier: string }> }).CFDocuments[0]!.identifier
const packageUrl = `/ims/case/v1p1/CFPackages/${documentId}`
const item = (await app.inject({ url: packageUrl })).json() as { CFItems: Array<{ identifier: string }> }
const itemId = item.CFItems[0]!.identifier
const uuid = entityUuid('isp', 'co-learning')

const GET = (url: string, headers: Record<string, string> = {}, method: InjectOptions['method'] = 'GET') => app.inject({ method, url, headers })

/** Each URL with the Cache-Control and Vary it should send. */
const cases: Array<[string, string, string]> = [
  [packageUrl, SHORT, 'Accept-Encoding'],
  [`/ims/case/v1p1/CFItems/${itemId}`, SHORT, 'Accept-Encoding'],
  [`/ims/case/v1p0/CFPackages/${documentId}`, SHORT, 'Accept-Encoding'],
  ['/ims/case/v1p1/CFDocuments', SHORT, 'Accept-Encoding'],
  ['/ims/case/v1p1/discovery/imscasev1p1_openapi3_v1p0.json', SHORT, 'Accept-Encoding'],
  [`/uri/${uuid}`, SHORT, 'Accept, Accept-Encoding'],
  [`/uri/${uuid}?format=jsonld`, SHORT, 'Accept, Accept-Encoding'],
  ['/openapi.json', SHORT, 'Accept-Encoding'],
  ['/openapi.yaml', SHORT, 'Accept-Encoding'],
  // The same document where Swagger UI reads it.
  ['/docs/json', SHORT, 'Accept-Encoding'],
  ['/docs/yaml', SHORT, 'Accept-Encoding'],
  ['/contexts/ctdl-asn.jsonld', 'public, max-age=86400', 'Accept-Encoding'],
  [`/graphql?query=${encodeURIComponent('{ frameworks { id title } }')}`, SHORT, 'Accept-Encoding']
]

t.test('ETag, Cache-Control and Vary on every transport; If-None-Match gives a 304 without a body', async (t) => {
  for (const [url, cacheControl, vary] of cases) {
    const res = await GET(url)
    t.equal(res.statusCode, 200, url)
    t.match(res.headers.etag, /^"[\w-]{32}"$/, `${url}: strong ETag`)
    t.equal(res.headers['cache-control'], cacheControl, `${url}: Cache-Control`)
    t.equal(res.headers.vary, vary, `${url}: Vary`)
    t.notOk(res.headers['content-encoding'], `${url}: not compressed when the client did not ask`)
    const again = await GET(url, { 'if-none-match': String(res.headers.etag) })
    t.equal(again.statusCode, 304, `${url}: 304`)
    t.equal(again.body, '', `${url}: no body`)
    t.equal(again.headers.etag, res.headers.etag)
    t.equal(again.headers['cache-control'], cacheControl)
    const other = await GET(url, { 'if-none-match': '"something-else"' })
    t.equal(other.statusCode, 200, `${url}: another ETag is a 200`)
    t.equal(other.body, res.body, `${url}: the same body from memory`)
  }
})

t.test('compressed when the client accepts it: brotli preferred, gzip otherwise, each with its own ETag', async (t) => {
  const plain = await GET(packageUrl)
  t.ok(plain.rawPayload.length > 100_000, 'a CFPackage is large')
  const gz = await GET(packageUrl, { 'accept-encoding': 'gzip' })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.ok(gz.rawPayload.length < plain.rawPayload.length / 4, `gzip: ${gz.rawPayload.length} bytes of ${plain.rawPayload.length}`)
  t.equal(gunzipSync(gz.rawPayload).toString(), plain.body)
  t.match(gz.headers.etag, /-gz"$/)
  const br = await GET(packageUrl, { 'accept-encoding': 'gzip, deflate, br' })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body)
  t.equal((await GET(packageUrl, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) })).statusCode, 304)
  t.equal((await GET(packageUrl, { 'accept-encoding': 'identity' })).headers['content-encoding'], undefined, 'identity only: not compressed')

  const yaml = await GET('/openapi.yaml', { 'accept-encoding': 'br' })
  t.equal(yaml.headers['content-encoding'], 'br', 'the OpenAPI document too')
  t.equal(brotliDecompressSync(yaml.rawPayload).toString(), (await GET('/openapi.yaml')).body)
  const query = await GET(`/graphql?query=${encodeURIComponent('{ framework(id: "isp") { version { competencies { name overview } } } }')}`, { 'accept-encoding': 'gzip' })
  t.equal(query.headers['content-encoding'], 'gzip', 'GraphQL results too')
})

t.test('the resolver keeps its negotiation: a representation per Accept, each cached apart', async (t) => {
  const json = await GET(`/uri/${uuid}`)
  const ld = await GET(`/uri/${uuid}`, { accept: 'application/ld+json' })
  t.match(ld.headers['content-type'], /^application\/ld\+json/)
  t.not(ld.headers.etag, json.headers.etag)
  t.equal((await GET(`/uri/${uuid}`, { accept: 'application/ld+json', 'if-none-match': String(json.headers.etag) })).statusCode, 200, "the JSON's ETag does not validate the JSON-LD")
  t.match((await GET(`/uri/${uuid}`)).headers['content-type'], /^application\/json/, 'the remembered JSON answer is still JSON')
  const unknown = await GET('/uri/00000000-0000-4000-8000-000000000000')
  t.equal(unknown.statusCode, 404)
  t.notOk(unknown.headers.etag, 'errors are not cached')
})

t.test('CASE lists replay their paging headers from memory', async (t) => {
  const url = '/ims/case/v1p1/CFDocuments?limit=1'
  const first = await GET(url)
  const second = await GET(url)
  t.equal(second.headers['x-total-count'], first.headers['x-total-count'])
  t.equal(second.headers.link, first.headers.link)
  t.ok(first.headers.link, 'a Link header')
})

t.test('GraphQL: HEAD has the ETag and Cache-Control of GET and honours If-None-Match; POST gets validators too', async (t) => {
  const url = `/graphql?query=${encodeURIComponent('{ frameworks { id } }')}`
  const get = await GET(url)
  const head = await GET(url, {}, 'HEAD')
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.equal(head.headers.etag, get.headers.etag)
  t.equal(head.headers['cache-control'], SHORT)
  t.equal((await GET(url, { 'if-none-match': String(get.headers.etag) }, 'HEAD')).statusCode, 304)

  const post = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ frameworks { id } }' } })
  t.equal(post.statusCode, 200)
  t.equal(post.headers.etag, get.headers.etag, 'the same result, the same ETag')
  t.equal(post.headers['cache-control'], SHORT)
  t.equal(post.headers.vary, 'Accept-Encoding')
  const conditional = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ frameworks { id } }' }, headers: { 'if-none-match': String(get.headers.etag) } })
  t.equal(conditional.statusCode, 200, 'If-None-Match is a GET/HEAD precondition (RFC 9110 13.1.2)')

  const failed = await GET(`/graphql?query=${encodeURIComponent('{ framework(id: "nope") { id } }')}`)
  t.equal(failed.statusCode, 200)
  t.equal(failed.headers['cache-control'], NO_STORE, 'a result with errors is not stored by caches')
  t.ok(failed.headers.etag)
})

t.test('unit: prepared bodies, compression effort and helpers', async (t) => {
  const cache = new HttpCache()
  const small = Buffer.from('x'.repeat(2000))
  const kept = await cache.prepare(small, 'text/plain', { cacheControl: SHORT, byUrl: true }, {})
  t.equal(await cache.prepare(small, 'text/plain', { cacheControl: SHORT, byUrl: true }, {}), kept, 'the same Buffer: computed once')
  t.equal(await cache.prepare(Buffer.from(small), 'text/plain', { cacheControl: SHORT, byUrl: true }, {}), kept, 'the same bytes: computed once')
  t.not(await cache.prepare(small, 'text/plain', { cacheControl: 'no-cache' }, {}), kept, 'other headers: another response')
  t.ok(MAX_EFFORT_BYTES >= 230 * 1024, 'a CFPackage gets the best compression')
  t.equal(mergeVary('Origin', 'Accept, Accept-Encoding'), 'Origin, Accept, Accept-Encoding')
  t.equal(mergeVary('Accept', 'accept, Accept-Encoding'), 'Accept, Accept-Encoding')
  t.equal(attachment('isp-1.1', 'csv'), 'attachment; filename="isp-1.1.csv"')
  t.equal(attachment('a b"c', 'json'), 'attachment; filename="a_b_c.json"')
})
