/**
 * Prometheus metrics (prom-client), loaded by telemetry.ts only when METRICS_TOKEN or
 * METRICS_PORT is set. Served at /metrics on the main port to requests bearing METRICS_TOKEN, or
 * on METRICS_PORT (bound to METRICS_HOST, loopback unless set) by a bare HTTP server of its own,
 * which then also requires the token when there is one. docs/observability.md lists every metric.
 *
 * Label values are bounded whatever clients send: the route is the pattern a request matched
 * (`unmatched` for every request no route handles), the method one of a fixed set, the status its class.
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { totalmem } from 'node:os'
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { getHeapStatistics } from 'node:v8'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client'
import type { Config } from '../config.js'
import { HttpError } from './http-error.js'
import type { AccessLog } from './logging.js'
import type { CacheObserver, CacheStats, PoolStats, QueryObserver } from './telemetry.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The registry /metrics renders, and the metrics port's server when there is one. */
    metrics: { registry: Registry, server: Server | undefined }
  }
}

/** The route label of requests no route handles (unknown paths, malformed URLs): one for all. */
export const UNMATCHED = 'unmatched'

/** Request duration buckets, in seconds: cached answers take well under a millisecond. */
export const durationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** The route label of a request: the pattern it matched, never its URL. */
export function routeLabel (request: FastifyRequest): string {
  if (request.is404) return UNMATCHED
  return request.routeOptions.url ?? UNMATCHED
}

/** The memory the process may use: its cgroup's limit when it has one, else the machine's memory. */
export function memoryLimit (): number {
  const total = totalmem()
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.()
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total
}

