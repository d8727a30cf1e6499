/** OB 3.0 Alignment objects: their fields, and that targetUrl resolves to the CASE item. */
import t from 'tap'
import { entityUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { seeds } from '../helpers/formats.js'

const base = 'http://localhost:3000'

t.test('a competency\'s alignment', async (t) => {
  const app = await buildApp(t)
  const seed = seeds('1.1').competencies[0]
  for (const key of [seed?.id, seed?.code]) {
    const res = await app.inject({ url: `/v1/frameworks/isp/1.1/competencies/${key ?? ''}/alignment` })
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
  const activities = seeds('1.1').competencies.flatMap((c) => c.activities)
  const plain = activities.find((a) => a.subpoints === undefined)
  const nested = activities.find((a) => a.subpoints !== undefined)
  const one = (await app.inject({ url: `/v1/frameworks/isp/latest/activities/${plain?.id ?? ''}/alignment` })).json()
  t.match(one, { targetName: plain?.text, targetDescription: plain?.text, targetCode: plain?.code, targetType: 'CFItem' })
  const two = (await app.inject({ url: `/v1/frameworks/isp/1.1/activities/${nested?.code ?? ''}/alignment` })).json()
  t.equal(two.targetName, nested?.text)
  t.equal(two.targetDescription, [nested?.text, '', ...(nested?.subpoints ?? []).map((s) => `- ${s.text}`)].join('\n'))
  const item = await app.inject({ url: String(two.targetUrl).slice(base.length), headers: { accept: 'application/vnd.case+json' } })
  t.match(item.json(), { humanCodingScheme: nested?.code, CFItemType: 'Key Activity' })
})

t.test('a changed activity aligns to its new CASE item in 1.2 and its old one in 1.1', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const old = (await app.inject({ url: '/v1/frameworks/isp/1.1/activities/co-learning-a2/alignment' })).json()
  const now = (await app.inject({ url: '/v1/frameworks/isp/latest/activities/co-learning-a2/alignment' })).json()
  t.equal(old.targetUrl, `${base}/uri/${entityUuid('isp', 'co-learning-a2')}`)
  t.not(now.targetUrl, old.targetUrl)
  t.equal(now.targetName, 'Create spaces for new ideas to emerge. (fixture edit)')
})

t.test('unknown framework, version or id is 404', async (t) => {
  const app = await buildApp(t)
  for (const url of [
    '/v1/frameworks/nope/1.1/competencies/co-learning/alignment',
    '/v1/frameworks/isp/9.9/competencies/co-learning/alignment',
    '/v1/frameworks/isp/1.1/competencies/no-such/alignment',
    '/v1/frameworks/isp/1.1/competencies/co-learning-a1/alignment',
    '/v1/frameworks/isp/1.1/activities/co-learning/alignment'
  ]) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 404, url)
    t.match(res.json().detail, /Unknown/)
  }
})
