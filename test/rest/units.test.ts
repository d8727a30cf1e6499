/** Unit checks of the shared helpers: paging links, sorting, sparse fields, ETag matching, the cache. */
import t from 'tap'
import { ResponseCache, chooseEncoding, contentDigest, etagMatches, etagOf, type CachedResponse } from '../../src/web/response-cache.js'
import { instanceOf } from '../../src/web/problem.js'
import { sortBy } from '../../src/rest/query.js'
import { sparseFields } from '../../src/web/paging.js'
import { pageLinks } from '../../src/web/paging.js'

t.test('pageLinks', async (t) => {
  const url = new URL('http://x/v1/things?offset=3&q=a&limit=9')
  const at = (o: number) => `http://x/v1/things?q=a&limit=2&offset=${o}`
  t.same(pageLinks(url, 0, 2, 0).links, { self: at(0), first: at(0), last: at(0) }, 'an empty list has one page')
  t.same(pageLinks(url, 5, 2, 2).links, { self: at(2), first: at(0), prev: at(0), next: at(4), last: at(4) })
  t.same(pageLinks(url, 4, 2, 2).links, { self: at(2), first: at(0), prev: at(0), last: at(2) }, 'exactly two pages')
  t.same(pageLinks(url, 5, 2, 1).links.prev, at(0), 'an unaligned offset goes back to 0, not below')
  t.equal(pageLinks(url, 5, 2, 2).header, `<${at(0)}>; rel="first", <${at(0)}>; rel="prev", <${at(4)}>; rel="next", <${at(4)}>; rel="last"`)
})

t.test('sortBy is natural, case-insensitive and stable', async (t) => {
  const items = [{ code: 'DL10', name: 'b' }, { code: 'DL2', name: 'B' }, { code: 'DL1', name: 'a' }]
  t.same(sortBy(items, 'code').map((i) => i.code), ['DL1', 'DL2', 'DL10'])
  t.same(sortBy(items, '-code').map((i) => i.code), ['DL10', 'DL2', 'DL1'])
  t.same(sortBy(items, 'name').map((i) => i.code), ['DL1', 'DL10', 'DL2'], 'b and B tie and keep their order')
  t.same(items.map((i) => i.code), ['DL10', 'DL2', 'DL1'], 'the input is not changed')
})

t.test('sparseFields keeps type, id, the fields and the embedded', async (t) => {
  const item = { type: 'competency', id: 'c', code: 'C01', name: 'N', hint: { id: 'h' }, overview: [] }
  t.same(sparseFields(item, new Set(['name']), new Set(['hint'])), { type: 'competency', id: 'c', name: 'N', hint: { id: 'h' } })
})

t.test('ETags and digests', async (t) => {
  const tag = etagOf(Buffer.from('{"a":1}'))
  t.match(tag, /^"[A-Za-z0-9_-]{32}"$/)
  t.equal(etagOf(Buffer.from('{"a":1}')), tag)
  t.not(etagOf(Buffer.from('{"a":2}')), tag)
  t.ok(etagMatches(tag, tag))
  t.ok(etagMatches(`"x", ${tag}`, tag))
  t.ok(etagMatches(`W/${tag}`, tag), 'If-None-Match compares weakly')
  t.ok(etagMatches('*', tag))
  t.notOk(etagMatches('"x"', tag))
  t.notOk(etagMatches(tag.slice(1, -1), tag), 'an unquoted value does not match')
  t.equal(contentDigest(Buffer.from('hello')), 'sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:')
})

t.test('chooseEncoding prefers brotli, honours q-values and wildcards', async (t) => {
  t.equal(chooseEncoding('gzip, deflate, br'), 'br')
  t.equal(chooseEncoding('gzip'), 'gzip')
  t.equal(chooseEncoding('br;q=0, gzip'), 'gzip')
  t.equal(chooseEncoding('br;q=0.5, gzip;q=0.9'), 'gzip')
  t.equal(chooseEncoding('*'), 'br')
  t.equal(chooseEncoding('*;q=0'), null)
  t.equal(chooseEncoding('identity'), null)
  t.equal(chooseEncoding('deflate'), null)
  t.equal(chooseEncoding('GZIP;Q=1'), 'gzip')
  t.equal(chooseEncoding(''), null)
})

t.test('the response cache: one byte budget for bodies, keys and aliases; aliases go with their entry', async (t) => {
  const entry = (n: number): CachedResponse => ({ identity: { body: Buffer.alloc(n), etag: `"${n}"`, headers: {}, notModified: {} }, bytes: n, evicted: false })
  const cache = new ResponseCache({ maxBytes: 10_000, maxEntryBytes: 5000, maxKeyBytes: 200, maxAliasesPerEntry: 2 })
  const a = entry(4000)
  t.ok(cache.store('a', a))
  cache.alias('raw-a', a)
  t.equal(cache.lookup('raw-a'), a)
  const before = cache.stats().bytes
  cache.alias('raw-a2', a)
  t.ok(cache.stats().bytes > before, 'an alias is charged to the budget')
  cache.alias('raw-a3', a)
  t.equal(cache.stats().aliases, 2, 'at most maxAliasesPerEntry aliases an entry')
  cache.alias('x'.repeat(101), a)
  t.equal(cache.stats().aliases, 2, 'a raw key over maxKeyBytes is not remembered')
  t.notOk(cache.store('huge', entry(6000)), 'an entry over maxEntryBytes is declined')
  t.equal(cache.find('a'), a, 'and evicts nothing')
  const b = entry(4000)
  cache.store('b', b)
  const c = entry(4000)
  cache.store('c', c)
  t.ok(cache.stats().bytes <= 10_000, 'within the budget')
  t.equal(cache.find('b'), undefined, 'the one-off entry went first; a, hit twice, is protected')
  t.equal(b.evicted, true)
  t.equal(cache.find('a'), a)
  cache.alias('raw-c', c)
  cache.store('d', entry(4000))
  cache.store('e', entry(4000))
  t.equal(c.evicted, true)
  t.equal(cache.lookup('raw-c'), undefined, 'an evicted entry is unreachable through its alias')
  t.equal(cache.stats().aliases, 2, 'and its aliases are gone from the index')
})

t.test('instanceOf escapes what a URI reference cannot hold', async (t) => {
  t.equal(instanceOf('/v1/search?q="a b"'), '/v1/search?q=%22a%20b%22')
  t.equal(instanceOf('/v1/x?y=1&z=%20'), '/v1/x?y=1&z=%20')
  // Found by the fuzzer: brackets, a second "#" and a bare "%" made the instance an invalid URI reference.
  t.equal(instanceOf('/v1/x/[a]?b=%&c=%zz%4'), '/v1/x/%5Ba%5D?b=%25&c=%25zz%254')
  t.equal(instanceOf('/v1/x#a#b'), '/v1/x%23a%23b')
  t.equal(instanceOf('/v1/\ud83d\udca5/\ud800'), '/v1/%F0%9F%92%A5/%EF%BF%BD', 'code points, not code units; a lone surrogate as U+FFFD')
})
