/** Admission of uncached GraphQL queries: one at a time, a bounded queue, a 503 beyond it, turns given back on every path. */
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
