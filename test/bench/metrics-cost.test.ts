/** What metrics cost per request in `npm run bench` (bench/report.ts metricsCost, bench/scenarios.ts). */
import t from 'tap'
import { METRICS_TOKEN, SEEDED, spec, type BenchPaths, type ContenderName } from '../../bench/contenders.js'
import { METRICS_COST_LIMIT, Results, metricsCost, pool, type Measurement } from '../../bench/report.js'
import { scenarios } from '../../bench/scenarios.js'

function run (scenario: string, contender: ContenderName, round: number, rps: number, cpuUsPerRequest: number): Measurement {
  return { scenario, contender, round, requests: rps, seconds: 1, rps, p50: 1, p99: 2, cpuMs: rps * cpuUsPerRequest / 1000, cpuUsPerRequest, bytesPerResponse: 100, statuses: { 200: rps }, failures: 0 }
}

t.test('metrics cost: throughput lost and CPU per request, against the limit', async (t) => {
  const results = new Results([1, 2, 3].flatMap((round) => [
    run('metrics-rest-competency', 'service-twin', round, 1000, 10),
    run('metrics-rest-competency', 'service-metrics', round, 960, 10.4),
    run('metrics-graphql-competency', 'service-twin', round, 1000, 10),
    run('metrics-graphql-competency', 'service-metrics', round, 900, 11)
  ]))
  const [rest, graphql] = metricsCost(results)
  t.equal(METRICS_COST_LIMIT, 0.05)
  t.match(rest, { measured: '4.0% fewer req/s', pass: true, byCpu: { pass: true } })
  t.match(graphql, { measured: '10.0% fewer req/s', pass: false, byCpu: { pass: false } })
  t.same(metricsCost(new Results([run('metrics-rest-competency', 'service-twin', 1, 1000, 10)])), [], 'no target when a side did not run')
})

t.test('the metrics scenarios ask twin processes, metrics on and off, the same cached question', async (t) => {
  const list = await scenarios({ competencies: Array.from({ length: 12 }, (_, i) => `c${i}`), activities: ['a0', 'a1', 'a2'], etag: async () => '"x"' })
  for (const id of ['metrics-rest-competency', 'metrics-graphql-competency']) {
    const s = list.find((x) => x.id === id)
    t.ok(s, id)
    t.same(Object.keys(s!.requests).sort(), ['service-metrics', 'service-twin'])
    t.same(s!.requests['service-metrics'], s!.requests['service-twin'], 'the same requests')
  }
})

t.test('a paired scenario pools its alternating runs into one measurement per contender and round', async (t) => {
  const a = { ...run('metrics-rest-competency', 'service-metrics', 2, 1000, 10), seconds: 3, requests: 3000, cpuMs: 30, p50: 1, p99: 4, bytesPerResponse: 100, statuses: { 200: 3000 } }
  const b = { ...run('metrics-rest-competency', 'service-metrics', 2, 500, 20), seconds: 2, requests: 1000, cpuMs: 20, p50: 3, p99: 6, bytesPerResponse: 200, statuses: { 200: 999, 500: 1 }, failures: 1 }
  const pooled = pool('service-metrics', [a, b])
  t.match(pooled, { scenario: 'metrics-rest-competency', contender: 'service-metrics', round: 2, requests: 4000, seconds: 5, rps: 800, cpuMs: 50, cpuUsPerRequest: 12.5, p50: 2, p99: 5, bytesPerResponse: 125, statuses: { 200: 3999, 500: 1 }, failures: 1 })
  const list = await scenarios({ competencies: ['c0'], activities: ['a0'], etag: async () => '"x"' })
  t.same(list.filter((s) => s.paired === true).map((s) => s.id).sort(), ['metrics-graphql-competency', 'metrics-rest-competency'], 'only the metrics comparison is paired')
})

t.test('the twins differ only in metrics: the same launcher copy, seeds and environment but the token', async (t) => {
  const paths = { root: '/project', dbPath: '/tmp/content.db', seededLauncher: '/project/dist/bench-seeded-x/server.mjs' } as BenchPaths
  const metrics = spec('service-metrics', paths, 4000)
  const twin = spec('service-twin', paths, 4000)
  t.same(metrics.args, [...SEEDED, paths.seededLauncher], 'fixed seeds, on the copy of the bundle')
  t.same(twin.args, metrics.args)
  const { METRICS_TOKEN: token, ...rest } = metrics.env
  t.equal(token, METRICS_TOKEN)
  t.same(rest, twin.env)
  t.same(SEEDED, ['--hash-seed=1', '--random-seed=1'])
  t.notOk(spec('service', paths, 4000).args.some((a) => a.includes('seed')), 'the main service process runs as production does')
})
