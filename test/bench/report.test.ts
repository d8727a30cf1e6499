/** The figures: medians, per-round ratios and the issue 7 targets. */
import t from 'tap'
import type { ContenderName } from '../../bench/contenders.js'
import { Results, median, targets, type Measurement, type Memory, type Startup } from '../../bench/report.js'

const MB = 1024 * 1024

function run (scenario: string, contender: ContenderName, round: number, rps: number, cpuUsPerRequest: number): Measurement {
  return { scenario, contender, round, requests: rps, seconds: 1, rps, p50: 1, p99: 2, cpuMs: rps * cpuUsPerRequest / 1000, cpuUsPerRequest, bytesPerResponse: 100, statuses: { 200: rps }, failures: 0 }
}

t.test('median', async (t) => {
  t.equal(median([3, 1, 2]), 2)
  t.equal(median([4, 1, 3, 2]), 2.5)
  t.ok(Number.isNaN(median([])))
})

t.test('ratios are taken round by round, then their median', async (t) => {
  const results = new Results([
    run('hello', 'ceiling', 1, 1000, 10), run('hello', 'ceiling', 2, 500, 20), run('hello', 'ceiling', 3, 1000, 10),
    run('x', 'service', 1, 800, 12), run('x', 'service', 2, 400, 24), run('x', 'service', 3, 100, 100)
  ])
  t.equal(results.ratio('rps', ['x', 'service'], ['hello', 'ceiling']), 0.8, 'a noisy round does not move the median')
  t.equal(results.ratio('cpuUsPerRequest', ['x', 'service'], ['hello', 'ceiling']), 1.2)
  const summary = results.summary('x', 'X', 'service')
  t.equal(summary.rps, 400)
  t.equal(summary.rpsVsCeiling, 0.8)
})

t.test('targets pass and fail at their thresholds', async (t) => {
  const measurements: Measurement[] = []
  for (const round of [1, 2]) {
    measurements.push(
      run('hello', 'ceiling', round, 1000, 10),
      run('rest-competency', 'service', round, 800, 12.5),
      run('rest-competency', 'json-server', round, 100, 100),
      run('rest-full-list', 'service', round, 399, 30),
      run('rest-full-list', 'json-server', round, 10, 1000),
      run('rest-search', 'service', round, 400, 25),
      run('rest-search', 'json-server', round, 100, 100),
      run('rest-304', 'service', round, 900, 11),
      run('rest-304', 'json-server', round, 100, 100),
      run('graphql-competency', 'service', round, 500, 20),
      run('graphql-full-guide', 'service', round, 100, 50),
      run('graphql-full-guide', 'apollo', round, 25, 200)
    )
  }
  const startup: Startup = { coldStartMs: [400, 600, 450], coldStartCpuMs: [300, 300, 300], dbBuildMs: [100], dbBuildProcessMs: [2100] }
  const memory: Memory = {
    afterWarmup: { service: 100 * MB },
    afterRound: [{ service: 120 * MB }, { service: 140 * MB }],
    afterRun: { service: 140 * MB },
    retained: [{ rss: 90 * MB, heapUsed: 20 * MB }, { rss: 95 * MB, heapUsed: 25 * MB }, { rss: 96 * MB, heapUsed: 26 * MB }]
  }
  const list = targets(new Results(measurements), startup, memory,
    [{ id: 'rest-competency', title: 'competency' }, { id: 'rest-full-list', title: 'list' }, { id: 'rest-search', title: 'search' }, { id: 'rest-304', title: '304' }])
  const verdict = (prefix: string): boolean | undefined => list.find((x) => x.target.startsWith(prefix))?.pass
  t.equal(verdict('REST competency by id ≥ 0.8'), true, 'exactly 0.8 passes')
  t.equal(list.find((x) => x.target.startsWith('REST competency by id ≥ 0.8'))?.byCpu?.pass, true, '1.25× the CPU passes')
  t.equal(verdict('REST full list'), false, '0.399 fails')
  t.equal(verdict('REST search'), true)
  t.equal(verdict('304 revalidation'), true)
  t.equal(verdict('GraphQL competency by id'), true)
  t.equal(verdict('GraphQL full-guide query ≥ 4× Apollo'), true)
  t.equal(verdict('GraphQL full-guide query ≥ 0.25'), true, '100 / 399')
  t.equal(verdict('competency ≥ 8× json-server'), true)
  t.equal(verdict('list ≥ 8× json-server'), true)
  t.equal(verdict('search ≥ 8× json-server'), false, '4×')
  t.equal(verdict('Cold start'), true, 'median 450 ms')
  t.equal(verdict('Database build'), false, '2.1 s')
  t.equal(verdict('Memory: RSS'), true)
  t.equal(verdict('Memory: no growth'), true, '+1 MB of heap')
})
