/**
 * Turning runs into figures: medians over rounds, ratios computed round by round (so both sides of
 * a ratio met the same machine noise) and then their median, the results table and the targets
 * of issue 7 with pass/fail.
 */
import type { ContenderName } from './contenders.js'
import type { Retained } from './inspector.js'

/** One load run: one contender, one scenario, one round. */
export interface Measurement {
  scenario: string
  contender: ContenderName
  round: number
  requests: number
  seconds: number
  rps: number
  /** Latency percentiles in ms, as autocannon reports them (1 ms resolution). */
  p50: number
  p99: number
  /** Server CPU (user + system, all threads) during the run, in ms, and per request in µs. */
  cpuMs: number
  cpuUsPerRequest: number
  /** Bytes received per response, headers included. */
  bytesPerResponse: number
  statuses: Record<string, number>
  /** Answers with a status the scenario does not expect, plus errors and timeouts. */
  failures: number
}

export interface Summary {
  scenario: string
  title: string
  contender: ContenderName
  rounds: number
  rps: number
  p50: number
  p99: number
  cpuUsPerRequest: number
  bytesPerResponse: number
  failures: number
  /** Median per-round ratios to the ceiling's hello-world run of the same round. */
  rpsVsCeiling: number
  cpuVsCeiling: number
}

