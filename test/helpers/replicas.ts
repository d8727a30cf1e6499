/**
 * Replicas of the real server, and the outside programs the scale-out tests run beside them
 * (nginx, redis-server): found on this machine or skipped, except under CI=true, where a missing
 * one fails the test (.ci/run installs them).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { tempDir } from './app.js'
import { startServer, type ServerProcess } from './server-process.js'

interface Teardown { teardown: (fn: () => unknown) => void }

/**
 * The first of `paths` that can be run, as `path`; when none can, `skip` says why (pass it to
 * t.test's `skip`), and `t` fails under CI=true.
 */
export function program (t: { fail: (message: string) => unknown }, paths: readonly string[], what: string): { path: string, skip: false } | { path: undefined, skip: string } {
  for (const path of paths) {
    try {
      accessSync(path, constants.X_OK)
      return { path, skip: false }
    } catch {
      // Not there, or not runnable: try the next.
    }
  }
  const message = `${what} is not installed (looked for ${paths.join(', ')})`
  if (process.env.CI === 'true') t.fail(`${message}; CI must run this test (.ci/run installs it)`)
  return { path: undefined, skip: `${message}; skipped` }
}

/** Resolves once 127.0.0.1:port accepts a connection; fails after `ms`. */
export async function listening (port: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' })
      socket.once('connect', () => { socket.destroy(); resolve(true) })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Starts `n` replicas of the server on one content database (built by the first), one after another. */
export async function startReplicas (t: Teardown, n: number, env: Record<string, string>): Promise<ServerProcess[]> {
  const dbPath = join(tempDir(), 'content.db')
  const replicas: ServerProcess[] = []
  for (let i = 0; i < n; i++) replicas.push(await startServer(t, { DB_PATH: dbPath, LOG_LEVEL: 'info', ...env }))
  return replicas
}

/**
 * A child process stopped at teardown if it is still running: SIGTERM, so that a master process
 * (nginx's) stops its workers too, then SIGKILL after 5 s.
 */
export function spawnOwned (t: Teardown, command: string, args: string[], cwd?: string): ChildProcess & { output: () => string } {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { output += d.toString() })
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited(child)
    clearTimeout(timer)
  })
  return Object.assign(child, { output: () => output })
}

/** Resolves when `child` has exited. */
export async function exited (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise((resolve) => child.once('exit', resolve))
}
