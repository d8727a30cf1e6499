/**
 * npm run bench: this service against the ceiling (bare Fastify hello world), json-server and
 * Apollo Server, each a real process on 127.0.0.1. After a warm-up, autocannon (in this process)
 * drives one contender and one scenario at a time for a bounded time, while /proc accounts the
 * server's CPU; rounds are interleaved so machine noise hits every contender alike. Prints the
 * results, start-up, memory and the issue 7 targets, and writes bench/results.json.
 *
 * Memory is read from /proc, and also, on a second service instance, after a full garbage
 * collection forced through its inspector (see inspector.ts and retainedAcrossRounds).
 *
 * Settings (environment): BENCH_ROUNDS (3), BENCH_DURATION seconds per run (3), BENCH_WARMUP
 * seconds per contender and scenario (1), BENCH_CONNECTIONS (10), BENCH_COLD_STARTS (5).
 * Expects `npm run build` to have run (the npm script does it).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual, promisify } from 'node:util'
import autocannon from 'autocannon'
import { PUBLIC_URL, RATE_LIMIT_MAX, start, type BenchPaths, type ContenderName, type Running } from './contenders.js'
import { probe, type BenchRequest } from './http.js'
import { retained, type Retained } from './inspector.js'
import { jsonServerDb, type ExportShape } from './servers/json-db.js'
import {
  Results, median, resultsTable, startupTable, targets, targetsTable, type Measurement, type Memory, type Startup
} from './report.js'
import { CLIENT_HEADERS, get, scenarios as makeScenarios, type Scenario } from './scenarios.js'
import { cpuMs, machine, rssBytes } from './system.js'

const root = fileURLToPath(new URL('..', import.meta.url))

function setting (name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`)
  return value
}

const settings = {
  rounds: Math.round(setting('BENCH_ROUNDS', 3)),
  duration: setting('BENCH_DURATION', 3),
  warmup: setting('BENCH_WARMUP', 1),
  connections: Math.round(setting('BENCH_CONNECTIONS', 10)),
  coldStarts: Math.round(setting('BENCH_COLD_STARTS', 5))
}

const log = (message: string): void => { process.stderr.write(`${message}\n`) }
const execFileAsync = promisify(execFile)

/** Builds the database from the seeds with the seed script; its own report of buildDatabase, and the process's wall time. */
async function buildDb (dbPath: string): Promise<{ buildMs: number, processMs: number }> {
  const started = performance.now()
  const { stdout } = await execFileAsync(process.execPath, [join(root, 'dist/scripts/seed.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DB_PATH: dbPath }
  })
  const processMs = performance.now() - started
  const match = / in (\d+) ms/.exec(stdout)
  if (match === null) throw new Error(`unexpected seed output: ${stdout}`)
  return { buildMs: Number(match[1]), processMs }
}

/**
 * autocannon appends every response body to a string, UTF-8 decoding it, though nothing here
 * checks bodies. For compressed (binary) bodies that decoding is slow enough to make the client,
 * not the server, the bottleneck (an 18 KB brotli body: 3,100 req/s instead of 14,500), so the
 * harness turns it off for every contender alike. Bytes are still counted.
 */
function skipBodyDecoding (client: unknown): void {
  (client as { pipelinedRequests: { addBody: (data: Buffer) => void } }).pipelinedRequests.addBody = () => {}
}

async function load (target: Running, requests: BenchRequest[], seconds: number): Promise<autocannon.Result> {
  return await autocannon({
    url: target.base,
    connections: settings.connections,
    duration: seconds,
    setupClient: skipBodyDecoding,
    requests: requests.map((r) => ({ method: r.method, path: r.path, headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }) }))
  })
}

/** One measured run: autocannon for the run's duration, the server's CPU read before and after. */
async function measure (target: Running, scenario: Scenario, round: number): Promise<Measurement> {
  const requests = scenario.requests[target.name]!
  const alive = (): void => {
    if (target.child.exitCode !== null || target.child.signalCode !== null) {
      throw new Error(`${target.name} exited (${target.child.exitCode ?? target.child.signalCode}) during ${scenario.id}: ${target.stderr()}`)
    }
  }
  alive()
  const cpuBefore = cpuMs(target.pid)
  const result = await load(target, requests, settings.duration)
  alive()
  const cpu = cpuMs(target.pid) - cpuBefore
  const total = result.requests.total
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]))
  const unexpected = Object.entries(statuses).filter(([code]) => !scenario.expect.includes(Number(code))).reduce((n, [, count]) => n + count, 0)
  return {
    scenario: scenario.id,
    contender: target.name,
    round,
    requests: total,
    seconds: result.duration,
    rps: total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMs: cpu,
    cpuUsPerRequest: total === 0 ? Number.NaN : cpu * 1000 / total,
    bytesPerResponse: total === 0 ? Number.NaN : result.throughput.total / total,
    statuses,
    failures: unexpected + result.errors + result.timeouts
  }
}

