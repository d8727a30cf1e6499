/** GET /health, /health/live and /health/ready. */
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { build } from '../../src/app.js'
import { Readiness } from '../../src/health/index.js'
import { Repository } from '../../src/store/repository.js'
import { defaultBuilders } from '../../src/web/compilers.js'
import { buildApp, testConfig, testDatabase } from '../helpers/app.js'

t.test('GET /health lists the frameworks and versions served, newest first', async (t) => {
  t.same((await (await buildApp(t)).inject('/health')).json(), { status: 'ok', frameworks: [{ id: 'isp', latest: '1.1', versions: ['1.1'] }] })
  t.same((await (await buildApp(t, { fixtures: true })).inject('/health')).json().frameworks, [{ id: 'isp', latest: '1.2', versions: ['1.2', '1.1'] }])
})

t.test('GET /health/live: ok, never cached', async (t) => {
  const response = await (await buildApp(t)).inject('/health/live')
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
  t.equal(response.headers['cache-control'], 'no-store')
})

t.test('GET /health/ready: every check passes on a healthy instance', async (t) => {
  const response = await (await buildApp(t)).inject('/health/ready')
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok', checks: { database: 'pass', content: 'pass', load: 'pass', shutdown: 'pass', curricula: 'pass' } })
  t.equal(response.headers['cache-control'], 'no-store')
  t.notOk(response.headers['retry-after'])
})

t.test('GET /health/ready: JSON.stringify writes what the schema\'s compiled serializer would, in every state', async (t) => {
  const compiled = defaultBuilders().serializer({}, {})({ schema: Readiness, method: 'GET', url: '/health/ready', httpStatus: '200' })
  const verdicts = ['pass', 'fail'] as const
  let states = 0
  for (const status of ['ok', 'degraded', 'unavailable'] as const) {
    for (let bits = 0; bits < 32; bits++) {
      const [database, content, load, shutdown, curricula] = [0, 1, 2, 3, 4].map((i) => verdicts[(bits >> i) & 1])
      const body = { status, checks: { database, content, load, shutdown, curricula } }
      if (JSON.stringify(body) !== compiled(body)) t.fail(JSON.stringify(body))
      states++
    }
  }
  t.equal(states, 96)
  const response = await (await buildApp(t)).inject('/health/ready')
  t.equal(response.body, compiled(response.json()))
})

t.test('GET /health/ready: 503 with Retry-After when the database is closed; liveness is unaffected', async (t) => {
  const repository = new Repository(testDatabase())
  const app = await build({ config: testConfig({ env: { PRESSURE_RETRY_AFTER: '5' } }), repository })
  t.teardown(() => app.close())
  await app.ready()
  repository.close()
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 503)
  t.equal(ready.headers['retry-after'], '5')
  t.same(ready.json(), { status: 'unavailable', checks: { database: 'fail', content: 'fail', load: 'pass', shutdown: 'pass', curricula: 'pass' } })
  t.equal((await app.inject('/health/live')).statusCode, 200)
})

t.test('GET /health/ready: 503 once shutdown has begun; the request still completes and closes its connection', async (t) => {
  const app = await build({ config: testConfig() })
  // This test's own hook holds one request until shutdown has begun.
  let release = (): void => {}
  const gate = new Promise<void>((resolve) => { release = resolve })
  let arrived = (): void => {}
  const arrival = new Promise<void>((resolve) => { arrived = resolve })
  app.addHook('onRequest', async (request) => {
    if (request.headers['x-hold'] === undefined) return
    arrived()
    await gate
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.equal(app.shuttingDown(), false)

  const held = new Promise<{ status: number, connection: string | undefined, body: string }>((resolve, reject) => {
    const { port } = app.server.address() as AddressInfo
    get({ host: '127.0.0.1', port, path: '/health/ready', headers: { 'x-hold': '1' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }))
    }).on('error', reject)
  })
  await arrival
  const closing = app.close()
  for (let i = 0; i < 1000 && !app.shuttingDown(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  t.equal(app.shuttingDown(), true, 'the app knows it is shutting down')
  release()
  const response = await held
  t.equal(response.status, 503)
  t.same(JSON.parse(response.body), { status: 'unavailable', checks: { database: 'pass', content: 'pass', load: 'pass', shutdown: 'fail', curricula: 'pass' } }, 'the database stays open for requests in flight')
  t.equal(response.connection, 'close')
  await closing
  t.equal(app.repo.db.open, false, 'then it closes')
})
