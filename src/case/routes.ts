/**
 * A read-only CASE provider for one CASE version, mounted at /ims/case/v1p0 or /ims/case/v1p1:
 * the twelve operations of the REST binding and the discovery document. Errors under the prefix,
 * unknown paths included, are imsx_StatusInfo with that version's code-minor spelling: a malformed
 * UUID is 400 invalid_uuid (1.0: invaliduuid), an unknown one 404 unknownobject.
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Static } from '@sinclair/typebox'
import type { CaseObject, FormatCatalog } from '../formats/catalog.js'
import { packageDocument, standaloneDocument, type CaseOptions } from '../formats/case.js'
import { pageLinks } from '../web/paging.js'
import { CaseQueryError, parseFilter, projectRow, selectedFields, sortRows } from './query.js'
import { caseRef, caseSchemas, caseSegment, codeMinors, type CaseVersion, type StatusInfo } from '../formats/case-schemas.js'
import { caseOperations, DocumentsQuery, failureStatuses, SourcedIdParams } from '../formats/case-operations.js'
import { discoveryDocument, DiscoveryDocument } from './discovery.js'
import { scopeRouterErrors } from '../web/error-scopes.js'
import { SHORT } from '../web/response-cache.js'

export interface CaseRoutesOptions {
  caseVersion: CaseVersion
  catalog: FormatCatalog
}

/** The OpenAPI tag of a CASE version's operations. */
export const caseTag = (caseVersion: CaseVersion): string => `CASE ${caseVersion}`

/** An error the CASE routes answer with imsx_StatusInfo. */
export class CaseError extends Error {
  constructor (readonly statusCode: number, readonly codeMinor: string, readonly field: string, message: string) {
    super(message)
    this.name = 'CaseError'
  }
}

type Minor = StatusInfo extends { imsx_codeMinor?: { imsx_codeMinorField: Array<{ imsx_codeMinorFieldValue: infer V }> } } ? V : never

/** The imsx_StatusInfo body of a failure. */
export function statusInfo (codeMinor: string, field: string, description: string): StatusInfo {
  return {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: description,
    imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: field, imsx_codeMinorFieldValue: codeMinor as Minor }] }
  }
}

