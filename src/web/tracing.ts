/**
 * OpenTelemetry traces, loaded by telemetry.ts only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 * Spans: one SERVER span per HTTP request (continuing the caller's W3C `traceparent`), its
 * GraphQL parse, validate and execute (mercurius hooks), and the content database's queries.
 * The request's log lines carry its `trace_id`.
 *
 * Instrumented by hand with the tracer's own context rather than OpenTelemetry's global
 * auto-instrumentation: that patches modules as Node loads them, which a bundle (scripts/bundle.ts)
 * never does, and globals would tie every app in a process to one provider.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import {
  ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace,
  type Context, type HrTime, type Span, type Tracer
} from '@opentelemetry/api'
import { W3CTraceContextPropagator, addHrTimes, millisToHrTime } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { MercuriusContext } from 'mercurius'
import type { Config } from '../config.js'
import type { GraphQLHooks, QueryObserver } from './telemetry.js'

/**
 * A request's spans: the request's own, and the GraphQL phase open now, if any. `at()` is the time
 * now on the request span's own clock (its start plus the monotonic time since): the SDK starts
 * every span at Date.now(), whole milliseconds, so two phases timed by their own clocks could
 * overlap by up to a millisecond; one clock keeps them in order and inside the request.
 */
interface RequestSpans { span: Span, context: Context, phase?: Span, at: () => HrTime }

const kSpans = Symbol('trace spans')
type Traced = FastifyRequest & { [kSpans]?: RequestSpans }

/** The spans of a request, if it is traced. */
function spansOf (request: FastifyRequest): RequestSpans | undefined {
  return (request as Traced)[kSpans]
}

/** Ends a request's open GraphQL phase (parse, validate or execute). */
function endPhase (spans: RequestSpans, error = false, at = spans.at()): void {
  if (spans.phase === undefined) return
  if (error) spans.phase.setStatus({ code: SpanStatusCode.ERROR })
  spans.phase.end(at)
  spans.phase = undefined
}

/** The statement methods that run a query. */
const runMethods = ['run', 'get', 'all', 'iterate'] as const

interface Statement { [method: string]: unknown }
interface Database { prepare: (sql: string) => Statement, name?: string }

/**
 * Has every statement prepared from now on run its queries in a CLIENT span, child of the
 * request being served (queries outside a request, such as loading the content, are not traced).
 * Returns the undo.
 */
export function traceDatabase (db: Database, tracer: Tracer, active: () => Context | undefined): () => void {
  const prepare = db.prepare
  db.prepare = function prepareTraced (this: Database, sql: string): Statement {
    const statement = prepare.call(this, sql)
    const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY'
    for (const method of runMethods) {
      const run = statement[method]
      if (typeof run !== 'function') continue
      statement[method] = function traced (this: unknown, ...args: unknown[]): unknown {
        const parent = active()
        if (parent === undefined) return run.apply(this, args)
        const span = tracer.startSpan(`${operation} content`, {
          kind: SpanKind.CLIENT,
          attributes: { 'db.system.name': 'sqlite', 'db.operation.name': operation, 'db.query.text': sql }
        }, parent)
        try {
          return run.apply(this, args)
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message })
          throw err
        } finally {
          span.end()
        }
      }
    }
    return statement
  }
  return () => { db.prepare = prepare }
}

export interface TracingOptions {
  config: Config
  /** Where spans go (tests); an OTLP/HTTP exporter to `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces` otherwise. */
  exporter?: unknown
}

