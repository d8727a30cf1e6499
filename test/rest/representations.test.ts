/**
 * JSON-LD and CSV as representations of REST resources: chosen by Accept, `?format=` and
 * `?profile=`, rendered by the formats from the same version (never derived twice), expanded
 * offline, cached per representation (a schema.org body never answers a CTDL request), and
 * contract-checked; the CSV export parsed back and compared with the JSON export.
 */
import t from 'tap'
import jsonld from 'jsonld'
import type { JsonLdDocument as JsonLdInput } from 'jsonld'
import { parse } from 'csv-parse/sync'
import type { VersionSeed } from '../../src/content/schema.js'
import { exportCsv } from '../../src/formats/csv.js'
import { competenciesJsonLd, competencyJsonLd, versionJsonLd, type JsonLdProfile } from '../../src/formats/jsonld.js'
import { buildApp } from '../helpers/app.js'
import { contract, document, resolved } from '../helpers/contract.js'
import { csvRows, offlineDocumentLoader } from '../helpers/formats.js'
import { readSeeds } from '../helpers/seeds.js'

const BASE = 'http://localhost:3000'
const CTDL = 'https://purl.org/ctdlasn/terms/'
const SCHEMA = 'https://schema.org/'
const documentLoader = offlineDocumentLoader(BASE) as unknown as Parameters<typeof jsonld.expand>[1] extends infer O ? O extends { documentLoader?: infer L } ? L : never : never

const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)

type Node = Record<string, Array<{ '@value'?: string, '@id'?: string }> | string[] | string>

/** Every node of a document, expanded offline in safe mode (nothing dropped, nothing fetched). */
async function nodes (body: string): Promise<Node[]> {
  const expanded = await jsonld.expand(JSON.parse(body) as JsonLdInput, { documentLoader, safe: true } as Parameters<typeof jsonld.expand>[1])
  const flat = await jsonld.flatten(expanded as JsonLdInput, undefined, { documentLoader }) as unknown
  return (Array.isArray(flat) ? flat : (flat as { '@graph': Node[] })['@graph']) as Node[]
}

const codes = (list: Node[], iri: string): string[] => list.flatMap((n) => (n[iri] as Array<{ '@value': string }> | undefined)?.map((v) => v['@value']) ?? [])

for (const number of ['1.1', '1.2'] as const) {
  t.test(`isp ${number}: a version, the competencies and a competency as CTDL-ASN and schema.org`, async (t) => {
    const seed = readSeeds(number)
    const competencyCodes = seed.competencies.map((c) => c.code)
    const statementCodes = seed.competencies.flatMap((c) => [c.code, ...c.activities.flatMap((a) => [a.code, ...(a.subpoints ?? []).map((s) => s.code)])])
    const view = app.catalog.index(app.repo.version('isp', number)!)
    const prefix = `/v1/frameworks/isp/${number}`
    for (const profile of ['ctdl', 'schema.org'] as JsonLdProfile[]) {
      const iri = profile === 'ctdl' ? CTDL : SCHEMA
      const options = { profile, baseUrl: BASE }
      const code = profile === 'ctdl' ? `${CTDL}codedNotation` : 'http://schema.org/termCode'
      const cases: Array<[string, object | undefined, string[]]> = [
        [prefix, versionJsonLd(view, options), statementCodes],
        [`${prefix}/competencies`, competenciesJsonLd(view, options), competencyCodes],
        [`${prefix}/competencies/co-learning`, competencyJsonLd(view, 'co-learning', options),
          statementCodes.filter((c) => c === 'C01' || c.startsWith('C01.'))]
      ]
      for (const [path, expected, expectedCodes] of cases) {
        const accept = profile === 'ctdl' ? 'application/ld+json' : `application/ld+json; profile="${iri}"`
        const byAccept = await inject({ url: path, headers: { accept } })
        t.equal(byAccept.statusCode, 200, `${path} ${profile}`)
        t.equal(byAccept.headers['content-type'], `application/ld+json; profile="${iri}"`)
        t.same(JSON.parse(byAccept.body), expected, `${path} ${profile}: the formats' document, as is`)
        t.same(codes(await nodes(byAccept.body), code).sort(), [...expectedCodes].sort(), `${path} ${profile}: expands offline to every competency, activity and sub-point it holds`)
        const query = profile === 'ctdl' ? '?format=jsonld' : '?format=jsonld&profile=schema.org'
        const byQuery = await inject(`${path}${query}`)
        t.equal(byQuery.body, byAccept.body, `${path}${query}`)
        t.equal(byQuery.headers.etag, byAccept.headers.etag, 'the same bytes, the same ETag')
        t.equal(byQuery.headers['cache-control'], 'public, max-age=31536000, immutable')
        const revalidated = await inject({ url: `${path}${query}`, headers: { 'if-none-match': byAccept.headers.etag as string } })
        t.equal(revalidated.statusCode, 304)
      }
    }
  })
}

