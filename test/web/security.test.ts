/** Security headers, CORS, rate limiting and load shedding. */
import fastifyHelmet from '@fastify/helmet'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { graphiqlPath } from '../../src/graphql/graphiql.js'
import { docsPrefix } from '../../src/web/openapi.js'
import { apiHelmetOptions, helmetOptions, isPageUrl } from '../../src/web/security.js'
import { buildApp, testConfig } from '../helpers/app.js'

/** The directives of a Content-Security-Policy header. */
function csp (header: unknown): Map<string, string[]> {
  return new Map(String(header).split(';').map((d) => d.trim()).filter((d) => d !== '').map((d) => {
    const [name = '', ...values] = d.split(/\s+/)
    return [name, values]
  }))
}

const statusOf = (response: LightMyRequestResponse): number | undefined => {
  const body = response.json<{ status?: number, statusCode?: number }>()
  return body.status ?? body.statusCode
}

/** Headers helmet sets for documents a browser renders, which an API answer has no use for. */
const documentOnly = ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']

t.test('API answers: a policy that allows nothing, HSTS, nosniff, no framing, no document-only headers', async (t) => {
  const app = await buildApp(t)
  for (const url of ['/health', '/v1/frameworks/isp/1.1/competencies/co-learning', '/v1/nowhere', '/graphql?query={__typename}', '/docsx', '/graphiqlx']) {
    const response = await app.inject(url)
    t.same(Object.fromEntries(csp(response.headers['content-security-policy'])), { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] }, `${url}: CSP`)
    t.equal(response.headers['x-content-type-options'], 'nosniff')
    t.equal(response.headers['x-frame-options'], 'DENY')
    t.equal(response.headers['referrer-policy'], 'no-referrer')
    t.equal(response.headers['cross-origin-resource-policy'], 'cross-origin', 'other sites may use the responses')
    t.match(response.headers['strict-transport-security'], /max-age=\d+/)
    t.notOk(response.headers['x-powered-by'])
    for (const name of documentOnly) t.notOk(name in response.headers, `${url}: no ${name}`)
  }
})

t.test('the HTML pages and their assets: a policy for same-origin scripts and styles, and every helmet header', async (t) => {
  const app = await buildApp(t)
  for (const url of ['/docs/', '/docs/static/swagger-ui.css', '/graphiql', '/graphiql/start.js']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 200, url)
    const policy = csp(response.headers['content-security-policy'])
    t.same(policy.get('default-src'), ["'self'"])
    t.same(policy.get('script-src'), ["'self'"], 'scripts only from this origin: no inline, no eval, no CDN')
    t.same(policy.get('script-src-attr'), ["'none'"], 'no inline event handlers')
    t.same(policy.get('object-src'), ["'none'"])
    t.same(policy.get('frame-ancestors'), ["'none'"])
    t.same(policy.get('base-uri'), ["'self'"])
    t.notOk(policy.has('upgrade-insecure-requests'), 'docs keep working over plain http on a private network')
    for (const name of documentOnly) t.ok(name in response.headers, `${url}: ${name}`)
  }
})

t.test('the page and API headers are exactly those @fastify/helmet sets with the same options', async (t) => {
  const app = await buildApp(t)
  for (const [options, urls] of [
    [helmetOptions(testConfig()), ['/docs/', '/graphiql']],
    [apiHelmetOptions(), ['/health', '/v1/frameworks/isp/1.1/competencies/co-learning', '/v1/nowhere', '/graphql?query={__typename}']]
  ] as const) {
    const reference = Fastify()
    t.teardown(() => reference.close())
    await reference.register(fastifyHelmet, options)
    reference.get('/', async () => ({}))
    const expected = Object.entries((await reference.inject('/')).headers)
      .filter(([name]) => !['content-type', 'content-length', 'date', 'connection'].includes(name))
    t.ok(expected.length >= 6, 'helmet sets its headers')
    const helmetNames = new Set(['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-resource-policy', ...documentOnly])
    for (const url of urls) {
      const response = await app.inject(url)
      for (const [name, value] of expected) t.equal(response.headers[name], value, `${url}: ${name}`)
      t.same(Object.keys(response.headers).filter((name) => helmetNames.has(name)).sort(), expected.map(([name]) => name).sort(), `${url}: no other helmet header`)
    }
  }
})

