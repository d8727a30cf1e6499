/**
 * The operations of the CASE REST binding as this provider serves them: path, tag, schemas and
 * words. The routes (case/routes.ts) and the discovery document (case/discovery.ts) are both built
 * from this one list.
 */
import { Type, type TSchema } from '@sinclair/typebox'
import { versionUuid } from '../content/ids.js'
import { caseSchemas, type CaseVersion } from './case-schemas.js'

/** A UUID in its 8-4-4-4-12 form, either case. */
export const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

export const SourcedIdParams = Type.Object({
  sourcedId: Type.String({ pattern: uuidPattern, description: 'The object\'s identifier, a UUID.', examples: [versionUuid('isp', '1.1')] })
})

export const DocumentsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, default: 100, description: 'Page size (default 100).' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'Index of the first document of the page (default 0).' })),
  sort: Type.Optional(Type.String({ description: 'A CFDocument field to sort by; an unknown field keeps the default order (newest version of each framework first).' })),
  orderBy: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'Sort direction.' })),
  filter: Type.Optional(Type.String({ description: 'E.g. `version=\'1.1\'` or `title~\'practice\' AND lastChangeDateTime>\'2021\'`: ops = != > >= < <= ~ (contains), values in single quotes, case-insensitive.' })),
  fields: Type.Optional(Type.Array(Type.String(), { description: 'Comma-separated CFDocument fields to return.' }))
})

/** One operation of the REST binding, as the routes and the discovery document both need it. */
export interface CaseOperation {
  /** The binding's operationId, e.g. getCFItem. */
  name: string
  /** The binding's path, e.g. /CFItems/{sourcedId}. */
  path: string
  /** The binding's tag, e.g. ItemsManager. */
  tag: string
  summary: string
  description: string
  response: TSchema
  querystring?: TSchema
  /** Response headers the operation sets on success. */
  headers?: Record<string, { description: string, schema: TSchema }>
}

/** The operations of a CASE version, in the binding's order. */
export function caseOperations (caseVersion: CaseVersion): CaseOperation[] {
  const s = caseSchemas[caseVersion]
  const none = (what: string) => `${what} is not defined by this framework, so every identifier is unknown (404).`
  return [
    { name: 'getAllCFDocuments', path: '/CFDocuments', tag: 'DocumentsManager', summary: 'List the CFDocuments (one per framework version)', description: 'Every framework version this service holds, paged, sorted, filtered and field-selected as the CASE REST binding defines.', response: s.CFDocumentSet, querystring: DocumentsQuery, headers: { 'X-Total-Count': { description: 'How many documents match, across all pages.', schema: Type.Integer() }, Link: { description: 'RFC 8288 links to the first, last, previous and next pages.', schema: Type.String() } } },
    { name: 'getCFDocument', path: '/CFDocuments/{sourcedId}', tag: 'DocumentsManager', summary: 'Get a CFDocument (a framework version)', description: 'The CFDocument whose identifier is the framework version\'s uuid.', response: s.CFDocument },
    { name: 'getCFPackage', path: '/CFPackages/{sourcedId}', tag: 'PackagesManager', summary: 'Get a CFPackage (a framework version, whole)', description: 'The document, its items, associations and definitions; `sourcedId` is the CFDocument\'s identifier.', response: s.CFPackage },
    { name: 'getCFItem', path: '/CFItems/{sourcedId}', tag: 'ItemsManager', summary: 'Get a CFItem', description: 'A principle, domain, competency, key activity, sub-point or helpful hint, in the newest version that publishes its text.', response: s.CFItem },
    { name: 'getCFItemAssociations', path: '/CFItemAssociations/{sourcedId}', tag: 'AssociationsManager', summary: 'Get a CFItem with its associations', description: 'The item and the associations that have it as origin or destination: those of the version that serves it, and the replacedBy associations of every version.', response: s.CFAssociationSet },
    { name: 'getCFAssociation', path: '/CFAssociations/{sourcedId}', tag: 'AssociationsManager', summary: 'Get a CFAssociation', description: 'An isChildOf or replacedBy association.', response: s.CFAssociation },
    { name: 'getCFItemType', path: '/CFItemTypes/{sourcedId}', tag: 'DefinitionsManager', summary: 'Get a CFItemType and its child item types', description: 'An item type followed by the item types directly below it in the hierarchy.', response: s.CFItemTypeSet },
    { name: 'getCFConcept', path: '/CFConcepts/{sourcedId}', tag: 'DefinitionsManager', summary: 'Get a CFConcept (one of the guide\'s definitions)', description: 'A term the guide defines.', response: s.CFConceptSet },
    { name: 'getCFSubject', path: '/CFSubjects/{sourcedId}', tag: 'DefinitionsManager', summary: 'Get a CFSubject', description: none('A subject'), response: s.CFSubjectSet },
    { name: 'getCFLicense', path: '/CFLicenses/{sourcedId}', tag: 'DefinitionsManager', summary: 'Get a CFLicense', description: none('A licence'), response: s.CFLicense },
    { name: 'getCFAssociationGrouping', path: '/CFAssociationGroupings/{sourcedId}', tag: 'DefinitionsManager', summary: 'Get a CFAssociationGrouping', description: none('An association grouping'), response: s.CFAssociationGrouping },
    { name: 'getCFRubric', path: '/CFRubrics/{sourcedId}', tag: 'RubricsManager', summary: 'Get a CFRubric', description: none('A rubric'), response: s.CFRubric }
  ]
}

/** The failure statuses every operation documents. */
export const failureStatuses = {
  400: 'The request is invalid: a malformed UUID, or an unusable collection parameter.',
  404: 'No such object (unknownobject).',
  429: 'Too many requests (server_busy).',
  500: 'An internal error (internal_server_error).'
} as const

