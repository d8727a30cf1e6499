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

t.test('one byte budget for keys and responses; one-off queries cannot push out repeated ones', async (t) => {
  const cache = new ResultCache({ maxBytes: 50_000, maxEntryBytes: 10_000, maxKeyBytes: 4000, cacheControl: 'public' })
  const hot = cache.set('hot', Buffer.alloc(5000))!
  t.ok(hot)
  t.equal(cache.get('hot'), hot, 'a second use protects it')
  t.equal(cache.set('q'.repeat(2001), Buffer.alloc(10)), undefined, 'a key over maxKeyBytes (a long comment, a large variable) is not kept')
  t.equal(cache.set('big', Buffer.alloc(10_000)), undefined, 'an entry over maxEntryBytes is not kept')
  let peak = 0
  for (let i = 0; i < 2000; i++) {
    cache.set(JSON.stringify(['q', '{ __typename }', null, { pad: 'v'.repeat(1500), i }]), Buffer.alloc(100))
    peak = Math.max(peak, cache.stats().bytes)
  }
  t.ok(peak <= 50_000, `keys counted: ${peak} bytes at most, within 50,000`)
  t.equal(cache.get('hot'), hot, 'the repeated query survived 2000 one-off ones')
  t.equal(cache.stats().declined, 2)
  const a = cache.set('x', Buffer.from('one'))!
  const b = cache.set('x', Buffer.from('two'))!
  t.not(a.etag, b.etag, 'the ETag follows the bytes')
})
