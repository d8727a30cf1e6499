/**
 * Graceful shutdown of the real server process. Requests are held in flight honestly, without
 * any test-only route: their bodies are still arriving when the signal comes (the server has
 * routed them and logged them, and must wait for the rest of the body before it can answer).
 */
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../helpers/app.js'
import { parseResponse, rawConnection, startServer, type RawConnection } from '../helpers/server-process.js'

/** Waits until `condition` holds, checking every 10 ms, failing after 30 s. */
async function until (condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting until ${what}`)
}

/** Whether a new TCP connection to the port is refused. */
async function refused (port: number): Promise<boolean> {
  try {
    const probe = await rawConnection(port)
    probe.socket.destroy()
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ECONNREFUSED'
  }
}

interface InFlight { id: string, connection: RawConnection, rest: string, expected: number }

/** Starts a POST whose body is only half sent. */
async function startUpload (port: number, id: string, body: string, expected: number): Promise<InFlight> {
  const connection = await rawConnection(port)
  const half = Math.floor(body.length / 2)
  connection.socket.write(`POST /health/live HTTP/1.1\r\nHost: test\r\nX-Request-Id: ${id}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`)
  return { id, connection, rest: body.slice(half), expected }
}

t.test('SIGTERM: stops accepting, finishes the requests in flight, closes the database, exits 0', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db'), LOG_LEVEL: 'debug' })

  // A keep-alive connection that has been served and sits idle.
  const idle = await rawConnection(server.port)
  idle.socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n')
  await until(() => parseResponse(idle.received()).complete, 'the idle connection is served')
  t.equal(parseResponse(idle.received()).status, 200)

  // Uploads in flight: valid JSON (answered 404: no POST route there) and broken JSON (400, which
  // proves the server read and parsed the body that arrived after the signal).
  const valid = JSON.stringify({ query: 'x'.repeat(2000) })
  const uploads = await Promise.all([
    startUpload(server.port, 'in-flight-1', valid, 404),
    startUpload(server.port, 'in-flight-2', valid, 404),
    startUpload(server.port, 'in-flight-3', `{"broken": ${'1'.repeat(2000)}`, 400)
  ])
  for (const u of uploads) {
    await server.waitForLog((l) => l.requestId === u.id && l.msg === 'incoming request', `incoming request ${u.id}`)
  }

  server.child.kill('SIGTERM')
  await server.waitForLog((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM', 'shutting down')
  await until(() => refused(server.port), 'new connections are refused')
  t.pass('new connections are refused once shutdown starts')
  const idleClosed = await idle.closed
  t.equal(idleClosed.error, undefined, 'the idle keep-alive connection is closed cleanly')

  for (const u of uploads) {
    t.equal(u.connection.received(), '', `${u.id}: no answer before its body is complete`)
    u.connection.socket.write(u.rest)
  }
  for (const u of uploads) {
    const { error } = await u.connection.closed
    t.equal(error, undefined, `${u.id}: the connection ends without an error`)
    const response = parseResponse(u.connection.received())
    t.ok(response.complete, `${u.id}: a complete response`)
    t.equal(response.status, u.expected, `${u.id}: answered ${u.expected}`)
    t.equal(response.headers['x-request-id'], u.id, `${u.id}: its request id is echoed`)
    t.equal(response.headers.connection, 'close', `${u.id}: the server closes the connection after it`)
  }

  const { code, signal } = await server.exited
  t.equal(code, 0, 'exit code 0')
  t.equal(signal, null)
  const index = (match: (l: Record<string, unknown>) => boolean): number => server.logs.findIndex(match)
  const closedAt = index((l) => l.msg === 'content database closed')
  t.ok(closedAt > 0, 'the database is closed')
  for (const u of uploads) {
    const completedAt = index((l) => l.requestId === u.id && l.msg === 'request completed')
    t.ok(completedAt > 0 && completedAt < closedAt, `${u.id} completed before the database closed`)
  }
  t.ok(index((l) => l.msg === 'closed') > closedAt, 'the process logs that it closed')
})

t.test('SIGTERM while a large response is still streaming: it completes, its connection closes, exit 0', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db'), SHUTDOWN_TIMEOUT: '15000' })
  // Swagger UI's script is over a megabyte: with the client not reading, the server is left
  // with its headers sent and most of its body waiting when the signal comes.
  const download = await rawConnection(server.port)
  download.socket.pause()
  download.socket.write('GET /docs/static/swagger-ui-bundle.js HTTP/1.1\r\nHost: test\r\nAccept-Encoding: identity\r\n\r\n')
  await new Promise((resolve) => setTimeout(resolve, 300))
  server.child.kill('SIGTERM')
  await server.waitForLog((l) => l.msg === 'shutting down', 'shutting down')
  download.socket.resume()
  const { error } = await download.closed
  t.equal(error, undefined, 'the server ends the connection once the response is complete')
  const response = parseResponse(download.received())
  t.equal(response.status, 200)
  t.ok(response.complete, 'the whole body arrived')
  t.match(response.headers.connection, /keep-alive/i, 'its headers went out before shutdown began, offering keep-alive')
  const { code } = await server.exited
  t.equal(code, 0, 'exit 0, not 1 from the shutdown timeout')
})

t.test('SIGINT on an idle server: exits 0', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db') })
  server.child.kill('SIGINT')
  const { code } = await server.exited
  t.equal(code, 0)
  t.ok(server.logs.some((l) => l.msg === 'shutting down' && l.signal === 'SIGINT'))
  t.ok(server.logs.some((l) => l.msg === 'content database closed'))
})

t.test('a request that never finishes: cut before SHUTDOWN_TIMEOUT, logged, database closed, exit 0', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db'), SHUTDOWN_TIMEOUT: '1000', REQUEST_TIMEOUT: '60000', LOG_LEVEL: 'debug' })
  const stuck = await startUpload(server.port, 'stuck', JSON.stringify({ a: 'x'.repeat(100) }), 0)
  await server.waitForLog((l) => l.requestId === stuck.id && l.msg === 'incoming request', 'incoming request stuck')
  const signalled = performance.now()
  server.child.kill('SIGTERM')
  await stuck.connection.closed
  const cutAfter = performance.now() - signalled
  t.ok(cutAfter >= 700 && cutAfter < 1000, `the stuck client was cut after ${cutAfter.toFixed(0)} ms: at the bound (750 ms), before SHUTDOWN_TIMEOUT`)
  const { code } = await server.exited
  t.equal(code, 0, 'exit code 0')
  t.ok(server.logs.some((l) => l.msg === 'shutdown: closed a connection that was still busy' && l.requestId === 'stuck' && l.level === 40), 'the forced close is logged with the request id')
  t.ok(server.logs.some((l) => l.msg === 'content database closed'), 'the database is closed')
  t.notOk(server.logs.some((l) => /killed by timeout/.test(String(l.msg))), 'not killed by the shutdown timeout')
})

t.test('keep-alive connections busy when SIGTERM comes: every request gets an answer with Connection: close, none is reset', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db') })
  const connections = await Promise.all(Array.from({ length: 20 }, async () => await rawConnection(server.port)))
  const send = (c: RawConnection): void => { c.socket.write('GET /v1/frameworks/isp/1.1/competencies/co-learning HTTP/1.1\r\nHost: test\r\n\r\n') }
  for (const c of connections) send(c)
  await until(() => connections.every((c) => parseResponse(c.received()).complete), 'the first answers')
  // Each connection is idle and open; the signal comes, and a request follows on each at once.
  const before = connections.map((c) => c.received().length)
  server.child.kill('SIGTERM')
  await server.waitForLog((l) => l.msg === 'shutting down', 'shutting down')
  for (const c of connections) send(c)
  for (const [i, c] of connections.entries()) {
    const { error } = await c.closed
    t.equal(error, undefined, `connection ${i}: closed cleanly, not reset`)
    const second = parseResponse(c.received().slice(before[i]))
    t.equal(second.status, 200, `connection ${i}: the request sent during shutdown is answered`)
    t.equal(second.headers.connection, 'close', `connection ${i}: with Connection: close`)
  }
  t.equal((await server.exited).code, 0)
})

t.test('a client too slow to send its headers gets a 408 within HEADERS_TIMEOUT and a check interval, and it is logged', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db'), HEADERS_TIMEOUT: '500', REQUEST_TIMEOUT: '2000' })
  const slow = await rawConnection(server.port)
  const started = performance.now()
  slow.socket.write('GET /v1 HTTP/1.1\r\nHost: test\r\n')
  const drip = setInterval(() => { if (slow.socket.writable) slow.socket.write('X-Slow: 1\r\n') }, 100)
  await slow.closed
  clearInterval(drip)
  const lived = performance.now() - started
  t.ok(lived >= 450 && lived < 1200, `cut after ${lived.toFixed(0)} ms (HEADERS_TIMEOUT 500, checked every 100 ms)`)
  t.equal(parseResponse(slow.received()).status, 408)
  const logged = await server.waitForLog((l) => l.status === 408, '408 logged')
  t.equal(logged.level, 40, 'at warn')
  t.ok(typeof logged.remoteAddress === 'string', 'with the client address')
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
})
