/**
 * The GraphQL API's fields: frameworks and versions, version lists with filters and paging,
 * lookups, relations in both directions, node(id:) by uuid, search, and GET requests.
 */
import t from 'tap'
import { entityUuid, frameworkUuid, versionUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

type Data = Record<string, any>  

async function data (app: Awaited<ReturnType<typeof buildApp>>, query: string, variables?: Record<string, unknown>): Promise<Data> {
  const res = await gql(app, query, variables === undefined ? {} : { variables })
  if (res.body.errors !== undefined) throw new Error(JSON.stringify(res.body.errors))
  return res.body.data as Data
}

t.test('frameworks and versions', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const d = await data(app, `{ frameworks { id uuid uri href title latest { number } versions { number latest uuid uri href released
    title subtitle authors { name affiliation } publishers citation language derivedFrom counts { principles competencies activities hints questions }
    framework { id } } } }`)
  const [isp] = d.frameworks
  t.equal(isp.id, 'isp')
  t.equal(isp.uuid, frameworkUuid('isp'))
  t.equal(isp.uri, `http://localhost:3000/uri/${frameworkUuid('isp')}`)
  t.equal(isp.href, 'http://localhost:3000/v1/frameworks/isp')
  t.equal(isp.title, 'A Practice Guide to Supporting Implementation')
  t.equal(isp.latest.number, '1.2')
  t.same(isp.versions.map((v: Data) => [v.number, v.latest]), [['1.2', true], ['1.1', false]], 'newest first')
  const v11 = isp.versions[1]
  t.equal(v11.uuid, versionUuid('isp', '1.1'))
  t.equal(v11.href, 'http://localhost:3000/v1/frameworks/isp/1.1')
  t.equal(v11.released, '2021-09')
  t.equal(v11.subtitle, 'What competencies do we need?')
  t.equal(v11.authors.length, 5)
  t.equal(v11.language, 'en-GB')
  t.match(v11.citation, /Version 1\.1, September 2021/)
  t.same(v11.counts, { principles: 6, competencies: 15, activities: 115, hints: 15, questions: 10 })
  t.same(v11.framework, { id: 'isp' })
  t.equal(isp.versions[0].counts.questions, 9, 'the fixture removed a question')

  const pinned = await data(app, '{ framework(id: "isp") { latest: version { number } old: version(number: "1.1") { number } } }')
  t.same(pinned.framework, { latest: { number: '1.2' }, old: { number: '1.1' } }, 'version defaults to latest')
})

t.test('version lists: filters and paging', async (t) => {
  const app = await buildApp(t)
  const list = async (field: string, args = ''): Promise<string[]> =>
    (await data(app, `{ framework(id: "isp") { version { ${field}${args === '' ? '' : `(${args})`} { id } } } }`)).framework.version[field].map((e: Data) => e.id)
  t.same((await list('principles')).length, 6)
  t.same((await list('definitions')).length, 21)
  t.same((await list('questions')).length, 10)
  t.same((await list('dilemmas')).length, 4)
  t.same((await list('resources')).length, 38)
  t.same((await list('hints')).length, 15)
  t.same(await list('competencies', 'domain: "sustaining-change"'), ['growing-and-sustaining-relationships', 'developing-teams', 'building-capacity', 'cultivating-leaders-and-champions'])
  t.same(await list('activities', 'competency: "co-learning"'), ['co-learning-a1', 'co-learning-a2', 'co-learning-a3', 'co-learning-a4', 'co-learning-a5', 'co-learning-a6', 'co-learning-a7'])
  t.same(await list('activities', 'competency: "co-learning", first: 2, offset: 3'), ['co-learning-a4', 'co-learning-a5'])
  const firstPage = await list('activities', 'first: 100')
  const secondPage = await list('activities', 'offset: 100')
  t.equal(firstPage.length, 100, 'first defaults to 100')
  t.same(await list('activities'), firstPage)
  t.equal(secondPage.length, 15, 'the rest on the second page')
  t.equal(new Set([...firstPage, ...secondPage]).size, 115, 'the pages do not overlap')
  const sustaining = await list('activities', 'domain: "sustaining-change"')
  t.equal(sustaining.length, 11 + 10 + 8 + 10, 'activities of the four competencies of D3')
  t.ok(sustaining.every((id) => /^(growing-and-sustaining-relationships|developing-teams|building-capacity|cultivating-leaders-and-champions)-a\d+$/.test(id)))
  t.same(await list('hints', 'competency: "brokering"'), ['brokering-hint'])
  t.same(await list('resources', 'group: "training-resources"'), ['tidirc-open-access-training', 'consortium-for-implementation-science-training-updates'])

  const trust = await list('activities', 'q: "trust"')
  t.ok(trust.length > 0 && trust.length < 115, `q filters activities (${trust.length})`)
  const texts = (await data(app, '{ framework(id: "isp") { version { activities(q: "trust") { text subitems } } } }')).framework.version.activities
  for (const a of texts) t.match(`${a.text} ${a.subitems.join(' ')}`, /trust/i, 'each match mentions trust')
  t.same(await list('principles', 'q: "xyzzy"'), [], 'no match is an empty list')
  t.same(await list('activities', 'q: "trust", domain: "sustaining-change"'), trust.filter((id) => ['growing-and-sustaining-relationships', 'developing-teams', 'building-capacity', 'cultivating-leaders-and-champions'].some((c) => id.startsWith(`${c}-`))))
  t.same(await list('activities', 'first: 0'), [], 'first: 0 is allowed')
})

