/**
 * REST, CASE and resolver abuse in the production configuration: huge paging values, very long
 * and hostile search text (FTS syntax and SQL-looking strings), path traversal in ids, invalid
 * UTF-8 and bad percent-encoding in paths and query strings, and oversized headers. Each is
 * answered with the right status in the right error shape (problem+json; imsx_StatusInfo under the
 * CASE prefix), nothing internal shows, and the service is ready afterwards.
 */
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { buildApp } from '../helpers/app.js'
import { document, resolved, validate } from '../helpers/contract.js'
import { healthy, leaks, problemViolations } from '../helpers/fuzz.js'

const app = await buildApp(t, { fixtures: true, env: { NODE_ENV: 'production' } })
const at = '/v1/frameworks/isp/1.1'

/** A REST refusal: status, problem+json valid against openapi.yaml, the problem type and the parameter it names. */
async function problem (t: Test, url: string, status: number, expect: { type?: string, name?: string, detail?: RegExp } = {}, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const res = await app.inject({ url, headers })
  t.equal(res.statusCode, status, `${url.slice(0, 120)}: ${status}`)
  t.same(problemViolations(res), [], `${url.slice(0, 120)}: a clean problem`)
  const body = res.json<{ type: string, detail: string, errors?: Array<{ name: string }> }>()
  if (expect.type !== undefined) t.equal(body.type, `http://localhost:3000/problems/${expect.type}`)
  if (expect.name !== undefined) t.equal(body.errors?.[0]?.name, expect.name, `names ${expect.name}`)
  if (expect.detail !== undefined) t.match(body.detail, expect.detail)
  return res
}

/** The documented imsx_StatusInfo of a CASE version (`v1p0`, `v1p1`): the code minors differ. */
const statusInfoSchema = (segment: string) => resolved(document.paths[`/ims/case/${segment}/CFItems/{sourcedId}`]!.get!.responses!['400']!).content!['application/json']!.schema!

/** A CASE refusal: status, an imsx_StatusInfo valid against openapi.yaml, its code minor. */
async function caseRefusal (t: Test, url: string, status: number, minor: string): Promise<void> {
  const res = await app.inject(url)
  t.equal(res.statusCode, status, `${url}: ${status}`)
  const body = res.json<{ imsx_codeMinor?: { imsx_codeMinorField: Array<{ imsx_codeMinorFieldValue: string }> } }>()
  t.same(validate(statusInfoSchema(url.split('/')[3]!), body), [], `${url}: imsx_StatusInfo`)
  t.equal(body.imsx_codeMinor?.imsx_codeMinorField[0]?.imsx_codeMinorFieldValue, minor)
  t.same(leaks(res.body), [])
}

t.test('huge limit and offset values', async (t) => {
  for (const list of [`${at}/competencies`, `${at}/activities`, '/v1/frameworks', '/v1/search?q=trust&x']) {
    const url = (query: string): string => list.includes('?') ? `${list.replace('&x', '')}&${query}` : `${list}?${query}`
    for (const limit of ['1000000', '101', '99999999999999999999', '1e309', 'Infinity', '-1', '0', '1.5', 'NaN', '']) {
      await problem(t, url(`limit=${limit}`), 400, { type: 'invalid-parameter', name: 'limit' })
    }
    for (const offset of ['1000001', '1e12', '99999999999999999999', '-1e309', '-1', '2.5']) {
      await problem(t, url(`offset=${offset}`), 400, { type: 'invalid-parameter', name: 'offset' })
    }
    const far = await app.inject(url('offset=1000000'))
    t.equal(far.statusCode, 200, 'the largest offset allowed is an empty page')
    t.same(far.json().data, [])
  }
  // The CASE binding sets no maximum page size and a version has one CFDocument: a huge limit returns them all.
  const all = await app.inject('/ims/case/v1p1/CFDocuments?limit=99999999999999999999&offset=0')
  t.equal(all.statusCode, 200)
  t.equal(all.json().CFDocuments.length, Number(all.headers['x-total-count']))
  for (const query of ['limit=-1', 'limit=0', 'limit=1.5', 'limit=1e309', 'offset=-1', 'offset=Infinity', 'limit=ten']) {
    await caseRefusal(t, `/ims/case/v1p1/CFDocuments?${query}`, 400, 'invalid_selection_field')
  }
})

t.test('very long q', async (t) => {
  t.equal((await app.inject(`/v1/search?q=${'a'.repeat(500)}`)).statusCode, 200, '500 characters are allowed')
  await problem(t, `/v1/search?q=${'a'.repeat(501)}`, 400, { type: 'invalid-parameter', name: 'q' })
  await problem(t, `${at}/competencies?q=${'trust%20'.repeat(200)}`, 400, { type: 'invalid-parameter', name: 'q' })
  await problem(t, `/v1/search?q=${'a'.repeat(9000)}`, 414, { detail: /at most 8192/ })
})