export function median (values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export class Results {
  constructor (readonly measurements: Measurement[]) {}

  runs (scenario: string, contender: ContenderName): Measurement[] {
    return this.measurements.filter((m) => m.scenario === scenario && m.contender === contender)
  }

  has (scenario: string, contender: ContenderName): boolean {
    return this.runs(scenario, contender).length > 0
  }

  /** Median over rounds of a/b for the same round: `what` of (scenario a, contender a) over (scenario b, contender b). */
  ratio (what: 'rps' | 'cpuUsPerRequest', a: [string, ContenderName], b: [string, ContenderName]): number {
    const left = this.runs(...a)
    const right = this.runs(...b)
    const ratios = left.flatMap((l) => {
      const r = right.find((x) => x.round === l.round)
      return r === undefined || r[what] === 0 ? [] : [l[what] / r[what]]
    })
    return median(ratios)
  }

  summary (scenario: string, title: string, contender: ContenderName): Summary {
    const runs = this.runs(scenario, contender)
    const of = (k: 'rps' | 'p50' | 'p99' | 'cpuUsPerRequest' | 'bytesPerResponse'): number => median(runs.map((r) => r[k]))
    return {
      scenario,
      title,
      contender,
      rounds: runs.length,
      rps: of('rps'),
      p50: of('p50'),
      p99: of('p99'),
      cpuUsPerRequest: of('cpuUsPerRequest'),
      bytesPerResponse: of('bytesPerResponse'),
      failures: runs.reduce((n, r) => n + r.failures, 0),
      rpsVsCeiling: this.ratio('rps', [scenario, contender], ['hello', 'ceiling']),
      cpuVsCeiling: this.ratio('cpuUsPerRequest', [scenario, contender], ['hello', 'ceiling'])
    }
  }
}

/** One measurement from several runs of the same scenario, contender and round. */
export function pool (contender: ContenderName, list: Measurement[]): Measurement {
  const sum = (k: 'requests' | 'seconds' | 'cpuMs' | 'failures'): number => list.reduce((n, m) => n + m[k], 0)
  const requests = sum('requests')
  const statuses: Record<string, number> = {}
  for (const m of list) for (const [code, n] of Object.entries(m.statuses)) statuses[code] = (statuses[code] ?? 0) + n
  return {
    scenario: list[0]!.scenario,
    contender,
    round: list[0]!.round,
    requests,
    seconds: sum('seconds'),
    rps: requests / sum('seconds'),
    p50: median(list.map((m) => m.p50)),
    p99: median(list.map((m) => m.p99)),
    cpuMs: sum('cpuMs'),
    cpuUsPerRequest: requests === 0 ? Number.NaN : sum('cpuMs') * 1000 / requests,
    bytesPerResponse: list.reduce((n, m) => n + m.bytesPerResponse * m.requests, 0) / requests,
    statuses,
    failures: sum('failures')
  }
}

export interface Startup {
  /** Spawn to the first 200 from /health/ready, database already built, each attempt (ms). */
  coldStartMs: number[]
  /** CPU time the process used until then, each attempt (ms). */
  coldStartCpuMs: number[]
  /** buildDatabase as `npm run seed` reports it, and the whole seed process, each attempt (ms). */
  dbBuildMs: number[]
  dbBuildProcessMs: number[]
}

export interface Memory {
  /** RSS of each contender (bytes) as /proc shows it: after warm-up, after each round, after the run. */
  afterWarmup: Partial<Record<ContenderName, number>>
  afterRound: Array<Partial<Record<ContenderName, number>>>
  afterRun: Partial<Record<ContenderName, number>>
  /** The service after a forced full garbage collection: after warm-up, then after each round. */
  retained: Retained[]
}

export interface TargetResult {
  target: string
  measured: string
  pass: boolean
  /** The same target by CPU per request, where it has one: the stable figure on a shared machine. */
  byCpu?: { measured: string, pass: boolean }
}

/** Tolerance for "no growth across rounds": heap retained after the last round at most this much above after the first. */
export const HEAP_GROWTH_TOLERANCE = 2 * 1024 * 1024
export const RSS_LIMIT = 150 * 1024 * 1024

const x = (n: number, digits = 2): string => Number.isFinite(n) ? `${n.toFixed(digits)}×` : 'n/a'
const mb = (n: number | undefined): string => n === undefined ? 'n/a' : `${(n / 1024 / 1024).toFixed(1)} MB`

/** Most throughput cached answers may lose with metrics on (issue 18). */
export const METRICS_COST_LIMIT = 0.05

/** What metrics cost cached answers: `service-metrics` against its twin with metrics off, `service-twin`, on the metrics-* scenarios that ran. */
export function metricsCost (results: Results): TargetResult[] {
  const scenarios = [['metrics-rest-competency', 'REST competency by id'], ['metrics-graphql-competency', 'GraphQL competency by id']] as const
  return scenarios.filter(([id]) => results.has(id, 'service-twin') && results.has(id, 'service-metrics')).map(([id, title]) => {
    const lost = 1 - results.ratio('rps', [id, 'service-metrics'], [id, 'service-twin'])
    const cpu = results.ratio('cpuUsPerRequest', [id, 'service-metrics'], [id, 'service-twin'])
    return {
      target: `${title} with metrics on loses ≤ ${METRICS_COST_LIMIT * 100}% of its req/s (≤ ${(1 + METRICS_COST_LIMIT).toFixed(2)}× CPU per request)`,
      measured: `${(lost * 100).toFixed(1)}% fewer req/s`,
      pass: lost <= METRICS_COST_LIMIT,
      byCpu: { measured: `${x(cpu)} the CPU/request`, pass: cpu <= 1 + METRICS_COST_LIMIT }
    }
  })
}

/** Issue 17's targets against bare Fastify sending the same bytes: each scenario, its minimum share of bare's req/s. */
export const SAME_BYTES_TARGETS: ReadonlyArray<readonly [string, string, number]> = [
  ['rest-competency', 'REST competency by id', 0.6],
  ['rest-full-list', 'REST full list with activities and hints', 0.6],
  ['rest-304', 'REST 304 revalidation', 0.6],
  ['graphql-competency', 'GraphQL competency by id (POST)', 0.5],
  ['graphql-persisted', 'GraphQL competency by id (GET, persisted query)', 0.5]
]

/** Cached answers against bare Fastify sending the same bytes (issue 17, part 1). */
export function sameBytesTargets (results: Results): TargetResult[] {
  return SAME_BYTES_TARGETS.filter(([id]) => results.has(id, 'bare') && results.has(id, 'service')).map(([id, title, minimum]) => {
    const rps = results.ratio('rps', [id, 'service'], [id, 'bare'])
    const cpu = results.ratio('cpuUsPerRequest', [id, 'service'], [id, 'bare'])
    return {
      target: `${title} ≥ ${minimum} of bare Fastify's req/s sending the same bytes (≤ ${(1 / minimum).toFixed(2)}× its CPU per request)`,
      measured: `${rps.toFixed(2)} of bare Fastify`,
      pass: rps >= minimum,
      byCpu: { measured: `${x(cpu)} bare's CPU/request`, pass: cpu <= 1 / minimum }
    }
  })
}

/** The scale scenarios: the same request on the synthetic framework and on the guide, served by one process. */
export const SCALE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['scale-page', 'a page of 50 key activities'],
  ['scale-search', 'search'],
  ['scale-activity', 'a key activity by id']
]

