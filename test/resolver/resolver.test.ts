/**
 * The URI resolver: every `uri` in every CFPackage and every JSON-LD @id resolves; content
 * negotiation by Accept and by `?format=`; 400, 404 and 406.
 */
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { entityUuid, frameworkUuid, versionUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { uris } from '../helpers/formats.js'

const base = 'http://localhost:3000'
const uuid = (id: string): string => entityUuid('isp', id)

async function resolve (app: FastifyInstance, path: string, accept?: string) {
  const res = await app.inject({ url: path, headers: accept === undefined ? {} : { accept } })
  return { status: res.statusCode, type: res.headers['content-type'] ?? '', vary: res.headers.vary, body: res.body, json: () => res.json() as Record<string, unknown> }
}

t.test('every uri in every CFPackage resolves, in JSON and as CASE', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const docs = (await app.inject({ url: '/ims/case/v1p1/CFDocuments' })).json().CFDocuments as Array<{ identifier: string }>
  const all = new Set<string>()
  for (const doc of docs) {
    const pkg = (await app.inject({ url: `/ims/case/v1p1/CFPackages/${doc.identifier}` })).json()
    for (const u of uris(pkg)) all.add(u)
  }
  t.ok(all.size > 300, `${all.size} distinct uris`)
  for (const u of all) {
    t.ok(u.startsWith(`${base}/`), `${u} is on the service`)
    const path = u.slice(base.length)
    const json = await resolve(app, path)
    if (json.status !== 200) t.fail(`${path}: ${json.status} ${json.body}`)
    if (!path.startsWith('/uri/')) continue
    const id = path.slice('/uri/'.length)
    const asCase = await resolve(app, `${path}?format=case`)
    if (asCase.status !== 200 || (asCase.json().identifier !== id && (asCase.json().CFConcepts === undefined))) t.fail(`${path} as CASE: ${asCase.status}`)
  }
  t.pass('all resolved')
})

