/**
 * Happy paths of every REST resource, for isp 1.1 and the fixture 1.2, checked against the seed
 * files (and, through the contract helper, against openapi.yaml).
 */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { readSeeds } from '../helpers/seeds.js'
import { entityUuid, frameworkUuid, versionUuid } from '../../src/content/ids.js'
import { paragraphsToMarkdown, statementsToMarkdown } from '../../src/content/markdown.js'

const BASE = 'http://localhost:3000'
const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)
const json = async (url: string) => {
  const res = await inject(url)
  t.equal(res.statusCode, 200, `${url} is 200`)
  return res.json()
}

t.test('discovery links to everything', async (t) => {
  const body = await json('/v1')
  t.equal(body.links.frameworks, `${BASE}/v1/frameworks`)
  t.equal(body.links.openapi, `${BASE}/openapi.json`)
  t.equal(body.links.graphql, `${BASE}/graphql`)
  t.equal(body.links.docs, `${BASE}/docs`)
  t.same(body.frameworks, [{ id: 'isp', title: 'A Practice Guide to Supporting Implementation', href: `${BASE}/v1/frameworks/isp`, latest: `${BASE}/v1/frameworks/isp/1.2` }])
})

t.test('frameworks list their versions newest first', async (t) => {
  const list = await json('/v1/frameworks')
  t.equal(list.meta.total, 1)
  const fw = await json('/v1/frameworks/isp')
  t.same(list.data[0], fw)
  t.equal(fw.id, 'isp')
  t.equal(fw.uuid, frameworkUuid('isp'))
  t.equal(fw.uri, `${BASE}/uri/${frameworkUuid('isp')}`)
  t.equal(fw.latest, '1.2')
  t.same(fw.versions.map((v: { version: string, latest: boolean, released: string }) => [v.version, v.latest, v.released]),
    [['1.2', true, readSeeds('1.2').framework.released], ['1.1', false, readSeeds('1.1').framework.released]])
})

