/** Size and time limits: body, URL, path parameter, handler time, and the server's socket timeouts. */
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { build } from '../../src/app.js'
import { testConfig } from '../helpers/app.js'

interface Teardown { teardown: (fn: () => unknown) => void }

/** The app with one extra route (this test's own), `GET /things/:id` that answers `{ id }`, or waits for its abort signal when id is `wait`. */
async function appWithParamRoute (t: Teardown, env: Record<string, string>) {
  const app = await build({ config: testConfig({ env }) })
  app.get<{ Params: { id: string } }>('/things/:id', async (request) => {
    if (request.params.id === 'wait') await new Promise((resolve) => request.signal.addEventListener('abort', resolve))
    return { id: request.params.id }
  })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

const json = (body: string): { status?: number, statusCode?: number, code?: string } => JSON.parse(body) as { status?: number, statusCode?: number }

t.test('bodies over BODY_LIMIT: 413', async (t) => {
  const app = await appWithParamRoute(t, { BODY_LIMIT: '1024' })
  const post = (size: number) => app.inject({ method: 'POST', url: '/things/x', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(size) }) })
  const big = await post(2000)
  t.equal(big.statusCode, 413)
  t.equal(json(big.body).statusCode ?? json(big.body).status, 413)
  t.equal((await post(900)).statusCode, 404, 'a body within the limit is read (and this route has no POST)')
})

t.test('URLs over URL_MAX_LENGTH: 414, checked before anything else', async (t) => {
  const app = await appWithParamRoute(t, { URL_MAX_LENGTH: '256' })
  const url = (length: number): string => { const base = '/things/x?q='; return base + 'a'.repeat(length - base.length) }
  t.equal((await app.inject(url(256))).statusCode, 200, '256 characters are fine')
  const long = await app.inject({ url: url(257), headers: { 'x-request-id': 'long-url' } })
  t.equal(long.statusCode, 414)
  t.equal(long.headers['x-request-id'], 'long-url')
  t.match(long.body, /257 characters long; at most 256/)
  t.equal((await app.inject('/no-such-route?' + 'a'.repeat(300))).statusCode, 414, 'also where no route matches')
})

t.test('path parameters over PARAM_MAX_LENGTH: 414', async (t) => {
  const app = await appWithParamRoute(t, { PARAM_MAX_LENGTH: '32' })
  t.same((await app.inject('/things/' + 'a'.repeat(32))).json(), { id: 'a'.repeat(32) })
  const long = await app.inject({ url: '/things/' + 'a'.repeat(33), headers: { 'x-request-id': 'long-param' } })
  t.equal(long.statusCode, 414)
  t.equal(long.headers['x-request-id'], 'long-param', 'router errors carry the request id too')
})

t.test('malformed percent-encoding in the path: 400, not a 5xx', async (t) => {
  const app = await appWithParamRoute(t, {})
  for (const url of ['/things/%E0%A4%A', '/things/%', '/things/%zz', '/%c0%af']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.equal(json(response.body).statusCode ?? json(response.body).status, 400)
  }
})

t.test('query strings that are not percent-encoded UTF-8: 400 naming the parameter, wherever the route', async (t) => {
  const app = await appWithParamRoute(t, {})
  for (const [query, part] of [['q=%FF', 'q=%FF'], ['q=trust%C3%28', 'q=trust%C3%28'], ['a=1&q=%zz', 'q=%zz'], ['q=100%', 'q=100%'], ['%E2%82=1', '%E2%82=1'], ['q=%ED%A0%80', 'q=%ED%A0%80'], ['q=%C0%AF', 'q=%C0%AF']]) {
    for (const path of ['/things/x', '/no-such-route']) {
      const response = await app.inject({ url: `${path}?${query}`, headers: { 'x-request-id': 'bad-query' } })
      t.equal(response.statusCode, 400, `${path}?${query}`)
      t.match(response.json(), { status: 400, detail: `not percent-encoded UTF-8 at "${part}"` })
      t.equal(response.headers['x-request-id'], 'bad-query')
    }
  }
  for (const query of ['q=caf%C3%A9', 'q=a+b', 'q=%25zz', 'q=%F0%9F%92%A5', 'q=plain']) {
    t.equal((await app.inject(`/things/x?${query}`)).statusCode, 200, `${query} decodes`)
  }
})

t.test('a request not answered within HANDLER_TIMEOUT: 503', async (t) => {
  const app = await appWithParamRoute(t, { HANDLER_TIMEOUT: '100' })
  const response = await app.inject('/things/wait')
  t.equal(response.statusCode, 503)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json(), { status: 503, detail: /timed out after 100 ms/ })
  t.equal((await app.inject('/things/quick')).statusCode, 200)
})

t.test('HANDLER_TIMEOUT cuts off a response whose headers are already out, over a real connection', async (t) => {
  const app = await build({ config: testConfig({ env: { HANDLER_TIMEOUT: '100' } }) })
  app.get('/half', async (_request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/plain' })
    reply.raw.write('partial')
    await new Promise(() => {})
  })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const outcome = await new Promise<{ status?: number, body: string, complete: boolean }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the response was never cut off')), 10_000)
    get({ host: '127.0.0.1', port, path: '/half' }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d.toString() })
      res.on('close', () => { clearTimeout(timer); resolve({ status: res.statusCode, body, complete: res.complete }) })
    }).on('error', (err) => { clearTimeout(timer); reject(err) })
  })
  t.equal(outcome.status, 200, 'the status already sent stands')
  t.equal(outcome.body, 'partial')
  t.notOk(outcome.complete, 'the response ends cut off, not as if complete')
  t.equal((await app.inject('/health/live')).statusCode, 200, 'the server keeps serving')
})

t.test('the HTTP server gets the configured socket timeouts', async (t) => {
  const app = await appWithParamRoute(t, { REQUEST_TIMEOUT: '12345', KEEP_ALIVE_TIMEOUT: '23456', CONNECTION_TIMEOUT: '34567' })
  t.equal(app.server.requestTimeout, 12345)
  t.equal(app.server.keepAliveTimeout, 23456)
  t.equal(app.server.timeout, 34567)
})

t.test('router errors under a prefix with its own error format (the CASE providers) are answered in that format', async (t) => {
  const app = await build({ config: testConfig() })
  t.teardown(() => app.close())
  for (const [url, status] of [['/ims/case/v1p1/CFItems/%zz', 400], ['/ims/case/v1p0/CFItems/%C3%28?x=1', 400], [`/ims/case/v1p1/CFItems/${'a'.repeat(300)}`, 414]] as const) {
    const response = await app.inject({ url, headers: { 'x-request-id': 'case-router' } })
    t.equal(response.statusCode, status, url)
    t.match(response.json(), { imsx_codeMajor: 'failure', imsx_severity: 'error' }, 'imsx_StatusInfo, not problem+json')
    t.equal(response.headers['x-request-id'], 'case-router')
  }
  const outside = await app.inject('/ims/case/v1p1x/%zz')
  t.match(outside.headers['content-type'], /^application\/problem\+json/, 'a prefix claims only its own paths')
})