t.test('the docs pages may call the API at PUBLIC_URL', async (t) => {
  const app = await buildApp(t, { env: { PUBLIC_URL: 'https://competencies.example.org/api' } })
  const policy = csp((await app.inject('/docs/')).headers['content-security-policy'])
  t.same(policy.get('connect-src'), ["'self'", 'https://competencies.example.org'])
})

t.test('isPageUrl: the page prefixes and what lies under them, nothing that merely starts alike', async (t) => {
  for (const url of ['/docs', '/docs/', '/docs/static/x.js', '/docs?x=1', '/graphiql', '/graphiql/start.js']) t.ok(isPageUrl(url, [docsPrefix, graphiqlPath]), url)
  for (const url of ['/', '/docsx', '/graphiqlx', '/graphql', '/v1/docs', '/health']) t.notOk(isPageUrl(url, [docsPrefix, graphiqlPath]), url)
})

/** The HTML pages the app serves among the docs pages, following redirects. */
async function htmlPages (app: FastifyInstance): Promise<Array<{ url: string, response: LightMyRequestResponse }>> {
  const pages = []
  for (const start of ['/docs', '/graphiql']) {
    let url = start
    let response = await app.inject(url)
    for (let hops = 0; hops < 3 && response.statusCode >= 300 && response.statusCode < 400; hops++) {
      url = new URL(String(response.headers.location), `http://localhost${url}`).pathname
      response = await app.inject(url)
    }
    if (response.statusCode === 200 && /text\/html/.test(String(response.headers['content-type']))) pages.push({ url, response })
  }
  return pages
}

