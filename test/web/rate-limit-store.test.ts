/**
 * The shared rate-limit store in process (src/web/shared-rate-limit.ts): two apps on one Redis (a
 * redis-server of the test's own) share one budget; with no Redis to reach, each app counts alone and warns once.
 * test/web/shared-rate-limit.test.ts runs the same with real processes and an outage.
 */
import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildAppWithLogs } from '../helpers/logs.js'
import { freePort } from '../../scripts/processes.js'
import { listening, program, spawnOwned } from '../helpers/replicas.js'

const redisServer = program(t, ['/usr/bin/redis-server', '/usr/local/bin/redis-server'], 'redis-server')

const statuses = async (apps: FastifyInstance[], url: string, n: number): Promise<number[]> => {
  const result: number[] = []
  for (let i = 0; i < n; i++) result.push((await apps[i % apps.length]!.inject(url)).statusCode)
  return result
}

/** How many connections the Redis on `port` has, this one included (CLIENT LIST over a raw socket). */
async function redisClients (port: number): Promise<number> {
  return await new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    let reply = ''
    socket.on('data', (d: Buffer) => {
      reply += d.toString()
      const length = /^\$(\d+)\r\n/.exec(reply)
      if (length !== null && Buffer.byteLength(reply) >= length[0].length + Number(length[1])) {
        socket.destroy()
        resolve((reply.match(/\bid=/g) ?? []).length)
      }
    })
    socket.on('error', () => resolve(0))
    socket.write('*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n')
  })
}

t.test('no Redis to reach: each app counts alone, a warning once, never a 5xx', async (t) => {
  const port = await freePort()
  const { app, lines } = await buildAppWithLogs(t, { env: { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_MAX: '3' } })
  const started = Date.now()
  t.same(await statuses([app], '/v1/frameworks', 5), [200, 200, 200, 429, 429])
  t.ok(Date.now() - started < 2000, 'requests do not wait for Redis')
  const warnings = lines.filter((l) => /Redis is unreachable/.test(l.msg ?? ''))
  t.equal(warnings.length, 1, 'one warning')
  t.equal(warnings[0]?.level, 40)
})

t.test('two apps on one Redis share one budget', { skip: redisServer.skip }, async (t) => {
  const port = await freePort()
  spawnOwned(t, redisServer.path!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'])
  await listening(port)
  const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: `test:${randomUUID()}:`, RATE_LIMIT_MAX: '4', CURRICULA_RATE_LIMIT_MAX: '3' }
  const apps = [(await buildAppWithLogs(t, { env })), (await buildAppWithLogs(t, { env }))]
  // Until its client is connected an app counts locally: wait until Redis sees both (and this probe).
  for (let i = 0; i < 100 && await redisClients(port) < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  await new Promise((resolve) => setTimeout(resolve, 100))
  const both = apps.map(({ app }) => app)
  t.same(await statuses(both, '/v1/frameworks', 6), [200, 200, 200, 200, 429, 429], 'four requests in all')
  // app.rateLimit()'s limiter (requests no route handles) is a child store of the same budget.
  t.same(await statuses(both, '/no/such/path', 2), [429, 429], 'unrouted requests count against it too')
  t.notOk(apps.some(({ lines }) => lines.some((l) => /Redis is unreachable/.test(l.msg ?? ''))), 'no fall-back while Redis is up')
})
