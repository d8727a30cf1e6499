/**
 * 1EdTech CASE (1.0 and 1.1) from a framework's versions: one CFDocument per version (identifier:
 * the version uuid), a CFItem per outline node, isChildOf associations that reproduce the guide's
 * nesting and order, replacedBy associations from a changed entity's previous text to its new one
 * (see catalog/revisions.ts), and CFDefinitions holding the item types and the guide's definitions as
 * CFConcepts. The guide states no licence, rubric, subject or association grouping, so none is
 * emitted. Every `uri` is `<base>/uri/<identifier>`, which the resolver serves.
 */
import { v5 as uuidv5 } from 'uuid'
import { ID_NAMESPACE } from '../content/ids.js'
import type { VersionRecord } from '../content/model.js'
import { Activity, Competency, Domain, Hint, Principle, SubPoint } from '../content/schema.js'
import { nodeName, nodeText, versionTitle, type OutlineNode, type OutlineRecord } from '../catalog/version.js'
import type { VersionIndex } from '../catalog/version-index.js'
import {
  caseSegment, type CaseVersion, type CFAssociation, type CFConcept, type CFDocument, type CFItem, type CFItemType, type CFPackage,
  type CFPckgAssociation, type CFPckgDocument, type CFPckgItem, type LinkGenURI, type LinkURI
} from './case-schemas.js'

export interface CaseOptions {
  /** The service's public base URL, without a trailing slash. */
  baseUrl: string
  caseVersion: CaseVersion
}

type OutlineType = OutlineRecord['type']

/** The CFItemType of each outline node type; hierarchyCode mirrors the nesting. */
export const itemTypes: Record<OutlineType, { title: string, hierarchyCode: string, description: string }> = {
  principle: { title: 'Principle', hierarchyCode: '1', description: Principle.description as string },
  domain: { title: 'Domain', hierarchyCode: '2', description: Domain.description as string },
  competency: { title: 'Competency', hierarchyCode: '2.1', description: Competency.description as string },
  activity: { title: 'Key Activity', hierarchyCode: '2.1.1', description: Activity.description as string },
  subpoint: { title: 'Sub-point', hierarchyCode: '2.1.1.1', description: SubPoint.description as string },
  hint: { title: 'Helpful Hint', hierarchyCode: '2.1.2', description: Hint.description as string }
}

/** The identifier of an item type of a framework. */
export function itemTypeUuid (framework: string, type: OutlineType): string {
  return uuidv5(`${framework}:case-item-type:${type}`, ID_NAMESPACE)
}

/** The identifier of an association: UUIDv5 of its type, endpoints and sequence number. */
export function associationUuid (type: string, origin: string, destination: string, sequenceNumber?: number): string {
  return uuidv5(`case-association:${type}:${origin}:${destination}:${sequenceNumber ?? ''}`, ID_NAMESPACE)
}

/**
 * A release date as the date-time CASE requires: midnight UTC on the release day, or on the first
 * of the month when only a month is known (2021-09 → 2021-09-01T00:00:00+00:00).
 */
export function releaseDateTime (released: string): string {
  const day = /^\d{4}-\d{2}$/.test(released) ? `${released}-01` : released
  return `${day}T00:00:00+00:00`
}

/** The URI every CASE object resolves at. */
export function caseUri (baseUrl: string, identifier: string): string {
  return `${baseUrl}/uri/${identifier}`
}

function nodeTitle (record: OutlineRecord): string {
  return nodeName(record) ?? record.code
}

interface Endpoint { identifier: string, title: string }

function genLink (end: Endpoint, { baseUrl, caseVersion }: CaseOptions): LinkGenURI {
  return { title: end.title, identifier: end.identifier, uri: caseUri(baseUrl, end.identifier), ...(caseVersion === '1.1' ? { targetType: 'CASE' } : {}) }
}

function link (end: Endpoint, baseUrl: string): LinkURI {
  return { title: end.title, identifier: end.identifier, uri: caseUri(baseUrl, end.identifier) }
}

function documentEndpoint (version: VersionRecord): Endpoint {
  return { identifier: version.uuid, title: versionTitle(version) }
}

function itemTypeEndpoint (framework: string, type: OutlineType): Endpoint {
  return { identifier: itemTypeUuid(framework, type), title: itemTypes[type].title }
}

interface ChildOf { identifier: string, node: OutlineNode, origin: Endpoint, destination: Endpoint }

/** The isChildOf associations of a version, in outline order. */
function childAssociations (view: VersionIndex): ChildOf[] {
  const version = view.version
  const endpoint = (record: OutlineRecord): Endpoint => ({ identifier: view.revisionOf(record.uuid).identifier, title: nodeTitle(record) })
  return view.outline.map((node) => {
    const origin = endpoint(node.record)
    const destination = node.parent === null ? documentEndpoint(version) : endpoint(node.parent)
    return { identifier: associationUuid('isChildOf', origin.identifier, destination.identifier, node.order), node, origin, destination }
  })
}

/** The CFDocument of a version as a CFPackage holds it. */
export function packageDocument (version: VersionRecord, { baseUrl, caseVersion }: CaseOptions): CFPckgDocument {
  const meta = version.meta
  return {
    identifier: version.uuid,
    uri: caseUri(baseUrl, version.uuid),
    ...(caseVersion === '1.1' ? { caseVersion: '1.1' as const } : {}),
    creator: meta.authors.map((a) => a.name).join('; '),
    title: versionTitle(version),
    lastChangeDateTime: releaseDateTime(version.released),
    ...(meta.publishers.length > 0 ? { publisher: meta.publishers.join('; ') } : {}),
    description: meta.description,
    language: meta.language,
    version: version.number,
    notes: meta.citation
  }
}

