/**
 * Server processes on loopback, one way for everything that starts the real server: the tests
 * (test/helpers/server-process.ts), the load and fault scripts, and the benchmark. A free port,
 * a process's resident memory, the server launched with a clean environment (only PATH and what
 * the caller gives) with its JSON log lines collected as they arrive, and a bounded stop.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { HEAP_OPTIONS } from '../src/launch.js'
import { projectRoot } from '../src/paths.js'

/**
 * What the Docker image's runtime stage sets for the server process (test/dockerfile.test.ts checks
 * they agree): production mode, the heap flags the code cache is written under, two malloc arenas.
 * Every script and benchmark that runs the server as production does starts from this.
 */
export const IMAGE_ENV: Readonly<Record<string, string>> = { NODE_ENV: 'production', NODE_OPTIONS: HEAP_OPTIONS, MALLOC_ARENA_MAX: '2' }

export type LogLine = Record<string, unknown> & { msg?: string }

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

/** A process's resident set size in bytes, from /proc (Linux). */
export function rssOf (pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`)
  return Number(kb) * 1024
}

export interface LaunchOptions {
  /** Command-line arguments for the server. */
  args?: string[]
  /** A built server file to run with plain node, instead of src/server.ts through tsx. */
  entry?: string
  /** `ignore` sends the log to /dev/null, so that reading it costs a load generator nothing. */
  stdout?: 'collect' | 'ignore'
}

export interface LaunchedServer {
  child: ChildProcess
  /** Every JSON log line so far (none with `stdout: 'ignore'`). */
  logs: LogLine[]
  /** All it wrote so far, JSON or not (usage text, start-up errors). */
  stdout: () => string
  stderr: () => string
  /** Resolves with the first log line, past or future, matching `match`; rejects after `ms` or when the process exits first. */
  waitForLog: (match: (line: LogLine) => boolean, what: string, ms?: number) => Promise<LogLine>
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, stderr: string }>
}

/** Starts the server with only PATH and `env` in its environment; the caller waits for what it needs. */
export function launchServer (env: Record<string, string>, options: LaunchOptions = {}): LaunchedServer {
  const args = options.args ?? []
  const child = spawn(process.execPath, options.entry === undefined ? ['--import', 'tsx', 'src/server.ts', ...args] : [options.entry, ...args], {
    cwd: projectRoot,
    // The child compiles src/ with tsx, not tap's loader: tap would merge its V8 coverage, byte
    // offsets of other compiled code, into the same files and corrupt the report. It reports none.
    env: { PATH: process.env.PATH ?? '', _TAPJS_PROCESSINFO_COVERAGE_: '0', ...env },
    stdio: ['ignore', options.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe']
  })
  const logs: LogLine[] = []
  const waiters: Array<{ match: (l: LogLine) => boolean, resolve: (l: LogLine) => void }> = []
  let stderr = ''
  let stdout = ''
  let pending = ''
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString()
    pending += d.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const text of lines) {
      if (!text.startsWith('{')) continue
      const line = JSON.parse(text) as LogLine
      logs.push(line)
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(line)
        }
      }
    }
  })
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null, stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }))
  })

  const waitForLog = (match: (line: LogLine) => boolean, what: string, ms = 30_000): Promise<LogLine> => {
    const seen = logs.find(match)
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const onExit = (): void => {
        clearTimeout(timer)
        reject(Object.assign(new Error(`server exited (${child.exitCode ?? child.signalCode}) before logging "${what}"; stderr: ${stderr.trim()}`), { stderr, code: child.exitCode }))
      }
      const timer = setTimeout(() => {
        child.off('exit', onExit)
        reject(new Error(`no log line "${what}" within ${ms} ms; stderr: ${stderr.trim()}`))
      }, ms)
      if (child.exitCode !== null || child.signalCode !== null) return onExit()
      child.once('exit', onExit)
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer)
          child.off('exit', onExit)
          resolve(line)
        }
      })
    })
  }
  return { child, logs, stdout: () => stdout, stderr: () => stderr, waitForLog, exited }
}

/** The port a `Server listening at http://127.0.0.1:<port>` line names. */
export async function listeningPort (server: LaunchedServer, ms?: number): Promise<number> {
  const line = await server.waitForLog((l) => /Server listening at http:\/\/127\.0\.0\.1:\d+/.test(l.msg ?? ''), 'Server listening', ms)
  return Number(/:(\d+)$/.exec(line.msg ?? '')?.[1])
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
export async function stopServer (server: Pick<LaunchedServer, 'child' | 'exited'>, graceMs = 15_000): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM')
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs)
  const { code } = await server.exited
  clearTimeout(timer)
  return code
}