t.test('the competencies list as JSON-LD is the page asked for: filters, search, sort and paging apply', async (t) => {
  const page = await inject('/v1/frameworks/isp/1.1/competencies?format=jsonld&domain=sustaining-change&sort=-code&limit=2&offset=1')
  const json = (await inject('/v1/frameworks/isp/1.1/competencies?domain=sustaining-change&sort=-code&limit=2&offset=1')).json() as { data: Array<{ code: string }> }
  t.equal(json.data.length, 2)
  const graph = JSON.parse(page.body) as { '@graph': Array<{ 'ceasn:codedNotation': string }> }
  t.same(graph['@graph'].map((n) => n['ceasn:codedNotation']), json.data.map((c) => c.code), 'the same competencies, in the same order')
  t.match(page.headers.link, /rel="next"|rel="prev"/, 'with the list\'s Link header')
})

t.test('a schema.org body never answers a CTDL request, whatever asked first', async (t) => {
  const fresh = await buildApp(t, { fixtures: true })
  const url = '/v1/frameworks/isp/1.1/competencies/brokering'
  const schemaOrg = await fresh.inject({ url, headers: { accept: 'application/ld+json; profile="https://schema.org/"' } })
  const ctdl = await fresh.inject({ url, headers: { accept: 'application/ld+json' } })
  const ctdlByQuery = await fresh.inject(`${url}?format=jsonld`)
  const schemaByQuery = await fresh.inject({ url: `${url}?profile=schema.org`, headers: { accept: 'application/ld+json' } })
  t.match(schemaOrg.body, /"DefinedTerm"/)
  t.match(ctdl.body, /"ceasn:Competency"/)
  t.equal(ctdlByQuery.body, ctdl.body)
  t.equal(schemaByQuery.body, schemaOrg.body, '?profile overrides Accept')
  t.not(ctdl.headers.etag, schemaOrg.headers.etag)
  const crossed = await fresh.inject({ url, headers: { accept: 'application/ld+json', 'if-none-match': schemaOrg.headers.etag as string } })
  t.equal(crossed.statusCode, 200, 'a schema.org ETag does not validate the CTDL body')
  t.match(crossed.body, /"ceasn:Competency"/)
  for (const headers of [{ accept: 'application/ld+json; profile="https://schema.org/"' }, {}]) {
    const again = await fresh.inject({ url: `${url}?format=jsonld`, headers })
    t.equal(again.body, headers.accept === undefined ? ctdl.body : schemaOrg.body, `?format=jsonld with ${headers.accept ?? 'no Accept'}`)
  }
})

t.test('latest: short-lived, pinned URL with the query kept', async (t) => {
  const res = await inject('/v1/frameworks/isp/latest/competencies/co-learning?format=jsonld&profile=schema.org')
  t.equal(res.headers['cache-control'], 'public, max-age=300')
  t.equal(res.headers['content-location'], `${BASE}/v1/frameworks/isp/1.2/competencies/co-learning?format=jsonld&profile=schema.org`)
  t.equal(res.body, (await inject('/v1/frameworks/isp/1.2/competencies/co-learning?format=jsonld&profile=schema.org')).body)
})

