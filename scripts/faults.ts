/**
 * npm run faults: fault injection against the real server process, on 127.0.0.1 only, every
 * scenario bounded in time and count. Each prints its figures and the run exits 1 when one
 * regresses past its threshold (the figures of docs/hardening.md).
 *
 *   flood     distinct REST lists and searches, 14 KB Accept headers, GraphQL with a 15 KB (unused) variable
 *             and distinct documents behind a 60 KB comment, at 20 connections: RSS growth ≤ 150 MB, no 5xx, /health/live p99 < 100 ms
 *   graphql   uncached GraphQL queries near the cost limit: /health/live p99 < 100 ms
 *   corrupt   pages overwritten in a built database: the server rebuilds it or refuses to start
 *             naming the file; never 500s behind a green readiness
 *   kill      SIGKILL during the build: the next start leaves only the database file
 *   disk      a full disk (a 256 KB tmpfs; skipped where mounting is not allowed): a clear refusal, no files left
 *   slowloris 50 sockets trickling headers: all cut within HEADERS_TIMEOUT and a check interval, each 408 logged
 *   sigterm   SIGTERM under 50 keep-alive connections and one stuck upload: 0 resets, exit 0, database closed
 *
 * Flags: --only <name,…> (FAULTS_ONLY), --duration <s> (FAULTS_DURATION, the flood's length, default
 * 30), --server dist|source (FAULTS_SERVER, dist: the compiled server, what the image runs and
 * `npm run faults` builds first; source: src/server.ts through tsx, whose loader adds its own
 * memory and CPU to every figure).
 */
import { execFileSync } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs'
import { request as httpRequest, Agent } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import autocannon from 'autocannon'
import { projectRoot } from '../src/paths.js'
import { IMAGE_ENV, freePort, launchServer, listeningPort, rssOf, stopServer, type LaunchedServer } from './processes.js'

type Figures = Record<string, number | string>
interface Outcome { name: string, figures: Figures, failures: string[], skipped?: string }

