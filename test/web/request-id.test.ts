/** X-Request-Id: kept when safe, generated otherwise, on every response and in every log line. */
import t from 'tap'
import { genReqId } from '../../src/web/request-id.js'
import { buildApp } from '../helpers/app.js'
import { buildAppWithLogs } from '../helpers/logs.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('an incoming id is kept, returned and logged with every line of the request', async (t) => {
  const { app, lines } = await buildAppWithLogs(t)
  const id = 'Trace-42_abc.def:ghi@host/path+x=y~z'
  const response = await app.inject({ url: '/health', headers: { 'x-request-id': id } })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['x-request-id'], id)
  const own = lines.filter((l) => l.requestId === id)
  t.same(own.map((l) => l.msg), ['request completed'])
})

t.test('without one, a UUID is generated, different for each request', async (t) => {
  const app = await buildApp(t)
  const a = (await app.inject('/health')).headers['x-request-id']
  const b = (await app.inject('/health')).headers['x-request-id']
  t.match(a, uuid)
  t.match(b, uuid)
  t.not(a, b)
})

t.test('an unsafe or oversized id is replaced, never echoed', async (t) => {
  const app = await buildApp(t)
  t.equal((await app.inject({ url: '/health', headers: { 'x-request-id': 'a'.repeat(128) } })).headers['x-request-id'], 'a'.repeat(128), '128 characters are fine')
  for (const bad of ['a'.repeat(129), 'has space', 'semi;colon', '<script>', 'quote"d', 'ünïcode', 'a,b', '{"json":1}']) {
    const echoed = (await app.inject({ url: '/health', headers: { 'x-request-id': bad } })).headers['x-request-id']
    t.match(echoed, uuid, JSON.stringify(bad))
  }
  t.match(genReqId({ headers: { 'x-request-id': 'line\nbreak' } }), uuid, 'no log or header injection')
  t.match(genReqId({ headers: {} }), uuid)
})

t.test('errors carry the id too: 404, 400 for a malformed URL, 413', async (t) => {
  const app = await buildApp(t, { env: { BODY_LIMIT: '1024' } })
  const headers = { 'x-request-id': 'err-1' }
  const notFound = await app.inject({ url: '/no/such/thing', headers })
  t.equal(notFound.statusCode, 404)
  t.equal(notFound.headers['x-request-id'], 'err-1')
  const badUrl = await app.inject({ url: '/health/%E0%A4%A', headers })
  t.equal(badUrl.statusCode, 400)
  t.equal(badUrl.headers['x-request-id'], 'err-1')
  const tooLarge = await app.inject({ method: 'POST', url: '/health', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(2000) }) })
  t.equal(tooLarge.statusCode, 413)
  t.equal(tooLarge.headers['x-request-id'], 'err-1')
})
