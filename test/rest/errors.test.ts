/** Every 4xx path answers application/problem+json naming what is wrong; a 5xx hides its cause. */
import t, { type Test } from 'tap'
import { build } from '../../src/app.js'
import { buildApp, testConfig } from '../helpers/app.js'
import { contract, validateComponent } from '../helpers/contract.js'

const BASE = 'http://localhost:3000'
const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)
const at = '/v1/frameworks/isp/1.1'

interface Expect { status: number, type: string, detail: RegExp, error?: { in: string, name: string, allowed?: string[] } }

async function problem (t: Test, url: string, expect: Expect, headers: Record<string, string> = {}, method: 'GET' | 'POST' | 'DELETE' = 'GET') {
  const res = await inject({ method, url, headers })
  t.equal(res.statusCode, expect.status, `${url}: ${expect.status}`)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const body = res.json()
  t.same(validateComponent('Problem', body), [], 'a valid problem')
  t.equal(body.status, expect.status)
  t.equal(body.type, expect.type === 'about:blank' ? 'about:blank' : `${BASE}/problems/${expect.type}`)
  t.equal(body.instance, url)
  t.match(body.detail, expect.detail)
  t.notMatch(res.body, /\bat .+\.(ts|js):\d+/, 'no stack trace')
  if (expect.error !== undefined) {
    t.match(body.errors?.[0], expect.error)
    if (expect.error.allowed !== undefined) t.same(body.errors[0].allowed, expect.error.allowed)
  }
  return body
}

const listParams = ['limit', 'offset', 'q', 'domain', 'fields', 'include', 'sort', 'id', 'format', 'profile']

t.test('404s name what was not found', async (t) => {
  await problem(t, '/v1/nowhere', { status: 404, type: 'not-found', detail: /No route matches GET \/v1\/nowhere/ })
  await problem(t, '/nowhere', { status: 404, type: 'not-found', detail: /No route/ })
  await problem(t, '/v1/frameworks/nope', { status: 404, type: 'not-found', detail: /no framework "nope"/, error: { in: 'path', name: 'framework', allowed: ['isp'] } })
  await problem(t, '/v1/frameworks/nope/1.1/competencies', { status: 404, type: 'not-found', detail: /no framework "nope"/ })
  await problem(t, '/v1/frameworks/isp/9.9', { status: 404, type: 'not-found', detail: /has no version "9\.9"/, error: { in: 'path', name: 'version', allowed: ['1.2', '1.1', 'latest'] } })
  const kinds: Array<[string, string]> = [
    ['principles', 'principle'], ['domains', 'domain'], ['competencies', 'competency'], ['activities', 'activity'], ['hints', 'hint'],
    ['definitions', 'definition'], ['questions', 'question'], ['dilemmas', 'dilemma'], ['resources', 'resource']
  ]
  for (const [collection, kind] of kinds) {
    await problem(t, `${at}/${collection}/no-such-thing`, { status: 404, type: 'not-found', detail: new RegExp(`no ${kind} "no-such-thing" in isp 1\\.1`), error: { in: 'path', name: 'id' } })
  }
  await problem(t, `${at}/competencies/no-such-thing/activities`, { status: 404, type: 'not-found', detail: /no competency "no-such-thing"/ })
  await problem(t, '/v1/frameworks/isp/1.2/activities/brokering-a7', { status: 404, type: 'not-found', detail: /no activity "brokering-a7" in isp 1\.2/ })
  await problem(t, '/v1/frameworks/isp/1.2/changes?from=0.9', { status: 404, type: 'not-found', detail: /no version "0\.9"/, error: { in: 'query', name: 'from' } })
  await problem(t, '/v1/search?q=trust&version=7', { status: 404, type: 'not-found', detail: /no version "7"/, error: { in: 'query', name: 'version' } })
  await problem(t, '/v1/search?q=trust&framework=other', { status: 404, type: 'not-found', detail: /no framework "other"/, error: { in: 'query', name: 'framework' } })
})

t.test('unknown query parameters are a 400 naming the parameter and the allowed ones', async (t) => {
  await problem(t, `${at}/competencies?limt=5`, { status: 400, type: 'unknown-parameter', detail: /Unknown query parameter "limt"/, error: { in: 'query', name: 'limt', allowed: listParams } })
  await problem(t, `${at}/competencies/co-learning?include=hint`, { status: 400, type: 'unknown-parameter', detail: /"include"/, error: { in: 'query', name: 'include', allowed: ['format', 'profile'] } })
  await problem(t, '/v1?x=1', { status: 400, type: 'unknown-parameter', detail: /"x"/ })
  await problem(t, '/v1/search?q=a&sort=code', { status: 400, type: 'unknown-parameter', detail: /"sort"/ })
})