t.test('FTS syntax injection: a 400 that explains, or plain FTS5 that stays inside the version asked for', async (t) => {
  const refused = ['"', '"unclosed', 'NEAR(', 'NEAR(trust team', '*', '**', '*trust', '(', ')', '((trust)', 'trust)', 'trust AND', 'OR', 'NOT', 'AND OR NOT',
    '+trust', 'text:(trust OR team)', 'a:b:c', 'rank:bm25', 'vkey:1 OR nope:trust', 'trust NEAR/3 team', "' OR '1'='1", "trust' OR 1=1 --",
    "x' UNION SELECT sql FROM sqlite_master --", '1; DROP TABLE entities; --', '%25']
  for (const q of refused) {
    for (const url of [`/v1/search?version=1.1&q=${encodeURIComponent(q)}`, `${at}/activities?q=${encodeURIComponent(q)}`]) {
      await problem(t, url, 400, { type: 'search-syntax', name: 'q' })
    }
  }
  // Valid FTS5: prefixes, column filters on the indexed columns, initial-token and NEAR queries, words that look like SQL.
  for (const q of ['trust*', 'body:trust', 'title:trust', '{title body}:trust', '^trust', 'NEAR(trust team, 99999999999)', 'SELECT * FROM entities', 'vkey:2']) {
    const res = await app.inject(`/v1/search?version=1.1&q=${encodeURIComponent(q)}&limit=100`)
    t.equal(res.statusCode, 200, `${q}: answered`)
    const hits = res.json<{ data: Array<{ href: string }> }>().data
    t.ok(hits.every((h) => h.href.includes('/v1/frameworks/isp/1.1/')), `${q}: only hits of isp 1.1 (${hits.length})`)
  }
})

t.test('path traversal in ids', async (t) => {
  // app.inject resolves "%2e%2e" as a dot segment, as a browser would; over a raw connection the
  // server sees it as sent (test/abuse/wire.test.ts). Either way: a 400 or a 404, cleanly.
  for (const id of ['..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2e%2e', '..%2f', '%252e%252e%252f', '..%5c..%5cwindows', '%c0%ae%c0%ae%2f']) {
    for (const url of [`${at}/competencies/${id}`, `/uri/${id}`]) {
      // `/uri/..` is `/`: the explorer's home page.
      if (url === '/uri/%2e%2e') continue
      const res = await app.inject(url)
      t.ok([400, 404].includes(res.statusCode), `${url}: ${res.statusCode}`)
      t.same(problemViolations(res), [], `${url}: a clean problem`)
    }
    const item = await app.inject(`/ims/case/v1p1/CFItems/${id}`)
    t.ok([400, 404].includes(item.statusCode), `CFItems/${id}: ${item.statusCode}`)
    t.same(validate(statusInfoSchema('v1p1'), item.json()), [], `CFItems/${id}: imsx_StatusInfo`)
  }
  await problem(t, `${at}/competencies/..%2f..%2fetc%2fpasswd`, 400, { type: 'invalid-parameter', name: 'id' })
  await problem(t, `${at}/activities/%2e%2e%2fetc%2fpasswd`, 400, { type: 'invalid-parameter', name: 'id' })
  await problem(t, `${at}/activities/..%2f..%2fetc%2fpasswd/alignment`, 400, { type: 'invalid-parameter', name: 'id' })
  await problem(t, '/uri/..%2f..%2fetc%2fpasswd', 400, { type: 'invalid-parameter', name: 'uuid' })
  await caseRefusal(t, '/ims/case/v1p1/CFItems/..%2f..%2fetc%2fpasswd', 400, 'invalid_uuid')
  await caseRefusal(t, '/ims/case/v1p0/CFPackages/%2e%2e%2f%2e%2e%2fetc%2fpasswd', 400, 'invaliduuid')
})

t.test('invalid UTF-8 and bad percent-encoding in paths and query strings', async (t) => {
  for (const bad of ['%C3%28', '%FF', '%', '%zz', '%E2%82', '%ED%A0%80', '%C0%AF']) {
    await problem(t, `${at}/competencies/${bad}`, 400)
    await problem(t, `/v1/frameworks/${bad}/1.1`, 400)
    await problem(t, `${at}/competencies?q=trust${bad}`, 400, { detail: /not percent-encoded UTF-8/ })
    await problem(t, `/v1/search?q=trust&${bad}=1`, 400, { detail: /not percent-encoded UTF-8/ })
    await caseRefusal(t, `/ims/case/v1p1/CFItems/${bad}`, 400, 'invalid_selection_field')
    await caseRefusal(t, `/ims/case/v1p1/CFDocuments?filter=${bad}`, 400, 'invalid_selection_field')
    await problem(t, `/uri/${bad}`, 400)
  }
  t.equal((await app.inject(`${at}/competencies?q=caf%C3%A9`)).statusCode, 200, 'valid UTF-8 is fine')
})

t.test('oversized and hostile headers', async (t) => {
  const types = Array.from({ length: 800 }, (_, i) => `application/x-${i}`).join(', ')
  await problem(t, `${at}/competencies/co-learning`, 406, { type: 'not-acceptable', name: 'Accept' }, { accept: types })
  const many = Array.from({ length: 800 }, (_, i) => `"etag-${i}"`).join(', ')
  t.equal((await app.inject({ url: `${at}/competencies/co-learning`, headers: { 'if-none-match': many } })).statusCode, 200, 'a long If-None-Match list matches nothing')
  t.equal((await app.inject({ url: `${at}/competencies/co-learning`, headers: { 'accept-encoding': 'x, '.repeat(2000) + 'gzip;q=0.5' } })).statusCode, 200, 'a long Accept-Encoding')
  const longId = await app.inject({ url: `${at}/competencies/co-learning`, headers: { 'x-request-id': 'x'.repeat(5000) } })
  t.equal(longId.statusCode, 200)
  t.not(longId.headers['x-request-id'], 'x'.repeat(5000), 'an over-long request id is replaced, not echoed')
})

t.test('still ready afterwards', async (t) => {
  t.equal((await app.inject(`${at}/competencies/co-learning`)).statusCode, 200)
  t.same(await healthy(app), { status: 200, body: { status: 'ok', checks: { database: 'pass', content: 'pass', load: 'pass', shutdown: 'pass', curricula: 'pass' } } })
})
