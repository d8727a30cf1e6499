/**
 * JSON-LD, fully offline: every document expands and compacts with jsonld.js through a loader that
 * serves only the project's context files; the expanded graphs hold the guide's competencies, key
 * activities and sub-points with their nesting as the seeds give it.
 */
import t from 'tap'
import jsonld from 'jsonld'
import type { JsonLdDocument as JsonLdInput } from 'jsonld'
import { entityUuid, versionUuid } from '../../src/content/ids.js'
import { Catalog } from '../../src/catalog/catalog.js'
import type { VersionIndex } from '../../src/catalog/version-index.js'
import { competenciesJsonLd, competencyJsonLd, versionJsonLd, type JsonLdDocument, type JsonLdProfile } from '../../src/formats/jsonld.js'
import { buildApp, openRepository } from '../helpers/app.js'
import { localContext, offlineDocumentLoader, seeds } from '../helpers/formats.js'

const baseUrl = 'https://competencies.example.org'
const documentLoader = offlineDocumentLoader(baseUrl) as unknown as Parameters<typeof jsonld.expand>[1] extends infer O ? O extends { documentLoader?: infer L } ? L : never : never
const CEASN = 'https://purl.org/ctdlasn/terms/'
// jsonld.js lower-cases language tags of language maps (tags are case-insensitive).
const SCHEMA = 'http://schema.org/'

type Node = Record<string, unknown>

function views (fixtures: boolean): VersionIndex[] {
  const repo = openRepository(t, fixtures)
  return new Catalog(repo).history('isp')
}

async function flat (doc: JsonLdDocument): Promise<Node[]> {
  const flattened = await jsonld.flatten(doc as JsonLdInput, undefined, { documentLoader }) as unknown
  return (Array.isArray(flattened) ? flattened : (flattened as { '@graph': Node[] })['@graph']) as Node[]
}

function value (node: Node, iri: string): unknown {
  const v = node[iri] as Array<{ '@value'?: unknown, '@id'?: string, '@language'?: string }> | undefined
  return v?.[0]?.['@value'] ?? v?.[0]?.['@id']
}

function ids (node: Node, iri: string): string[] {
  return ((node[iri] ?? []) as Array<{ '@id': string }>).map((x) => x['@id'])
}

const uri = (id: string): string => `${baseUrl}/uri/${entityUuid('isp', id)}`

t.test('safe expansion catches an undefined term', async (t) => {
  const doc = { ...versionJsonLd(views(false)[0] as VersionIndex, { profile: 'ctdl', baseUrl }), undefinedTerm: 'y' }
  await t.rejects(jsonld.expand(doc as JsonLdInput, { documentLoader, safe: true } as Parameters<typeof jsonld.expand>[1]), { name: 'jsonld.ValidationError' })
})

