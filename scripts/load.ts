/**
 * npm run load: autocannon against the real server process on 127.0.0.1, in its production
 * configuration, with a mix of REST and GraphQL traffic. Asserts 0 errors, 0 timeouts, only 2xx
 * and 304 responses, and that the server's RSS after the run is within 20% of its RSS after the
 * warm-up; prints the figures and exits 1 when a check fails.
 *
 * Flags (or environment): --duration (LOAD_DURATION, seconds, default 30), --connections
 * (LOAD_CONNECTIONS, 100), --warmup (LOAD_WARMUP, seconds, 20), --server dist|source
 * (LOAD_SERVER, dist: the compiled server; source: src/server.ts through tsx, no build needed).
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { projectRoot } from '../src/paths.js'
import { IMAGE_ENV, freePort, launchServer, rssOf } from './processes.js'

export interface LoadOptions {
  duration: number
  connections: number
  warmup: number
  server: 'dist' | 'source'
}

export interface LoadReport {
  requests: number
  requestsPerSecond: number
  latency: { p50: number, p97_5: number, p99: number, max: number }
  statuses: Record<string, number>
  errors: number
  timeouts: number
  /** The server's RSS at the end of the warm-up: the median of its samples over the last seconds. */
  rssWarmBytes: number
  /** The same at the end of the run. */
  rssAfterBytes: number
  /** Every check that failed; empty when the run passed. */
  failures: string[]
}

/**
 * The rate limit is per client IP and every request here comes from 127.0.0.1: at the default
 * 1000 a minute the run would measure the limiter's 429s. The limiter still runs and counts every
 * request; only its ceiling is out of reach.
 */
const RATE_LIMIT_MAX = '1000000000'

const fullGuideQuery = `{ framework(id: "isp") { version(number: "latest") { number
  principles { id code name description }
  domains { id code name description competencies { id code name } }
  competencies { id code name domain { id name } overview activities { id code text subitems } hint { id text } } } } }`

const competencyQuery = 'query ($id: ID!) { competency(version: "1.1", id: $id) { code name overview activities { code text } hint { text } } }'

/** The server's environment: production as the Docker image runs it (a test checks they agree), on loopback. */
export function loadServerEnv (port: number, dbPath: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...IMAGE_ENV, HOST: '127.0.0.1', PORT: String(port), DB_PATH: dbPath, RATE_LIMIT_MAX, LOG_FORMAT: 'json' }
}