t.test('bad profiles and formats are 400s naming the parameter; unservable Accepts are 406s', async (t) => {
  const bogus = await inject('/v1/frameworks/isp/1.1/competencies/co-learning?profile=dublin-core')
  t.equal(bogus.statusCode, 400)
  t.match(bogus.json(), { errors: [{ in: 'query', name: 'profile', allowed: ['ctdl', 'schema.org'] }] })
  const mismatch = await inject('/v1/frameworks/isp/1.1/competencies/co-learning?format=json&profile=schema.org')
  t.equal(mismatch.statusCode, 400)
  t.match(mismatch.json(), { errors: [{ name: 'profile', message: /applies to the jsonld representation, not to json/ }] })
  const noProfiles = await inject('/v1/frameworks/isp/1.1/principles?profile=ctdl')
  t.equal(noProfiles.statusCode, 400, 'routes without JSON-LD take no profile')
  t.match(noProfiles.json(), { title: 'Unknown Parameter', errors: [{ name: 'profile' }] })
  const notOffered = await inject({ url: '/v1/frameworks/isp/1.1/principles', headers: { accept: 'application/ld+json' } })
  t.equal(notOffered.statusCode, 406)
  t.same(notOffered.json().errors[0].allowed, ['application/json'])
  const csvOfVersion = await inject('/v1/frameworks/isp/1.1?format=csv')
  t.equal(csvOfVersion.statusCode, 400)
  t.match(csvOfVersion.json(), { errors: [{ name: 'format', allowed: ['json', 'jsonld'] }] })
})

t.test('OpenAPI documents the representations and the profile parameter', async (t) => {
  for (const path of ['/v1/frameworks/{framework}/{version}', '/v1/frameworks/{framework}/{version}/competencies', '/v1/frameworks/{framework}/{version}/competencies/{id}']) {
    const op = document.paths[path]!.get! as unknown as { parameters: Array<{ name: string, schema: { enum?: string[] }, $ref?: string }>, responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }> }
    t.same(Object.keys(op.responses['200']!.content), ['application/json', 'application/ld+json'], path)
    t.equal(op.responses['200']!.content['application/ld+json']!.schema.$ref, '#/components/schemas/JsonLd')
    const parameters = op.parameters.map(resolved)
    t.same(parameters.find((p) => p.name === 'profile')?.schema.enum, ['ctdl', 'schema.org'])
    t.same(parameters.find((p) => p.name === 'format')?.schema.enum, ['json', 'jsonld'])
  }
  const exportOp = document.paths['/v1/frameworks/{framework}/{version}/export']!.get! as unknown as { parameters: Array<{ name: string, $ref?: string }>, responses: Record<string, { content: Record<string, unknown> }> }
  t.same(Object.keys(exportOp.responses['200']!.content), ['application/json', 'text/csv'])
  t.notOk(exportOp.parameters.map(resolved).some((p) => p.name === 'profile'), 'no profile where there is no JSON-LD')
})

for (const number of ['1.1', '1.2'] as const) {
  t.test(`isp ${number}: the CSV export parses back to what the JSON export of the same route says`, async (t) => {
    const url = `/v1/frameworks/isp/${number}/export`
    const csv = await inject(`${url}?format=csv`)
    t.equal(csv.statusCode, 200)
    t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8; header=present')
    const byAccept = await inject({ url, headers: { accept: 'text/csv' } })
    t.equal(byAccept.body, csv.body)
    t.equal(byAccept.headers.etag, csv.headers.etag)
    const json = await inject(url)
    t.not(json.headers.etag, csv.headers.etag, 'each representation has its own ETag')
    const rows = parse(csv.body, { columns: true, strict: true } as never) as Array<Record<string, string>>
    t.same(rows, csvRows(json.json() as VersionSeed), 'row for row')
    t.equal(csv.body, exportCsv(app.catalog.index(app.repo.version('isp', number)!)), 'the formats\' CSV, as is')
    t.match(csv.headers['content-digest'], /^sha-256=:[A-Za-z0-9+/]+=*:$/, 'with a Content-Digest, like the JSON export')
    t.equal((await inject({ url: `${url}?format=csv`, headers: { 'if-none-match': csv.headers.etag as string } })).statusCode, 304)
    const br = await inject({ url: `${url}?format=csv`, headers: { 'accept-encoding': 'br' } })
    t.equal(br.headers['content-encoding'], 'br', 'compressed like any large response')
  })
}

t.test('the CSV of latest names its pinned URL', async (t) => {
  const res = await inject({ url: '/v1/frameworks/isp/latest/export', headers: { accept: 'text/csv' } })
  t.equal(res.headers['content-location'], `${BASE}/v1/frameworks/isp/1.2/export`)
  t.equal(res.headers['cache-control'], 'public, max-age=300')
  t.equal(res.headers.vary, 'Accept, Accept-Encoding')
})