/** Most a request on the big framework may cost over the same on the guide (issue 17, part 3). */
export const SCALE_LIMIT = 1.3

export function scaleTargets (results: Results): TargetResult[] {
  return SCALE_PAIRS.filter(([id]) => results.has(`${id}-big`, 'scale')).map(([id, title]) => {
    const rps = results.ratio('rps', [`${id}-guide`, 'scale'], [`${id}-big`, 'scale'])
    const cpu = results.ratio('cpuUsPerRequest', [`${id}-big`, 'scale'], [`${id}-guide`, 'scale'])
    return {
      target: `Scale: ${title} on the 99 × 99 framework within ${SCALE_LIMIT}× the same on the guide`,
      measured: `the guide's req/s ÷ the big one's: ${x(rps)}`,
      pass: rps <= SCALE_LIMIT,
      byCpu: { measured: `${x(cpu)} the guide's CPU/request`, pass: cpu <= SCALE_LIMIT }
    }
  })
}

/** The first export of the big framework, on a fresh process, with small requests sent meanwhile. */
export interface FirstExport {
  /** Request sent to response headers (the body is ready then), ms. */
  firstByteMs: number
  /** To the last byte, ms. */
  totalMs: number
  bytes: number
  /** Latency of the small requests sent every 10 ms meanwhile: how many, the slowest, the median (ms). */
  small: { count: number, maxMs: number, p50Ms: number }
}

/** Most time to the first byte of the big framework's first export (issue 17, part 3). */
export const FIRST_EXPORT_LIMIT_MS = 1000

export function firstExportTargets (runs: FirstExport[]): TargetResult[] {
  if (runs.length === 0) return []
  const ttfb = median(runs.map((r) => r.firstByteMs))
  const stall = median(runs.map((r) => r.small.maxMs))
  return [{
    target: `Scale: first export of the big framework, first byte in < ${FIRST_EXPORT_LIMIT_MS} ms, other requests answered meanwhile`,
    measured: `${ttfb.toFixed(0)} ms (median of ${runs.length}); slowest concurrent small request ${stall.toFixed(0)} ms (median over runs)`,
    pass: ttfb < FIRST_EXPORT_LIMIT_MS
  }]
}

/** One cacheable answer as sent without and with compression, and whether it revalidates. */
export interface BytesSaved {
  what: string
  url: string
  identity: number
  encoded: number
  encoding: string
  etag: boolean
  revalidates: boolean
}

export function bytesTable (rows: BytesSaved[]): string {
  return ['| answer | identity bytes | compressed | saved | ETag | If-None-Match → 304 |', '|---|--:|--:|--:|---|---|',
    ...rows.map((r) => `| ${r.what} (\`${r.url.length > 60 ? `${r.url.slice(0, 57)}…` : r.url}\`) | ${num(r.identity)} | ${num(r.encoded)} ${r.encoding} | ${r.identity === 0 ? '' : `${((1 - r.encoded / r.identity) * 100).toFixed(0)}%`} | ${r.etag ? 'yes' : 'no'} | ${r.revalidates ? 'yes' : 'no'} |`)
  ].join('\n')
}

export function firstExportTable (runs: FirstExport[]): string {
  return ['| first export of the 99 × 99 framework (fresh process) | first byte ms | last byte ms | bytes sent | small requests meanwhile | slowest ms | median ms |', '|---|--:|--:|--:|--:|--:|--:|',
    ...runs.map((r, i) => `| run ${i + 1} | ${num(r.firstByteMs)} | ${num(r.totalMs)} | ${num(r.bytes)} | ${r.small.count} | ${num(r.small.maxMs)} | ${num(r.small.p50Ms, 1)} |`)
  ].join('\n')
}

