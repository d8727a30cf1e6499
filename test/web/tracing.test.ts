/**
 * OpenTelemetry traces (src/web/tracing.ts) into an in-memory exporter: the span tree of one REST
 * and one GraphQL request, the caller's traceparent continued, and trace_id in the access log.
 */
import { Writable } from 'node:stream'
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { SpanKind } from '@opentelemetry/api'
import t, { type Test } from 'tap'
import { build } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { testConfig } from '../helpers/app.js'

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c'
const PARENT_ID = 'b7ad6b7169203331'
const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`

async function tracedApp (t: Test): Promise<{ app: Awaited<ReturnType<typeof build>>, exporter: InMemorySpanExporter, lines: Array<Record<string, unknown>> }> {
  const exporter = new InMemorySpanExporter()
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString().split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as Record<string, unknown>)
      callback()
    }
  })
  const app = await build({ config: testConfig(), spanExporter: exporter, logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  await app.ready()
  return { app, exporter, lines }
}

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId

t.test('a REST request: a SERVER span continuing the caller\'s trace, its database queries below it', async (t) => {
  const { app, exporter, lines } = await tracedApp(t)
  const response = await app.inject({ url: '/v1/search?q=trust', headers: { traceparent } })
  t.equal(response.statusCode, 200)
  const spans = exporter.getFinishedSpans()
  const server = spans.filter((s) => s.kind === SpanKind.SERVER)
  t.equal(server.length, 1, 'one request span')
  const request = server[0]!
  t.equal(request.name, 'GET /v1/search')
  t.equal(request.spanContext().traceId, TRACE_ID, 'the caller\'s trace')
  t.equal(parentOf(request), PARENT_ID, 'the caller\'s span is its parent')
  t.equal(request.attributes['http.route'], '/v1/search')
  t.equal(request.attributes['http.response.status_code'], 200)
  const queries = spans.filter((s) => s.kind === SpanKind.CLIENT)
  t.ok(queries.length >= 1, `${queries.length} database queries`)
  for (const q of queries) {
    t.equal(parentOf(q), request.spanContext().spanId, `${q.name} is the request's child`)
    t.equal(q.attributes['db.system.name'], 'sqlite')
    t.match(String(q.attributes['db.query.text']), /^\s*SELECT/)
    t.notMatch(String(q.attributes['db.query.text']), /trust/, 'parameters are not recorded')
  }
  t.equal(spans.length, 1 + queries.length, 'nothing else')
  const logged = lines.find((l) => l.msg === 'request completed')
  t.equal(logged?.trace_id, TRACE_ID, 'the access log carries the trace id')
})

t.test('a GraphQL request: parse, validate and execute under the request span', async (t) => {
  const { app, exporter } = await tracedApp(t)
  const response = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ search(version: "1.1", q: "trust", first: 3) { total } }' } })
  t.equal(response.statusCode, 200, response.body)
  const spans = exporter.getFinishedSpans()
  const request = spans.find((s) => s.kind === SpanKind.SERVER)!
  t.equal(request.name, 'POST /graphql')
  t.equal(parentOf(request), undefined, 'a new trace without traceparent')
  const id = request.spanContext().spanId
  const phases = spans.filter((s) => s.name.startsWith('graphql.'))
  t.same(phases.map((s) => s.name), ['graphql.parse', 'graphql.validate', 'graphql.execute'], 'in order')
  for (const p of phases) t.equal(parentOf(p), id, `${p.name} is the request's child`)
  const ms = (time: [number, number]): number => time[0] * 1e3 + time[1] / 1e6
  t.ok(ms(phases[0]!.endTime) <= ms(phases[1]!.startTime) + 1e-3 && ms(phases[1]!.endTime) <= ms(phases[2]!.startTime) + 1e-3, 'one after the other')
  t.ok(ms(phases[2]!.endTime) <= ms(request.endTime), 'within the request')
  const queries = spans.filter((s) => s.kind === SpanKind.CLIENT)
  t.ok(queries.length >= 1, 'the search queried the database')
  for (const q of queries) t.equal(q.spanContext().traceId, request.spanContext().traceId, 'in the same trace')

  exporter.reset()
  await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ search(version: "1.1", q: "trust", first: 3) { total } }' } })
  t.same(exporter.getFinishedSpans().map((s) => s.name), ['POST /graphql'], 'a result-cache hit never reaches GraphQL or the database')
})

t.test('off unless OTEL_EXPORTER_OTLP_ENDPOINT is set', async (t) => {
  const app = await build({ config: testConfig() })
  t.teardown(() => app.close())
  await app.ready()
  t.notOk(app.hasPlugin('tracing'))
  t.match(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4318')
  t.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/)
})

t.test('with OTEL_EXPORTER_OTLP_ENDPOINT, spans go to <url>/v1/traces over OTLP/HTTP', async (t) => {
  const { createServer } = await import('node:http')
  const received: Array<{ url: string | undefined, body: string }> = []
  const collector = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      received.push({ url: req.url, body })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  t.teardown(() => collector.close())
  const address = collector.address()
  if (address === null || typeof address === 'string') throw new Error('no collector port')
  const app = await build({ config: testConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${address.port}/`, OTEL_SERVICE_NAME: 'traced-test' } }) })
  await app.ready()
  t.equal((await app.inject({ url: '/v1', headers: { traceparent } })).statusCode, 200)
  await app.close()
  t.equal(received.length, 1, 'one batch, sent on close')
  t.equal(received[0]!.url, '/v1/traces')
  t.match(received[0]!.body, TRACE_ID)
  t.match(received[0]!.body, 'traced-test')
})