for (const version of ['1.1', '1.2'] as const) {
  const seed = readSeeds(version)
  const at = `/v1/frameworks/isp/${version}`
  const href = (collection: string, id: string) => `${BASE}${at}/${collection}/${id}`
  const identity = (type: string, collection: string, e: { id: string, code: string }, position: number) => ({
    type, id: e.id, code: e.code, uuid: entityUuid('isp', e.id), framework: 'isp', version,
    uri: `${BASE}/uri/${entityUuid('isp', e.id)}`, href: href(collection, e.id), position
  })
  const domainRef = (id: string) => {
    const d = seed.domains.find((x) => x.id === id)!
    return { type: 'domain', id, code: d.code, uuid: entityUuid('isp', id), name: d.name, uri: `${BASE}/uri/${entityUuid('isp', id)}`, href: href('domains', id) }
  }
  const competencyRef = (id: string) => {
    const c = seed.competencies.find((x) => x.id === id)!
    return { type: 'competency', id, code: c.code, uuid: entityUuid('isp', id), name: c.name, uri: `${BASE}/uri/${entityUuid('isp', id)}`, href: href('competencies', id) }
  }
  const activities = seed.competencies.flatMap((c) => c.activities.map((a, i) => ({ ...a, competency: c.id, domain: c.domain, position: i + 1 })))
  const activityView = (a: typeof activities[number]) => ({
    ...identity('activity', 'activities', a, a.position),
    text: a.text,
    competency: competencyRef(a.competency),
    domain: domainRef(a.domain),
    subitems: (a.subpoints ?? []).map((s) => s.text),
    subpoints: (a.subpoints ?? []).map((s, k) => ({ ...identity('subpoint', 'activities', s, k + 1), href: `${href('activities', a.id)}#${s.id}`, text: s.text }))
  })
  const hintView = (c: typeof seed.competencies[number], i: number) => ({
    ...identity('hint', 'hints', c.hint, i + 1),
    competency: competencyRef(c.id),
    domain: domainRef(c.domain),
    paragraphs: c.hint.paragraphs,
    text: c.hint.paragraphs.join('\n\n')
  })

  t.test(`isp ${version}: the version`, async (t) => {
    const body = await json(at)
    t.equal(body.version, version)
    t.equal(body.uuid, versionUuid('isp', version))
    t.equal(body.citation, seed.framework.citation)
    t.equal(body.released, seed.framework.released)
    t.same(body.authors, seed.framework.authors)
    t.equal(body.latest, version === '1.2')
    t.match(body.checksum, /^[0-9a-f]{64}$/)
    t.same(body.counts, {
      principles: seed.principles.length,
      domains: seed.domains.length,
      competencies: seed.competencies.length,
      activities: activities.length,
      hints: seed.competencies.length,
      definitions: seed.definitions.length,
      questions: seed.questions.length,
      dilemmas: seed.dilemmas.dilemmas.length,
      resources: seed.resources.groups.reduce((n, g) => n + g.resources.length, 0)
    })
    t.equal(body.dilemmas.introduction, seed.dilemmas.introduction)
    t.equal(body.resources.introduction, seed.resources.introduction)
    t.equal(body.links.competencies, `${BASE}${at}/competencies`)
    if (version === '1.2') t.equal(body.links.changes, `${BASE}${at}/changes?from=1.1`)
    else t.notOk('changes' in body.links, 'the oldest version has no changes link')
  })

  t.test(`isp ${version}: principles`, async (t) => {
    const list = await json(`${at}/principles`)
    t.same(list.data, seed.principles.map((p, i) => ({ ...identity('principle', 'principles', p, i + 1), name: p.name, description: p.description })))
    t.same(await json(`${at}/principles/${seed.principles[1]!.id}`), list.data[1])
  })

  t.test(`isp ${version}: domains, with their competencies on the detail`, async (t) => {
    const list = await json(`${at}/domains`)
    t.same(list.data.map((d: { id: string, name: string, description: string }) => [d.id, d.name, d.description]),
      seed.domains.map((d) => [d.id, d.name, d.description]))
    t.notOk('competencies' in list.data[0], 'lists do not embed unless asked')
    const detail = await json(`${at}/domains/sustaining-change`)
    t.same(detail.competencies.map((c: { id: string }) => c.id), seed.competencies.filter((c) => c.domain === 'sustaining-change').map((c) => c.id))
  })

  t.test(`isp ${version}: a competency is whole by default`, async (t) => {
    for (const [i, c] of seed.competencies.entries()) {
      const body = await json(`${at}/competencies/${c.id}`)
      t.same(body, {
        ...identity('competency', 'competencies', c, i + 1),
        name: c.name,
        domain: domainRef(c.domain),
        overview: c.overview,
        overviewMarkdown: statementsToMarkdown(c.overview),
        activities: activities.filter((a) => a.competency === c.id).map(activityView),
        hint: hintView(c, i)
      }, c.id)
    }
  })

  t.test(`isp ${version}: competency activities, activities and hints`, async (t) => {
    const c = seed.competencies[0]!
    const own = await json(`${at}/competencies/${c.id}/activities`)
    t.same(own.data.map((a: { id: string }) => a.id), c.activities.map((a) => a.id))
    t.equal(own.meta.total, c.activities.length)

    const all = await json(`${at}/activities?limit=100`)
    t.equal(all.meta.total, activities.length)
    t.same(all.data, activities.slice(0, 100).map(activityView))
    const nested = activities.find((a) => a.subpoints !== undefined)!
    const one = await json(`${at}/activities/${nested.id}`)
    t.same(one, activityView(nested))
    t.same(one.subitems, nested.subpoints!.map((s) => s.text), 'subitems are the sub-point texts')

    const hints = await json(`${at}/hints?limit=100`)
    t.same(hints.data, seed.competencies.map(hintView))
    t.same(await json(`${at}/hints/${c.hint.id}`), hintView(c, 0))
    t.equal(hints.data[0].text, paragraphsToMarkdown(c.hint.paragraphs))
  })

  t.test(`isp ${version}: definitions, questions, dilemmas, resources`, async (t) => {
    const defs = await json(`${at}/definitions`)
    t.same(defs.data, seed.definitions.map((d, i) => ({ ...identity('definition', 'definitions', d, i + 1), term: d.term, text: d.text, otherNames: d.otherNames ?? [] })))
    t.same(await json(`${at}/definitions/${seed.definitions[0]!.id}`), defs.data[0])

    const questions = await json(`${at}/questions`)
    t.same(questions.data, seed.questions.map((q, i) => ({ ...identity('question', 'questions', q, i + 1), text: q.text, subquestions: q.subquestions ?? [] })))
    t.same(await json(`${at}/questions/${seed.questions[0]!.id}`), questions.data[0])

    const dilemmas = await json(`${at}/dilemmas`)
    t.same(dilemmas.data, seed.dilemmas.dilemmas.map((d, i) => ({ ...identity('dilemma', 'dilemmas', d, i + 1), text: d.text })))
    t.same(await json(`${at}/dilemmas/${seed.dilemmas.dilemmas[0]!.id}`), dilemmas.data[0])

    const resources = await json(`${at}/resources?limit=100`)
    const expected = seed.resources.groups.flatMap((g) => g.resources.map((r) => ({ r, g })))
      .map(({ r, g }, i) => ({
        ...identity('resource', 'resources', r, i + 1),
        kind: r.kind,
        text: r.text,
        ...(r.url === undefined ? {} : { url: r.url }),
        ...(r.doi === undefined ? {} : { doi: r.doi }),
        group: { id: g.id, ...(g.title === undefined ? {} : { title: g.title }), ...(g.note === undefined ? {} : { note: g.note }) }
      }))
    t.same(resources.data, expected)
    t.same(await json(`${at}/resources/${expected[0]!.id}`), resources.data[0])
  })
}

t.test('HEAD is answered like GET, without a body', async (t) => {
  const get = await inject('/v1/frameworks/isp/1.1/competencies/co-learning')
  const head = await inject({ method: 'HEAD', url: '/v1/frameworks/isp/1.1/competencies/co-learning' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.equal(head.headers.etag, get.headers.etag)
})
