/**
 * The contenders, each a real process on 127.0.0.1 on a free port: the ceiling, this service in
 * its production configuration, json-server 0.17 and Apollo Server. Each is spawned directly as a
 * `node` process, so its pid is the server's own and /proc accounts its CPU and memory.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { BenchRequest } from './http.js'
import { waitFor200 } from './http.js'
import { cpuMs } from './system.js'
import { IMAGE_ENV } from '../scripts/processes.js'

/**
 * `service-metrics` is the service with Prometheus metrics on, to measure what they cost per
 * request, against `service-twin`: the same service with metrics off, started, warmed and asked
 * exactly as `service-metrics` is, and both with the same fixed V8 hash and random seeds (SEEDED);
 * `bare` is bare Fastify sending the service's recorded answers byte for byte
 * (servers/same-bytes.ts); `scale` is the service with the synthetic framework of scale-seeds.ts
 * beside the guide (SEEDS_DIR).
 */
export type ContenderName = 'ceiling' | 'service' | 'service-metrics' | 'service-twin' | 'json-server' | 'apollo' | 'bare' | 'scale'

/** Everything a run needs to know about the project and its scratch folder. */
export interface BenchPaths {
  root: string
  /** The prebuilt content database. */
  dbPath: string
  /** json-server's db.json. */
  jsonDb: string
  /** The service's answers recorded for `bare` (servers/same-bytes.ts). */
  answers: string
  /** The seed root holding the synthetic framework, and the database `scale` builds from it and the guide. */
  scaleSeeds: string
  scaleDb: string
  /**
   * A copy of the bundle's launcher and server beside dist/'s (so that the project and its
   * node_modules resolve alike) for the seeded processes: V8 refuses a code cache made under other
   * flags and the launcher then writes its own, which must not replace the one production uses.
   */
  seededLauncher: string
}

/**
 * V8 seeds its string hashes and its random numbers afresh in every process, and that alone made
 * four processes of one configuration differ by up to 45% in CPU per cached request, for as long
 * as each lived (34 to 50 µs; with these seeds fixed, 37 to 39 µs). The metrics comparison runs
 * both of its processes with the same seeds, so that what differs between them is the metrics.
 * Never in production: a known hash seed invites hash-flooding.
 */
export const SEEDED = ['--hash-seed=1', '--random-seed=1']

/** The canonical base URL the service and Apollo build links on, so their data is byte-identical. */
export const PUBLIC_URL = 'https://competencies.example.org'

/**
 * The rate limit the service runs with: far above what a run sends from one address in one window
 * (a few hundred thousand requests a minute), so every request is counted and carries the
 * X-RateLimit-* headers but none is refused. The run checks that no answer was a 429.
 */
export const RATE_LIMIT_MAX = 100_000_000

export interface Running {
  name: ContenderName
  pid: number
  base: string
  child: ChildProcess
  /** Milliseconds from spawn to the first 200 of its readiness request. */
  startMs: number
  /** CPU milliseconds the process had used by then (all threads): start-up work, whatever else the machine does. */
  startCpuMs: number
  /** The end of what it wrote to stderr. */
  stderr: () => string
  stop: () => Promise<void>
}

/** A port nothing listens on right now. */
export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

/** The bearer token `service-metrics` serves /metrics to (on its main port, as with METRICS_TOKEN alone). */
export const METRICS_TOKEN = 'bench-metrics-token-not-a-secret'

const tsx = (file: string): string[] => ['--import', 'tsx', file]

/** The service's environment in production configuration. */
export function serviceEnv (paths: BenchPaths, port: number): Record<string, string> {
  return {
    ...IMAGE_ENV,
    DB_PATH: paths.dbPath,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL,
    RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json'
  }
}

export interface Spec {
  args: string[]
  env: Record<string, string>
  ready: BenchRequest
}

/** How a contender is started: its node arguments, environment and readiness request. */
export function spec (name: ContenderName, paths: BenchPaths, port: number): Spec {
  const get = (path: string): BenchRequest => ({ method: 'GET', path, headers: {} })
  switch (name) {
    case 'ceiling':
      return { args: tsx(join(paths.root, 'bench/servers/ceiling.ts')), env: { PORT: String(port), HOST: '127.0.0.1' }, ready: get('/') }
    case 'service':
      // --inspect-port=0 does nothing until SIGUSR1 opens the inspector, which only the memory instance's is (see inspector.ts).
      return { args: ['--inspect-port=0', join(paths.root, 'dist/server.mjs')], env: serviceEnv(paths, port), ready: get('/health/ready') }
    case 'service-metrics':
      return { args: [...SEEDED, paths.seededLauncher], env: { ...serviceEnv(paths, port), METRICS_TOKEN }, ready: get('/health/ready') }
    case 'service-twin':
      return { args: [...SEEDED, paths.seededLauncher], env: serviceEnv(paths, port), ready: get('/health/ready') }
    case 'bare':
      return { args: tsx(join(paths.root, 'bench/servers/same-bytes.ts')), env: { PORT: String(port), HOST: '127.0.0.1', ANSWERS: paths.answers }, ready: get('/health/ready') }
    case 'scale':
      return {
        args: [join(paths.root, 'dist/server.mjs')],
        env: { ...serviceEnv(paths, port), DB_PATH: paths.scaleDb, SEEDS_DIR: paths.scaleSeeds },
        ready: get('/health/ready')
      }
    case 'json-server':
      return {
        args: [join(paths.root, 'node_modules/json-server/lib/cli/bin.js'), paths.jsonDb, '--port', String(port), '--host', '127.0.0.1', '--read-only', '--quiet'],
        env: { NODE_ENV: 'production' },
        ready: get('/competencies')
      }
    case 'apollo':
      return {
        args: tsx(join(paths.root, 'bench/servers/apollo.ts')),
        env: { NODE_ENV: 'production', DB_PATH: paths.dbPath, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL },
        ready: { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }
      }
  }
}

/**
 * Spawns a contender and waits for its first 200. Its stdout (the service's request logs, at the
 * production default level `info`) goes to /dev/null; stderr is kept for error messages.
 */
export async function start (name: ContenderName, paths: BenchPaths, limitMs = 60_000): Promise<Running> {
  const port = await freePort()
  const { args, env, ready } = spec(name, paths, port)
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    cwd: paths.root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000) })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const base = `http://127.0.0.1:${port}`
  try {
    await Promise.race([
      waitFor200(base, ready, limitMs),
      exited.then(() => { throw new Error(`${name} exited before it was ready: ${stderr}`) })
    ])
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  const startMs = performance.now() - started
  if (child.pid === undefined) throw new Error(`${name} has no pid`)
  const startCpuMs = cpuMs(child.pid)
  return {
    name,
    pid: child.pid,
    base,
    child,
    startMs,
    startCpuMs,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
}
