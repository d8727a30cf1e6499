/**
 * The real server process for tests: `node --import tsx src/server.ts` on 127.0.0.1, with a
 * clean environment (only PATH and what the test gives), its JSON log lines collected as they
 * arrive. Every wait is bounded so a broken server fails the test instead of hanging it.
 */
import type { ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { launchServer, listeningPort, type LogLine } from '../../scripts/processes.js'

export type { LogLine }

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

/** Runs the server to completion (for start-up failures and --help). */
export async function runServer (env: Record<string, string>, args: string[] = []): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const server = launchServer(env, { args })
  let timedOut = false
  const timer = setTimeout(() => { timedOut = true; server.child.kill('SIGKILL') }, limit)
  const { code } = await server.exited
  clearTimeout(timer)
  if (timedOut) throw new Error(`server did not exit within ${limit} ms; stdout: ${server.stdout()}; stderr: ${server.stderr()}`)
  return { code, stdout: server.stdout(), stderr: server.stderr() }
}

interface Teardown { teardown: (fn: () => unknown) => void }

/** Starts the server (PORT=0, HOST=127.0.0.1 unless `env` says otherwise) and waits until it listens. */
export async function startServer (t: Teardown, env: Record<string, string>, args: string[] = [], entry?: string): Promise<ServerProcess> {
  const server = launchServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, { args, ...(entry === undefined ? {} : { entry }) })
  const { child } = server
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const port = await listeningPort(server, limit)
  return { child, port, logs: server.logs, waitForLog: (match, what) => server.waitForLog(match, what, limit), exited: server.exited }
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