t.test('JSON: a summary with the REST link, the version served and the newer text', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const unchanged = await resolve(app, `/uri/${uuid('co-learning-a3')}`)
  t.equal(unchanged.status, 200)
  t.match(unchanged.type, /^application\/json/)
  t.equal(unchanged.vary, 'Accept, Accept-Encoding')
  t.same(unchanged.json(), {
    uri: `${base}/uri/${uuid('co-learning-a3')}`,
    identifier: uuid('co-learning-a3'),
    type: 'activity',
    framework: 'isp',
    version: '1.2',
    id: 'co-learning-a3',
    code: 'C01.A03',
    uuid: uuid('co-learning-a3'),
    text: 'Negotiate and build trust and respect for all perspectives, including those that may be at risk of being excluded from dialogue because of race, ethnicity, language or status.',
    href: `${base}/v1/frameworks/isp/1.2/activities/co-learning-a3`
  })
  const old = (await resolve(app, `/uri/${uuid('co-learning-a2')}`)).json()
  t.match(old, { version: '1.1', text: 'Create spaces for new ideas to emerge.', href: `${base}/v1/frameworks/isp/1.1/activities/co-learning-a2` }, 'the old identifier names the old text')
  t.type(old.replacedBy, 'string')
  const newer = (await resolve(app, String(old.replacedBy).slice(base.length))).json()
  t.match(newer, { version: '1.2', id: 'co-learning-a2', text: 'Create spaces for new ideas to emerge. (fixture edit)' })
  t.notOk('replacedBy' in newer, 'the newest text has no replacement')
  const competency = (await resolve(app, `/uri/${uuid('co-learning')}`)).json()
  t.match(competency, { type: 'competency', name: 'Co-learning', code: 'C01' })
  const subpoint = (await resolve(app, `/uri/${uuid('communication-a1-s1')}`)).json()
  t.match(subpoint, { type: 'subpoint', href: /\/activities\/communication-a1#communication-a1-s1$/ }, 'the sub-point\'s REST href: its activity, anchored')
  const version = (await resolve(app, `/uri/${versionUuid('isp', '1.1')}`)).json()
  t.match(version, { type: 'version', version: '1.1', id: '1.1', href: `${base}/v1/frameworks/isp/1.1` })
  const framework = (await resolve(app, `/uri/${frameworkUuid('isp')}`)).json()
  t.match(framework, { type: 'framework', id: 'isp', href: `${base}/v1/frameworks/isp` })
  const question = (await resolve(app, `/uri/${uuid('question-10')}`)).json()
  t.match(question, { type: 'question', version: '1.1', code: 'Q10' }, 'a question removed in 1.2 is served from 1.1')
  const upper = await resolve(app, `/uri/${uuid('co-learning').toUpperCase()}`)
  t.equal(upper.status, 200, 'case-insensitive')
})

t.test('negotiation: Accept, ?format and ?profile', async (t) => {
  const app = await buildApp(t)
  const path = `/uri/${uuid('co-learning')}`
  const ctdl = await resolve(app, path, 'application/ld+json')
  t.equal(ctdl.status, 200)
  t.match(ctdl.type, /^application\/ld\+json; profile="https:\/\/purl.org\/ctdlasn\/terms\/"/)
  t.match(ctdl.json(), { '@context': `${base}/contexts/ctdl-asn.jsonld`, '@graph': [{ '@type': 'ceasn:Competency', 'ceasn:codedNotation': 'C01' }] })
  const schemaOrg = await resolve(app, path, 'application/ld+json; profile="https://schema.org/"')
  t.match(schemaOrg.json(), { '@context': `${base}/contexts/schema-org.jsonld`, '@graph': [{ '@type': 'DefinedTerm', termCode: 'C01' }] })
  t.match((await resolve(app, `${path}?format=jsonld&profile=schema.org`)).json(), { '@graph': [{ '@type': 'DefinedTerm' }] })
  const asCase = await resolve(app, path, 'application/vnd.case+json')
  t.match(asCase.type, /^application\/vnd\.case\+json/)
  t.match(asCase.json(), { identifier: uuid('co-learning'), CFItemType: 'Competency', CFDocumentURI: { identifier: versionUuid('isp', '1.1') } })
  t.match((await resolve(app, path, 'image/png, application/vnd.case+json;q=0.9, application/json;q=0.5')).type, /vnd\.case\+json/, 'q-values pick the best')
  t.match((await resolve(app, path, '*/*')).type, /^application\/json/, 'anything: JSON')
  t.match((await resolve(app, path, 'application/*')).type, /^application\/json/)
  t.match((await resolve(app, `${path}?format=case`, 'application/json')).type, /vnd\.case\+json/, '?format overrides Accept')
  const doc = await resolve(app, `/uri/${versionUuid('isp', '1.1')}?format=jsonld`)
  t.match(doc.json(), { '@graph': [{ '@type': 'ceasn:CompetencyFramework' }] })
  t.match((await resolve(app, `/uri/${versionUuid('isp', '1.1')}?format=case`)).json(), { identifier: versionUuid('isp', '1.1'), CFPackageURI: {} })
})

t.test('406 for a representation the object does not have; 400 and 404', async (t) => {
  const app = await buildApp(t)
  // (text/html is offered: browsers are sent to the explorer's page, test/pages/routes.test.ts.)
  const png = await resolve(app, `/uri/${uuid('co-learning')}`, 'image/png')
  t.equal(png.status, 406)
  t.match(png.body, /application\/json/, 'says what is available')
  t.equal((await resolve(app, `/uri/${uuid('co-learning')}`, 'application/json;q=0, */*;q=0')).status, 406)
  t.equal((await resolve(app, `/uri/${uuid('be-curious')}?format=jsonld`)).status, 406, 'a principle has no JSON-LD form')
  t.equal((await resolve(app, `/uri/${uuid('question-1')}?format=case`)).status, 406, 'a question has no CASE form')
  t.equal((await resolve(app, `/uri/${frameworkUuid('isp')}`, 'application/vnd.case+json')).status, 406)
  t.equal((await resolve(app, `/uri/${uuid('co-learning')}?format=xml`)).status, 400)
  t.equal((await resolve(app, '/uri/not-a-uuid')).status, 400)
  const unknown = await resolve(app, '/uri/00000000-0000-4000-8000-000000000000')
  t.equal(unknown.status, 404)
  t.match(unknown.type, /^application\/problem\+json/)
  t.match(unknown.json(), { type: 'http://localhost:3000/problems/not-found', errors: [{ in: 'path', name: 'uuid' }] })
  t.match((await resolve(app, `/uri/${uuid('co-learning')}?format=jsonld&profile=dublin-core`)).status, 400, 'an unknown profile')
})

t.test('every JSON-LD @id resolves', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const doc = (await resolve(app, `/uri/${versionUuid('isp', '1.2')}?format=jsonld`)).json()
  const ids = new Set<string>()
  JSON.stringify(doc, (key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(`${base}/uri/`)) ids.add(value)
    return value
  })
  t.ok(ids.size > 140)
  for (const id of ids) {
    const res = await resolve(app, `${id.slice(base.length)}?format=jsonld`)
    if (res.status !== 200) t.fail(`${id}: ${res.status}`)
  }
  t.pass(`${ids.size} @ids resolved as JSON-LD`)
})

