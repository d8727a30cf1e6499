/** Logs: what a request line holds, what never appears, when output is human-readable. */
import t from 'tap'
import { Writable } from 'node:stream'
import pino from 'pino'
import { AccessLog, activeRedactPaths, loggerOptions, prettyLogs, redactPaths, serializers, withLogDefaults } from '../../src/web/logging.js'
import { testConfig } from '../helpers/app.js'
import { buildAppWithLogs } from '../helpers/logs.js'

t.test('a request is one line at info: method, URL, host, client IP, user agent, status and time', async (t) => {
  const { app, lines } = await buildAppWithLogs(t)
  await app.inject({ url: '/health?x=1', headers: { 'x-request-id': 'log-1', 'user-agent': 'tester/1.0' } })
  const own = lines.filter((l) => l.requestId === 'log-1')
  t.same(own.map((l) => l.msg), ['request completed'])
  t.same(own[0]?.req, { method: 'GET', url: '/health?x=1', host: 'localhost:80', remoteAddress: '127.0.0.1', userAgent: 'tester/1.0' })
  t.same(own[0]?.res, { statusCode: 200 })
  t.type(own[0]?.responseTime, 'number')
  t.equal(own[0]?.level, 30)
})

t.test('at debug, an incoming request is logged too, before its answer', async (t) => {
  const { app, lines } = await buildAppWithLogs(t, {}, 'debug')
  await app.inject({ url: '/health', headers: { 'x-request-id': 'log-2' } })
  const own = lines.filter((l) => l.requestId === 'log-2')
  t.same(own.map((l) => [l.msg, l.level]), [['incoming request', 20], ['request completed', 30]])
  t.same(own[0]?.req, own[1]?.req)
})

t.test('a request that fails is logged at error with the error', async (t) => {
  const { app, lines } = await buildAppWithLogs(t)
  const accessLog = new AccessLog()
  const request = { log: app.log.child({ requestId: 'log-3' }), method: 'GET', url: '/x', host: 'h', ip: '127.0.0.1', headers: {} }
  const reply = { log: request.log, statusCode: 500, elapsedTime: 1.5 }
  accessLog.requestCompleted(new Error('socket hang up'), request as never, reply as never)
  const line = lines.find((l) => l.requestId === 'log-3')
  t.equal(line?.msg, 'request errored')
  t.equal(line?.level, 50)
  t.match(line?.err, { message: 'socket hang up' })
  t.same(line?.res, { statusCode: 500 })
})

t.test('bodies, credentials and cookies never reach the logs', async (t) => {
  const { app, lines } = await buildAppWithLogs(t, {}, 'debug')
  await app.inject({
    method: 'POST',
    url: '/health',
    headers: { authorization: 'Bearer top-secret-token', cookie: 'session=cookie-secret', 'proxy-authorization': 'Basic proxy-secret', 'content-type': 'application/json' },
    payload: JSON.stringify({ password: 'body-secret' })
  })
  await app.inject({ method: 'POST', url: '/health', headers: { 'content-type': 'application/json' }, payload: '{"broken": "body-secret' })
  app.log.info({ headers: { authorization: 'Bearer logged-on-purpose', cookie: 'c=also-on-purpose' } }, 'a plugin logging headers')
  const text = JSON.stringify(lines)
  t.ok(lines.length >= 5, 'requests were logged')
  for (const secret of ['top-secret-token', 'cookie-secret', 'proxy-secret', 'body-secret', 'logged-on-purpose', 'also-on-purpose']) {
    t.notMatch(text, secret, `${secret} is not logged`)
  }
  t.match(lines.find((l) => l.msg === 'a plugin logging headers'), { headers: { authorization: '[redacted]', cookie: '[redacted]' } })
})

t.test('probes stay out of the info logs; other routes do not', async (t) => {
  const { app, lines } = await buildAppWithLogs(t)
  await app.inject({ url: '/health/live', headers: { 'x-request-id': 'probe-live' } })
  await app.inject({ url: '/health/ready', headers: { 'x-request-id': 'probe-ready' } })
  await app.inject({ url: '/health', headers: { 'x-request-id': 'not-a-probe' } })
  t.notOk(lines.some((l) => l.requestId === 'probe-live' || l.requestId === 'probe-ready'))
  t.ok(lines.some((l) => l.requestId === 'not-a-probe'))
})

t.test('human-readable output only when asked or on a terminal', async (t) => {
  t.equal(prettyLogs('auto', true), true)
  t.equal(prettyLogs('auto', false), false)
  t.equal(prettyLogs('json', true), false)
  t.equal(prettyLogs('pretty', false), true)
  const target = (format: string, tty: boolean): unknown =>
    (loggerOptions(testConfig({ env: { LOG_FORMAT: format, LOG_LEVEL: 'debug' } }), tty) as { transport?: { target: string } }).transport?.target
  t.equal(target('auto', true), 'pino-pretty')
  t.equal(target('auto', false), undefined, 'JSON to a pipe or file')
  t.equal(target('json', true), undefined)
  t.equal(loggerOptions(testConfig({ env: { LOG_LEVEL: 'debug' } }), false).level, 'debug')
})

t.test('logger options keep their own settings and gain serializers and redaction', async (t) => {
  t.equal(withLogDefaults(false), false)
  t.equal(withLogDefaults(undefined), false)
  const custom = (err: Error) => ({ type: err.name, message: err.message, stack: '' })
  const merged = withLogDefaults({ level: 'warn', serializers: { err: custom } }) as { level: string, serializers: Record<string, unknown>, redact: unknown }
  t.equal(merged.level, 'warn')
  t.equal(merged.serializers.err, custom)
  t.equal(merged.serializers.req, serializers.req)
  t.ok(merged.redact)
  t.ok((withLogDefaults(true) as { redact?: unknown }).redact)
})

t.test('req and res are redacted only when a serializer of their own could keep headers', async (t) => {
  t.same(activeRedactPaths(), redactPaths.filter((p) => !p.startsWith('req.') && !p.startsWith('res.')), 'our serializers keep no headers: nothing to redact under req or res')
  t.same(activeRedactPaths({ req: () => ({}), res: () => ({}) }), redactPaths)
  const logged = (options: object): Record<string, unknown> => {
    let text = ''
    const sink = new Writable({ write (chunk: Buffer, _encoding, done) { text += chunk.toString(); done() } })
    const log = pino(withLogDefaults(options) as pino.LoggerOptions, sink)
    const headers = { authorization: 'Bearer secret-a', cookie: 'c=secret-b' }
    log.info({ req: { method: 'GET', url: '/', headers }, res: { statusCode: 200, headers: { 'set-cookie': 'secret-c' } } }, 'line')
    return JSON.parse(text) as Record<string, unknown>
  }
  const own = logged({ serializers: { req: (r: object) => r, res: (r: object) => r } })
  t.notMatch(JSON.stringify(own), /secret-/, 'own serializers that keep headers: still censored')
  t.match(own, { req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } }, res: { headers: { 'set-cookie': '[redacted]' } } })
  const ours = logged({})
  t.notMatch(JSON.stringify(ours), /secret-/, 'our serializers drop the headers')
  t.same(ours.req, { method: 'GET', url: '/' }, 'JSON leaves out what a plain object lacks')
})
