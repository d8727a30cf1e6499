/**
 * PostgreSQL going away while the app serves: curricula requests answer 503 problem+json with
 * Retry-After (REST) or SERVICE_UNAVAILABLE (GraphQL), the framework API keeps answering, and
 * when the database is back the app recovers without a restart. The outage is a TCP proxy in
 * front of the test server that drops every connection and refuses new ones, so the shared
 * server itself is never stopped.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import t from 'tap'
import { build } from '../../src/app.js'
import { createKey } from '../../src/curricula/keys.js'
import { testConfig } from '../helpers/app.js'
import { postgresDatabase } from '../helpers/stores.js'

/** A TCP proxy to `target` that can be taken down and brought back on the same port. */
async function proxy (target: URL): Promise<{ port: number, down: () => Promise<void>, up: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const up = () => new Promise<void>((resolve) => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname)
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
        s.on('error', () => { client.destroy(); upstream.destroy() })
      }
      client.pipe(upstream).pipe(client)
    })
    server.listen(port, '127.0.0.1', () => {
      port = (server?.address() as { port: number }).port
      resolve()
    })
  })
  const down = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy()
    server?.close(() => resolve())
  })
  await up()
  return { port, down, up }
}

t.test('PostgreSQL down: 503 with Retry-After, the framework API unaffected, recovery without restart', async (t) => {
  const url = await postgresDatabase(t)
  if (url === undefined) return
  const target = new URL(url)
  const p = await proxy(target)
  t.teardown(() => p.down())
  const through = new URL(url)
  through.port = String(p.port)
  const app = await build({ config: testConfig({ env: { DATABASE_URL: through.toString() } }) })
  t.teardown(() => app.close())
  await app.ready()
  const inst = await app.curricula.createInstitution('Alpha')
  const { key } = await createKey(app.curricula, inst.id, 'write')
  const headers = { authorization: `Bearer ${key}` }
  const list = () => app.inject({ method: 'GET', url: '/v1/curricula', headers })
  t.equal((await list()).statusCode, 200)

  await p.down()
  const res = await list()
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.equal(res.headers['retry-after'], '5')
  t.match(res.json(), { type: /\/problems\/unavailable$/, status: 503 })
  const write = await app.inject({ method: 'POST', url: '/v1/curricula', headers, payload: { name: 'X', framework: 'isp', version: '1.1' } })
  t.equal(write.statusCode, 503, 'writes too')
  const gql = await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: '{ curricula { id } }' } })
  t.equal(gql.json().errors?.[0]?.extensions?.code, 'SERVICE_UNAVAILABLE')
  t.equal((await app.inject({ method: 'GET', url: '/v1/frameworks/isp/1.1/competencies/co-learning' })).statusCode, 200, 'the framework API keeps answering')
  const degraded = await app.inject('/health/ready')
  t.equal(degraded.statusCode, 200, 'the instance stays in rotation: it still serves the framework API')
  t.match(degraded.json(), { status: 'degraded', checks: { curricula: 'fail', database: 'pass', content: 'pass' } }, '/health/ready names the curricula store as down')

  await p.up()
  let status = 0
  for (let i = 0; i < 20 && status !== 200; i++) {
    status = (await list()).statusCode
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250))
  }
  t.equal(status, 200, 'the app recovers when the database is back')
  t.match((await app.inject('/health/ready')).json(), { status: 'ok', checks: { curricula: 'pass' } }, 'readiness recovers too')
  t.equal((await app.inject({ method: 'POST', url: '/v1/curricula', headers, payload: { name: 'After', framework: 'isp', version: '1.1' } })).statusCode, 201)
})