/** Starts the server in its production configuration; its logs go to /dev/null so reading them costs the load generator nothing. */
async function startServer (options: LoadOptions, dbDir: string): Promise<{ child: ChildProcess, base: string, stderr: () => string }> {
  const port = await freePort()
  const { child, stderr } = launchServer(loadServerEnv(port, join(dbDir, 'content.db')), { stdout: 'ignore', ...(options.server === 'dist' ? { entry: join(projectRoot, 'dist/server.mjs') } : {}) })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${stderr()}`)
    const ready = await fetch(`${base}/health/ready`).then((res) => res.status === 200, () => false)
    if (ready) return { child, base, stderr }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  child.kill('SIGKILL')
  throw new Error(`the server was not ready within 60 s: ${stderr()}`)
}

/**
 * The traffic mix, as each connection cycles through it: competencies by id (REST and GraphQL),
 * lists with include and filters, search, revalidations that answer 304, and the full guide.
 * Clients send Accept-Encoding as browsers and HTTP libraries do.
 */
async function trafficMix (base: string): Promise<autocannon.Request[]> {
  const encoding = { 'accept-encoding': 'gzip, deflate, br' }
  const get = (path: string): autocannon.Request => ({ method: 'GET', path, headers: encoding })
  const graphql = (query: string, variables?: Record<string, unknown>): autocannon.Request => ({
    method: 'POST', path: '/graphql', headers: { ...encoding, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables })
  })
  const etag = async (path: string): Promise<string> => {
    const res = await fetch(`${base}${path}`, { headers: encoding })
    const tag = res.headers.get('etag')
    if (res.status !== 200 || tag === null) throw new Error(`${path} answered ${res.status} without an ETag`)
    return tag
  }
  const revalidate = async (path: string): Promise<autocannon.Request> => ({ method: 'GET', path, headers: { ...encoding, 'if-none-match': await etag(path) } })
  const at = '/v1/frameworks/isp/1.1'
  const ids = ['co-learning', 'brokering', 'facilitation', 'building-trust', 'communication', 'tailoring-support']
  const known = (await (await fetch(`${base}${at}/competencies?fields=id&limit=100`)).json() as { data: Array<{ id: string }> }).data.map((c) => c.id)
  const competencies = ids.filter((id) => known.includes(id))
  if (competencies.length < 3) throw new Error(`too few of the mix's competencies exist: ${competencies.join(', ')}`)
  const mix: autocannon.Request[] = [
    ...competencies.map((id) => get(`${at}/competencies/${id}`)),
    get(`${at}/competencies?include=activities,hint`),
    get(`${at}/domains?include=competencies`),
    get(`${at}/activities?competency=${competencies[0]!}&limit=20`),
    get('/v1/frameworks/isp/latest/competencies/co-learning'),
    get('/v1/search?q=trust'),
    get('/v1/search?q=%22build%20trust%22&type=activity,competency&limit=10'),
    get(`${at}/activities?q=facilitat*`),
    await revalidate(`${at}/competencies/${competencies[1]!}`),
    await revalidate(`${at}/competencies?include=activities,hint`),
    await revalidate(`${at}/hints`),
    ...competencies.slice(0, 4).map((id) => graphql(competencyQuery, { id })),
    { method: 'GET', path: `/graphql?query=${encodeURIComponent(competencyQuery)}&variables=${encodeURIComponent(JSON.stringify({ id: competencies[2]! }))}`, headers: encoding },
    graphql(fullGuideQuery)
  ]
  // Every request of the mix is checked once: the statuses a run may see, and no GraphQL errors.
  for (const r of mix) {
    const res = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers as Record<string, string>, ...(r.body === undefined ? {} : { body: r.body as string }) })
    const expected = (r.headers as Record<string, string>)['if-none-match'] === undefined ? 200 : 304
    if (res.status !== expected) throw new Error(`${r.method} ${r.path} answered ${res.status}, not ${expected}`)
    if (r.path?.startsWith('/graphql') === true && 'errors' in (await res.json() as object)) throw new Error(`${r.method} ${r.path} answered GraphQL errors`)
  }
  return mix
}

/**
 * Runs autocannon for `duration` seconds while sampling the server's RSS every 250 ms. Under load
 * the V8 heap grows and shrinks by a third between collections, so one reading is a matter of
 * timing; the median over the phase's last seconds is its steady state, and a leak shows as that
 * median rising from the warm-up to the end of the run.
 */
async function fire (base: string, pid: number, requests: autocannon.Request[], connections: number, duration: number): Promise<{ result: autocannon.Result, rss: number }> {
  const samples: Array<{ at: number, rss: number }> = []
  const started = Date.now()
  const sampler = setInterval(() => samples.push({ at: Date.now() - started, rss: rssOf(pid) }), 250)
  try {
    const result = await autocannon({ url: base, connections, duration, requests, timeout: 10 })
    const tail = Math.min(10, duration / 2) * 1000
    const last = samples.filter((s) => s.at >= duration * 1000 - tail).map((s) => s.rss).sort((a, b) => a - b)
    return { result, rss: last.length > 0 ? last[Math.floor(last.length / 2)]! : rssOf(pid) }
  } finally {
    clearInterval(sampler)
  }
}

