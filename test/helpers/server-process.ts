/**
 * The real server process for tests: `node --import tsx src/server.ts` on 127.0.0.1, with a
 * clean environment (only PATH and what the test gives), its JSON log lines collected as they
 * arrive. Every wait is bounded so a broken server fails the test instead of hanging it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { projectRoot } from '../../src/paths.js'

export type LogLine = Record<string, unknown> & { msg?: string }

export interface ServerProcess {
  child: ChildProcess
  /** The port it listens on. */
  port: number
  /** Every JSON log line so far. */
  logs: LogLine[]
  /** Resolves with the first log line (past or future) matching `match`. */
  waitForLog: (match: (line: LogLine) => boolean, what: string) => Promise<LogLine>
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, stderr: string }>
}

const limit = 30_000

/** `entry`: a built server file to run with plain node instead of src/server.ts through tsx. */
function launch (env: Record<string, string>, args: string[], entry?: string): ChildProcess {
  return spawn(process.execPath, entry === undefined ? ['--import', 'tsx', 'src/server.ts', ...args] : [entry, ...args], {
    cwd: projectRoot,
    // The child compiles src/ with tsx, not tap's loader: tap would merge its V8 coverage, byte
    // offsets of other compiled code, into the same files and corrupt the report. It reports none.
    env: { PATH: process.env.PATH ?? '', _TAPJS_PROCESSINFO_COVERAGE_: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

/** Runs the server to completion (for start-up failures and --help). */
export function runServer (env: Record<string, string>, args: string[] = []): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = launch(env, args)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not exit within ${limit} ms; stdout: ${stdout}; stderr: ${stderr}`))
    }, limit)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

interface Teardown { teardown: (fn: () => unknown) => void }

/** Starts the server (PORT=0, HOST=127.0.0.1 unless `env` says otherwise) and waits until it listens. */
export async function startServer (t: Teardown, env: Record<string, string>, args: string[] = [], entry?: string): Promise<ServerProcess> {
  const child = launch({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, args, entry)
  const logs: LogLine[] = []
  const waiters: Array<{ match: (l: LogLine) => boolean, resolve: (l: LogLine) => void }> = []
  let stderr = ''
  let pending = ''
  child.stdout?.on('data', (d: Buffer) => {
    pending += d.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const text of lines) {
      if (text.trim() === '') continue
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
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })

  const waitForLog = (match: (line: LogLine) => boolean, what: string): Promise<LogLine> => {
    const seen = logs.find(match)
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line "${what}" within ${limit} ms; stderr: ${stderr}`)), limit)
      const onExit = (): void => reject(new Error(`server exited before logging "${what}"; stderr: ${stderr}`))
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

  const listening = await waitForLog((l) => /Server listening at http:\/\/127\.0\.0\.1:\d+/.test(l.msg ?? ''), 'Server listening')
  const port = Number(/:(\d+)$/.exec(listening.msg ?? '')?.[1])
  return { child, port, logs, waitForLog, exited }
}

/** A raw HTTP/1.1 response as read off the socket. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
  /** The body is exactly Content-Length bytes long. */
  complete: boolean
}

/** Parses the bytes of one HTTP/1.1 response with a Content-Length. */
export function parseResponse (raw: string): RawResponse {
  const split = raw.indexOf('\r\n\r\n')
  const head = split === -1 ? raw : raw.slice(0, split)
  const body = split === -1 ? '' : raw.slice(split + 4)
  const [statusLine = '', ...headerLines] = head.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0)
  const length = Number(headers['content-length'] ?? NaN)
  return { status, headers, body, complete: split !== -1 && Buffer.byteLength(body) === length }
}

/** A raw TCP connection to the server that records everything it receives. */
export interface RawConnection {
  socket: Socket
  /** Everything received so far. */
  received: () => string
  /** Resolves when the server ends or closes the connection; `error` is the socket error, if any. */
  closed: Promise<{ error?: NodeJS.ErrnoException }>
}

/** Opens a TCP connection to 127.0.0.1:port. */
export function rawConnection (port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' })
    let data = ''
    let error: NodeJS.ErrnoException | undefined
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { data += chunk })
    const closed = new Promise<{ error?: NodeJS.ErrnoException }>((done) => {
      socket.on('error', (err) => { error = err })
      socket.on('close', () => done(error === undefined ? {} : { error }))
    })
    socket.once('connect', () => resolve({ socket, received: () => data, closed }))
    socket.once('error', reject)
  })
}