function itemType (framework: string, type: OutlineType, since: VersionRecord, baseUrl: string): CFItemType {
  const identifier = itemTypeUuid(framework, type)
  const { title, description, hierarchyCode } = itemTypes[type]
  return { identifier, uri: caseUri(baseUrl, identifier), title, description, hierarchyCode, typeCode: type, lastChangeDateTime: releaseDateTime(since.released) }
}

/**
 * The CFPackage of the newest version in `history` (a framework's versions, oldest first, up to
 * and including the one to render). Earlier versions supply the replacedBy associations and the
 * date each association was first published.
 */
export function casePackage (history: readonly VersionIndex[], options: CaseOptions): CFPackage {
  const view = history.at(-1)
  if (view === undefined) throw new Error('casePackage needs at least one version')
  const { baseUrl } = options
  const version = view.version
  const framework = version.framework
  const oldest = (history[0] as VersionIndex).version

  const firstSeen = new Map<string, VersionRecord>()
  for (const earlier of history) {
    for (const a of childAssociations(earlier)) if (!firstSeen.has(a.identifier)) firstSeen.set(a.identifier, earlier.version)
  }

  const nodes = view.outline
  const items: CFPckgItem[] = nodes.map(({ record }) => {
    const revision = view.revisionOf(record.uuid)
    const name = nodeName(record)
    return {
      identifier: revision.identifier,
      fullStatement: nodeText(record),
      CFItemType: itemTypes[record.type].title,
      uri: caseUri(baseUrl, revision.identifier),
      humanCodingScheme: record.code,
      ...(name === null ? {} : { abbreviatedStatement: name }),
      language: version.meta.language,
      CFItemTypeURI: link(itemTypeEndpoint(framework, record.type), baseUrl),
      lastChangeDateTime: releaseDateTime(revision.since.released)
    }
  })

  const associations: CFPckgAssociation[] = childAssociations(view).map((a) => ({
    identifier: a.identifier,
    associationType: 'isChildOf',
    sequenceNumber: a.node.order,
    uri: caseUri(baseUrl, a.identifier),
    originNodeURI: genLink(a.origin, options),
    destinationNodeURI: genLink(a.destination, options),
    lastChangeDateTime: releaseDateTime((firstSeen.get(a.identifier) ?? version).released)
  }))

  for (const { record } of nodes) {
    const revision = view.revisionOf(record.uuid)
    if (revision.replaces === undefined || revision.since.vkey !== version.vkey) continue
    const before = previousRecord(history, record.uuid, revision.replaces)
    const origin = { identifier: revision.replaces, title: before === undefined ? record.code : nodeTitle(before) }
    const destination = { identifier: revision.identifier, title: nodeTitle(record) }
    const identifier = associationUuid('replacedBy', origin.identifier, destination.identifier)
    associations.push({
      identifier,
      associationType: 'replacedBy',
      uri: caseUri(baseUrl, identifier),
      originNodeURI: genLink(origin, options),
      destinationNodeURI: genLink(destination, options),
      lastChangeDateTime: releaseDateTime(version.released),
      ...(options.caseVersion === '1.1' ? { notes: `The text of ${record.code} changed in version ${version.number}.` } : {})
    })
  }

  const usedTypes = [...new Set(nodes.map((n) => n.record.type))]
  const concepts: CFConcept[] = view.definitions.map((d) => {
    const revision = view.revisionOf(d.uuid)
    return {
      identifier: revision.identifier,
      uri: caseUri(baseUrl, revision.identifier),
      title: d.term,
      ...(d.otherNames.length > 0 ? { keywords: d.otherNames.join('|') } : {}),
      hierarchyCode: d.code,
      description: d.text,
      lastChangeDateTime: releaseDateTime(revision.since.released)
    }
  })

  return {
    CFDocument: packageDocument(version, options),
    CFItems: items,
    CFAssociations: associations,
    CFDefinitions: {
      ...(concepts.length > 0 ? { CFConcepts: concepts } : {}),
      CFItemTypes: usedTypes.map((type) => itemType(framework, type, oldest, baseUrl))
    }
  }
}

/** The record an earlier version published under `identifier`, newest first. */
function previousRecord (history: readonly VersionIndex[], entityUuid: string, identifier: string): OutlineRecord | undefined {
  for (let i = history.length - 2; i >= 0; i--) {
    const earlier = history[i] as VersionIndex
    if (earlier.revisions.get(entityUuid)?.identifier !== identifier) continue
    return earlier.outline.find((n) => n.record.uuid === entityUuid)?.record
  }
  return undefined
}

/** A package document on its own: with the link to its package. */
export function standaloneDocument (document: CFPckgDocument, { baseUrl, caseVersion }: CaseOptions): CFDocument {
  return {
    ...document,
    CFPackageURI: { title: document.title, identifier: document.identifier, uri: `${baseUrl}/ims/case/${caseSegment(caseVersion)}/CFPackages/${document.identifier}` }
  }
}

/** A package item on its own: with the link to the document it belongs to. */
export function standaloneItem (item: CFPckgItem, document: CFPckgDocument): CFItem {
  return { ...item, CFDocumentURI: { title: document.title, identifier: document.identifier, uri: document.uri } }
}

/** A package association on its own: with the link to the document it belongs to. */
export function standaloneAssociation (association: CFPckgAssociation, document: CFPckgDocument): CFAssociation {
  return { ...association, CFDocumentURI: { title: document.title, identifier: document.identifier, uri: document.uri } }
}

