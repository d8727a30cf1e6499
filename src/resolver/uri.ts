/**
 * GET /uri/{uuid}: every `uri` and JSON-LD `@id` the service publishes resolves here. An identifier
 * names one published text (see catalog/revisions.ts), served from the newest version that publishes it:
 * - JSON (the default): a small summary with a link (`href`) to the full REST resource, and
 *   `replacedBy` when a later version changed the text;
 * - JSON-LD (`Accept: application/ld+json` or `?format=jsonld`, CTDL-ASN unless
 *   `?profile=schema.org` or an Accept `profile` of https://schema.org/): a framework version,
 *   competency, key activity or sub-point;
 * - CASE (`Accept: application/vnd.case+json` or `?format=case`): the CFDocument, CFItem,
 *   CFAssociation, CFItemType or CFConcept (CASE 1.1).
 * - a browser (`text/html` preferred): a 303 to the explorer's page of it (src/pages/).
 * A format the identified object has no form in is 406; errors are problem+json, as on REST routes.
 */
import type { FastifyPluginAsync } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { entityUuid } from '../content/ids.js'
import { entityTypes, type EntityType, type VersionRecord } from '../content/model.js'
import { negotiate, type Offer } from '../web/negotiation.js'
import { notFound } from '../web/problem.js'
import { problemResponse } from '../web/schemas/problem.js'
import { Urls } from '../web/urls.js'
import { SHORT } from '../web/response-cache.js'
import { explorerPath } from '../web/page-paths.js'
import type { FormatCatalog } from '../formats/catalog.js'
import { caseUri } from '../formats/case.js'
import { uuidPattern } from '../formats/case-operations.js'
import { caseSegment, type CFItemType } from '../formats/case-schemas.js'
import { nodeName, nodeText } from '../catalog/version.js'
import { JSON_LD, jsonLdProfiles, statementJsonLd, versionJsonLd, type JsonLdProfile } from '../formats/jsonld.js'

/** The media type of CASE JSON from the resolver. */
export const CASE_JSON = 'application/vnd.case+json'

type Format = 'json' | 'jsonld' | 'case' | 'html'
interface ResolverOffer extends Offer<never, never> { format: Format, profile?: { name: JsonLdProfile, iri: string } }

const jsonOffer: ResolverOffer = { format: 'json', mediaType: 'application/json' }
const jsonLdOffers: ResolverOffer[] = (Object.keys(jsonLdProfiles) as JsonLdProfile[]).map((name) => ({
  format: 'jsonld', mediaType: JSON_LD, profile: { name, iri: jsonLdProfiles[name].iri }
}))
const caseOffer: ResolverOffer = { format: 'case', mediaType: CASE_JSON }
/** A browser's request: answered with a redirect to the explorer's page (offered last, so an Accept of any type still gets JSON). */
const htmlOffer: ResolverOffer = { format: 'html', mediaType: 'text/html' }

export const Resolved = Type.Object({
  uri: Type.String({ format: 'uri', description: 'This URI.' }),
  identifier: Type.String({ format: 'uuid', description: 'The identifier asked for.' }),
  type: Type.Union([...entityTypes, 'version', 'framework', 'association', 'item-type'].map((t) => Type.Literal(t)), {
    description: 'What the identifier names: an entity type, a framework version, a framework, or a CASE association or item type.'
  }),
  framework: Type.String({ description: 'The framework id.' }),
  version: Type.Optional(Type.String({ description: 'The version this is served from: the newest that publishes this identifier.' })),
  id: Type.String({ description: 'The slug id (for a version, its number; for a CASE object, its identifier).' }),
  code: Type.Optional(Type.String({ description: 'The entity\'s code, e.g. C01.A02.' })),
  uuid: Type.Optional(Type.String({ format: 'uuid', description: 'The entity\'s uuid, the same in every version.' })),
  name: Type.Optional(Type.String({ description: 'The name or title, where there is one.' })),
  text: Type.Optional(Type.String({ description: 'The text, verbatim (Markdown).' })),
  href: Type.String({ format: 'uri', description: 'The full resource: the REST resource, or the CASE endpoint for CASE-only objects.' }),
  replacedBy: Type.Optional(Type.String({ format: 'uri', description: 'The URI of the entity\'s newer text, when a later version changed it.' }))
}, { additionalProperties: false, description: 'What a published identifier names.' })

