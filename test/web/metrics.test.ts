/**
 * Prometheus metrics (src/web/metrics.ts): off unless configured, behind the bearer token on the
 * main port or on a port of their own, every family with plausible values after a mixed run, and
 * route labels bounded whatever URLs clients send.
 */
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { ResponseCache, type CachedResponse } from '../../src/web/response-cache.js'
import { ResultCache } from '../../src/graphql/result-cache.js'
import { Histogram, Registry, type Metric } from 'prom-client'
import { RequestHistogram, bearerMatches, durationBuckets, memoryLimit, readiness } from '../../src/web/metrics.js'
import type { CacheObserver } from '../../src/web/telemetry.js'
import { buildApp, testConfig } from '../helpers/app.js'
import { TOKEN, mixedRun, parseMetrics, scrape, valueOf } from '../helpers/metrics.js'

const COMPETENCY_ROUTE = '/v1/frameworks/:framework/:version/competencies/:id'

t.test('off by default: no /metrics, no metrics code', async (t) => {
  const app = await buildApp(t)
  t.equal((await app.inject('/metrics')).statusCode, 404)
  t.notOk(app.hasDecorator('metrics'), 'the metrics plugin is not registered')
})

t.test('on the main port, /metrics needs the bearer token', async (t) => {
  const app = await buildApp(t, { env: { METRICS_TOKEN: TOKEN } })
  const without = await app.inject('/metrics')
  t.equal(without.statusCode, 401)
  t.equal(without.headers['www-authenticate'], 'Bearer realm="metrics"')
  t.match(without.json(), { statusCode: 401, code: 'UNAUTHORIZED' })
  t.notMatch(without.body, /http_request_duration_seconds/, 'no metrics in the refusal')
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode, 401, 'a wrong token')
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: `Basic ${TOKEN}` } })).statusCode, 401, 'another scheme')
  const scraped = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(scraped.statusCode, 200)
  t.match(scraped.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  t.equal(scraped.headers['cache-control'], 'no-store')
})

t.test('bearerMatches compares the whole token, and only a Bearer one', async (t) => {
  t.ok(bearerMatches(`Bearer ${TOKEN}`, TOKEN))
  t.ok(bearerMatches(`bearer ${TOKEN}`, TOKEN), 'the scheme is case-insensitive')
  t.notOk(bearerMatches(undefined, TOKEN))
  t.notOk(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN))
  t.notOk(bearerMatches(TOKEN, TOKEN))
})

t.test('a short token is refused at start-up without being echoed', async (t) => {
  t.throws(() => loadConfig({ METRICS_TOKEN: 'short-secret' }), ConfigError)
  try {
    loadConfig({ METRICS_TOKEN: 'short-secret' })
  } catch (err) {
    t.match((err as Error).message, /METRICS_TOKEN must be at least 16/)
    t.notMatch((err as Error).message, /short-secret/)
  }
})

t.test('after a mixed run every family is there with plausible values', async (t) => {
  const app = await buildApp(t, { env: { METRICS_TOKEN: TOKEN } })
  await mixedRun(app)
  const s = await scrape(app)

  const count = (labels: Record<string, string>): number => valueOf(s, 'http_request_duration_seconds_count', labels)
  t.equal(count({ method: 'GET', route: COMPETENCY_ROUTE, status_class: '2xx' }), 2, 'the competency, twice')
  t.equal(count({ method: 'GET', route: COMPETENCY_ROUTE, status_class: '4xx' }), 1, 'an unknown competency keeps its route')
  t.equal(count({ method: 'GET', route: '/v1/frameworks/:framework/:version/competencies', status_class: '4xx' }), 1, 'a bad parameter')
  t.equal(count({ method: 'POST', route: '/graphql', status_class: '2xx' }), 2)
  t.equal(count({ method: 'GET', route: 'unmatched', status_class: '4xx' }), 1, 'an unknown path')
  t.ok(valueOf(s, 'http_request_duration_seconds_sum', { route: '/graphql' }) > 0, 'durations add up')
  t.equal(valueOf(s, 'http_request_duration_seconds_bucket', { route: '/graphql', status_class: '2xx', le: '+Inf' }), 2)

  t.equal(valueOf(s, 'isp_cache_lookups_total', { cache: 'response', result: 'hit' }), 1, 'the second competency request')
  t.ok(valueOf(s, 'isp_cache_lookups_total', { cache: 'response', result: 'miss' }) >= 2, 'the first, the search, …')
  t.equal(valueOf(s, 'isp_cache_lookups_total', { cache: 'graphql', result: 'hit' }), 1)
  t.equal(valueOf(s, 'isp_cache_lookups_total', { cache: 'graphql', result: 'miss' }), 1)
  for (const cache of ['response', 'graphql']) {
    t.ok(valueOf(s, 'isp_cache_bytes', { cache }) > 50, `${cache} cache bytes`)
    t.ok(valueOf(s, 'isp_cache_entries', { cache }) >= 1, `${cache} cache entries`)
    t.equal(valueOf(s, 'isp_cache_evictions_total', { cache }), 0, `${cache} cache evictions: none yet`)
  }

  t.equal(valueOf(s, 'isp_requests_refused_total', { reason: 'rate_limit' }), 0)
  t.equal(valueOf(s, 'isp_requests_refused_total', { reason: 'load_shedding' }), 0)
  t.equal(valueOf(s, 'isp_ready'), 1)
  t.equal(valueOf(s, 'isp_readiness_changes_total'), 0)
  t.equal(valueOf(s, 'isp_content_versions', { framework: 'isp' }), 1)

  const utilisation = valueOf(s, 'isp_event_loop_utilization_ratio')
  t.ok(utilisation > 0 && utilisation <= 1, `event-loop utilisation ${utilisation}`)
  t.ok(valueOf(s, 'nodejs_eventloop_lag_p99_seconds') >= 0, 'event-loop delay')
  t.ok(valueOf(s, 'process_resident_memory_bytes') > 10e6, 'RSS')
  t.ok(valueOf(s, 'nodejs_heap_size_used_bytes') > 1e6, 'heap')
  t.ok(valueOf(s, 'isp_memory_limit_bytes') >= valueOf(s, 'process_resident_memory_bytes'), 'memory limit above RSS')
  t.ok(valueOf(s, 'isp_heap_limit_bytes') > valueOf(s, 'nodejs_heap_size_used_bytes'), 'heap limit above heap used')
  t.ok(valueOf(s, 'process_cpu_seconds_total') > 0, 'default process metrics')
  t.equal(memoryLimit(), valueOf(s, 'isp_memory_limit_bytes'))
})