export default fp<TracingOptions>(async (app: FastifyInstance, { config, exporter }) => {
  const given = exporter as SpanExporter | undefined
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME }),
    // Spans are sent in batches off the request path; a test's exporter gets each span as it ends.
    spanProcessors: [given === undefined
      ? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${(config.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').replace(/\/+$/, '')}/v1/traces` }))
      : new SimpleSpanProcessor(given)]
  })
  const tracer = provider.getTracer('isp-competencies-api')
  const propagator = new W3CTraceContextPropagator()
  const current = new AsyncLocalStorage<Context>()

  app.addHook('onRequest', (request, reply, done) => {
    const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter)
    const route = request.is404 ? undefined : request.routeOptions.url
    const span = tracer.startSpan(route === undefined ? request.method : `${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': request.method,
        'url.path': request.url.split('?')[0] ?? '',
        ...(route === undefined ? {} : { 'http.route': route }),
        'http.request.id': request.id
      }
    }, parent)
    const context = trace.setSpan(parent, span)
    const started = performance.now()
    const start = (span as unknown as { startTime: HrTime }).startTime
    ;(request as Traced)[kSpans] = { span, context, at: () => addHrTimes(start, millisToHrTime(performance.now() - started)) }
    request.log = reply.log = request.log.child({ trace_id: span.spanContext().traceId })
    // The rest of the request's life (hooks, handler, their promises) runs in its span's context.
    current.run(context, done)
  })
  const finish = (request: FastifyRequest, status: number | undefined): void => {
    const spans = spansOf(request)
    if (spans === undefined) return
    endPhase(spans, true)
    if (status !== undefined) spans.span.setAttribute('http.response.status_code', status)
    if (status === undefined || status >= 500) spans.span.setStatus({ code: SpanStatusCode.ERROR })
    spans.span.end()
    ;(request as Traced)[kSpans] = undefined
  }
  app.addHook('onResponse', (request, reply, done) => {
    finish(request, reply.statusCode)
    done()
  })
  app.addHook('onRequestAbort', (request, done) => {
    finish(request, undefined)
    done()
  })

  app.decorate('instrumentGraphQL', (graphql: GraphQLHooks) => {
    const phase = (context: MercuriusContext, name: string): void => {
      const spans = spansOf(context.reply.request)
      if (spans === undefined) return
      const at = spans.at()
      endPhase(spans, false, at)
      spans.phase = tracer.startSpan(name, { startTime: at }, spans.context)
    }
    graphql.addHook('preParsing', async (_schema, _source, context) => { phase(context, 'graphql.parse') })
    graphql.addHook('preValidation', async (_schema, _document, context) => { phase(context, 'graphql.validate') })
    graphql.addHook('preExecution', async (_schema, _document, context) => { phase(context, 'graphql.execute') })
    graphql.addHook('onResolution', async (execution, context) => {
      const spans = spansOf(context.reply.request)
      if (spans !== undefined) endPhase(spans, execution.errors !== undefined && execution.errors.length > 0)
    })
  })

  // The curricula store reports each query when it has run (Kysely's log, in the request's async
  // context): its span is made afterwards, with the query's own start and end times.
  app.decorate('storeTraces', (store: string, dialect: string): QueryObserver => (seconds, failed, sql) => {
    const parent = current.getStore()
    if (parent === undefined) return
    const end = Date.now()
    const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY'
    const span = tracer.startSpan(`${operation} ${store}`, {
      kind: SpanKind.CLIENT,
      startTime: end - seconds * 1000,
      attributes: { 'db.system.name': dialect === 'postgres' ? 'postgresql' : dialect, 'db.operation.name': operation, 'db.query.text': sql }
    }, parent)
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR })
    span.end(end)
  })

  let untrace: (() => void) | undefined
  app.addHook('onReady', async () => {
    if (app.hasDecorator('repo')) untrace = traceDatabase(app.repo.db as unknown as Database, tracer, () => current.getStore())
  })
  app.addHook('onClose', async () => {
    untrace?.()
    // The last batch goes out now; a collector that is down costs those spans, not the shutdown
    // (the rejection would fail app.close() before the databases are closed).
    try {
      await provider.shutdown()
    } catch (err) {
      app.log.warn({ err }, 'the last traces could not be sent to the OTLP collector')
    }
  })
}, { name: 'tracing' })