export type Resolved = Static<typeof Resolved>

const ResolverQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('jsonld'), Type.Literal('case')], { description: 'The representation; overrides Accept.' })),
  profile: Type.Optional(Type.Union([Type.Literal('ctdl'), Type.Literal('schema.org')], { description: 'The JSON-LD vocabulary (default ctdl: CTDL-ASN); overrides the Accept profile parameter.' }))
})

interface Target {
  json: Resolved
  jsonld?: (profile: JsonLdProfile) => unknown
  case?: () => unknown
  /** The explorer's page of it, for browsers. */
  page?: string
}

/** The explorer's page of what a resolved identifier names; `parent` is the competency of an activity, hint or sub-point. */
function pageOf (json: Resolved, parent?: string): string | undefined {
  return json.version === undefined && json.type !== 'framework'
    ? undefined
    : explorerPath(json.framework, json.version ?? 'latest', json.type, json.id, json.code, parent)
}

const resolver: FastifyPluginAsync<{ catalog: FormatCatalog }> = async (app, { catalog }) => {
  const base = catalog.baseUrl
  const caseBase = `${base}/ims/case/${caseSegment('1.1')}`
  const urls = new Urls(base)
  /** The REST resource of an entity: its own, or for a sub-point its activity's with the sub-point as fragment. */
  const href = (version: VersionRecord, type: EntityType, id: string, parent?: string): string => type === 'subpoint'
    ? urls.subpoint(version.framework, version.number, parent ?? '', id)
    : urls.entity(version.framework, version.number, type, id)

  function entity (identifier: string, type: EntityType, version: VersionRecord, record: { id: string, code: string, uuid: string }, name: string | null, text: string, parent?: string): Resolved {
    const newest = [...catalog.catalog.history(version.framework)].reverse().find((v) => v.revisions.has(record.uuid))
    const latest = newest?.revisions.get(record.uuid)?.identifier
    return {
      uri: caseUri(base, identifier),
      identifier,
      type,
      framework: version.framework,
      version: version.number,
      id: record.id,
      code: record.code,
      uuid: record.uuid,
      ...(name === null ? {} : { name }),
      text,
      href: href(version, type, record.id, parent),
      ...(latest !== undefined && latest !== identifier ? { replacedBy: caseUri(base, latest) } : {})
    }
  }

  function resolve (id: string): Target | undefined {
    const published = catalog.lookup(id)
    if (published !== undefined) {
      const { version } = published
      const view = catalog.catalog.index(version)
      const pkg = catalog.casePackage(version, '1.1')
      const asCase = (): unknown => catalog.caseObject(id, '1.1')?.object
      const summary = { identifier: id, uri: caseUri(base, id), framework: version.framework, version: version.number, id }
      switch (published.kind) {
        case 'document':
          return {
            json: { ...summary, type: 'version', id: version.number, name: pkg.package.CFDocument.title, href: urls.version(version.framework, version.number) },
            jsonld: (profile) => versionJsonLd(view, { profile, baseUrl: base }),
            case: asCase,
            page: explorerPath(version.framework, version.number, 'version', version.number)
          }
        case 'item': {
          const record = view.outline.find((n) => n.record.uuid === published.entityUuid)?.record
          if (record === undefined) return undefined
          const statement = record.type === 'competency' || record.type === 'activity' || record.type === 'subpoint'
          const json = entity(id, record.type, version, record, nodeName(record), nodeText(record), record.type === 'subpoint' ? record.activity : undefined)
          const parent = record.type === 'activity' || record.type === 'hint'
            ? record.competency
            : record.type === 'subpoint' ? view.byId.activity.get(record.activity)?.competency : undefined
          return {
            json,
            ...(statement ? { jsonld: (profile: JsonLdProfile) => statementJsonLd(view, record.uuid, { profile, baseUrl: base }) } : {}),
            case: asCase,
            page: pageOf(json, parent)
          }
        }
        case 'concept': {
          const record = view.definitions.find((d) => d.uuid === published.entityUuid)
          if (record === undefined) return undefined
          const json = entity(id, 'definition', version, record, record.term, record.text)
          return { json, case: asCase, page: pageOf(json) }
        }
        case 'association':
          return {
            json: { ...summary, type: 'association', href: `${caseBase}/CFAssociations/${id}` },
            case: asCase
          }
        case 'itemType':
          return {
            json: { ...summary, type: 'item-type', name: (pkg.itemTypes.get(id) as CFItemType).title, href: `${caseBase}/CFItemTypes/${id}` },
            case: asCase
          }
      }
    }
    const found = app.repo.findUuid(id)
    if (found === undefined) return undefined
    const { version } = found
    if (found.type === 'framework') {
      const json: Resolved = { uri: caseUri(base, id), identifier: id, type: 'framework', framework: version.framework, id: version.framework, name: version.meta.title, href: urls.framework(version.framework) }
      return { json, page: pageOf(json) }
    }
    if (found.type === 'question' || found.type === 'dilemma' || found.type === 'resource') {
      const record = catalog.catalog.index(version).byId[found.type].get(found.id)
      if (record === undefined) return undefined
      const json = entity(id, found.type, version, record, null, record.text)
      return { json, page: pageOf(json) }
    }
    return undefined
  }

  app.get('/uri/:uuid', {
    // What an identifier names changes only with a restart: cached like REST's (src/web/http-cache.ts).
    ...app.httpCache.route({ cacheControl: SHORT, vary: 'Accept', byUrl: true }),
    schema: {
      operationId: 'resolveUri',
      summary: 'Resolve a published URI',
      description: 'Every `uri` and JSON-LD `@id` the service publishes is `<base>/uri/<uuid>`. JSON by default; JSON-LD (`application/ld+json`, CTDL-ASN or schema.org) and CASE (`application/vnd.case+json`) by Accept or `?format=`.',
      tags: ['formats'],
      params: Type.Object({ uuid: Type.String({ pattern: uuidPattern, description: 'A published identifier.', examples: [entityUuid('isp', 'co-learning')] }) }),
      querystring: ResolverQuery,
      response: {
        200: {
          description: 'What the identifier names, in the negotiated representation.',
          content: {
            'application/json': { schema: Resolved },
            [JSON_LD]: { schema: Type.Object({}, { additionalProperties: true, description: 'A JSON-LD document (CTDL-ASN or schema.org).' }) },
            [CASE_JSON]: { schema: Type.Object({}, { additionalProperties: true, description: 'A CASE 1.1 CFDocument, CFItem, CFAssociation, CFItemType or CFConcept.' }) }
          }
        },
        303: { type: 'null', description: 'A browser (`text/html` preferred in Accept) is sent to the page of the identified thing in the explorer (`Location`).' },
        400: problemResponse('The uuid is not a UUID, or a query parameter is unknown or has a bad value.'),
        404: problemResponse('Nothing is published under this identifier.'),
        406: problemResponse('The identified object has no representation that matches Accept or `?format=`.')
      }
    }
  }, async (request, reply) => {
    const { uuid } = request.params as { uuid: string }
    const query = request.query as Static<typeof ResolverQuery>
    const id = uuid.toLowerCase()
    const target = resolve(id)
    if (target === undefined) throw notFound(`Nothing is published as ${id}.`, [{ in: 'path', name: 'uuid', message: `no published identifier ${id}` }])
    const offers = [jsonOffer, ...(target.jsonld === undefined ? [] : jsonLdOffers), ...(target.case === undefined ? [] : [caseOffer]), ...(target.page === undefined ? [] : [htmlOffer])]
    reply.header('vary', 'Accept')
    const chosen = negotiate(offers, request.headers.accept, query.format, query.profile)
    if (chosen.format === 'html' && target.page !== undefined) return reply.redirect(target.page, 303)
    if (chosen.format === 'jsonld' && target.jsonld !== undefined && chosen.profile !== undefined) {
      return reply.type(`${JSON_LD}; profile="${chosen.profile.iri}"`).send(JSON.stringify(target.jsonld(chosen.profile.name)))
    }
    if (chosen.format === 'case' && target.case !== undefined) return reply.type(CASE_JSON).send(JSON.stringify(target.case()))
    return reply.type('application/json; charset=utf-8').send(target.json)
  })
}

export default resolver