t.test('the docs pages (Swagger UI, GraphiQL) work under the policy: only same-origin scripts and styles, no inline script', async (t) => {
  const app = await buildApp(t)
  const pages = await htmlPages(app)
  if (pages.length === 0) {
    t.skip('no HTML docs page is registered yet (/docs and /graphiql come with the REST and GraphQL work)', async () => {})
    return
  }
  for (const { url, response } of pages) {
    const policy = csp(response.headers['content-security-policy'])
    const scripts = policy.get('script-src') ?? policy.get('default-src') ?? []
    t.notOk(scripts.some((s) => ["'unsafe-inline'", "'unsafe-eval'", '*'].includes(s) || /^https?:/.test(s)), `${url}: the page's script-src stays strict`)
    const html = response.body
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
      const src = /\ssrc=["']([^"']+)["']/.exec(tag)?.[1]
      t.ok(src, `${url}: no inline script (${tag.slice(0, 60)})`)
      if (src !== undefined) t.equal(await assetProblem(app, url, src), null, `${url}: ${src} is served from this origin`)
    }
    for (const tag of html.match(/<link\b[^>]*rel=["']stylesheet["'][^>]*>/gi) ?? []) {
      const href = /\shref=["']([^"']+)["']/.exec(tag)?.[1]
      if (href !== undefined) t.equal(await assetProblem(app, url, href), null, `${url}: ${href} is served from this origin`)
    }
    t.notMatch(html, /\son[a-z]+=["']/i, `${url}: no inline event handlers`)
  }
})

/** Why a page's script or stylesheet reference would break under the policy, or null when it is fine. */
async function assetProblem (app: FastifyInstance, page: string, ref: string): Promise<string | null> {
  const resolved = new URL(ref, `http://localhost${page}`)
  if (resolved.origin !== 'http://localhost') return `${ref} is not from this origin`
  const status = (await app.inject(resolved.pathname + resolved.search)).statusCode
  return status === 200 ? null : `${ref} answers ${status}`
}

t.test('CORS: open to any origin by default, for reading; the API headers are exposed', async (t) => {
  const app = await buildApp(t)
  const response = await app.inject({ url: '/health', headers: { origin: 'https://lms.example.edu' } })
  t.equal(response.headers['access-control-allow-origin'], '*')
  t.notOk(response.headers['access-control-allow-credentials'])
  const exposed = String(response.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/)
  for (const header of ['etag', 'link', 'content-location', 'x-request-id', 'content-digest', 'x-total-count', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
    t.ok(exposed.includes(header), `${header} is readable cross-origin`)
  }

  const preflight = (method: string) => app.inject({ method: 'OPTIONS', url: '/health', headers: { origin: 'https://lms.example.edu', 'access-control-request-method': method } })
  const get = await preflight('GET')
  t.equal(get.statusCode, 204)
  const allowed = String(get.headers['access-control-allow-methods']).split(/,\s*/)
  t.same(allowed, ['GET', 'HEAD', 'OPTIONS'], 'only the methods the path accepts')
  t.equal(get.headers.allow, 'GET, HEAD, OPTIONS')
  t.equal(get.headers['access-control-max-age'], '86400')
  t.notOk(String((await preflight('DELETE')).headers['access-control-allow-methods']).includes('DELETE'), 'no writes cross-origin')
})

t.test('CORS_ORIGIN lists the origins allowed; others get no CORS headers', async (t) => {
  const app = await buildApp(t, { env: { CORS_ORIGIN: 'https://lms.example.edu,http://localhost:5173' } })
  const from = (origin: string) => app.inject({ url: '/health', headers: { origin } })
  const allowed = await from('http://localhost:5173')
  t.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:5173')
  t.match(allowed.headers.vary, /Origin/i, 'caches keep the answers per origin apart')
  t.notOk((await from('https://evil.example')).headers['access-control-allow-origin'])
})

t.test('CORS_ORIGIN=false: no CORS headers at all', async (t) => {
  const app = await buildApp(t, { env: { CORS_ORIGIN: 'false' } })
  const response = await app.inject({ url: '/health', headers: { origin: 'https://lms.example.edu' } })
  t.equal(response.statusCode, 200)
  t.notOk(response.headers['access-control-allow-origin'])
})

t.test('rate limiting: headers on every response, then 429 with Retry-After, per client IP; probes exempt', async (t) => {
  const app = await buildApp(t, { env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60000' } })
  const from = (remoteAddress: string, url = '/health') => app.inject({ url, remoteAddress, headers: { origin: 'https://lms.example.edu', 'x-request-id': 'rl' } })
  for (const remaining of ['2', '1', '0']) {
    const ok = await from('10.0.0.1')
    t.equal(ok.statusCode, 200)
    t.equal(ok.headers['x-ratelimit-limit'], '3')
    t.equal(ok.headers['x-ratelimit-remaining'], remaining)
    t.match(ok.headers['x-ratelimit-reset'], /^\d+$/)
  }
  const limited = await from('10.0.0.1')
  t.equal(limited.statusCode, 429)
  t.match(limited.headers['retry-after'], /^[1-9]\d*$/, 'Retry-After in seconds')
  t.equal(limited.headers['x-ratelimit-remaining'], '0')
  t.equal(limited.headers['x-request-id'], 'rl')
  t.equal(limited.headers['access-control-allow-origin'], '*', 'a browser client can read the 429')
  t.equal(statusOf(limited), 429)
  t.match(limited.body, /Rate limit exceeded \(3 requests per 60 s\); retry in/)

  t.equal((await from('10.0.0.2')).statusCode, 200, 'another client has its own budget')
  for (let i = 0; i < 5; i++) {
    t.equal((await from('10.0.0.1', '/health/live')).statusCode, 200, 'liveness is never rate-limited')
    t.equal((await from('10.0.0.1', '/health/ready')).statusCode, 200, 'readiness is never rate-limited')
  }
})

t.test('rate limiting counts and limits responses served from the REST and GraphQL caches too', async (t) => {
  const app = await buildApp(t, { env: { RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW: '60000' } })
  const cases = [
    { url: '/v1/frameworks/isp/1.1/competencies/co-learning', client: '10.1.0.1', code: (body: any) => body.status },
    { url: '/graphql?query={__typename}', client: '10.1.0.2', code: (body: any) => body.errors?.[0]?.extensions?.code }
  ]
  for (const { url, client, code } of cases) {
    for (const remaining of ['3', '2', '1', '0']) {
      const ok = await app.inject({ url, remoteAddress: client })
      t.equal(ok.statusCode, 200, `${url}: answered`)
      t.equal(ok.headers['x-ratelimit-remaining'], remaining, `${url}: counted, the cached answers too`)
    }
    const limited = await app.inject({ url, remoteAddress: client })
    t.equal(limited.statusCode, 429, `${url}: limited though the answer is cached`)
    t.match(limited.headers['retry-after'], /^[1-9]\d*$/, `${url}: Retry-After`)
    t.match(code(limited.json()), url.startsWith('/graphql') ? 'RATE_LIMITED' : 429, `${url}: the error says so`)
  }
})

t.test('TRUST_PROXY decides whether X-Forwarded-For names the client', async (t) => {
  const spoofing = async (trust: string): Promise<number[]> => {
    const app = await buildApp(t, { env: { RATE_LIMIT_MAX: '1', TRUST_PROXY: trust } })
    const statuses = []
    for (const client of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      statuses.push((await app.inject({ url: '/health', remoteAddress: '10.0.0.9', headers: { 'x-forwarded-for': client } })).statusCode)
    }
    return statuses
  }
  t.same(await spoofing('false'), [200, 429, 429], 'untrusted: one budget for the connection, whatever the header says')
  t.same(await spoofing('10.0.0.0/8'), [200, 200, 200], 'behind a trusted proxy: one budget per forwarded client')
  t.same(await spoofing('true'), [200, 200, 200], 'true believes any sender')
  t.same(await spoofing('192.168.0.0/16'), [200, 429, 429], 'a proxy outside the trusted range is not believed')
})

t.test('under pressure: 503 with Retry-After; liveness still answers, readiness reports it', async (t) => {
  // A heap limit of one byte is always exceeded: the first load sample puts the app under pressure.
  const app = await buildApp(t, { env: { PRESSURE_MAX_HEAP_BYTES: '1', PRESSURE_SAMPLE_INTERVAL: '10', PRESSURE_RETRY_AFTER: '7' } })
  for (let i = 0; i < 1000 && !app.isUnderPressure(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  t.ok(app.isUnderPressure(), 'the app notices the pressure')

  const shed = await app.inject({ url: '/health', headers: { 'x-request-id': 'shed' } })
  t.equal(shed.statusCode, 503)
  t.equal(shed.headers['retry-after'], '7')
  t.equal(shed.headers['x-request-id'], 'shed')
  t.equal(statusOf(shed), 503)

  const live = await app.inject('/health/live')
  t.equal(live.statusCode, 200, 'the process is alive; do not restart it for being busy')
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 503)
  t.equal(ready.headers['retry-after'], '7')
  t.match(ready.json(), { status: 'unavailable', checks: { load: 'fail', database: 'pass', content: 'pass', shutdown: 'pass' } })
})

t.test('unknown routes and malformed URLs count against the same rate limit (a scanner is limited too)', async (t) => {
  const app = await buildApp(t, { env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '60000' } })
  const from = (url: string, remoteAddress = '10.0.0.7') => app.inject({ url, remoteAddress })
  for (const [url, remaining] of [['/wp-admin/setup.php', '2'], ['/.env', '1'], ['/v1/frameworks/%zz', '0']] as const) {
    const res = await from(url)
    t.equal(res.statusCode, url.includes('%zz') ? 400 : 404, url)
    t.equal(res.headers['x-ratelimit-remaining'], remaining, `${url} counts`)
  }
  for (const url of ['/.git/config', '/v1/frameworks/%zz', '/health', '/v1/frameworks/isp']) {
    const limited = await from(url)
    t.equal(limited.statusCode, 429, `${url}: the scanner's budget is spent, routes included`)
    t.match(limited.headers['retry-after'], /^[1-9]\d*$/)
    t.match(limited.headers['content-type'], /^application\/problem\+json/)
    t.equal(statusOf(limited), 429)
  }
  const caseLimited = await from('/ims/case/v1p1/CFNothing')
  t.equal(caseLimited.statusCode, 429)
  t.match(caseLimited.json(), { imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldValue: 'server_busy' }] } }, 'under the CASE prefix, as imsx_StatusInfo')
  const caseRouter = await from('/ims/case/v1p1/CFItems/%zz')
  t.equal(caseRouter.statusCode, 429)
  t.equal(caseRouter.json().imsx_codeMajor, 'failure')
  t.equal((await from('/.env', '10.0.0.8')).statusCode, 404, 'another client has its own budget')
  t.equal((await from('/health/ready')).statusCode, 200, 'probes stay exempt')
})
