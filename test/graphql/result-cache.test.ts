/** The response cache: keys, least-recently-used eviction by count and by bytes. */
import t from 'tap'
import { ResultCache, cacheKey } from '../../src/graphql/result-cache.js'

t.test('cacheKey', async (t) => {
  const q = '{ frameworks { id } }'
  t.equal(cacheKey({ query: q, variables: '{"a":1}' }), cacheKey({ query: q, variables: { a: 1 } }), 'GET (JSON text) and POST (object) agree')
  t.not(cacheKey({ query: q, variables: { a: 1 } }), cacheKey({ query: q, variables: { a: 2 } }))
  t.not(cacheKey({ query: q, operationName: 'A' }), cacheKey({ query: q, operationName: 'B' }))
  t.not(cacheKey({ query: q }), cacheKey({ extensions: { persistedQuery: { version: 1, sha256Hash: q } } }), 'a hash never collides with a query')
  t.equal(cacheKey({ query: q, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }), undefined, 'registrations go through')
  t.equal(cacheKey({ query: q, variables: '{not json' }), undefined, 'unreadable variables go through')
  t.equal(cacheKey({}), undefined)
  t.equal(cacheKey(null), undefined)
  t.equal(cacheKey([{ query: q }] as unknown as Record<string, unknown>), undefined)
  t.equal(cacheKey({ query: 42 }), undefined)
  t.equal(cacheKey({ extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } }), undefined)
})

t.test('evicts the least recently used, by count and by bytes', async (t) => {
  const cache = new ResultCache({ maxEntries: 3, maxBytes: 100, cacheControl: 'public' })
  cache.set('a', Buffer.alloc(10))
  cache.set('b', Buffer.alloc(10))
  cache.set('c', Buffer.alloc(10))
  t.ok(cache.get('a'), 'a is now the most recently used')
  cache.set('d', Buffer.alloc(10))
  t.equal(cache.get('b'), undefined, 'b was the least recently used')
  t.equal(cache.size, 3)
  cache.set('e', Buffer.alloc(90))
  t.equal(cache.size, 2, 'bytes: 90 + 10 fill the 100')
  t.ok(cache.get('d'), 'the most recent small one stays')
  t.equal(cache.get('c'), undefined, 'older ones go')
  t.equal(cache.get('a'), undefined)
  t.ok(cache.get('e'))
  t.equal(cache.set('huge', Buffer.alloc(101)), undefined, 'larger than the whole cache: not kept')
  t.ok(cache.get('e'), 'and nothing was evicted for it')
  const a = cache.set('x', Buffer.from('one'))!
  const b = cache.set('x', Buffer.from('two'))!
  t.not(a.etag, b.etag, 'the ETag follows the bytes')
  t.equal(cache.size, 2, 'x replaced itself; d made room for it')
  t.ok(cache.get('e'))
  t.equal(cache.get('d'), undefined)
})