/**
 * Memory retained across rounds, on a second service instance so the measured one stays as
 * production runs it: an open inspector session measurably slows a process for the rest of its
 * life (about 20% more CPU per request here). The instance is driven through every service
 * scenario (one warm-up length each) per round, and a full collection is forced before reading
 * its memory: after warm-up, then after each round.
 */
async function retainedAcrossRounds (paths: BenchPaths, list: Scenario[]): Promise<Retained[]> {
  const instance = await start('service', paths)
  try {
    const drive = async (): Promise<void> => {
      for (const s of list) {
        const requests = s.requests.service
        if (requests !== undefined) await load(instance, requests, settings.warmup)
      }
    }
    await drive()
    const out = [await retained(instance)]
    for (let round = 1; round <= settings.rounds; round++) {
      await drive()
      out.push(await retained(instance))
    }
    return out
  } finally {
    await instance.stop()
  }
}

/** Checks every contender's answer to every request of every scenario before measuring anything. */
async function check (servers: Map<ContenderName, Running>, list: Scenario[]): Promise<void> {
  for (const s of list) {
    const graphqlData: Array<{ contender: ContenderName, index: number, data: unknown }> = []
    for (const [name, requests] of Object.entries(s.requests) as Array<[ContenderName, BenchRequest[]]>) {
      const server = servers.get(name)!
      for (const [index, req] of requests.entries()) {
        const res = await probe(server.base, req)
        if (!s.expect.includes(res.status)) throw new Error(`${s.id}: ${name} answered ${req.method} ${req.path} with ${res.status}, expected ${s.expect.join(' or ')}: ${res.body.toString().slice(0, 300)}`)
        if (res.status !== 200) continue
        const body = JSON.parse(res.body.toString()) as { data?: unknown, errors?: unknown }
        if (s.api === 'graphql') {
          if (body.errors !== undefined || body.data === undefined) throw new Error(`${s.id}: ${name} answered with GraphQL errors: ${JSON.stringify(body.errors)}`)
          graphqlData.push({ contender: name, index, data: body.data })
        }
      }
    }
    // Apollo must compute exactly what the service serves, or the comparison means nothing.
    for (const a of graphqlData.filter((d) => d.contender === 'apollo')) {
      const own = graphqlData.find((d) => d.contender === 'service' && d.index === a.index)
      if (own !== undefined && !isDeepStrictEqual(a.data, own.data)) throw new Error(`${s.id}: Apollo's data differs from the service's`)
    }
  }
}