t.test('the loader is offline: it refuses every other URL', async (t) => {
  await t.rejects(jsonld.expand({ '@context': 'https://schema.org/', name: 'x' } as JsonLdInput, { documentLoader }), {
    name: 'jsonld.InvalidUrl',
    details: { cause: { message: /^offline: refusing to load https:\/\/schema.org\// } }
  })
})

t.test('every document expands and compacts back to the same graph', async (t) => {
  for (const view of views(true)) {
    const competency = view.competencies[0]?.id ?? ''
    for (const profile of ['ctdl', 'schema.org'] as JsonLdProfile[]) {
      const options = { profile, baseUrl }
      const docs: Array<[string, JsonLdDocument]> = [
        ['version', versionJsonLd(view, options)],
        ['competencies', competenciesJsonLd(view, options)],
        ['competency', competencyJsonLd(view, competency, options) as JsonLdDocument]
      ]
      for (const [name, doc] of docs) {
        const label = `${view.version.number} ${profile} ${name}`
        // Safe mode throws where expansion would drop a term or keep a relative IRI.
        const expanded = await jsonld.expand(doc as JsonLdInput, { documentLoader, safe: true } as Parameters<typeof jsonld.expand>[1])
        t.ok(expanded.length > 0, `${label} expands, losing nothing`)
        const compacted = await jsonld.compact(expanded as JsonLdInput, doc['@context'] as never, { documentLoader })
        t.same(await jsonld.expand(compacted as JsonLdInput, { documentLoader }), expanded, `${label} compacts without loss`)
      }
    }
  }
})

t.test('CTDL-ASN: the version graph holds every competency, key activity and sub-point, nested as in the seeds', async (t) => {
  const view = views(false)[0] as VersionIndex
  const nodes = await flat(versionJsonLd(view, { profile: 'ctdl', baseUrl }))
  const byId = new Map(nodes.map((n) => [n['@id'] as string, n]))
  const fwId = `${baseUrl}/uri/${versionUuid('isp', '1.1')}`
  const framework = byId.get(fwId) as Node
  t.same(framework['@type'], [`${CEASN}CompetencyFramework`])
  t.equal(value(framework, 'https://purl.org/ctdl/terms/ctid'), `ce-${versionUuid('isp', '1.1')}`)
  const s = seeds('1.1')
  t.same(ids(framework, `${CEASN}hasTopChild`), s.competencies.map((c) => uri(c.id)), 'top children: the 15 competencies in order')
  const competencyNodes = nodes.filter((n) => (n['@type'] as string[] | undefined)?.includes(`${CEASN}Competency`))
  const activities = s.competencies.flatMap((c) => c.activities)
  const subpoints = activities.flatMap((a) => a.subpoints ?? [])
  t.equal(activities.length, 115)
  t.equal(competencyNodes.length, 15 + 115 + subpoints.length, 'every competency, activity and sub-point is a ceasn:Competency')
  for (const c of s.competencies) {
    const node = byId.get(uri(c.id)) as Node
    t.equal(value(node, `${CEASN}codedNotation`), c.code)
    t.same(node[`${CEASN}competencyLabel`], [{ '@value': c.name, '@language': 'en-gb' }])
    t.equal(ids(node, `${CEASN}isPartOf`)[0], fwId)
    t.same(ids(node, `${CEASN}hasChild`), c.activities.map((a) => uri(a.id)), `${c.code} children in order`)
    t.same(node[`${CEASN}comment`], [{ '@value': c.hint.paragraphs.join('\n\n'), '@language': 'en-gb' }], `${c.code} hint`)
    t.equal(`ce-${entityUuid('isp', c.id)}`, value(node, 'https://purl.org/ctdl/terms/ctid'))
    for (const a of c.activities) {
      const an = byId.get(uri(a.id)) as Node
      t.same(an[`${CEASN}competencyText`], [{ '@value': a.text, '@language': 'en-gb' }], `${a.code} text`)
      t.same(ids(an, `${CEASN}isChildOf`), [uri(c.id)])
      t.same(ids(an, `${CEASN}hasChild`), (a.subpoints ?? []).map((sp) => uri(sp.id)))
    }
  }
})

t.test('schema.org: a DefinedTermSet of every competency, key activity and sub-point', async (t) => {
  const view = views(false)[0] as VersionIndex
  const nodes = await flat(versionJsonLd(view, { profile: 'schema.org', baseUrl }))
  const set = nodes.find((n) => (n['@type'] as string[] | undefined)?.includes(`${SCHEMA}DefinedTermSet`)) as Node
  t.equal(value(set, `${SCHEMA}version`), '1.1')
  t.same(set[`${SCHEMA}datePublished`], [{ '@value': '2021-09', '@type': `${SCHEMA}Date` }])
  const terms = nodes.filter((n) => (n['@type'] as string[] | undefined)?.includes(`${SCHEMA}DefinedTerm`))
  const s = seeds('1.1')
  const codes = s.competencies.flatMap((c) => [c.code, ...c.activities.flatMap((a) => [a.code, ...(a.subpoints ?? []).map((sp) => sp.code)])])
  t.same(terms.map((n) => value(n, `${SCHEMA}termCode`)).sort(), [...codes].sort())
  t.ok(terms.every((n) => ids(n, `${SCHEMA}inDefinedTermSet`)[0] === set['@id']), 'each term is in the set')
  t.same(ids(set, `${SCHEMA}hasDefinedTerm`).length, codes.length)
})

t.test('competency documents: one competency with its activities; the list links them', async (t) => {
  const view = views(false)[0] as VersionIndex
  const one = await flat(competencyJsonLd(view, 'facilitation', { profile: 'ctdl', baseUrl }) as JsonLdDocument)
  const seed = seeds('1.1').competencies.find((c) => c.id === 'facilitation')
  const expected = [seed?.code, ...(seed?.activities ?? []).flatMap((a) => [a.code, ...(a.subpoints ?? []).map((sp) => sp.code)])]
  t.same(one.map((n) => value(n, `${CEASN}codedNotation`)).filter((c) => c !== undefined).sort(), expected.sort())
  t.equal(competencyJsonLd(view, 'no-such-competency', { profile: 'ctdl', baseUrl }), undefined)
  const list = await flat(competenciesJsonLd(view, { profile: 'ctdl', baseUrl }))
  const described = list.filter((n) => n[`${CEASN}codedNotation`] !== undefined)
  t.equal(described.length, 15, 'the list describes the 15 competencies')
})

t.test('a changed activity gets a new @id and CTID in 1.2', async (t) => {
  const [, v12] = views(true)
  const nodes = await flat(versionJsonLd(v12 as VersionIndex, { profile: 'ctdl', baseUrl }))
  const a2 = nodes.find((n) => value(n, `${CEASN}codedNotation`) === 'C01.A02') as Node
  t.not(a2['@id'], uri('co-learning-a2'))
  t.equal(a2['@id'], `${baseUrl}/uri/${String(value(a2, 'https://purl.org/ctdl/terms/ctid')).slice(3)}`, '@id and CTID name the same identifier')
  const a1 = nodes.find((n) => value(n, `${CEASN}codedNotation`) === 'C01.A01') as Node
  t.equal(a1['@id'], uri('co-learning-a1'), 'an unchanged one keeps its @id')
})

t.test('the served contexts are the local files', async (t) => {
  const app = await buildApp(t)
  for (const path of ['/contexts/ctdl-asn.jsonld', '/contexts/schema-org.jsonld']) {
    const res = await app.inject({ url: path })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^application\/ld\+json/)
    t.same(res.json(), localContext(path))
  }
})