const work = mkdtempSync(join(tmpdir(), 'isp-faults-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

interface Server extends LaunchedServer { port: number, base: string }

/** The server's environment in production configuration, on loopback, every request counted but none refused. */
export function faultServerEnv (): Record<string, string> {
  return { ...IMAGE_ENV, HOST: '127.0.0.1', RATE_LIMIT_MAX: '1000000000', LOG_FORMAT: 'json' }
}

/** Which server the scenarios start: set once from --server before any runs. */
let entry: string | undefined = join(projectRoot, 'dist/server.mjs')
const launchOptions = (): { entry?: string } => entry === undefined ? {} : { entry }

/** Starts the server (dist/server.mjs, or src/server.ts through tsx) in production mode on loopback; resolves once it listens, or rejects with its stderr. */
async function start (env: Record<string, string>, dbPath: string): Promise<Server> {
  const port = await freePort()
  // With the image's heap flags and malloc arenas (a test checks they agree with the Dockerfile).
  const server = launchServer({ ...faultServerEnv(), PORT: String(port), DB_PATH: dbPath, ...env }, launchOptions())
  try {
    await listeningPort(server, 60_000)
  } catch (err) {
    server.child.kill('SIGKILL')
    throw err
  }
  return { ...server, port, base: `http://127.0.0.1:${port}` }
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

const stop = async (server: Server): Promise<number | null> => await stopServer(server)

function percentile (values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/**
 * Asks /health/live every 50 ms, one request at a time, and records each answer's latency, from a
 * worker thread of its own: the flood's client (autocannon, in this thread) parses megabytes of
 * answers a second, and a probe sharing its event loop would time the client's delays, not the
 * server's.
 */
function probeLiveness (base: string): { stop: () => Promise<number[]> } {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads')
    const { request, Agent } = require('node:http')
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const latencies = []
    let running = true
    parentPort.on('message', () => { running = false })
    ;(async () => {
      while (running) {
        const started = performance.now()
        await new Promise((resolve) => {
          const req = request(workerData + '/health/live', { agent }, (res) => { res.resume(); res.on('end', resolve) })
          req.on('error', () => resolve())
          req.end()
        })
        latencies.push(performance.now() - started)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      agent.destroy()
      parentPort.postMessage(latencies)
    })()
  `, { eval: true, workerData: base })
  const done = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (latencies: number[]) => { resolve(latencies); void worker.terminate() })
    worker.once('error', reject)
  })
  return { stop: async () => { worker.postMessage('stop'); return await done } }
}

async function flood (duration: number): Promise<Outcome> {
  const dbPath = join(work, 'flood', 'content.db')
  const server = await start({}, dbPath)
  const failures: string[] = []
  // Warm: the hot set, so that the baseline is a serving process, not an idle one.
  await autocannon({ url: server.base, connections: 4, duration: 3, requests: [{ path: '/v1/frameworks/isp/1.1/competencies?include=activities,hint' }, { path: '/v1/frameworks/isp/1.1/competencies/co-learning' }] })
  const before = rssOf(server.child.pid!)
  let n = 0
  const words = ['trust', 'team', 'data', 'change', 'learn', 'support', 'practice', 'equity', 'facilitat*', 'co-design']
  const bigVariable = 'v'.repeat(15 * 1024)
  const comment = `#${'c'.repeat(60 * 1024)}\n`
  const probe = probeLiveness(server.base)
  let peak = before
  // A server that died mid-flood has no memory to read; the flood's own checks report it.
  const sampler = setInterval(() => { try { peak = Math.max(peak, rssOf(server.child.pid!)) } catch { /* gone */ } }, 500)
  const result = await autocannon({
    url: server.base,
    connections: 20,
    duration,
    requests: [{
      setupRequest: (req) => {
        const i = n++
        switch (i % 5) {
          case 0: return { ...req, method: 'GET', path: `/v1/search?q=${encodeURIComponent(words[i % words.length]!)}&limit=${1 + (i % 50)}&offset=${i % 13}` }
          case 1: return { ...req, method: 'GET', path: `/v1/frameworks/isp/1.1/activities?limit=${1 + (i % 100)}&offset=${i % 115}&sort=${i % 2 === 0 ? 'code' : '-code'}`, headers: { 'accept-encoding': 'gzip, br' } }
          case 2: return { ...req, method: 'GET', path: `/v1/frameworks/isp/1.1/competencies?limit=${1 + (i % 15)}`, headers: { accept: `application/json, text/x-${'a'.repeat(14 * 1024)}-${i}` } }
          case 3: return { ...req, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', variables: { pad: `${bigVariable}${i}` } }) }
          // A distinct document each time (an alias with a counter), so compaction cannot make them one key.
          default: return { ...req, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `${comment}{ f${i}: frameworks { id } }` }) }
        }
      }
    }]
  })
  clearInterval(sampler)
  const live = await probe.stop()
  const after = rssOf(server.child.pid!)
  peak = Math.max(peak, after)
  const fiveXX = result['5xx']
  const growthMB = (peak - before) / 2 ** 20
  const p99 = percentile(live, 99)
  if (growthMB > 150) failures.push(`RSS grew ${growthMB.toFixed(0)} MB (limit 150)`)
  if (fiveXX > 0) failures.push(`${fiveXX} 5xx`)
  if (p99 >= 100) failures.push(`/health/live p99 ${p99.toFixed(1)} ms (limit 100)`)
  if (result.errors > 0) failures.push(`${result.errors} connection errors`)
  await stop(server)
  return {
    name: 'flood',
    figures: { requests: result.requests.total, 'req/s': Math.round(result.requests.average), '2xx': result['2xx'], '4xx': result['4xx'], '5xx': fiveXX, errors: result.errors, 'rss before MB': (before / 2 ** 20).toFixed(0), 'rss peak MB': (peak / 2 ** 20).toFixed(0), 'rss growth MB': growthMB.toFixed(0), 'live p99 ms': p99.toFixed(1), 'live max ms': Math.max(0, ...live).toFixed(1) },
    failures
  }
}

/** A whole version with everything in it: about 7,400 of the 10,000 the cost limit allows. */
const nearLimit = `{ framework(id: "isp") { version {
  principles { id name description } domains { id name description competencies { id } }
  competencies { id name overview overviewStatements { text items } domain { id } hint { text paragraphs }
    activities { id code text subitems subpoints { id code text } } }
  definitions { id term text otherNames } questions { id text subquestions } dilemmas { id text }
  resourceGroups { id title resources { id text url doi } } } } }`

async function graphqlNearLimit (duration: number): Promise<Outcome> {
  const server = await start({}, join(work, 'graphql', 'content.db'))
  let n = 0
  const probe = probeLiveness(server.base)
  const result = await autocannon({
    url: server.base,
    connections: 10,
    duration,
    requests: [{
      // A comment that changes: every request misses the result cache (and the parse cache) and executes in full.
      setupRequest: (req) => ({ ...req, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `${nearLimit} # ${n++}` }) })
    }]
  })
  const live = await probe.stop()
  await stop(server)
  const p99 = percentile(live, 99)
  const failures = [
    ...(p99 >= 100 ? [`/health/live p99 ${p99.toFixed(1)} ms (limit 100)`] : []),
    ...(result['5xx'] > 0 ? [`${result['5xx']} 5xx`] : []),
    ...(result.non2xx > 0 ? [`${result.non2xx} non-2xx`] : [])
  ]
  return { name: 'graphql', figures: { requests: result.requests.total, 'req/s': Math.round(result.requests.average), 'latency p99 ms': result.latency.p99, 'live p50 ms': percentile(live, 50).toFixed(1), 'live p99 ms': p99.toFixed(1) }, failures }
}

async function corrupt (): Promise<Outcome> {
  const failures: string[] = []
  const figures: Figures = {}
  const good = join(work, 'corrupt-good', 'content.db')
  const first = await start({}, good)
  await stop(first)
  const pageSize = 4096
  const pages = statSync(good).size / pageSize
  for (const n of [1, 2, Math.floor(pages / 3), Math.floor(pages / 2), Math.floor((2 * pages) / 3), pages]) {
    const dir = join(work, `corrupt-${n}`)
    mkdirSync(dir, { recursive: true })
    const dbPath = join(dir, 'content.db')
    copyFileSync(good, dbPath)
    const fd = openSync(dbPath, 'r+')
    writeSync(fd, Buffer.alloc(pageSize, n % 256), 0, pageSize, (n - 1) * pageSize)
    closeSync(fd)
    try {
      const server = await start({}, dbPath)
      const rebuilt = server.logs.some((l) => /failed its integrity check/.test(String(l.msg)))
      const statuses: number[] = []
      for (const path of ['/v1/frameworks/isp/1.1/competencies?include=activities,hint', '/v1/frameworks/isp/1.1/resources', '/v1/frameworks/isp/1.1/export', '/v1/search?q=trust', '/health/ready']) {
        statuses.push(await new Promise<number>((resolve) => httpRequest(`${server.base}${path}`, (res) => { res.resume(); resolve(res.statusCode ?? 0) }).on('error', () => resolve(0)).end()))
      }
      const ready = statuses.at(-1)
      figures[`page ${n}`] = `${rebuilt ? 'rebuilt' : 'intact'} ${statuses.join(',')}`
      if (statuses.slice(0, -1).some((s) => s >= 500) && ready === 200) failures.push(`page ${n}: 5xx behind a green readiness`)
      await stop(server)
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? String(err)
      figures[`page ${n}`] = `refused: ${stderr.split('\n')[0]!.slice(0, 80)}`
      if (!stderr.includes(dbPath) || !/Fix:/.test(stderr)) failures.push(`page ${n}: refusal does not name the file and the fix: ${stderr.slice(0, 200)}`)
    }
  }
  return { name: 'corrupt', figures, failures }
}

async function killDuringBuild (): Promise<Outcome> {
  const dir = join(work, 'kill')
  const dbPath = join(dir, 'content.db')
  mkdirSync(dir, { recursive: true })
  const figures: Figures = {}
  let killed = 0
  for (let round = 0; round < 4; round++) {
    const port = await freePort()
    const { child } = launchServer({ HOST: '127.0.0.1', PORT: String(port), DB_PATH: dbPath, LOG_FORMAT: 'json' }, { stdout: 'ignore', ...launchOptions() })
    // Killed as soon as its build has a temporary file, a little later each round.
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline && !readdirSync(dir).some((f) => f.includes('.tmp-'))) await sleep(5)
    await sleep(round * 40)
    if (child.exitCode === null) {
      child.kill('SIGKILL')
      killed++
    }
    await new Promise((resolve) => child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.on('exit', resolve))
    rmSync(dbPath, { force: true })
  }
  figures['builds killed'] = killed
  figures['left after kills'] = readdirSync(dir).length
  const server = await start({}, dbPath)
  await stop(server)
  // The curricula store is created beside the content database on first start: it belongs there.
  const left = readdirSync(dir).filter((f) => !/^curricula\.db(?:-wal|-shm)?$/.test(f)).sort()
  figures['left after a start'] = left.join(' ')
  return { name: 'kill', figures, failures: left.join(' ') === 'content.db' ? [] : [`files left beside the database: ${left.join(', ')}`] }
}

async function fullDisk (): Promise<Outcome> {
  const mount = join(work, 'tiny')
  mkdirSync(mount, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'ignore' })
  } catch {
    return { name: 'disk', figures: {}, failures: [], skipped: 'cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)' }
  }
  try {
    const dbPath = join(mount, 'content.db')
    const failures: string[] = []
    let message = ''
    for (let i = 0; i < 3; i++) {
      try {
        const server = await start({}, dbPath)
        await stop(server)
        failures.push('started on a 256 KB disk')
      } catch (err) {
        message = ((err as { stderr?: string }).stderr ?? String(err)).split('\n')[0] ?? ''
      }
    }
    const left = readdirSync(mount)
    if (!message.includes(dbPath) || !/Fix: free space/.test(message)) failures.push(`the refusal does not name the file and the fix: ${message}`)
    if (left.length > 0) failures.push(`files left after 3 failed starts: ${left.join(', ')}`)
    return { name: 'disk', figures: { message: message.slice(0, 160), 'files left': left.length }, failures }
  } finally {
    try { execFileSync('umount', [mount], { stdio: 'ignore' }) } catch { /* already gone */ }
  }
}

