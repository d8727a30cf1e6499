/** Admission of uncached GraphQL queries: one at a time, a bounded queue, a 503 beyond it, turns given back on every path. */
import { connect, type AddressInfo, type Socket } from 'node:net'
import t from 'tap'
import Fastify from 'fastify'
import { Admission } from '../../src/graphql/admission.js'
import { buildApp } from '../helpers/app.js'

t.test('runs one at a time, queues the next, refuses past the queue with 503 and Retry-After', async (t) => {
  const admission = new Admission({ concurrency: 1, queue: 1 })
  const app = Fastify()
  const hooks = admission.hooks()
  let active = 0
  let most = 0
  app.post('/run', { preHandler: hooks.preHandler, onSend: hooks.onSend }, async () => {
    active++
    most = Math.max(most, active)
    await new Promise((resolve) => setTimeout(resolve, 100))
    active--
    return { ok: true }
  })
  t.teardown(() => app.close())
  const [a, b, c] = await Promise.all([app.inject({ method: 'POST', url: '/run' }), app.inject({ method: 'POST', url: '/run' }), app.inject({ method: 'POST', url: '/run' })])
  t.same([a.statusCode, b.statusCode, c.statusCode].sort(), [200, 200, 503], 'two ran, the third found the queue full')
  t.equal([a, b, c].find((r) => r.statusCode === 503)?.headers['retry-after'], '1')
  t.equal(most, 1, 'never two at once')
  t.same(admission.stats(), { running: 0, waiting: 0, refused: 1 }, 'every turn given back')
  t.equal((await app.inject({ method: 'POST', url: '/run' })).statusCode, 200, 'and the next one runs')
})

t.test('in the app: concurrent queries all answer, through the queue', async (t) => {
  const app = await buildApp(t)
  const queries = Array.from({ length: 5 }, (_, i) => app.inject({ method: 'POST', url: '/graphql', payload: { query: `{ frameworks { id } } # ${i}` } }))
  for (const res of await Promise.all(queries)) t.equal(res.statusCode, 200)
})

t.test('queries that arrive together run one per turn of the event loop: a cheap request sent with them is not kept waiting', async (t) => {
  const admission = new Admission()
  const app = Fastify()
  const hooks = admission.hooks()
  // The order in which the server answers, as it answers.
  const order: string[] = []
  // A query is synchronous work from the socket read that brought it: 20 ms of it here.
  app.post('/run', { preHandler: hooks.preHandler, onSend: hooks.onSend }, async () => {
    const until = performance.now() + 20
    while (performance.now() < until) { /* busy */ }
    order.push('run')
    return { ok: true }
  })
  app.get('/live', async () => {
    order.push('live')
    return { ok: true }
  })
  let accepted = 0
  app.server.on('connection', () => { accepted++ })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const { port } = app.server.address() as AddressInfo
  const sockets = await Promise.all(Array.from({ length: 7 }, () => new Promise<Socket>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })))
  while (accepted < 7) await new Promise((resolve) => setTimeout(resolve, 5))
  const answered = sockets.map((socket) => new Promise<void>((resolve) => {
    let seen = ''
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (seen.includes('{"ok":true}')) {
        socket.destroy()
        resolve()
      }
    })
  }))
  // Six queries and then the cheap request, all written before the server reads any of them.
  for (const socket of sockets.slice(0, 6)) socket.write('POST /run HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n')
  sockets[6]!.write('GET /live HTTP/1.1\r\nHost: x\r\n\r\n')
  await Promise.all(answered)
  t.equal(order.length, 7)
  t.ok(order.indexOf('live') <= 1, `the cheap request is answered before the queue of queries is worked through (${order.join(', ')})`)
})