t.test('lookups and relations in both directions', async (t) => {
  const app = await buildApp(t)
  const d = await data(app, `{ framework(id: "isp") { version {
    domain(id: "co-creation-and-engagement") { code competencies { id domain { id } } }
    competency(id: "communication") { code domain { id } hint { id code competency { id } domain { id } } activities { id } }
    activity(id: "communication-a1") { code competency { id } domain { id } subpoints { id code activity { id } } }
    hint(id: "co-learning-hint") { code paragraphs }
    principle(id: "be-curious") { code } definition(id: "implementation-support-practitioner") { term }
    question(id: "question-1") { code } dilemma(id: "dilemma-1") { code }
    resources(first: 1) { id kind group { id title resources { id } } }
    resourceGroups { id resources { id } }
  } } }`.replace(' activities(first: 1) { id }', ' activities { id }'))
  const v = d.framework.version
  t.equal(v.domain.code, 'D1')
  t.same(v.domain.competencies.map((c: Data) => c.id), ['co-learning', 'brokering', 'addressing-power-differentials', 'co-design', 'tailoring-support'])
  t.ok(v.domain.competencies.every((c: Data) => c.domain.id === 'co-creation-and-engagement'), 'domain → competencies → domain')
  t.same(v.competency.hint, { id: 'communication-hint', code: 'C10.H', competency: { id: 'communication' }, domain: { id: 'ongoing-improvement' } })
  t.equal(v.competency.activities.length, 6)
  t.same(v.activity.competency, { id: 'communication' })
  t.same(v.activity.domain, { id: 'ongoing-improvement' })
  t.equal(v.activity.subpoints.length, 5)
  t.same(v.activity.subpoints[0], { id: 'communication-a1-s1', code: 'C10.A01.S01', activity: { id: 'communication-a1' } })
  t.equal(v.hint.paragraphs.length, 3)
  t.equal(v.principle.code, 'P2')
  t.equal(v.question.code, 'Q01')
  t.equal(v.dilemma.code, 'DL1')
  t.same(v.resources[0].group.resources[0], { id: v.resources[0].id }, 'resource → group → resources')
  t.equal(v.resourceGroups.flatMap((g: Data) => g.resources).length, 38)
})

t.test('the competency shortcut', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const d = await data(app, `{ latest: competency(id: "co-learning") { version activities { id } }
    old: competency(version: "1.1", id: "co-learning") { version activities { id } } }`)
  t.equal(d.latest.version, '1.2')
  t.equal(d.latest.activities.length, 8, 'the fixture added co-learning-a8')
  t.equal(d.old.version, '1.1')
  t.equal(d.old.activities.length, 7)
})