async function slowloris (): Promise<Outcome> {
  const headersTimeout = 1000
  const server = await start({ HEADERS_TIMEOUT: String(headersTimeout), REQUEST_TIMEOUT: '3000' }, join(work, 'slowloris', 'content.db'))
  const started = performance.now()
  const lifetimes = await Promise.all(Array.from({ length: 50 }, async () => await new Promise<number>((resolve) => {
    const socket = connect({ port: server.port, host: '127.0.0.1' })
    socket.write('GET /v1 HTTP/1.1\r\nHost: x\r\n')
    const drip = setInterval(() => { if (socket.writable) socket.write('X-a: b\r\n') }, 200)
    socket.on('error', () => {})
    socket.on('close', () => { clearInterval(drip); resolve(performance.now() - started) })
    setTimeout(() => socket.destroy(), 20_000)
  })))
  // Logs leave the server in blocks, at least once a second (bufferedStdout): wait for them, at most 3 s.
  for (let waited = 0; waited < 3000 && server.logs.filter((l) => l.status === 408).length < 50; waited += 100) await sleep(100)
  const logged = server.logs.filter((l) => l.status === 408).length
  await stop(server)
  const longest = Math.max(...lifetimes)
  const bound = headersTimeout + 1000
  const failures = [
    ...(longest > bound ? [`a slow client lived ${longest.toFixed(0)} ms (bound ${bound})`] : []),
    ...(logged < 50 ? [`${logged} of 50 408s logged`] : [])
  ]
  return { name: 'slowloris', figures: { sockets: 50, 'longest ms': longest.toFixed(0), 'bound ms': bound, '408 logged': logged }, failures }
}