t.test('every href the resolver gives resolves: REST resources (sub-points anchored in their activity) and CASE objects', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const inject = contract(t, app)
  const ids = new Set<string>([frameworkUuid('isp')])
  for (const v of app.repo.versions()) {
    const { package: pkg } = app.formats.casePackage(v, '1.1')
    ids.add(pkg.CFDocument.identifier)
    for (const list of [pkg.CFItems, pkg.CFAssociations, pkg.CFDefinitions?.CFItemTypes, pkg.CFDefinitions?.CFConcepts]) {
      for (const x of list ?? []) ids.add(x.identifier)
    }
    for (const collection of ['questions', 'dilemmas', 'resources']) {
      const list = (await inject(`/v1/frameworks/isp/${v.number}/${collection}?limit=100`)).json() as { data: Array<{ uuid: string }> }
      for (const e of list.data) ids.add(e.uuid)
    }
  }
  t.ok(ids.size > 400, `${ids.size} published identifiers`)
  const kinds = new Map<string, number>()
  for (const id of ids) {
    const resolved = await inject(`/uri/${id}`)
    if (resolved.statusCode !== 200) {
      t.fail(`/uri/${id}: ${resolved.statusCode}`)
      continue
    }
    const summary = resolved.json() as { type: string, id: string, version?: string, href: string }
    kinds.set(summary.type, (kinds.get(summary.type) ?? 0) + 1)
    t.ok(summary.href.startsWith(`${base}/`), `${summary.href} is on this service`)
    const [path = '', fragment] = summary.href.slice(base.length).split('#')
    const target = await inject(path)
    if (target.statusCode !== 200) {
      t.fail(`${id} (${summary.type}): href ${summary.href} answered ${target.statusCode}`)
      continue
    }
    const body = target.json() as Record<string, unknown>
    // The resource the href names is the thing resolved.
    switch (summary.type) {
      case 'framework': t.equal(body.id, summary.id); break
      case 'version': t.equal(body.version, summary.id); break
      case 'association': t.equal(body.identifier, id); break
      case 'item-type': t.equal((body.CFItemTypes as Array<{ identifier: string }>)[0]?.identifier, id); break
      case 'subpoint': {
        t.equal(fragment, summary.id, 'a sub-point\'s href is its activity, anchored at the sub-point')
        t.ok((body.subpoints as Array<{ id: string }>).some((s) => s.id === fragment), `${fragment} is a sub-point of ${String(body.id)}`)
        t.equal(body.version, summary.version)
        break
      }
      default:
        t.equal(fragment, undefined)
        t.same([body.type, body.id, body.version], [summary.type, summary.id, summary.version], `${summary.type} ${summary.id}`)
    }
  }
  t.same([...kinds.keys()].sort(), ['activity', 'association', 'competency', 'definition', 'dilemma', 'domain', 'framework', 'hint', 'item-type', 'principle', 'question', 'resource', 'subpoint', 'version'],
    'every kind of identifier was walked')
})