/** The targets of issue 7, each with the measured value and pass/fail. */
export function targets (results: Results, startup: Startup, memory: Memory, restScenarios: Array<{ id: string, title: string }>): TargetResult[] {
  const out: TargetResult[] = []
  const vsCeiling = (scenario: string, title: string, minimum: number): void => {
    const rps = results.ratio('rps', [scenario, 'service'], ['hello', 'ceiling'])
    const cpu = results.ratio('cpuUsPerRequest', [scenario, 'service'], ['hello', 'ceiling'])
    out.push({
      target: `${title} ≥ ${minimum} of the ceiling's req/s (≤ ${(1 / minimum).toFixed(2)}× its CPU per request)`,
      measured: `${rps.toFixed(2)} of the ceiling`,
      pass: rps >= minimum,
      byCpu: { measured: `${x(cpu)} the ceiling's CPU/request`, pass: cpu <= 1 / minimum }
    })
  }
  vsCeiling('rest-competency', 'REST competency by id', 0.8)
  vsCeiling('rest-full-list', 'REST full list with activities and hints', 0.4)
  vsCeiling('rest-search', 'REST search', 0.4)
  vsCeiling('rest-304', '304 revalidation', 0.9)
  vsCeiling('graphql-competency', 'GraphQL competency by id', 0.5)

  const apollo = results.ratio('rps', ['graphql-full-guide', 'service'], ['graphql-full-guide', 'apollo'])
  const apolloCpu = results.ratio('cpuUsPerRequest', ['graphql-full-guide', 'apollo'], ['graphql-full-guide', 'service'])
  out.push({
    target: 'GraphQL full-guide query ≥ 4× Apollo Server on the same query',
    measured: `${x(apollo, 1)} Apollo's req/s`,
    pass: apollo >= 4,
    byCpu: { measured: `Apollo uses ${x(apolloCpu, 1)} the CPU/request`, pass: apolloCpu >= 4 }
  })
  const ofRest = results.ratio('rps', ['graphql-full-guide', 'service'], ['rest-full-list', 'service'])
  const ofRestCpu = results.ratio('cpuUsPerRequest', ['rest-full-list', 'service'], ['graphql-full-guide', 'service'])
  out.push({
    target: 'GraphQL full-guide query ≥ 0.25 of this service\'s REST full list',
    measured: `${ofRest.toFixed(2)} of REST's req/s`,
    pass: ofRest >= 0.25,
    byCpu: { measured: `${ofRestCpu.toFixed(2)} of REST's requests per CPU second`, pass: ofRestCpu >= 0.25 }
  })
  for (const s of restScenarios) {
    const r = results.ratio('rps', [s.id, 'service'], [s.id, 'json-server'])
    const c = results.ratio('cpuUsPerRequest', [s.id, 'json-server'], [s.id, 'service'])
    out.push({
      target: `${s.title} ≥ 8× json-server`,
      measured: `${x(r, 1)} json-server's req/s`,
      pass: r >= 8,
      byCpu: { measured: `json-server uses ${x(c, 1)} the CPU/request`, pass: c >= 8 }
    })
  }
  out.push(...metricsCost(results))
  const cold = median(startup.coldStartMs)
  out.push({ target: 'Cold start, database already built ≤ 500 ms', measured: `${cold.toFixed(0)} ms (median of ${startup.coldStartMs.length})`, pass: cold <= 500 })
  const build = median(startup.dbBuildProcessMs)
  out.push({
    target: 'Database build from seeds ≤ 2 s',
    measured: `${build.toFixed(0)} ms for \`npm run seed\`'s process (buildDatabase itself ${median(startup.dbBuildMs).toFixed(0)} ms)`,
    pass: build <= 2000
  })
  const rss = memory.afterRun.service
  const kept = memory.retained.at(-1)
  out.push({
    target: 'Memory: RSS ≤ 150 MB after the run',
    measured: `${mb(rss)} (the memory instance: ${mb(kept?.rss)} after a full garbage collection)`,
    pass: rss !== undefined && rss <= RSS_LIMIT
  })
  // The memory instance's first collection after a round of load, against its last.
  const first = memory.retained[1]
  const growth = first === undefined || kept === undefined ? Number.NaN : kept.heapUsed - first.heapUsed
  out.push({
    target: `Memory: no growth across rounds (heap retained after the last round ≤ after the first + ${mb(HEAP_GROWTH_TOLERANCE)})`,
    measured: `memory instance: heap ${memory.retained.slice(1).map((r) => mb(r.heapUsed).replace(' MB', '')).join(' → ')} MB, RSS after collection ${memory.retained.slice(1).map((r) => mb(r.rss).replace(' MB', '')).join(' → ')} MB`,
    pass: Number.isFinite(growth) && growth <= HEAP_GROWTH_TOLERANCE
  })
  return out
}

