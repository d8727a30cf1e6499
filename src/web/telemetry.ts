/**
 * Telemetry, off unless configured: Prometheus metrics (METRICS_TOKEN or METRICS_PORT, see
 * metrics.ts) and OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT, see tracing.ts). Each is
 * imported only when it is on, so a service without them loads and runs none of their code.
 *
 * The caches report to `app.observeCache(name, stats)`, which the transports call whether or not
 * metrics are on; it answers a no-op observer when they are off. The curricula store reports its
 * queries and pool to `app.observeStore` in the same way.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { MercuriusPlugin } from 'mercurius'
import type { Config } from '../config.js'
import type { AccessLog } from './logging.js'

/** What a cache reports as it is used: every lookup's outcome, and every entry it drops. */
export interface CacheObserver {
  hit: () => void
  miss: () => void
  evicted: () => void
}

/** A cache's current size, read when metrics are scraped. */
export type CacheStats = () => { entries: number, bytes: number }

/** Reports nothing: the observer of a cache when metrics are off. */
export const noCacheObserver: CacheObserver = { hit () {}, miss () {}, evicted () {} }

/** A database's connection pool now, read when metrics are scraped; undefined when it has none. */
export type PoolStats = () => { total: number, idle: number, waiting: number } | undefined

/** Told each query's duration in seconds, whether it failed, and its SQL. */
export type QueryObserver = (seconds: number, failed: boolean, sql: string) => void

/** Reports nothing: the query observer when metrics are off. */
export const noQueryObserver: QueryObserver = () => {}

/** Where GraphQL's parse, validate and execute hooks are added (mercurius' `app.graphql`). */
export type GraphQLHooks = Pick<MercuriusPlugin, 'addHook'>

declare module 'fastify' {
  interface FastifyInstance {
    /** The observer a cache named `name` (a metric label: `response`, `graphql`) reports to. */
    observeCache: (name: string, stats: CacheStats) => CacheObserver
    /** The observer of a database named `store` (a metric label: `curricula`) of a dialect, with its pool: metrics and traces, whichever are on. */
    observeStore: (store: string, dialect: string, pool: PoolStats) => QueryObserver
    /** Metrics' part of observeStore (metrics.ts), when metrics are on. */
    storeMetrics?: (store: string, dialect: string, pool: PoolStats) => QueryObserver
    /** Tracing's part of observeStore (tracing.ts), when tracing is on: a span per query under the request's. */
    storeTraces?: (store: string, dialect: string) => QueryObserver
    /** Traces GraphQL's parse, validate and execute when tracing is on; does nothing otherwise. */
    instrumentGraphQL: (graphql: GraphQLHooks) => void
  }
}

/** Whether the configuration turns metrics on: a token for the main port, or a port of their own. */
export function metricsEnabled (config: Config): boolean {
  return config.METRICS_TOKEN !== undefined || config.METRICS_PORT !== undefined
}

export interface TelemetryOptions {
  config: Config
  /** The server's access log, which tells the request metrics of every completed request. */
  accessLog: AccessLog
  /** Tests: where spans go instead of an OTLP collector (a SpanExporter of @opentelemetry/sdk-trace-base). */
  spanExporter?: unknown
}

export default fp<TelemetryOptions>(async (app: FastifyInstance, { config, accessLog, spanExporter }) => {
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || spanExporter !== undefined) {
    const { default: tracing } = await import('./tracing.js')
    await app.register(tracing, { config, ...(spanExporter === undefined ? {} : { exporter: spanExporter }) })
  } else {
    app.decorate('instrumentGraphQL', () => {})
  }
  if (metricsEnabled(config)) {
    const { default: metrics } = await import('./metrics.js')
    await app.register(metrics, { config, accessLog })
  } else {
    app.decorate('observeCache', () => noCacheObserver)
  }
  app.decorate('observeStore', (store: string, dialect: string, pool: PoolStats): QueryObserver => {
    const observers = [app.storeMetrics?.(store, dialect, pool), app.storeTraces?.(store, dialect)].filter((o) => o !== undefined)
    const [only] = observers
    if (observers.length === 0 || only === undefined) return noQueryObserver
    if (observers.length === 1) return only
    return (seconds, failed, sql) => { for (const o of observers) o(seconds, failed, sql) }
  })
}, { name: 'telemetry' })