t.test('bad values are a 400 naming the parameter and what is allowed', async (t) => {
  await problem(t, `${at}/competencies?limit=0`, { status: 400, type: 'invalid-parameter', detail: /"limit": must be >= 1/, error: { in: 'query', name: 'limit' } })
  await problem(t, `${at}/competencies?limit=101`, { status: 400, type: 'invalid-parameter', detail: /"limit": must be <= 100/ })
  await problem(t, `${at}/competencies?limit=ten`, { status: 400, type: 'invalid-parameter', detail: /"limit": must be an integer/ })
  await problem(t, `${at}/competencies?offset=-1`, { status: 400, type: 'invalid-parameter', detail: /"offset"/ })
  await problem(t, `${at}/competencies?limit=1&limit=2`, { status: 400, type: 'invalid-parameter', detail: /"limit": must be given once/ })
  await problem(t, `${at}/competencies?sort=size`, { status: 400, type: 'invalid-parameter', detail: /"sort": must be one of: code, -code, name, -name/, error: { in: 'query', name: 'sort', allowed: ['code', '-code', 'name', '-name'] } })
  await problem(t, `${at}/activities?sort=name`, { status: 400, type: 'invalid-parameter', detail: /"sort"/, error: { in: 'query', name: 'sort', allowed: ['code', '-code'] } })
  await problem(t, `${at}/competencies?fields=name,colour`, {
    status: 400,
    type: 'invalid-parameter',
    detail: /"fields": "colour" not allowed/,
    error: { in: 'query', name: 'fields', allowed: ['type', 'id', 'code', 'uuid', 'framework', 'version', 'uri', 'href', 'position', 'name', 'domain', 'overview', 'overviewMarkdown'] }
  })
  await problem(t, `${at}/competencies?fields=`, { status: 400, type: 'invalid-parameter', detail: /"fields"/ })
  await problem(t, `${at}/competencies?include=activities,domain`, { status: 400, type: 'invalid-parameter', detail: /"include": "domain" not allowed/, error: { in: 'query', name: 'include', allowed: ['activities', 'hint'] } })
  await problem(t, `${at}/competencies?domain=Sustaining`, { status: 400, type: 'invalid-parameter', detail: /"domain": must be a lowercase slug/ })
  await problem(t, `${at}/competencies?domain=nowhere`, {
    status: 400, type: 'invalid-parameter', detail: /"domain": no domain "nowhere" in isp 1\.1/, error: { in: 'query', name: 'domain', allowed: ['co-creation-and-engagement', 'ongoing-improvement', 'sustaining-change'] }
  })
  await problem(t, `${at}/activities?competency=nobody`, { status: 400, type: 'invalid-parameter', detail: /no competency "nobody"/, error: { in: 'query', name: 'competency' } })
  await problem(t, `${at}/competencies?q=`, { status: 400, type: 'invalid-parameter', detail: /"q"/ })
  await problem(t, `${at}/competencies?format=xml`, { status: 400, type: 'invalid-parameter', detail: /"format": must be one of: json, jsonld/, error: { in: 'query', name: 'format', allowed: ['json', 'jsonld'] } })
  await problem(t, '/v1/frameworks/isp/v1', { status: 400, type: 'invalid-parameter', detail: /path parameter "version": must be a version number/, error: { in: 'path', name: 'version' } })
  await problem(t, `${at}/competencies/Co-Learning`, { status: 400, type: 'invalid-parameter', detail: /path parameter "id": must be a lowercase slug/, error: { in: 'path', name: 'id' } })
  await problem(t, '/v1/frameworks/isp/1.2/changes', { status: 400, type: 'invalid-parameter', detail: /"from": is required/, error: { in: 'query', name: 'from' } })
  await problem(t, '/v1/search', { status: 400, type: 'invalid-parameter', detail: /"q": is required/ })
  await problem(t, '/v1/search?q=trust&type=activity,thing', { status: 400, type: 'invalid-parameter', detail: /"type": "thing" not allowed/, error: { in: 'query', name: 'type' } })
  await problem(t, '/v1/search?q=trust&domain=nowhere', { status: 400, type: 'invalid-parameter', detail: /no domain "nowhere"/ })
  // Each pattern is explained as what it is: a version in the query, a UUID (these were "a lowercase slug").
  await problem(t, '/v1/frameworks/isp/1.2/changes?from=1.1.', { status: 400, type: 'invalid-parameter', detail: /query parameter "from": must be a version number/, error: { in: 'query', name: 'from' } })
  await problem(t, '/v1/search?q=trust&version=v1', { status: 400, type: 'invalid-parameter', detail: /query parameter "version": must be a version number/ })
  const uuid = await app.inject('/uri/co-learning')
  t.equal(uuid.statusCode, 400)
  t.match(uuid.json(), { detail: /path parameter "uuid": must be a UUID/, errors: [{ in: 'path', name: 'uuid' }] })
})

