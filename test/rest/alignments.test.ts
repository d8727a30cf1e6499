/**
 * OB 3.0 Alignment objects: their fields, that targetUrl resolves to the CASE item, and that they
 * are REST resources like the others (contract, validation, problem+json, ETag, caching).
 */
import t from 'tap'
import { entityUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { seeds } from '../helpers/formats.js'

const base = 'http://localhost:3000'

t.test('a competency\'s alignment', async (t) => {
  const app = await buildApp(t)
  const inject = contract(t, app)
  const seed = seeds('1.1').competencies[0]
  for (const key of [seed?.id, seed?.code]) {
    const res = await inject({ url: `/v1/frameworks/isp/1.1/competencies/${key ?? ''}/alignment` })
    t.equal(res.statusCode, 200, `by ${key}`)
    const a = res.json()
    t.same(Object.keys(a).sort(), ['targetCode', 'targetDescription', 'targetFramework', 'targetName', 'targetType', 'targetUrl', 'type'])
    t.match(a, {
      type: ['Alignment'],
      targetName: seed?.name,
      targetUrl: `${base}/uri/${entityUuid('isp', seed?.id ?? '')}`,
      targetCode: seed?.code,
      targetFramework: 'A Practice Guide to Supporting Implementation',
      targetType: 'CFItem'
    })
    t.ok(String(a.targetDescription).startsWith(seed?.overview[0]?.text ?? '\u0000'), 'the description is the overview')
    const item = await app.inject({ url: `${String(a.targetUrl).slice(base.length)}?format=case` })
    t.equal(item.statusCode, 200, 'targetUrl resolves')
    t.match(item.json(), { humanCodingScheme: seed?.code, CFItemType: 'Competency' })
  }
})

t.test('a key activity\'s alignment, with and without sub-points', async (t) => {
  const app = await buildApp(t)
  const inject = contract(t, app)
  const activities = seeds('1.1').competencies.flatMap((c) => c.activities)
  const plain = activities.find((a) => a.subpoints === undefined)
  const nested = activities.find((a) => a.subpoints !== undefined)
  const one = (await inject({ url: `/v1/frameworks/isp/latest/activities/${plain?.id ?? ''}/alignment` })).json()
  t.match(one, { targetName: plain?.text, targetDescription: plain?.text, targetCode: plain?.code, targetType: 'CFItem' })
  const two = (await inject({ url: `/v1/frameworks/isp/1.1/activities/${nested?.code ?? ''}/alignment` })).json()
  t.equal(two.targetName, nested?.text)
  t.equal(two.targetDescription, [nested?.text, '', ...(nested?.subpoints ?? []).map((s) => `- ${s.text}`)].join('\n'))
  const item = await app.inject({ url: String(two.targetUrl).slice(base.length), headers: { accept: 'application/vnd.case+json' } })
  t.match(item.json(), { humanCodingScheme: nested?.code, CFItemType: 'Key Activity' })
})

t.test('a changed activity aligns to its new CASE item in 1.2 and its old one in 1.1', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const inject = contract(t, app)
  const old = (await inject({ url: '/v1/frameworks/isp/1.1/activities/co-learning-a2/alignment' })).json()
  const now = (await inject({ url: '/v1/frameworks/isp/latest/activities/co-learning-a2/alignment' })).json()
  t.equal(old.targetUrl, `${base}/uri/${entityUuid('isp', 'co-learning-a2')}`)
  t.not(now.targetUrl, old.targetUrl)
  t.equal(now.targetName, 'Create spaces for new ideas to emerge. (fixture edit)')
})

t.test('unknown framework, version or id: a 404 problem naming the parameter; a malformed one a 400', async (t) => {
  const app = await buildApp(t)
  const inject = contract(t, app)
  const cases: Array<[string, string]> = [
    ['/v1/frameworks/nope/1.1/competencies/co-learning/alignment', 'framework'],
    ['/v1/frameworks/isp/9.9/competencies/co-learning/alignment', 'version'],
    ['/v1/frameworks/isp/1.1/competencies/no-such/alignment', 'id'],
    ['/v1/frameworks/isp/1.1/competencies/co-learning-a1/alignment', 'id'],
    ['/v1/frameworks/isp/1.1/activities/co-learning/alignment', 'id'],
    ['/v1/frameworks/isp/1.1/activities/C99.A01/alignment', 'id']
  ]
  for (const [url, name] of cases) {
    const res = await inject({ url })
    t.equal(res.statusCode, 404, url)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.json(), { type: `${base}/problems/not-found`, status: 404, errors: [{ in: 'path', name }] }, `${url} names ${name}`)
  }
  t.match((await inject({ url: '/v1/frameworks/isp/1.1/activities/co-learning/alignment' })).json().detail, /no key activity "co-learning" in isp 1\.1/)
  for (const [url, name, message] of [
    ['/v1/frameworks/isp/1.1/competencies/Co_Learning/alignment', 'id', /slug id .* or a code/],
    ['/v1/frameworks/isp/v1/competencies/co-learning/alignment', 'version', /version number/],
    ['/v1/frameworks/isp/1.1/competencies/co-learning/alignment?pretty=1', 'pretty', /unknown query parameter/]
  ] as const) {
    const res = await inject({ url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { errors: [{ name, message }] })
  }
  t.equal((await inject({ url: '/v1/frameworks/isp/1.1/competencies/co-learning/alignment', headers: { accept: 'text/csv' } })).statusCode, 406)
})

t.test('ETags, 304s and caching: immutable when pinned, short with Content-Location for latest', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const inject = contract(t, app)
  const pinned = await inject({ url: '/v1/frameworks/isp/1.2/activities/co-learning-a2/alignment' })
  t.match(pinned.headers.etag, /^"[A-Za-z0-9_-]+"$/)
  t.equal(pinned.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal(pinned.headers.vary, 'Accept, Accept-Encoding')
  t.notOk(pinned.headers['content-location'])
  const again = await inject({ url: '/v1/frameworks/isp/1.2/activities/co-learning-a2/alignment', headers: { 'if-none-match': pinned.headers.etag as string } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  const latest = await inject({ url: '/v1/frameworks/isp/latest/activities/C01.A02/alignment' })
  t.equal(latest.headers['cache-control'], 'public, max-age=300')
  t.equal(latest.headers['content-location'], `${base}/v1/frameworks/isp/1.2/activities/C01.A02/alignment`)
  t.equal(latest.headers.etag, pinned.headers.etag, 'by code or by id, latest or pinned: the same bytes')
  const before = app.repo.statements
  await inject({ url: '/v1/frameworks/isp/latest/activities/C01.A02/alignment' })
  t.equal(app.repo.statements, before, 'a repeat is served from memory')
})