t.test('node(id:) resolves anything by uuid', async (t) => {
  const app = await buildApp(t)
  const cases: Array<[string, string, string]> = [
    [frameworkUuid('isp'), 'Framework', '... on Framework { id }'],
    [versionUuid('isp', '1.1'), 'FrameworkVersion', '... on FrameworkVersion { number }'],
    [entityUuid('isp', 'be-curious'), 'Principle', '... on Principle { id name }'],
    [entityUuid('isp', 'co-creation-and-engagement'), 'Domain', '... on Domain { id }'],
    [entityUuid('isp', 'co-learning'), 'Competency', '... on Competency { id activities { id } }'],
    [entityUuid('isp', 'co-learning-a3'), 'Activity', '... on Activity { id text }'],
    [entityUuid('isp', 'communication-a1-s2'), 'SubPoint', '... on SubPoint { id text activity { id } }'],
    [entityUuid('isp', 'co-learning-hint'), 'Hint', '... on Hint { id }'],
    [entityUuid('isp', 'question-2'), 'ReflectiveQuestion', '... on ReflectiveQuestion { id }'],
    [entityUuid('isp', 'dilemma-2'), 'Dilemma', '... on Dilemma { id }']
  ]
  for (const [uuid, type, fragment] of cases) {
    const d = await data(app, `query ($id: ID!) { node(id: $id) { __typename uuid uri ${fragment} } }`, { id: uuid.toUpperCase() })
    t.equal(d.node.__typename, type, `${type} by uuid (case-insensitive)`)
    t.equal(d.node.uuid, uuid)
    t.equal(d.node.uri, `http://localhost:3000/uri/${uuid}`)
  }
  const sub = await data(app, `{ node(id: "${entityUuid('isp', 'communication-a1-s2')}") { ... on SubPoint { text activity { id } } } }`)
  t.same(sub.node.activity, { id: 'communication-a1' })
  t.equal(sub.node.text.length > 0, true)
  const entity = await data(app, `{ node(id: "${entityUuid('isp', 'co-learning-a3')}") { ... on Entity { id code href framework version } } }`)
  t.same(entity.node, { id: 'co-learning-a3', code: 'C01.A03', href: 'http://localhost:3000/v1/frameworks/isp/1.1/activities/co-learning-a3', framework: 'isp', version: '1.1' })
})

t.test('search', async (t) => {
  const app = await buildApp(t)
  const d = await data(app, `{ search(q: "trust", first: 3) { total hits { type id domain rank title snippet entity { __typename id code } } facets { types { value count } domains { value count } } } }`)
  t.ok(d.search.total > 3, `${d.search.total} matches`)
  t.equal(d.search.hits.length, 3)
  for (const hit of d.search.hits) {
    t.match(hit.snippet, /<mark>trust/i)
    t.equal(hit.entity.id, hit.id, 'entity resolves the hit')
    t.equal(hit.entity.__typename.toLowerCase().replace('reflectivequestion', 'question'), hit.type)
  }
  const ranks = d.search.hits.map((h: Data) => h.rank)
  t.same(ranks, [...ranks].sort((a, b) => a - b), 'best first')
  t.equal(d.search.facets.types.reduce((n: number, f: Data) => n + f.count, 0), d.search.total)

  const competencies = await data(app, '{ framework(id: "isp") { version { search(q: "trust", type: competency) { total hits { type } } } } }')
  t.ok(competencies.framework.version.search.hits.every((h: Data) => h.type === 'competency'), 'type filter (a single value is a list of one)')
  const domain = await data(app, '{ search(q: "trust", domain: "sustaining-change", first: 50) { hits { domain } } }')
  t.ok(domain.search.hits.length > 0 && domain.search.hits.every((h: Data) => h.domain === 'sustaining-change'), 'domain filter')
  const paged = await data(app, '{ a: search(q: "implementation", first: 2) { hits { id } } b: search(q: "implementation", first: 2, offset: 1) { hits { id } } }')
  t.equal(paged.a.hits[1].id, paged.b.hits[0].id, 'offset pages')
})

t.test('GET requests work, with variables', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, 'query ($id: ID!) { competency(id: $id) { name } }', { method: 'GET', variables: { id: 'brokering' } })
  t.equal(res.status, 200)
  t.same(res.body.data, { competency: { name: 'Brokering' } })
  t.match(res.headers['content-type'], /application\/json/)
})
