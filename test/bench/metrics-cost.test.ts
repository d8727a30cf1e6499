/** What metrics cost per request in `npm run bench` (bench/report.ts metricsCost, bench/scenarios.ts). */
import t from 'tap'
import type { ContenderName } from '../../bench/contenders.js'
import { METRICS_COST_LIMIT, Results, metricsCost, type Measurement } from '../../bench/report.js'
import { scenarios } from '../../bench/scenarios.js'

function run (scenario: string, contender: ContenderName, round: number, rps: number, cpuUsPerRequest: number): Measurement {
  return { scenario, contender, round, requests: rps, seconds: 1, rps, p50: 1, p99: 2, cpuMs: rps * cpuUsPerRequest / 1000, cpuUsPerRequest, bytesPerResponse: 100, statuses: { 200: rps }, failures: 0 }
}

t.test('metrics cost: throughput lost and CPU per request, against the limit', async (t) => {
  const results = new Results([1, 2, 3].flatMap((round) => [
    run('metrics-rest-competency', 'service', round, 1000, 10),
    run('metrics-rest-competency', 'service-metrics', round, 960, 10.4),
    run('metrics-graphql-competency', 'service', round, 1000, 10),
    run('metrics-graphql-competency', 'service-metrics', round, 900, 11)
  ]))
  const [rest, graphql] = metricsCost(results)
  t.equal(METRICS_COST_LIMIT, 0.05)
  t.match(rest, { measured: '4.0% fewer req/s', pass: true, byCpu: { pass: true } })
  t.match(graphql, { measured: '10.0% fewer req/s', pass: false, byCpu: { pass: false } })
  t.same(metricsCost(new Results([run('metrics-rest-competency', 'service', 1, 1000, 10)])), [], 'no target when a side did not run')
})

t.test('the metrics scenarios ask both instances the same cached question', async (t) => {
  const list = await scenarios({ competencies: Array.from({ length: 12 }, (_, i) => `c${i}`), activities: ['a0', 'a1', 'a2'], etag: async () => '"x"' })
  for (const id of ['metrics-rest-competency', 'metrics-graphql-competency']) {
    const s = list.find((x) => x.id === id)
    t.ok(s, id)
    t.same(Object.keys(s!.requests).sort(), ['service', 'service-metrics'])
    t.same(s!.requests['service-metrics'], s!.requests.service)
  }
})