const caseRoutes: FastifyPluginAsync<CaseRoutesOptions> = async (app, { caseVersion, catalog }) => {
  const schemas = caseSchemas[caseVersion]
  const segment = caseSegment(caseVersion)
  const minor = codeMinors[caseVersion]
  const options: CaseOptions = { baseUrl: catalog.baseUrl, caseVersion }
  const documentFields = new Set(Object.keys(schemas.CFDocument.properties))
  const tag = caseTag(caseVersion)
  const failures = Object.fromEntries(Object.entries(failureStatuses).map(([code, description]) =>
    [code, { description, content: { 'application/json': { schema: caseRef(schemas.StatusInfo) } } }]))
  // Operation ids are unique across the app's OpenAPI document: caseV1p1GetCFItem, caseV1p0GetCFItem, …
  const operationId = (name: string): string => `case${segment.replace(/^v/, 'V')}${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof CaseError) return reply.code(err.statusCode).send(statusInfo(err.codeMinor, err.field, err.message))
    if (err instanceof CaseQueryError) return reply.code(400).send(statusInfo('invalid_selection_field', err.parameter, err.message))
    if (err.validation !== undefined) {
      const first = err.validation[0]
      const field = (first?.instancePath ?? '').replace(/^\//, '').split('/')[0] || (first?.params as { missingProperty?: string } | undefined)?.missingProperty || err.validationContext || 'request'
      if (err.validationContext === 'params') return reply.code(400).send(statusInfo(minor.invalidUuid, field, `${field} must be a UUID (8-4-4-4-12 hexadecimal digits)`))
      return reply.code(400).send(statusInfo('invalid_selection_field', field, `${err.validationContext ?? 'request'}/${field} ${first?.message ?? 'is invalid'}`))
    }
    const status = err.statusCode ?? 500
    if (status === 429 || status === 503) return reply.code(status).send(statusInfo('server_busy', 'server', err.message))
    if (status >= 500) {
      request.log.error({ err }, 'CASE request failed')
      return reply.code(500).send(statusInfo('internal_server_error', 'server', 'Internal server error'))
    }
    if (status === 401) return reply.code(401).send(statusInfo(minor.unauthorised, 'server', err.message))
    if (status === 403) return reply.code(403).send(statusInfo('forbidden', 'server', err.message))
    if (status === 404) return reply.code(404).send(statusInfo('unknownobject', 'server', err.message))
    return reply.code(status).send(statusInfo('invalid_selection_field', 'request', err.message))
  })

  scopeRouterErrors(app)

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(statusInfo('unknownobject', 'path', `No CASE ${caseVersion} endpoint ${request.method} ${request.url.split('?')[0] ?? ''}`))
  })

  const unknown = (kind: string, id: string): CaseError => new CaseError(404, 'unknownobject', 'sourcedId', `Unknown ${kind} ${id}`)

  /** The object a sourcedId names, if it is of `kind`. */
  const named = <K extends CaseObject['kind']>(request: FastifyRequest, kind: K, label: string): Extract<CaseObject, { kind: K }> => {
    const id = (request.params as { sourcedId: string }).sourcedId
    const found = catalog.caseObject(id, caseVersion)
    if (found?.kind !== kind) throw unknown(label, id)
    return found as Extract<CaseObject, { kind: K }>
  }
  const none = (label: string) => (request: FastifyRequest): never => {
    throw unknown(label, (request.params as { sourcedId: string }).sourcedId)
  }

  const handlers: Record<string, (request: FastifyRequest, reply: FastifyReply) => unknown> = {
    getAllCFDocuments: (request, reply) => {
      const query = request.query as Static<typeof DocumentsQuery>
      const limit = query.limit ?? 100
      const offset = query.offset ?? 0
      const all = catalog.catalog.versions().map((v) => standaloneDocument(packageDocument(v, options), options))
      const matching = query.filter === undefined ? all : all.filter(parseFilter(query.filter, documentFields))
      const names = selectedFields(query.fields, documentFields)
      const page = sortRows(matching, query.sort, query.orderBy, documentFields).slice(offset, offset + limit)
      const url = new URL(`${catalog.baseUrl}${request.url}`)
      reply.header('X-Total-Count', String(matching.length))
      reply.header('Link', pageLinks(url, matching.length, limit, offset).header)
      return { CFDocuments: page.map((d) => projectRow(d, names)) }
    },
    getCFDocument: (request) => named(request, 'document', 'CFDocument').object,
    getCFPackage: (request) => named(request, 'document', 'CFDocument').pkg.package,
    getCFItem: (request) => named(request, 'item', 'CFItem').object,
    getCFItemAssociations: (request) => {
      const { object, pkg } = named(request, 'item', 'CFItem')
      return { CFItem: object, CFAssociations: catalog.associationsOf(object.identifier, pkg.version, caseVersion) }
    },
    getCFAssociation: (request) => named(request, 'association', 'CFAssociation').object,
    getCFItemType: (request) => {
      const { object, pkg } = named(request, 'itemType', 'CFItemType')
      const children = [...pkg.itemTypes.values()].filter((t) => isChildCode(t.hierarchyCode, object.hierarchyCode))
      return { CFItemTypes: [object, ...children] }
    },
    getCFConcept: (request) => ({ CFConcepts: [named(request, 'concept', 'CFConcept').object] }),
    getCFSubject: none('CFSubject'),
    getCFLicense: none('CFLicense'),
    getCFAssociationGrouping: none('CFAssociationGrouping'),
    getCFRubric: none('CFRubric')
  }

  // A CASE answer depends only on its URL until a restart: cached like REST's (src/web/http-cache.ts).
  const cached = app.httpCache.route({ cacheControl: SHORT, byUrl: true, keep: ['link', 'x-total-count'] })
  for (const op of caseOperations(caseVersion)) {
    const handler = handlers[op.name] as (request: FastifyRequest, reply: FastifyReply) => unknown
    app.get(op.path.replace('{sourcedId}', ':sourcedId'), {
      ...cached,
      schema: {
        operationId: operationId(op.name),
        summary: op.summary,
        description: op.description,
        tags: [tag],
        ...(op.path.includes('{sourcedId}') ? { params: SourcedIdParams } : {}),
        ...(op.querystring === undefined ? {} : { querystring: op.querystring }),
        response: {
          200: { description: op.response.description, content: { 'application/json': { schema: caseRef(op.response) } } },
          ...failures
        }
      }
    }, async (request, reply) => handler(request, reply))
  }

  const discovery = discoveryDocument(caseVersion, catalog.baseUrl)
  app.get(`/discovery/imscase${segment}_openapi3_v1p0.json`, {
    ...cached,
    schema: {
      operationId: operationId('discovery'),
      summary: `The CASE ${caseVersion} service description (OpenAPI 3.0) for discovery`,
      tags: [tag],
      response: { 200: { description: DiscoveryDocument.description, content: { 'application/json': { schema: caseRef(DiscoveryDocument) } } } }
    }
  }, async () => discovery)
}

/** Whether hierarchy code `code` is directly below `parent` (2.1 is below 2). */
function isChildCode (code: string, parent: string): boolean {
  return code.startsWith(`${parent}.`) && !code.slice(parent.length + 1).includes('.')
}

export default caseRoutes