/** Runs the load test and returns its figures and failed checks. */
export async function runLoad (options: LoadOptions): Promise<LoadReport> {
  const dbDir = mkdtempSync(join(tmpdir(), 'isp-load-'))
  const server = await startServer(options, dbDir)
  try {
    const pid = server.child.pid!
    const mix = await trafficMix(server.base)
    const { rss: rssWarmBytes } = await fire(server.base, pid, mix, options.connections, options.warmup)
    const { result, rss: rssAfterBytes } = await fire(server.base, pid, mix, options.connections, options.duration)
    const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]))
    const failures: string[] = []
    if (result.errors > 0) failures.push(`${result.errors} errors`)
    if (result.timeouts > 0) failures.push(`${result.timeouts} timeouts`)
    const unexpected = Object.entries(statuses).filter(([code]) => !(/^2\d\d$/.test(code) || code === '304'))
    if (unexpected.length > 0) failures.push(`responses other than 2xx and 304: ${unexpected.map(([c, n]) => `${n} × ${c}`).join(', ')}`)
    if ((statuses['304'] ?? 0) === 0) failures.push('no 304: the revalidations did not match')
    if (result.requests.total === 0) failures.push('no requests completed')
    const growth = (rssAfterBytes - rssWarmBytes) / rssWarmBytes
    if (Math.abs(growth) > 0.2) failures.push(`RSS went from ${mb(rssWarmBytes)} to ${mb(rssAfterBytes)} (${(growth * 100).toFixed(1)}%), more than 20%`)
    if (server.child.exitCode !== null) failures.push(`the server exited with ${server.child.exitCode}: ${server.stderr()}`)
    return {
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      latency: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
      rssWarmBytes,
      rssAfterBytes,
      failures
    }
  } finally {
    server.child.kill('SIGTERM')
    await new Promise((resolve) => server.child.exitCode === null ? server.child.once('exit', resolve) : resolve(null))
    rmSync(dbDir, { recursive: true, force: true })
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** The report as the lines `npm run load` prints. */
export function formatReport (options: LoadOptions, r: LoadReport): string {
  return [
    `load: ${options.connections} connections for ${options.duration} s (after a ${options.warmup} s warm-up), server from ${options.server}, NODE_ENV=production`,
    `  requests     ${r.requests} (${Math.round(r.requestsPerSecond)}/s on average)`,
    `  latency      p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`,
    `  statuses     ${Object.entries(r.statuses).map(([c, n]) => `${c}: ${n}`).join(', ')}`,
    `  errors       ${r.errors}, timeouts ${r.timeouts}`,
    `  server RSS   ${mb(r.rssWarmBytes)} after warm-up, ${mb(r.rssAfterBytes)} after the run (${(((r.rssAfterBytes - r.rssWarmBytes) / r.rssWarmBytes) * 100).toFixed(1)}%; medians of the last seconds of each)`,
    r.failures.length === 0 ? 'PASS' : `FAIL: ${r.failures.join('; ')}`
  ].join('\n') + '\n'
}

function positive (name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${value}`)
  return n
}

/** Options from flags, then the environment, then the defaults. */
export function loadOptions (argv: string[], env: NodeJS.ProcessEnv): LoadOptions {
  const { values } = parseArgs({ args: argv, options: { duration: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' }, server: { type: 'string' } } })
  const server = values.server ?? env.LOAD_SERVER ?? 'dist'
  if (server !== 'dist' && server !== 'source') throw new Error(`--server must be dist or source, got ${server}`)
  return {
    duration: positive('--duration', values.duration ?? env.LOAD_DURATION, 30),
    connections: positive('--connections', values.connections ?? env.LOAD_CONNECTIONS, 100),
    warmup: positive('--warmup', values.warmup ?? env.LOAD_WARMUP, 20),
    server
  }
}

if (process.argv[1] !== undefined && /load\.[jt]s$/.test(process.argv[1])) {
  try {
    const options = loadOptions(process.argv.slice(2), process.env)
    const report = await runLoad(options)
    process.stdout.write(formatReport(options, report))
    process.exitCode = report.failures.length === 0 ? 0 : 1
  } catch (err) {
    process.stderr.write(`load failed: ${(err as Error).message}\n`)
    process.exitCode = 1
  }
}
