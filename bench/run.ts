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
 * seconds per contender and scenario (1), BENCH_CONNECTIONS (10), BENCH_COLD_STARTS (5), BENCH_PAIRS
 * (4: how often a paired scenario's two contenders alternate in each round).
 * Expects `npm run build` to have run (the npm script does it).
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
  Results, SAME_BYTES_TARGETS, pool, SCALE_PAIRS, bytesTable, firstExportTable, firstExportTargets, median, resultsTable, sameBytesTargets, scaleTargets,
  startupTable, targets, targetsTable, type BytesSaved, type FirstExport, type Measurement, type Memory, type Startup
} from './report.js'
import { CLIENT_HEADERS, COMPETENCY_QUERY, get, graphql, scenarios as makeScenarios, type Scenario } from './scenarios.js'
import { curriculaBench, curriculaTable } from './curricula.js'
import { SCALE_FRAMEWORK, SCALE_SEARCH_WORD, SCALE_VERSION, writeScaleSeeds } from './scale-seeds.js'
import type { RecordedAnswer } from './servers/same-bytes.js'
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
  coldStarts: Math.round(setting('BENCH_COLD_STARTS', 5)),
  pairs: Math.round(setting('BENCH_PAIRS', 4))
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

/** The scale scenarios: each request on the guide and on the synthetic framework, both asked of the `scale` process. */
function scaleScenarios (): Scenario[] {
  const S = `/v1/frameworks/${SCALE_FRAMEWORK}/${SCALE_VERSION}`
  const pairs: Record<string, [string, string]> = {
    'scale-page': ['/v1/frameworks/isp/1.1/activities?limit=50&offset=50', `${S}/activities?limit=50&offset=5000`],
    'scale-search': ['/v1/search?framework=isp&q=trust', `/v1/search?framework=${SCALE_FRAMEWORK}&q=${SCALE_SEARCH_WORD}`],
    'scale-activity': ['/v1/frameworks/isp/1.1/activities/co-learning-a1', `${S}/activities/scale-c50-a50`]
  }
  return SCALE_PAIRS.flatMap(([id, title]) => {
    const [guide, big] = pairs[id]!
    return [
      { id: `${id}-guide`, title: `scale: ${title}, on the guide`, api: 'rest' as const, expect: [200], requests: { scale: [get(guide)] } },
      { id: `${id}-big`, title: `scale: ${title}, on the 99 × 99 framework`, api: 'rest' as const, expect: [200], requests: { scale: [get(big)] } }
    ]
  })
}

/** A GraphQL GET of a persisted query: only its hash (the query was registered before). */
function persistedGet (query: string, variables: Record<string, unknown>): { register: BenchRequest, request: BenchRequest } {
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } }
  return {
    register: graphql('/graphql', query, variables, extensions),
    request: get(`/graphql?${new URLSearchParams({ extensions: JSON.stringify(extensions), variables: JSON.stringify(variables) }).toString()}`)
  }
}

/** The service's answer to each request, as bare Fastify is to send it (servers/same-bytes.ts). */
/**
 * A paired scenario's round: its contenders take turns `settings.pairs` times (A B A B …), and each
 * one's runs are pooled (requests, seconds and CPU summed; latency percentiles their median), so a
 * few percent between two processes is not lost in the noise of one run each.
 */
async function measurePaired (targets: Running[], scenario: Scenario, round: number): Promise<Measurement[]> {
  const runs = new Map<ContenderName, Measurement[]>(targets.map((t) => [t.name, []]))
  for (let turn = 0; turn < settings.pairs; turn++) {
    for (const target of turn % 2 === 0 ? targets : [...targets].reverse()) runs.get(target.name)!.push(await measure(target, scenario, round))
  }
  return [...runs].map(([contender, list]) => pool(contender, list))
}

async function record (base: string, requests: BenchRequest[]): Promise<RecordedAnswer[]> {
  const out: RecordedAnswer[] = []
  for (const req of [get('/health/ready'), ...requests]) {
    const res = await probe(base, req)
    const headers: Record<string, string> = {}
    for (const name of ['content-type', 'content-encoding', 'etag']) {
      const value = res.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const ifNoneMatch = req.headers['if-none-match']
    out.push({ method: req.method, url: req.path, ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }), status: res.status, headers, body: res.raw.toString('base64') })
  }
  return out
}