async function sigterm (): Promise<Outcome> {
  const shutdownTimeout = 3000
  const server = await start({ SHUTDOWN_TIMEOUT: String(shutdownTimeout), REQUEST_TIMEOUT: '60000' }, join(work, 'sigterm', 'content.db'))
  const agent = new Agent({ keepAlive: true, maxSockets: 50 })
  const errors: Record<string, number> = {}
  let answered = 0
  let closeHeaders = 0
  let signalledAt = 0
  const served = new Set<number>()
  let running = true
  const worker = async (_: unknown, index: number): Promise<void> => {
    while (running) {
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${server.base}/v1/frameworks/isp/1.1/competencies/co-learning`, { agent }, (res) => {
          if (res.headers.connection === 'close') closeHeaders++
          res.resume()
          res.on('end', () => { answered++; served.add(index); resolve() })
        })
        const sentAt = performance.now()
        req.on('error', (err: NodeJS.ErrnoException) => {
          const key = `${err.code ?? err.message} on a ${req.reusedSocket ? 'reused' : 'new'} socket, sent ${signalledAt === 0 || sentAt < signalledAt ? 'before' : 'after'} the signal`
          errors[key] = (errors[key] ?? 0) + 1
          errors[err.code ?? err.message] = (errors[err.code ?? err.message] ?? 0) + 1
          // Refused: the server no longer accepts; this client is done.
          if (err.code === 'ECONNREFUSED') running = false
          resolve()
        })
        req.end()
      })
    }
  }
  // One stuck upload: headers and half a body, never the rest.
  const stuck = connect({ port: server.port, host: '127.0.0.1' })
  stuck.on('error', () => {})
  stuck.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":')
  const stuckClosed = new Promise<number>((resolve) => stuck.on('close', () => resolve(performance.now())))
  const workers = Array.from({ length: 50 }, worker)
  // Every connection established and answered once (a cold start on a busy machine can take a while), then a second of load.
  const deadline = Date.now() + 30_000
  while (served.size < 50 && Date.now() < deadline) await sleep(20)
  await sleep(1000)
  const signalled = performance.now()
  signalledAt = signalled
  server.child.kill('SIGTERM')
  const { code } = await server.exited
  running = false
  await Promise.all(workers)
  agent.destroy()
  const stuckCut = (await stuckClosed) - signalled
  const resets = (errors.ECONNRESET ?? 0) + (errors['socket hang up'] ?? 0) + (errors.EPIPE ?? 0)
  const dbClosed = server.logs.some((l) => l.msg === 'content database closed')
  const forcedLogged = server.logs.some((l) => /closed a connection that was still busy/.test(String(l.msg)))
  const failures = [
    ...(resets > 0 ? [`${resets} resets`] : []),
    ...(code !== 0 ? [`exit code ${String(code)}`] : []),
    ...(!dbClosed ? ['the database was not closed'] : []),
    ...(stuckCut > shutdownTimeout ? [`the stuck client was cut after ${stuckCut.toFixed(0)} ms`] : []),
    ...(!forcedLogged ? ['the forced close was not logged'] : [])
  ]
  if (Object.keys(errors).length > 0) process.stdout.write(`  sigterm client errors: ${JSON.stringify(errors)}\n`)
  return { name: 'sigterm', figures: { answered, 'connection: close answers': closeHeaders, resets, refused: errors.ECONNREFUSED ?? 0, 'exit code': String(code), 'stuck cut after ms': stuckCut.toFixed(0), 'db closed': String(dbClosed) }, failures }
}

const scenarios = ['flood', 'graphql', 'corrupt', 'kill', 'disk', 'slowloris', 'sigterm'] as const

export async function runFaults (only: readonly string[], duration: number, server: 'dist' | 'source' = 'dist'): Promise<Outcome[]> {
  entry = server === 'dist' ? join(projectRoot, 'dist/server.mjs') : undefined
  if (entry !== undefined && !existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm run faults does), or pass --server source`)
  const outcomes: Outcome[] = []
  for (const name of scenarios.filter((s) => only.includes(s))) {
    const outcome = name === 'flood'
      ? await flood(duration)
      : name === 'graphql'
        ? await graphqlNearLimit(Math.min(duration, 10))
        : name === 'corrupt' ? await corrupt() : name === 'kill' ? await killDuringBuild() : name === 'disk' ? await fullDisk() : name === 'slowloris' ? await slowloris() : await sigterm()
    process.stdout.write(`${format(outcome)}\n`)
    outcomes.push(outcome)
  }
  return outcomes
}

export function format (o: Outcome): string {
  if (o.skipped !== undefined) return `${o.name}: SKIPPED (${o.skipped})`
  const figures = Object.entries(o.figures).map(([k, v]) => `${k}=${v}`).join('  ')
  return `${o.name}: ${o.failures.length === 0 ? 'ok' : `FAILED: ${o.failures.join('; ')}`}\n  ${figures}`
}

if (process.argv[1] !== undefined && /faults\.[jt]s$/.test(process.argv[1])) {
  const { values } = parseArgs({ options: { only: { type: 'string' }, duration: { type: 'string' }, server: { type: 'string' } } })
  const server = values.server ?? process.env.FAULTS_SERVER ?? 'dist'
  if (server !== 'dist' && server !== 'source') {
    process.stderr.write(`--server must be dist or source, got ${server}\n`)
    process.exit(2)
  }
  const only = (values.only ?? process.env.FAULTS_ONLY ?? scenarios.join(',')).split(',').map((s) => s.trim())
  const unknown = only.filter((s) => !(scenarios as readonly string[]).includes(s))
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario ${unknown.join(', ')}; known: ${scenarios.join(', ')}\n`)
    process.exit(2)
  }
  const duration = Number(values.duration ?? process.env.FAULTS_DURATION ?? 30)
  if (!existsSync(join(projectRoot, 'seeds'))) throw new Error('run from the project')
  runFaults(only, duration, server).then((outcomes) => {
    const failed = outcomes.filter((o) => o.failures.length > 0)
    process.stdout.write(failed.length === 0 ? 'faults: all passed\n' : `faults: ${failed.length} failed: ${failed.map((o) => o.name).join(', ')}\n`)
    process.exit(failed.length === 0 ? 0 : 1)
  }, (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  })
}