async function main (): Promise<void> {
  if (!existsSync(join(root, 'dist/server.mjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)')
  const began = performance.now()
  const scratch = mkdtempSync(join(tmpdir(), 'isp-bench-'))
  const servers = new Map<ContenderName, Running>()
  try {
    const paths: BenchPaths = { root, dbPath: join(scratch, 'content.db'), jsonDb: join(scratch, 'db.json') }

    log('building the database from the seeds…')
    const startup: Startup = { coldStartMs: [], coldStartCpuMs: [], dbBuildMs: [], dbBuildProcessMs: [] }
    for (let i = 0; i < 3; i++) {
      const built = await buildDb(paths.dbPath)
      startup.dbBuildMs.push(built.buildMs)
      startup.dbBuildProcessMs.push(built.processMs)
    }
    log(`cold starts (${settings.coldStarts})…`)
    for (let i = 0; i < settings.coldStarts; i++) {
      const s = await start('service', paths)
      startup.coldStartMs.push(s.startMs)
      startup.coldStartCpuMs.push(s.startCpuMs)
      await s.stop()
    }

    log('starting the contenders…')
    servers.set('service', await start('service', paths))
    const service = servers.get('service')!
    const exported = await probe(service.base, get('/v1/frameworks/isp/1.1/export'))
    if (exported.status !== 200) throw new Error(`export answered ${exported.status}`)
    const shape = JSON.parse(exported.body.toString()) as ExportShape
    writeFileSync(paths.jsonDb, JSON.stringify(jsonServerDb(shape)))
    for (const name of ['ceiling', 'service-metrics', 'json-server', 'apollo'] as const) servers.set(name, await start(name, paths))

    const etag = async (contender: ContenderName, req: BenchRequest): Promise<string> => {
      const res = await probe(servers.get(contender)!.base, req)
      const value = res.headers.etag
      if (res.status !== 200 || typeof value !== 'string') throw new Error(`${contender} gave no ETag for ${req.path} (status ${res.status})`)
      return value
    }
    const list = await makeScenarios({
      competencies: shape.competencies.map((c) => c.id),
      activities: shape.competencies.flatMap((c) => c.activities.map((a) => String(a.id))),
      etag
    })
    await check(servers, list)

    log(`warming up (${settings.warmup} s per contender and scenario)…`)
    for (const s of list) {
      for (const name of Object.keys(s.requests) as ContenderName[]) await load(servers.get(name)!, s.requests[name]!, settings.warmup)
    }
    const memory: Memory = { afterWarmup: {}, afterRound: [], afterRun: {}, retained: [] }
    const rss = (): Partial<Record<ContenderName, number>> => Object.fromEntries([...servers].map(([name, s]) => [name, rssBytes(s.pid)]))
    memory.afterWarmup = rss()

    const measurements: Measurement[] = []
    for (let round = 1; round <= settings.rounds; round++) {
      log(`round ${round} of ${settings.rounds}…`)
      for (const s of list) {
        const names = Object.keys(s.requests) as ContenderName[]
        // Rotate who goes first, so no contender always runs right after the same neighbour.
        const order = names.map((_, i) => names[(i + round) % names.length]!)
        for (const name of order) {
          const m = await measure(servers.get(name)!, s, round)
          measurements.push(m)
          log(`  ${s.id.padEnd(26)} ${name.padEnd(12)} ${m.rps.toFixed(0).padStart(7)} req/s  ${m.cpuUsPerRequest.toFixed(0).padStart(6)} µs CPU/req${m.failures > 0 ? `  ${m.failures} FAILED` : ''}`)
        }
      }
      memory.afterRound.push(rss())
    }
    memory.afterRun = memory.afterRound.at(-1) ?? rss()
    memory.retained = await retainedAcrossRounds(paths, list)

    const results = new Results(measurements)
    const shown = list.map((s) => ({ id: s.id, title: s.title, contenders: Object.keys(s.requests) as ContenderName[] }))
    const restScenarios = list.filter((s) => s.api === 'rest' && s.requests['json-server'] !== undefined)
    const targetList = targets(results, startup, memory, restScenarios)
    const info = machine()
    const date = new Date().toISOString()
    const failures = measurements.reduce((n, m) => n + m.failures, 0)
    const header = [
      `Run ${date} on ${info.nproc} × ${info.cpu}, Node ${info.node} (${info.platform}); load average at the end ${info.loadavg}.`,
      `${settings.rounds} rounds × ${settings.duration} s per scenario and contender, ${settings.connections} connections, after ${settings.warmup} s warm-up each; every request sends ${Object.entries(CLIENT_HEADERS).map(([k, v]) => `\`${k}: ${v}\``).join(', ')}.`,
      `Service: NODE_ENV=production, prebuilt database, logs at info (to /dev/null), PUBLIC_URL=${PUBLIC_URL}, RATE_LIMIT_MAX=${RATE_LIMIT_MAX} (every request counted, none refused).`,
      'Figures are medians over rounds; ratios are taken round by round, then their median.'
    ].join('\n')
    const text = [
      header, '',
      resultsTable(results, shown), '',
      startupTable(startup, memory, [...servers.keys()]), '',
      targetsTable(targetList), '',
      `${targetList.filter((t) => t.pass).length} of ${targetList.length} targets met. ${failures === 0 ? 'Every answer had the expected status.' : `${failures} answers had an unexpected status, errored or timed out.`} Took ${((performance.now() - began) / 1000).toFixed(0)} s.`
    ].join('\n')
    process.stdout.write(`${text}\n`)
    writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify({
      date,
      machine: info,
      settings: { ...settings, headers: CLIENT_HEADERS, rateLimitMax: RATE_LIMIT_MAX, publicUrl: PUBLIC_URL },
      startup: { ...startup, coldStartMedianMs: median(startup.coldStartMs), dbBuildMedianMs: median(startup.dbBuildProcessMs) },
      memory,
      scenarios: list.map((s) => ({ id: s.id, title: s.title, api: s.api, expect: s.expect, requests: s.requests })),
      summaries: shown.flatMap((s) => s.contenders.map((c) => results.summary(s.id, s.title, c))),
      targets: targetList,
      measurements,
      failures
    }, null, 2)}\n`)
    log('wrote bench/results.json')
    if (failures > 0) process.exitCode = 1
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()))
    rmSync(scratch, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  log(`bench failed: ${(err as Error).stack ?? String(err)}`)
  process.exit(1)
})