/** Whether an Authorization header carries the token, compared in constant time. */
export function bearerMatches (header: string | undefined, token: string): boolean {
  if (header === undefined || !/^bearer /i.test(header)) return false
  const given = Buffer.from(header.slice(7).trim())
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The label values of one series of a RequestHistogram, and its counts. */
interface Series { labels: Record<string, string>, counts: Float64Array, sum: number, count: number }

/**
 * The request duration histogram. prom-client's Histogram hashes and validates the label values on
 * every observe(), even through a child from labels(): a few hundred nanoseconds on each request,
 * the largest part of what metrics cost a cached answer (docs/performance.md). This one finds a
 * series by route (the same string object for every request to a route) and an index for method
 * and status class, and counts into an array. It is registered in prom-client's Registry, which
 * reads any metric through get() in the shape prom-client's Histogram returns, so /metrics
 * renders it exactly as it would render prom-client's own.
 */
export class RequestHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly labelNames = ['method', 'route', 'status_class']
  private readonly byRoute = new Map<string, Array<Series | undefined>>()

  constructor (readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}

  /** Records one request's duration in seconds; `method` is an index into METHOD_LABELS. */
  observe (route: string, method: number, statusCode: number, seconds: number): void {
    let row = this.byRoute.get(route)
    if (row === undefined) {
      row = []
      this.byRoute.set(route, row)
    }
    const statusClass = Math.min(Math.max(Math.floor(statusCode / 100), 1), 5)
    const slot = method * 5 + statusClass - 1
    let series = row[slot]
    if (series === undefined) {
      series = { labels: { method: METHOD_LABELS[method]!, route, status_class: `${statusClass}xx` }, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 }
      row[slot] = series
    }
    const buckets = this.buckets
    let i = 0
    while (i < buckets.length && seconds > buckets[i]!) i++
    series.counts[i]!++
    series.sum += seconds
    series.count++
  }

  /** What prom-client's Registry renders: cumulative buckets, +Inf, _sum and _count per series. */
  get (): { name: string, help: string, type: string, aggregator: string, values: Array<{ labels: Record<string, string | number>, value: number, metricName: string }> } {
    const values: Array<{ labels: Record<string, string | number>, value: number, metricName: string }> = []
    for (const row of this.byRoute.values()) {
      for (const series of row) {
        if (series === undefined) continue
        let cumulative = 0
        for (const [i, le] of this.buckets.entries()) {
          cumulative += series.counts[i]!
          values.push({ labels: { ...series.labels, le }, value: cumulative, metricName: `${this.name}_bucket` })
        }
        values.push({ labels: { ...series.labels, le: '+Inf' }, value: series.count, metricName: `${this.name}_bucket` })
        values.push({ labels: series.labels, value: series.sum, metricName: `${this.name}_sum` })
        values.push({ labels: series.labels, value: series.count, metricName: `${this.name}_count` })
      }
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  /** Registry.getMetricsAsString asks for this form first. */
  getForPromString (): ReturnType<RequestHistogram['get']> { return this.get() }

  reset (): void { this.byRoute.clear() }
}

/** Methods that keep their name as a label, by index; any other is `OTHER`, the last. */
const METHOD_LABELS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER']
const methodIndex = new Map(METHOD_LABELS.map((m, i) => [m, i]))
const OTHER_METHOD = METHOD_LABELS.length - 1

function requestMetrics (app: FastifyInstance, registry: Registry, accessLog: AccessLog): void {
  const duration = new RequestHistogram(
    'http_request_duration_seconds',
    'Time from receiving a request to sending its response, by method, route pattern and status class; _count is the request count.',
    durationBuckets
  )
  registry.registerMetric(duration as unknown as Metric)
  const probed = readiness(registry)
  // Told by the access log (logging.ts), which sees every completed request: no hook of our own.
  accessLog.observe((request, reply, elapsedMs) => {
    const route = routeLabel(request)
    duration.observe(route, methodIndex.get(request.method) ?? OTHER_METHOD, reply.statusCode, elapsedMs / 1000)
    if (route === '/health/ready') probed(reply.statusCode)
  })

  const refused = new Counter({
    name: 'isp_requests_refused_total',
    help: 'Requests refused before any work: reason="rate_limit" (429, per-client limit) or "load_shedding" (503, under pressure).',
    labelNames: ['reason'] as const,
    registers: [registry]
  })
  const rateLimited = refused.labels('rate_limit')
  const shed = refused.labels('load_shedding')
  rateLimited.inc(0)
  shed.inc(0)
  app.addHook('onError', (_request, _reply, error, done) => {
    const code = (error as { code?: unknown }).code
    if (code === 'RATE_LIMITED') rateLimited.inc()
    else if (code === 'FST_UNDER_PRESSURE') shed.inc()
    done()
  })
}

/** Metrics of the readiness probe's answers; returns what records one (its status code). */
export function readiness (registry: Registry): (status: number) => void {
  const ready = new Gauge({ name: 'isp_ready', help: 'The last readiness probe\'s answer: 1 ready, 0 not ready.', registers: [registry] })
  const changes = new Counter({ name: 'isp_readiness_changes_total', help: 'Times the readiness probe\'s answer changed between ready and not ready.', registers: [registry] })
  let was: boolean | undefined
  return (status) => {
    const now = status === 200
    if (was !== undefined && was !== now) changes.inc()
    was = now
    ready.set(now ? 1 : 0)
  }
}

function cacheMetrics (app: FastifyInstance, registry: Registry): void {
  // Counted in plain numbers on each lookup and read at scrape: prom-client's Counter#inc hashes
  // its labels on every call, even through a child.
  const caches = new Map<string, { stats: CacheStats, hits: number, misses: number, evicted: number }>()
  new Counter({
    name: 'isp_cache_lookups_total',
    help: 'Cache lookups by cache (response, graphql, persisted: the registered persisted queries) and result (hit, miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
    collect () {
      this.reset()
      for (const [name, c] of caches) {
        this.inc({ cache: name, result: 'hit' }, c.hits)
        this.inc({ cache: name, result: 'miss' }, c.misses)
      }
    }
  })
  new Counter({
    name: 'isp_cache_evictions_total',
    help: 'Entries a cache dropped to stay within its limits.',
    labelNames: ['cache'] as const,
    registers: [registry],
    collect () {
      this.reset()
      for (const [name, c] of caches) this.inc({ cache: name }, c.evicted)
    }
  })
  new Gauge({
    name: 'isp_cache_bytes',
    help: 'Bytes of responses a cache holds.',
    labelNames: ['cache'] as const,
    registers: [registry],
    collect () { for (const [name, c] of caches) this.set({ cache: name }, c.stats().bytes) }
  })
  new Gauge({
    name: 'isp_cache_entries',
    help: 'Responses a cache holds.',
    labelNames: ['cache'] as const,
    registers: [registry],
    collect () { for (const [name, c] of caches) this.set({ cache: name }, c.stats().entries) }
  })
  app.decorate('observeCache', (name: string, stats: CacheStats): CacheObserver => {
    const c = { stats, hits: 0, misses: 0, evicted: 0 }
    caches.set(name, c)
    return { hit: () => { c.hits++ }, miss: () => { c.misses++ }, evicted: () => { c.evicted++ } }
  })
}

function storeMetrics (app: FastifyInstance, registry: Registry): void {
  const pools = new Map<string, PoolStats>()
  const queries = new Histogram({
    name: 'isp_store_query_duration_seconds',
    help: 'Curricula store queries by store, dialect (sqlite, postgres) and outcome (ok, error), in seconds.',
    labelNames: ['store', 'dialect', 'outcome'] as const,
    buckets: durationBuckets,
    registers: [registry]
  })
  new Gauge({
    name: 'isp_store_pool_connections',
    help: 'A PostgreSQL store\'s pooled connections by state (idle, busy).',
    labelNames: ['store', 'state'] as const,
    registers: [registry],
    collect () {
      for (const [store, stats] of pools) {
        const now = stats()
        if (now === undefined) continue
        this.set({ store, state: 'idle' }, now.idle)
        this.set({ store, state: 'busy' }, now.total - now.idle)
      }
    }
  })
  new Gauge({
    name: 'isp_store_pool_waiting',
    help: 'Queries waiting for a pooled PostgreSQL connection: above 0 for long, the pool (CURRICULA_POOL_SIZE) or the database is too small.',
    labelNames: ['store'] as const,
    registers: [registry],
    collect () {
      for (const [store, stats] of pools) {
        const now = stats()
        if (now !== undefined) this.set({ store }, now.waiting)
      }
    }
  })
  app.decorate('storeMetrics', (store: string, dialect: string, pool: PoolStats): QueryObserver => {
    pools.set(store, pool)
    const ok = queries.labels(store, dialect, 'ok')
    const failed = queries.labels(store, dialect, 'error')
    return (seconds, error) => { (error ? failed : ok).observe(seconds) }
  })
}

function processMetrics (app: FastifyInstance, registry: Registry): void {
  collectDefaultMetrics({ register: registry })
  let last: EventLoopUtilization = performance.eventLoopUtilization()
  new Gauge({
    name: 'isp_event_loop_utilization_ratio',
    help: 'Share of time the event loop was busy since the previous scrape (0-1).',
    registers: [registry],
    collect () {
      const now = performance.eventLoopUtilization()
      this.set(performance.eventLoopUtilization(now, last).utilization)
      last = now
    }
  })
  new Gauge({ name: 'isp_memory_limit_bytes', help: 'Memory the process may use: its cgroup (container) limit, else the machine\'s memory.', registers: [registry], collect () { this.set(memoryLimit()) } })
  new Gauge({ name: 'isp_heap_limit_bytes', help: 'The V8 heap\'s size limit.', registers: [registry], collect () { this.set(getHeapStatistics().heap_size_limit) } })
  new Gauge({
    name: 'isp_content_versions',
    help: 'Framework versions loaded, by framework.',
    labelNames: ['framework'] as const,
    registers: [registry],
    collect () {
      if (!app.hasDecorator('repo')) return
      for (const framework of app.repo.frameworks()) this.set({ framework: framework.id }, framework.versions.length)
    }
  })
}

/** Answers the metrics port: GET or HEAD /metrics (with the token when there is one), 404 otherwise. */
function metricsPortHandler (registry: Registry, token: string | undefined, log: FastifyInstance['log']): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found: only GET /metrics is served here.\n')
      return
    }
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' }).end('Unauthorized: send Authorization: Bearer <METRICS_TOKEN>.\n')
      return
    }
    registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text)
    }, (err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected.\n')
      log.error({ err }, 'metrics could not be collected')
    })
  }
}

