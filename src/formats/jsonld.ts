/**
 * JSON-LD views of a framework version, in two profiles:
 * - CTDL-ASN (the Credential Registry's vocabulary): a ceasn:CompetencyFramework whose top
 *   children are the competencies; competencies, key activities and sub-points are
 *   ceasn:Competency nodes linked by hasChild/isChildOf; a competency's domain is its
 *   competencyCategory and its helpful hint its comment.
 * - schema.org: a DefinedTermSet of DefinedTerms (competencies, key activities, sub-points).
 * Principles are not competencies and appear in neither. Node ids are the CASE URIs, so they
 * resolve, and the CTID is `ce-` and the same identifier.
 * The contexts are the project's own files (contexts/), served at /contexts/, never fetched.
 */
import { Type } from '@sinclair/typebox'
import type { ActivityRecord, CompetencyRecord, SubPointRecord } from '../content/model.js'
import ctdlContext from './contexts/ctdl-asn.json' with { type: 'json' }
import schemaOrgContext from './contexts/schema-org.json' with { type: 'json' }
import { nodeText, versionTitle } from '../catalog/version.js'
import { caseUri } from './case.js'
import type { VersionIndex } from '../catalog/version-index.js'

export type JsonLdProfile = 'ctdl' | 'schema.org'

export interface JsonLdOptions {
  profile: JsonLdProfile
  /** The service's public base URL, without a trailing slash. */
  baseUrl: string
}

export type JsonLdDocument = Record<string, unknown>

/** What every JSON-LD document here is, for OpenAPI (the vocabulary's terms are open-ended). */
export const JsonLd = Type.Object({
  '@context': Type.String({ format: 'uri', description: 'The URL of the profile\'s context, served by this API (/contexts/…).' }),
  '@graph': Type.Optional(Type.Array(Type.Object({
    '@id': Type.String({ format: 'uri', description: 'The node\'s URI (it resolves at /uri/…).' }),
    '@type': Type.String({ description: 'E.g. `ceasn:CompetencyFramework`, `ceasn:Competency` or `DefinedTerm`.' })
  }, { additionalProperties: true }), { description: 'The nodes (CTDL-ASN documents, and schema.org lists and competencies).' })),
  '@id': Type.Optional(Type.String({ format: 'uri', description: 'The node\'s URI, for a single top node (a schema.org DefinedTermSet).' })),
  '@type': Type.Optional(Type.String({ description: 'The top node\'s type.' }))
}, {
  $id: 'JsonLd',
  additionalProperties: true,
  description: 'A JSON-LD document: CTDL-ASN (ceasn:CompetencyFramework and ceasn:Competency nodes) by default, or schema.org (DefinedTermSet, DefinedTerm) with the schema.org profile. Its @context is a URL of this API; the node properties are those of the profile\'s vocabulary.'
})

/** The media type of every JSON-LD document here. */
export const JSON_LD = 'application/ld+json'

/** Each profile's vocabulary IRI (the value of the Accept `profile` parameter) and local context. */
export const jsonLdProfiles: Record<JsonLdProfile, { iri: string, contextPath: string, context: JsonLdDocument }> = {
  ctdl: { iri: 'https://purl.org/ctdlasn/terms/', contextPath: '/contexts/ctdl-asn.jsonld', context: ctdlContext },
  'schema.org': { iri: 'https://schema.org/', contextPath: '/contexts/schema-org.jsonld', context: schemaOrgContext }
}

type Statement = CompetencyRecord | ActivityRecord | SubPointRecord

interface Tree {
  view: VersionIndex
  options: JsonLdOptions
  statements: Statement[]
  children: Map<string, Statement[]>
  parent: Map<string, Statement>
  order: Map<string, number>
  domainName: Map<string, string>
  hint: Map<string, string>
}

function tree (view: VersionIndex, options: JsonLdOptions): Tree {
  const t: Tree = { view, options, statements: [], children: new Map(), parent: new Map(), order: new Map(), domainName: new Map(), hint: new Map() }
  for (const d of view.domains) t.domainName.set(d.id, d.name)
  for (const node of view.outline) {
    const { record, parent } = node
    if (record.type === 'hint') {
      t.hint.set(record.competency, nodeText(record))
      continue
    }
    if (record.type !== 'competency' && record.type !== 'activity' && record.type !== 'subpoint') continue
    t.statements.push(record)
    t.order.set(record.uuid, node.order)
    if (parent !== null && (parent.type === 'competency' || parent.type === 'activity')) {
      t.parent.set(record.uuid, parent)
      const siblings = t.children.get(parent.uuid) ?? []
      siblings.push(record)
      t.children.set(parent.uuid, siblings)
    }
  }
  return t
}

function idOf (t: Tree, entityUuid: string): string {
  return caseUri(t.options.baseUrl, t.view.revisionOf(entityUuid).identifier)
}

function frameworkId (t: Tree): string {
  return caseUri(t.options.baseUrl, t.view.version.uuid)
}

function context (options: JsonLdOptions): string {
  return `${options.baseUrl}${jsonLdProfiles[options.profile].contextPath}`
}

function statementName (record: Statement): string {
  return record.type === 'competency' ? record.name : record.text
}