t.test('rate-limit refusals are counted', async (t) => {
  const app = await buildApp(t, { env: { METRICS_TOKEN: TOKEN, RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60000' } })
  const statuses = []
  for (let i = 0; i < 5; i++) statuses.push((await app.inject('/v1')).statusCode)
  t.same(statuses, [200, 200, 200, 429, 429])
  const s = await scrape(app)
  t.equal(valueOf(s, 'isp_requests_refused_total', { reason: 'rate_limit' }), 2)
  t.equal(valueOf(s, 'http_request_duration_seconds_count', { route: '/v1', status_class: '4xx' }), 2)
})

t.test('load-shedding refusals are counted, and /metrics is still served under pressure', async (t) => {
  const app = await buildApp(t, { env: { METRICS_TOKEN: TOKEN, PRESSURE_MAX_HEAP_BYTES: '1', PRESSURE_SAMPLE_INTERVAL: '10' } })
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal((await app.inject('/v1')).statusCode, 503)
  t.equal((await app.inject('/health/ready')).statusCode, 503)
  const s = await scrape(app)
  t.equal(valueOf(s, 'isp_requests_refused_total', { reason: 'load_shedding' }), 1)
  t.equal(valueOf(s, 'isp_ready'), 0)
})

t.test('readiness changes are counted', async (t) => {
  const registry = new Registry()
  const probed = readiness(registry)
  for (const status of [200, 200, 503, 200, 503, 503]) probed(status)
  const s = parseMetrics(await registry.metrics())
  t.equal(valueOf(s, 'isp_readiness_changes_total'), 3, 'ready → not → ready → not')
  t.equal(valueOf(s, 'isp_ready'), 0)
})

t.test('10,000 distinct URLs keep the route labels bounded', async (t) => {
  const app = await buildApp(t, { env: { METRICS_TOKEN: TOKEN } })
  const urls = (i: number): string[] => [
    `/scan/${i}/wp-login.php`,
    `/v1/frameworks/isp/1.1/competencies/no-such-${i}`,
    `/v1/search?q=word${i}`,
    `/v1/frameworks/isp/1.1/activities?offset=${i}`,
    `/v1/%E0%A4%A${i}`
  ]
  let sent = 0
  for (let i = 0; sent < 10_000; i += 50) {
    const batch = Array.from({ length: 50 }, (_, k) => urls(i + k)).flat()
    await Promise.all(batch.map((url) => app.inject(url)))
    sent += batch.length
  }
  const s = await scrape(app)
  const routes = new Set(s.filter((x) => x.name === 'http_request_duration_seconds_count').map((x) => x.labels.route))
  t.ok(routes.size <= 6, `${routes.size} route labels: ${[...routes].join(', ')}`)
  t.ok(routes.has('unmatched'))
  const total = s.filter((x) => x.name === 'http_request_duration_seconds_count').reduce((sum, x) => sum + x.value, 0)
  t.equal(total, sent, 'every request counted')
  t.ok(s.length < 1000, `${s.length} samples in all`)
})

t.test('on a port of its own, bound to METRICS_HOST', async (t) => {
  const app = await buildApp(t, { env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } })
  const address = app.metrics.server?.address()
  if (address === null || address === undefined || typeof address === 'string') throw new Error('the metrics port is not listening')
  t.equal(address.address, '127.0.0.1')
  const base = `http://127.0.0.1:${address.port}`
  t.equal((await app.inject('/metrics')).statusCode, 404, 'not on the main port')
  await app.inject('/v1')
  const response = await fetch(`${base}/metrics`)
  t.equal(response.status, 200)
  t.equal(valueOf(parseMetrics(await response.text()), 'http_request_duration_seconds_count', { route: '/v1' }), 1)
  const other = await fetch(`${base}/v1`)
  t.equal(other.status, 404, 'nothing else is served there')
  await other.text()
  await app.close()
  t.notOk(app.metrics.server?.listening, 'closed with the app')
})

t.test('on a port of its own with a token, the token is needed there', async (t) => {
  const app = await buildApp(t, { env: { METRICS_PORT: '0', METRICS_TOKEN: TOKEN } })
  const address = app.metrics.server?.address()
  if (address === null || address === undefined || typeof address === 'string') throw new Error('the metrics port is not listening')
  t.equal(address.address, '127.0.0.1', 'loopback unless METRICS_HOST says otherwise')
  const url = `http://127.0.0.1:${address.port}/metrics`
  const refused = await fetch(url)
  t.equal(refused.status, 401)
  await refused.text()
  const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(ok.status, 200)
  await ok.text()
})

t.test('a metrics port already taken stops the start', async (t) => {
  const first = await buildApp(t, { env: { METRICS_PORT: '0' } })
  const address = first.metrics.server?.address()
  if (address === null || address === undefined || typeof address === 'string') throw new Error('the metrics port is not listening')
  const { build } = await import('../../src/app.js')
  const second = await build({ config: testConfig({ env: { METRICS_PORT: String(address.port) } }) })
  await t.rejects(async () => { await second.ready() }, { code: 'EADDRINUSE' })
  await second.close()
})

t.test('the caches report hits, misses and evictions', async (t) => {
  const events: string[] = []
  const observer: CacheObserver = { hit: () => events.push('hit'), miss: () => events.push('miss'), evicted: () => events.push('evicted') }
  const responses = new ResponseCache({ maxBytes: 4096 }, observer)
  const entry = (): CachedResponse => ({ identity: { body: Buffer.from('x'), etag: '"x"', headers: {}, notModified: {} }, bytes: 1, evicted: false })
  responses.find('a')
  responses.store('a', entry())
  responses.alias('raw-a', responses.find('a')!)
  responses.lookup('raw-a')
  t.same(events, ['miss', 'hit', 'hit'])
  for (let i = 0; i < 200; i++) responses.store(`k${i}`, entry())
  t.ok(events.includes('evicted'), 'a flood of entries evicts')
  t.ok(responses.stats().bytes <= 4096, 'within the byte budget')

  events.length = 0
  // Large enough that one entry (with its per-entry overhead) fits, small enough that a flood evicts.
  const results = new ResultCache({ maxBytes: 64 * 1024, cacheControl: 'no-store' }, observer)
  for (let i = 0; i < 2000; i++) results.set(`k${i}`, Buffer.from('{}'))
  t.ok(events.includes('evicted'), 'a flood of results evicts')
  t.ok(results.stats().bytes <= 64 * 1024, 'within the byte budget')
})

t.test('the request histogram renders as prom-client\'s own Histogram would, observation for observation', async (t) => {
  const ours = new Registry()
  const theirs = new Registry()
  const name = 'http_request_duration_seconds'
  const fast = new RequestHistogram(name, 'help', durationBuckets)
  ours.registerMetric(fast as unknown as Metric)
  const reference = new Histogram({ name, help: 'help', labelNames: ['method', 'route', 'status_class'], buckets: durationBuckets, registers: [theirs] })
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER']
  const routes = ['/v1', '/graphql', 'unmatched']
  for (let i = 0; i < 500; i++) {
    const method = i % methods.length
    const route = routes[i % routes.length]!
    const status = [200, 304, 404, 429, 500, 101][i % 6]!
    const seconds = [0.0001, 0.0005, 0.0007, 0.01, 0.3, 12, 2.5][i % 7]!
    fast.observe(route, method, status, seconds)
    reference.labels(methods[method]!, route, `${Math.floor(status / 100)}xx`).observe(seconds)
  }
  const key = (s: { name: string, labels: Record<string, string> }): string => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`
  const sorted = (text: string): Array<[string, number]> => parseMetrics(text).map((s): [string, number] => [key(s), s.value]).sort((a, b) => a[0].localeCompare(b[0]))
  const mine = sorted(await ours.metrics())
  t.ok(mine.length > 100, `${mine.length} samples`)
  t.same(mine, sorted(await theirs.metrics()), 'the same samples with the same values')
})