const num = (n: number, digits = 0): string => Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a'

/** The results as a Markdown table: one row per scenario and contender. */
export function resultsTable (results: Results, scenarios: Array<{ id: string, title: string, contenders: ContenderName[] }>): string {
  const rows = ['| scenario | contender | req/s | p50 ms | p99 ms | CPU µs/req | bytes/resp | req/s ÷ ceiling | CPU ÷ ceiling | service × peer (req/s, CPU) |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|']
  for (const s of scenarios) {
    for (const c of s.contenders) {
      const m = results.summary(s.id, s.title, c)
      const peer = c === 'json-server' || c === 'apollo'
        ? `${x(results.ratio('rps', [s.id, 'service'], [s.id, c]), 1)}, ${x(results.ratio('cpuUsPerRequest', [s.id, c], [s.id, 'service']), 1)}`
        : ''
      const failed = m.failures > 0 ? ` (${m.failures} failed)` : ''
      rows.push(`| ${s.title} | ${c}${failed} | ${num(m.rps)} | ${num(m.p50)} | ${num(m.p99)} | ${num(m.cpuUsPerRequest)} | ${num(m.bytesPerResponse)} | ${c === 'ceiling' ? '1' : num(m.rpsVsCeiling, 2)} | ${c === 'ceiling' ? '1' : num(m.cpuVsCeiling, 2)} | ${peer} |`)
    }
  }
  return rows.join('\n')
}

/** The targets as a Markdown table. */
export function targetsTable (list: TargetResult[]): string {
  const mark = (pass: boolean): string => pass ? 'pass' : 'FAIL'
  return ['| target | measured | | by CPU per request | |', '|---|---|---|---|---|',
    ...list.map((t) => `| ${t.target} | ${t.measured} | ${mark(t.pass)} | ${t.byCpu?.measured ?? ''} | ${t.byCpu === undefined ? '' : mark(t.byCpu.pass)} |`)
  ].join('\n')
}

/** Start-up and memory as a Markdown table. */
export function startupTable (startup: Startup, memory: Memory, contenders: ContenderName[]): string {
  const ms = (list: number[]): string => `${median(list).toFixed(0)} ms (${list.map((n) => n.toFixed(0)).join(', ')})`
  const rows = [
    '| measure | value |', '|---|---|',
    `| cold start of the service, spawn to first 200 from /health/ready (median; each) | ${ms(startup.coldStartMs)} |`,
    `| … CPU time the service process used until then (median; each) | ${ms(startup.coldStartCpuMs)} |`,
    `| database build from the seeds, \`node dist/scripts/seed.js\` process (median; each) | ${ms(startup.dbBuildProcessMs)} |`,
    `| … of which buildDatabase (median; each) | ${ms(startup.dbBuildMs)} |`
  ]
  for (const c of contenders) {
    const rounds = memory.afterRound.map((r) => mb(r[c]).replace(' MB', '')).join(' → ')
    rows.push(`| RSS of ${c}: after warm-up; after each round; after the run | ${mb(memory.afterWarmup[c])}; ${rounds} MB; ${mb(memory.afterRun[c])} |`)
  }
  const kept = (pick: (r: Retained) => number): string => memory.retained.map((r) => mb(pick(r)).replace(' MB', '')).join(' → ')
  rows.push(`| a second service instance after a forced full collection, after warm-up and each round of every service scenario: RSS; V8 heap in use | ${kept((r) => r.rss)} MB; ${kept((r) => r.heapUsed)} MB |`)
  return rows.join('\n')
}
