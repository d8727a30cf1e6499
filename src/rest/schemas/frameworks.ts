/** Frameworks, their versions, and the discovery document at /v1. */
import { Type, type Static } from '@sinclair/typebox'
import { Author } from '../../content/schema.js'
import { lmsFiles } from '../../formats/lms/files.js'
import { Href, listOf, ref } from '../../web/schemas/common.js'

const versionFields = {
  type: Type.Literal('version', { description: 'The kind of resource.' }),
  framework: Type.String({ description: 'Framework id.', examples: ['isp'] }),
  version: Type.String({ description: 'The version number.', examples: ['1.1'] }),
  uuid: Type.String({ format: 'uuid', description: 'Deterministic UUIDv5 of `framework@version`.' }),
  uri: Href('Canonical URI of this version: `{PUBLIC_URL}/uri/{uuid}`.'),
  href: Href('This API\'s URL for the version.'),
  released: Type.String({ description: 'Release month (YYYY-MM) or date (YYYY-MM-DD).', examples: ['2021-09'] }),
  latest: Type.Boolean({ description: 'Whether this is the newest version of its framework.' })
}

export const VersionSummary = Type.Object(versionFields, {
  $id: 'VersionSummary', additionalProperties: false, description: 'A version of a framework, in brief.'
})

export const Framework = Type.Object({
  type: Type.Literal('framework', { description: 'The kind of resource.' }),
  id: Type.String({ description: 'Framework id.', examples: ['isp'] }),
  uuid: Type.String({ format: 'uuid', description: 'Deterministic UUIDv5 of the framework, independent of its versions.' }),
  uri: Href('Canonical URI of the framework.'),
  href: Href('This API\'s URL for the framework.'),
  title: Type.String({ description: 'The title of its newest version.' }),
  latest: Type.String({ description: 'The newest version number; what `latest` resolves to.', examples: ['1.1'] }),
  versions: Type.Array(ref(VersionSummary), { description: 'Its versions, newest first.' })
}, { $id: 'Framework', additionalProperties: false, description: 'A framework and its versions.' })

export const FrameworkList = listOf(Framework, 'FrameworkList', 'The frameworks this service serves.')

const Counts = Type.Object(Object.fromEntries(
  ['principles', 'domains', 'competencies', 'activities', 'hints', 'definitions', 'questions', 'dilemmas', 'resources']
    .map((k) => [k, Type.Integer({ minimum: 0, description: `How many ${k}.` })])
), { additionalProperties: false, description: 'How many entities of each kind the version holds.' })

const collections = ['principles', 'domains', 'competencies', 'activities', 'hints', 'definitions', 'questions', 'dilemmas', 'resources', 'export'] as const

export const LmsFile = Type.Object({
  format: Type.Union(lmsFiles.map((f) => Type.Literal(f.format)), { description: 'The export\'s `format=` value.' }),
  name: Type.String({ description: 'What the file is.', examples: ['Moodle competency framework CSV'] }),
  mediaType: Type.String({ description: 'Its media type.', examples: ['text/csv'] }),
  fileName: Type.String({ description: 'The name it is saved under (`Content-Disposition`).', examples: ['isp-1.1-moodle.csv'] }),
  href: Href('Where to download it: the version\'s export with `format=`.')
}, { $id: 'LmsFile', additionalProperties: false, description: 'An LMS import file of the version (Moodle, Canvas or Open edX; see docs/lms.md).' })

export const Version = Type.Object({
  ...versionFields,
  title: Type.String({ description: 'The framework\'s title.' }),
  subtitle: Type.Optional(Type.String({ description: 'The framework\'s subtitle.' })),
  citation: Type.String({ description: 'A full citation of this version.' }),
  language: Type.String({ description: 'BCP 47 language tag of the text.', examples: ['en-GB'] }),
  authors: Type.Array(Type.Object(Author.properties, { additionalProperties: false, description: Author.description }), { description: 'The authors, in cover order.' }),
  publishers: Type.Array(Type.String(), { description: 'The publishing organisations.' }),
  description: Type.String({ description: 'What the framework is, in the guide\'s words (Markdown).' }),
  development: Type.Optional(Type.String({ description: 'How the guide was developed, verbatim (Markdown).' })),
  derivedFrom: Type.Optional(Type.String({ description: 'The framework version this one adapts, `framework@version`.' })),
  checksum: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) over the version\'s seed files: a content checksum.' }),
  counts: Counts,
  dilemmas: Type.Object({
    introduction: Type.String({ description: 'The text before the list of dilemmas, verbatim.' }),
    conclusion: Type.Optional(Type.String({ description: 'The text after the list, verbatim.' }))
  }, { additionalProperties: false, description: 'The framing text of the dilemmas.' }),
  resources: Type.Object({
    introduction: Type.String({ description: 'The text that opens Resources and Further Reading, verbatim.' })
  }, { additionalProperties: false, description: 'The framing text of the resources.' }),
  lmsFiles: Type.Array(ref(LmsFile), { description: 'The version\'s LMS import files (Moodle, Canvas, Open edX), with their download links.' }),
  links: Type.Object({
    ...Object.fromEntries(collections.map((c) => [c, Href(`The version's ${c}.`)])),
    changes: Type.Optional(Href('What changed since the previous version, when there is one.'))
  }, { additionalProperties: false, description: 'Where the version\'s collections are.' })
}, { $id: 'Version', additionalProperties: false, description: 'A framework version: metadata, citation, counts per kind and a content checksum.' })

export const Discovery = Type.Object({
  title: Type.String({ description: 'What this service is.' }),
  links: Type.Object({
    self: Href('This document.'),
    frameworks: Href('The frameworks.'),
    search: Href('Full-text search (add `?q=`).'),
    openapi: Href('The OpenAPI document (JSON).'),
    openapiYaml: Href('The OpenAPI document (YAML).'),
    docs: Href('Interactive API documentation.'),
    graphql: Href('The GraphQL endpoint.'),
    health: Href('Service health.')
  }, { additionalProperties: false, description: 'Entry points.' }),
  frameworks: Type.Array(Type.Object({
    id: Type.String({ description: 'Framework id.' }),
    title: Type.String({ description: 'Its title.' }),
    href: Href('The framework.'),
    latest: Href('Its newest version, pinned.')
  }, { additionalProperties: false }), { description: 'The frameworks served, with their newest versions.' })
}, { $id: 'Discovery', additionalProperties: false, description: 'The entry point of the REST API: links to everything else.' })

export type VersionSummaryView = Static<typeof VersionSummary>
export type FrameworkView = Static<typeof Framework>
export type VersionView = Static<typeof Version>
export type LmsFileView = Static<typeof LmsFile>
export type DiscoveryView = Static<typeof Discovery>