t.test('FTS syntax errors are a 400 that explains them', async (t) => {
  for (const q of ['"unbalanced', 'trust AND', 'NOT', '(trust', 'trust OR OR team']) {
    const body = await problem(t, `/v1/search?q=${encodeURIComponent(q)}`, { status: 400, type: 'search-syntax', detail: /search query in "q" is not valid/, error: { in: 'query', name: 'q' } })
    t.ok(body.errors[0].message.length > 0, `${q}: says why`)
  }
  await problem(t, `${at}/activities?q=${encodeURIComponent('"x')}`, { status: 400, type: 'search-syntax', detail: /not valid/ })
})

t.test('an Accept the route cannot serve is a 406 listing what it offers', async (t) => {
  for (const accept of ['text/html', 'application/xml', 'application/json;q=0', 'image/*']) {
    await problem(t, `${at}/competencies/co-learning`, { status: 406, type: 'not-acceptable', detail: /available as application\/json, application\/ld\+json/, error: { in: 'header', name: 'Accept', allowed: ['application/json', 'application/ld+json'] } }, { accept })
  }
  for (const accept of ['application/json', '*/*', 'application/*', 'text/html, */*;q=0.1', 'application/json; charset=utf-8']) {
    const res = await inject({ url: `${at}/competencies/co-learning`, headers: { accept } })
    t.equal(res.statusCode, 200, `Accept: ${accept}`)
  }
  const format = await inject({ url: `${at}/competencies/co-learning?format=json`, headers: { accept: 'text/html' } })
  t.equal(format.statusCode, 200, '?format= wins over Accept')
})

t.test('other methods are a 405', async (t) => {
  const body = await problem(t, `${at}/competencies`, { status: 405, type: 'method-not-allowed', detail: /read-only/ }, {}, 'POST')
  t.equal(body.title, 'Method Not Allowed')
  const res = await app.inject({ method: 'DELETE', url: `${at}/competencies/co-learning` })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD, OPTIONS')
})

t.test('problem types are documented where their URI points', async (t) => {
  const res = await inject('/problems/not-found')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { type: `${BASE}/problems/not-found`, title: 'Not Found', status: 404, description: res.json().description })
  await problem(t, '/problems/nonsense', { status: 400, type: 'invalid-parameter', detail: /"slug"/ })
})

t.test('a 5xx hides its cause and is logged', async (t) => {
  const logged: string[] = []
  const stream = { write: (line: string) => { logged.push(line) } }
  const failing = await build({ config: testConfig(), logger: { level: 'error', stream } })
  failing.get('/boom', async () => { throw new Error('secret database path /var/lib/x') })
  t.teardown(() => failing.close())
  const res = await failing.inject('/boom')
  t.equal(res.statusCode, 500)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.same(validateComponent('Problem', res.json()), [])
  t.equal(res.json().type, 'about:blank')
  t.equal(res.json().title, 'Internal Server Error')
  t.notMatch(res.body, /secret|var\/lib|at .*\.ts/)
  t.match(logged.join(''), /secret database path/)
})

t.test('Fastify\'s own 4xx errors become problems too, never a 5xx', async (t) => {
  const tooLong = await inject(`/v1/search?q=${'a'.repeat(501)}`)
  t.equal(tooLong.statusCode, 400)
  t.match(tooLong.json().detail, /"q": must NOT have more than 500 characters/)
  const badJson = await app.inject({ method: 'POST', url: '/v1/frameworks', headers: { 'content-type': 'application/json' }, payload: '{' })
  t.equal(badJson.statusCode, 400)
  t.match(badJson.headers['content-type'], /^application\/problem\+json/)
  t.equal(badJson.json().type, 'about:blank')
  t.equal(badJson.json().title, 'Bad Request')
  const badType = await app.inject({ method: 'POST', url: '/v1/frameworks', headers: { 'content-type': 'application/x-nonsense' }, payload: 'x' })
  t.equal(badType.statusCode, 415)
  t.same(validateComponent('Problem', badType.json()), [])
})
