/** The byte-bounded segmented LRU every in-memory cache uses: one accounting, declines, and a hot set a flood cannot evict. */
import t from 'tap'
import { ByteCache, ENTRY_OVERHEAD, keyBytes } from '../../src/web/byte-cache.js'

const limits = { maxBytes: 100_000, maxEntryBytes: 10_000, maxKeyBytes: 2000 }

t.test('keys are charged with their values and an overhead', async (t) => {
  const cache = new ByteCache<string>(limits)
  t.ok(cache.set('abc', 'v', 100))
  t.equal(cache.bytes, keyBytes('abc') + 100 + ENTRY_OVERHEAD)
  t.equal(keyBytes('abc'), 6, 'two bytes a character')
  cache.set('abc', 'w', 50)
  t.equal(cache.bytes, 6 + 50 + ENTRY_OVERHEAD, 'replacing an entry refunds the old one')
  cache.delete('abc')
  t.equal(cache.bytes, 0)
  t.equal(cache.size, 0)
})

t.test('oversized keys and entries are declined without evicting anything', async (t) => {
  const evicted: string[] = []
  const cache = new ByteCache<number>(limits, (key) => evicted.push(key))
  cache.set('keep', 1, 100)
  t.notOk(cache.set('k'.repeat(1001), 2, 10), 'a key over maxKeyBytes')
  t.notOk(cache.set('big', 3, 10_000), 'an entry over maxEntryBytes, counting key and overhead')
  t.equal(cache.declined, 2)
  t.same(evicted, [])
  t.equal(cache.peek('keep'), 1)
  t.notOk(cache.resize('keep', 20_000), 'growing past maxEntryBytes is refused')
  t.ok(cache.resize('keep', 400))
  t.equal(cache.bytes, keyBytes('keep') + 500 + ENTRY_OVERHEAD)
  t.notOk(cache.resize('absent', 1))
})

t.test('a flood of distinct keys stays under the cap and leaves the hot set in place', async (t) => {
  const evicted = new Set<string>()
  const cache = new ByteCache<number>(limits, (key) => evicted.add(key))
  const hot = Array.from({ length: 20 }, (_, i) => `hot-${i}`)
  // Hot: asked for again soon after its first answer (a second hit within probation's 20%).
  for (const key of hot) {
    cache.set(key, 1, 3000)
    t.equal(cache.get(key), 1, `${key} is hit once more: protected`)
  }
  let peak = 0
  for (let i = 0; i < 20_000; i++) {
    cache.set(`flood-${i}-${'x'.repeat(i % 500)}`, i, (i * 7919) % 5000)
    peak = Math.max(peak, cache.bytes)
    if (i % 1000 === 0) for (const key of hot.slice(0, 5)) cache.get(key)
  }
  t.ok(peak <= limits.maxBytes, `peak ${peak} bytes within ${limits.maxBytes}`)
  const stats = cache.stats()
  t.ok(stats.protectedBytes <= limits.maxBytes * 0.8, 'the protected segment keeps to its share')
  const survivors = hot.filter((key) => cache.peek(key) !== undefined)
  t.same(survivors, hot.filter((key) => !evicted.has(key)), 'eviction callbacks match what is gone')
  t.equal(survivors.length, 20, 'every hot entry survives 20,000 one-off keys')
  t.ok(stats.bytes - stats.protectedBytes <= limits.maxBytes * 0.2, `one-off keys hold ${stats.bytes - stats.protectedBytes} bytes, within probation's 20%`)
})

t.test('one-off keys alone cannot fill the cache: probation keeps to its share', async (t) => {
  const cache = new ByteCache<number>(limits)
  let peak = 0
  for (let i = 0; i < 5000; i++) {
    cache.set(`once-${i}`, i, 1000 + (i % 3000))
    peak = Math.max(peak, cache.bytes)
  }
  t.ok(peak <= limits.maxBytes * 0.2, `peak ${peak} bytes within 20% of ${limits.maxBytes}`)
  t.ok(peak > limits.maxBytes * 0.15, 'and probation is used up to its share')
  const wide = new ByteCache<number>({ ...limits, probationShare: 0.01 })
  t.ok(wide.set('big', 1, 9000), 'an entry up to maxEntryBytes still fits when the share is smaller')
  t.equal(wide.peek('big'), 1)
})

t.test('the protected segment demotes its oldest to probation when it is over its share', async (t) => {
  const cache = new ByteCache<number>({ maxBytes: 10_000, maxEntryBytes: 5000, maxKeyBytes: 100, protectedShare: 0.5 })
  cache.set('a', 1, 3000)
  cache.set('b', 2, 3000)
  cache.get('a')
  cache.get('b')
  t.equal(cache.stats().protected, 1, 'only one fits in half of 10,000 bytes')
  cache.set('c', 3, 3000)
  cache.set('d', 4, 3000)
  t.equal(cache.peek('b'), 2, 'the protected one stays')
  t.equal(cache.peek('a'), undefined, 'the demoted one went with probation')
})