/**
 * The big framework's first export on a fresh `scale` process, started as production starts it
 * (the database built at start-up from the seeds), asked as soon as it is ready, while a small
 * cached request goes every 10 ms: time to the first byte, and how long the small ones waited.
 */
async function firstExport (paths: BenchPaths): Promise<FirstExport> {
  const instance = await start('scale', paths)
  try {
    const small = get('/v1/frameworks/isp/1.1/competencies/co-learning')
    await probe(instance.base, small)
    const latencies: number[] = []
    let done = false
    const smallLoop = (async () => {
      while (!done) {
        const began = performance.now()
        await probe(instance.base, small)
        latencies.push(performance.now() - began)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    })()
    const began = performance.now()
    const result = await new Promise<{ firstByteMs: number, totalMs: number, bytes: number }>((resolve, reject) => {
      const url = new URL(`/v1/frameworks/${SCALE_FRAMEWORK}/${SCALE_VERSION}/export`, instance.base)
      const r = httpRequest(url, { headers: CLIENT_HEADERS, agent: false, timeout: 60_000 }, (res) => {
        const firstByteMs = performance.now() - began
        let bytes = 0
        res.on('data', (c: Buffer) => { bytes += c.length })
        res.on('end', () => {
          if (res.statusCode === 200) resolve({ firstByteMs, totalMs: performance.now() - began, bytes })
          else reject(new Error(`export answered ${res.statusCode}`))
        })
        res.on('error', reject)
      })
      r.on('error', reject)
      r.end()
    })
    done = true
    await smallLoop
    const sorted = [...latencies].sort((a, b) => a - b)
    return { ...result, small: { count: sorted.length, maxMs: sorted.at(-1) ?? Number.NaN, p50Ms: median(sorted) } }
  } finally {
    await instance.stop()
  }
}

/** Cacheable answers outside REST's own (and the export) with and without compression, and their revalidation. */
async function bytesSaved (base: string): Promise<BytesSaved[]> {
  const documents = await probe(base, get('/ims/case/v1p1/CFDocuments'))
  const doc = (JSON.parse(documents.body.toString()) as { CFDocuments: Array<{ identifier: string }> }).CFDocuments[0]!.identifier
  const pkg = JSON.parse((await probe(base, get(`/ims/case/v1p1/CFPackages/${doc}`))).body.toString()) as { CFItems: Array<{ identifier: string }> }
  const item = pkg.CFItems[0]!.identifier
  const list: Array<[string, string]> = [
    ['CASE CFPackage', `/ims/case/v1p1/CFPackages/${doc}`],
    ['CASE CFItem', `/ims/case/v1p1/CFItems/${item}`],
    ['CASE discovery document', '/ims/case/v1p1/discovery/imscasev1p1_openapi3_v1p0.json'],
    ['/uri resolver, the framework as JSON-LD', `/uri/${doc}?format=jsonld`],
    ['OpenAPI document', '/openapi.json'],
    ['OpenAPI document for Swagger UI', '/docs/json'],
    ['REST discovery', '/v1'],
    ['GraphQL GET, full guide', `/graphql?${new URLSearchParams({ query: '{ framework(id: "isp") { version(number: "1.1") { competencies { id name activities { id text } } } } }' }).toString()}`],
    ['REST export', '/v1/frameworks/isp/1.1/export']
  ]
  const out: BytesSaved[] = []
  for (const [what, url] of list) {
    const plain = await probe(base, { method: 'GET', path: url, headers: { accept: 'application/json' } })
    const encoded = await probe(base, get(url))
    const etag = encoded.headers.etag
    const again = typeof etag === 'string' ? await probe(base, get(url, { 'if-none-match': etag })) : undefined
    out.push({
      what,
      url,
      identity: plain.raw.length,
      encoded: encoded.raw.length,
      encoding: String(encoded.headers['content-encoding'] ?? 'none'),
      etag: typeof etag === 'string',
      revalidates: again?.status === 304
    })
  }
  return out
}

async function main (): Promise<void> {
  if (!existsSync(join(root, 'dist/server.mjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)')
  const began = performance.now()
  const scratch = mkdtempSync(join(tmpdir(), 'isp-bench-'))
  const seededDir = mkdtempSync(join(root, 'dist', 'bench-seeded-'))
  const servers = new Map<ContenderName, Running>()
  try {
    const paths: BenchPaths = {
      root,
      dbPath: join(scratch, 'content.db'),
      jsonDb: join(scratch, 'db.json'),
      answers: join(scratch, 'answers.json'),
      scaleSeeds: join(scratch, 'scale-seeds'),
      scaleDb: join(scratch, 'scale.db'),
      seededLauncher: join(seededDir, 'server.mjs')
    }
    for (const file of ['server.mjs', 'server.cjs']) copyFileSync(join(root, 'dist', file), join(seededDir, file))
    writeScaleSeeds(paths.scaleSeeds)

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
    for (const name of ['ceiling', 'service-metrics', 'service-twin', 'json-server', 'apollo', 'scale'] as const) servers.set(name, await start(name, paths))

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
    // GraphQL GET with a persisted query: registered once, then asked by its hash alone.
    const persisted = persistedGet(COMPETENCY_QUERY, { id: 'co-learning' })
    const registered = await probe(service.base, persisted.register)
    if (registered.status !== 200) throw new Error(`registering the persisted query answered ${registered.status}`)
    list.push({ id: 'graphql-persisted', title: 'GraphQL competency by id, GET with a persisted query', api: 'graphql', expect: [200], requests: { service: [persisted.request] } })
    // Bare Fastify sends the service's own answers to the same requests, byte for byte.
    const sameBytes = list.filter((sc) => SAME_BYTES_TARGETS.some(([id]) => id === sc.id))
    for (const sc of sameBytes) sc.requests.bare = sc.requests.service
    writeFileSync(paths.answers, JSON.stringify(await record(service.base, sameBytes.flatMap((sc) => sc.requests.service!))))
    servers.set('bare', await start('bare', paths))
    list.push(...scaleScenarios())
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
        const taken = s.paired === true ? await measurePaired(order.map((name) => servers.get(name)!), s, round) : []
        for (const name of order) {
          const m = taken.find((x) => x.contender === name) ?? await measure(servers.get(name)!, s, round)
          measurements.push(m)
          log(`  ${s.id.padEnd(26)} ${name.padEnd(12)} ${m.rps.toFixed(0).padStart(7)} req/s  ${m.cpuUsPerRequest.toFixed(0).padStart(6)} µs CPU/req${m.failures > 0 ? `  ${m.failures} FAILED` : ''}`)
        }
      }
      memory.afterRound.push(rss())
    }
    memory.afterRun = memory.afterRound.at(-1) ?? rss()
    memory.retained = await retainedAcrossRounds(paths, list.filter((sc) => !sc.id.startsWith('scale-') && sc.id !== 'graphql-persisted'))
    log('first exports of the big framework…')
    const exports: FirstExport[] = []
    for (let i = 0; i < Math.min(3, settings.rounds); i++) exports.push(await firstExport(paths))
    const saved = await bytesSaved(service.base)
    log('curricula writes and reads, SQLite then PostgreSQL…')
    const curricula = await curriculaBench(paths.dbPath, settings.duration, settings.connections)

    const results = new Results(measurements)
    const shown = list.map((s) => ({ id: s.id, title: s.title, contenders: Object.keys(s.requests) as ContenderName[] }))
    const restScenarios = list.filter((sc) => sc.api === 'rest' && sc.requests['json-server'] !== undefined)
    const targetList = [...targets(results, startup, memory, restScenarios), ...sameBytesTargets(results), ...scaleTargets(results), ...firstExportTargets(exports)]
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
      firstExportTable(exports), '',
      bytesTable(saved), '',
      curriculaTable(curricula), '',
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
      firstExports: exports,
      bytesSaved: saved,
      curricula,
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
    rmSync(seededDir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  log(`bench failed: ${(err as Error).stack ?? String(err)}`)
  process.exit(1)
})
