/** Curricula store queries as spans (src/web/tracing.ts storeTraces), under the request's span, on both stores. */
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { SpanKind } from '@opentelemetry/api'
import t from 'tap'
import { build } from '../../src/app.js'
import { createKey } from '../../src/curricula/keys.js'
import { testConfig } from '../helpers/app.js'
import { TOKEN, scrape, valueOf } from '../helpers/metrics.js'
import { openTestStore, storeKinds } from '../helpers/stores.js'

for (const kind of storeKinds) {
  t.test(`${kind}: a curricula request's queries are CLIENT spans below its SERVER span, with metrics on too`, async (t) => {
    const repo = await openTestStore(t, kind)
    if (repo === undefined) return
    const exporter = new InMemorySpanExporter()
    const app = await build({ config: testConfig({ env: { METRICS_TOKEN: TOKEN } }), curricula: repo, spanExporter: exporter })
    t.teardown(() => app.close())
    await app.ready()
    const institution = await repo.createInstitution('Alpha')
    const { key } = await createKey(repo, institution.id, 'write')
    exporter.reset()
    const created = await app.inject({ method: 'POST', url: '/v1/curricula', headers: { authorization: `Bearer ${key}` }, payload: { name: 'MSc', framework: 'isp', version: '1.1' } })
    t.equal(created.statusCode, 201)
    const spans = exporter.getFinishedSpans()
    const server = spans.find((s) => s.kind === SpanKind.SERVER)
    t.ok(server, 'the request span')
    const queries = spans.filter((s) => s.kind === SpanKind.CLIENT && s.name.endsWith(' curricula'))
    t.ok(queries.some((s) => s.name === 'INSERT curricula'), `the insert is a span (${queries.map((s) => s.name).join(', ')})`)
    for (const q of queries) {
      t.equal(q.parentSpanContext?.spanId, server!.spanContext().spanId, `${q.name} is a child of the request span`)
      t.equal(q.attributes['db.system.name'], kind === 'postgres' ? 'postgresql' : 'sqlite')
      t.type(q.attributes['db.query.text'], 'string')
    }
    t.ok(valueOf(await scrape(app), 'isp_store_query_duration_seconds_count', { store: 'curricula', dialect: kind, outcome: 'ok' }) > 0, 'and metrics still count the queries')
  })
}