export default fp<{ config: Config, accessLog: AccessLog }>(async (app, { config, accessLog }) => {
  const registry = new Registry()
  requestMetrics(app, registry, accessLog)
  cacheMetrics(app, registry)
  storeMetrics(app, registry)
  processMetrics(app, registry)
  const token = config.METRICS_TOKEN
  let server: Server | undefined

  if (config.METRICS_PORT !== undefined) {
    const port = config.METRICS_PORT
    server = createServer(metricsPortHandler(registry, token, app.log))
    app.addHook('onReady', async () => {
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject)
        server!.listen(port, config.METRICS_HOST, () => {
          server!.off('error', reject)
          resolve()
        })
      })
      app.log.info({ address: server!.address() }, 'metrics served')
    })
    app.addHook('onClose', async () => {
      if (!server!.listening) return
      server!.closeAllConnections()
      await new Promise<void>((resolve) => server!.close(() => resolve()))
    })
  } else if (token !== undefined) {
    app.get('/metrics', {
      schema: { hide: true },
      logLevel: 'warn',
      // Scrapes are most useful under load: never shed or rate-limited.
      config: { rateLimit: false, pressureHandler: () => undefined }
    }, async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"')
        throw new HttpError(401, 'UNAUTHORIZED', 'Metrics need the bearer token: send Authorization: Bearer <METRICS_TOKEN>.')
      }
      return reply.header('cache-control', 'no-store').type(registry.contentType).send(await registry.metrics())
    })
  }
  app.decorate('metrics', { registry, get server () { return server } })
}, { name: 'metrics' })