function ctdlNode (t: Tree, record: Statement): JsonLdDocument {
  const lang = t.view.version.meta.language
  const fw = frameworkId(t)
  const parent = t.parent.get(record.uuid)
  const children = t.children.get(record.uuid) ?? []
  const identifier = t.view.revisionOf(record.uuid).identifier
  return {
    '@id': idOf(t, record.uuid),
    '@type': 'ceasn:Competency',
    'ceterms:ctid': `ce-${identifier}`,
    ...(record.type === 'competency' ? { 'ceasn:competencyLabel': { [lang]: record.name } } : {}),
    'ceasn:competencyText': { [lang]: nodeText(record) },
    'ceasn:codedNotation': record.code,
    'ceasn:listID': String(t.order.get(record.uuid)),
    ...(record.type === 'competency'
      ? { 'ceasn:competencyCategory': { [lang]: t.domainName.get(record.domain) ?? record.domain } }
      : {}),
    ...(record.type === 'competency' && t.hint.has(record.id) ? { 'ceasn:comment': { [lang]: t.hint.get(record.id) } } : {}),
    'ceasn:inLanguage': [lang],
    'ceasn:isPartOf': fw,
    ...(parent === undefined ? { 'ceasn:isTopChildOf': fw } : { 'ceasn:isChildOf': idOf(t, parent.uuid) }),
    ...(children.length > 0 ? { 'ceasn:hasChild': children.map((c) => idOf(t, c.uuid)) } : {})
  }
}

function schemaOrgNode (t: Tree, record: Statement): JsonLdDocument {
  return {
    '@id': idOf(t, record.uuid),
    '@type': 'DefinedTerm',
    termCode: record.code,
    name: statementName(record),
    ...(record.type === 'competency' ? { description: nodeText(record) } : {}),
    inDefinedTermSet: frameworkId(t)
  }
}

function node (t: Tree, record: Statement): JsonLdDocument {
  return t.options.profile === 'ctdl' ? ctdlNode(t, record) : schemaOrgNode(t, record)
}

function graph (options: JsonLdOptions, nodes: JsonLdDocument[]): JsonLdDocument {
  return { '@context': context(options), '@graph': nodes }
}

/** The framework version with every competency, key activity and sub-point. */
export function versionJsonLd (view: VersionIndex, options: JsonLdOptions): JsonLdDocument {
  const t = tree(view, options)
  const { version } = view
  const { meta } = version
  const lang = meta.language
  const top = t.statements.filter((s) => s.type === 'competency')
  if (options.profile === 'ctdl') {
    const framework = {
      '@id': frameworkId(t),
      '@type': 'ceasn:CompetencyFramework',
      'ceterms:ctid': `ce-${version.uuid}`,
      'ceasn:name': { [lang]: versionTitle(version) },
      'ceasn:description': { [lang]: meta.description },
      'ceasn:inLanguage': [lang],
      'ceasn:author': meta.authors.map((a) => a.name),
      ...(meta.publishers.length > 0 ? { 'ceasn:publisherName': { [lang]: meta.publishers } } : {}),
      'ceasn:hasTopChild': top.map((c) => idOf(t, c.uuid))
    }
    return graph(options, [framework, ...t.statements.map((s) => ctdlNode(t, s))])
  }
  return {
    '@context': context(options),
    '@id': frameworkId(t),
    '@type': 'DefinedTermSet',
    name: versionTitle(version),
    description: meta.description,
    version: version.number,
    inLanguage: lang,
    datePublished: version.released,
    author: meta.authors.map((a) => ({ '@type': 'Person', name: a.name })),
    publisher: meta.publishers.map((name) => ({ '@type': 'Organization', name })),
    hasDefinedTerm: t.statements.map((s) => schemaOrgNode(t, s))
  }
}

/**
 * The version's competencies (their key activities are linked, not included): all of them in
 * guide order, or those of `ids` (slug ids) in that order, e.g. one page of a filtered list.
 */
export function competenciesJsonLd (view: VersionIndex, options: JsonLdOptions, ids?: readonly string[]): JsonLdDocument {
  const t = tree(view, options)
  const competencies = t.statements.filter((s) => s.type === 'competency')
  const byId = new Map(competencies.map((c) => [c.id, c]))
  const chosen = ids === undefined ? competencies : ids.flatMap((id) => byId.get(id) ?? [])
  return graph(options, chosen.map((s) => node(t, s)))
}

/**
 * A competency, key activity or sub-point (by entity uuid) with everything nested under it;
 * undefined when the version has no such statement.
 */
export function statementJsonLd (view: VersionIndex, entityUuid: string, options: JsonLdOptions): JsonLdDocument | undefined {
  const t = tree(view, options)
  const root = t.statements.find((s) => s.uuid === entityUuid)
  if (root === undefined) return undefined
  const nodes: JsonLdDocument[] = []
  const visit = (record: Statement): void => {
    nodes.push(node(t, record))
    for (const child of t.children.get(record.uuid) ?? []) visit(child)
  }
  visit(root)
  return graph(options, nodes)
}

/** One competency (by slug id) with its key activities and their sub-points. */
export function competencyJsonLd (view: VersionIndex, competencyId: string, options: JsonLdOptions): JsonLdDocument | undefined {
  const competency = view.competencies.find((c) => c.id === competencyId)
  return competency === undefined ? undefined : statementJsonLd(view, competency.uuid, options)
}
