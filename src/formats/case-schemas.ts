/**
 * The CASE payloads as TypeBox schemas, one set per CASE version. They drive the serialization of
 * the /ims/case routes, their OpenAPI description, the discovery document and the TypeScript types
 * of the builders in case.ts. Each named schema has an `$id` (`CASE_v1p1_CFItem`) and refers to the
 * others by `$ref`, so the OpenAPI document lists each once as a component. CASE 1.0 forbids extra
 * properties, so its set leaves out what 1.1 added: `extensions`, CFDocument `frameworkType` and
 * `caseVersion`, CFItem `subject` and `subjectURI`, CFAssociation `notes` and LinkGenURI `targetType`.
 */
import { Type, type Static, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox'

export const caseVersions = ['1.0', '1.1'] as const
export type CaseVersion = typeof caseVersions[number]

/** The URL segment of a CASE version: v1p0, v1p1. */
export function caseSegment (version: CaseVersion): string {
  return `v${version.replace('.', 'p')}`
}

const strict = { additionalProperties: false } as const

/** The `$id` of a named CASE schema, which is also its component name in the OpenAPI document. */
export function caseSchemaId (version: CaseVersion, name: string): string {
  return `CASE_${caseSegment(version)}_${name}`
}

/** A `$ref` to a named schema, typed as the schema it points to. */
export function caseRef<T extends TSchema> (schema: T): TUnsafe<Static<T>> {
  if (schema.$id === undefined) throw new Error('caseRef() needs a schema with an $id')
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id))
}

const Uuid = (description: string) => Type.String({ format: 'uuid', description })
const Uri = (description: string) => Type.String({ format: 'uri', description })
const DateTime = Type.String({ format: 'date-time', description: 'When this record last changed (ISO 8601). Here: the release date of the version that first published it.' })
const DateOnly = (description: string) => Type.String({ format: 'date', description })
const Text = (description: string) => Type.String({ description })
const Strings = (description: string) => Type.Array(Type.String(), { description })
const Extensions = (owner: string) => Type.Object({}, { additionalProperties: true, description: `Proprietary extensions to ${owner} (CASE 1.1).` })

/** Extensible vocabularies: a listed token or `ext:`-prefixed one. */
const Extensible = (tokens: readonly string[], description: string) => Type.Union([
  Type.Union(tokens.map((t) => Type.Literal(t))),
  Type.String({ pattern: '^ext:[a-zA-Z0-9.\\-_]+$' })
], { description })

const associationTypes10 = ['isChildOf', 'isPeerOf', 'isPartOf', 'exactMatchOf', 'precedes', 'isRelatedTo', 'replacedBy', 'exemplar', 'hasSkillLevel']

/** The imsx code-minor tokens; 1.0 and 1.1 spell two of them differently. */
export const codeMinors = {
  '1.0': { invalidUuid: 'invaliduuid', unauthorised: 'unauthorisedrequest' },
  '1.1': { invalidUuid: 'invalid_uuid', unauthorised: 'unauthorised_request' }
} as const satisfies Record<CaseVersion, { invalidUuid: string, unauthorised: string }>

function build (version: CaseVersion) {
  const v11 = version === '1.1'
  // Typed as present in both, so the TypeScript types are the 1.1 shapes (a superset of 1.0).
  const only11 = <P extends TProperties>(props: P): P => (v11 ? props : {}) as P
  const object = <P extends TProperties>(props: P, description: string, name?: string) =>
    Type.Object(props, { ...strict, description, ...(name === undefined ? {} : { $id: caseSchemaId(version, name) }) })
  const ref = caseRef

  const LinkURI = object({
    title: Text('A human-readable title of the linked object.'),
    identifier: Uuid('The linked object\'s identifier.'),
    uri: Uri('Where the linked object resolves.')
  }, 'A link to another CASE object.', 'LinkURI')

  const LinkGenURI = object({
    title: Text('A human-readable title of the linked object.'),
    identifier: Text('The linked object\'s identifier (not necessarily a UUID).'),
    uri: Uri('Where the linked object resolves.'),
    ...only11({ targetType: Type.Optional(Extensible(['CASE'], 'What kind of object the link points to (CASE 1.1).')) })
  }, 'A link to a node of an association.', 'LinkGenURI')

  const documentProps = {
    identifier: Uuid('The CFDocument\'s identifier: the framework version\'s uuid.'),
    uri: Uri('Where the CFDocument resolves.'),
    ...only11({
      frameworkType: Type.Optional(Text('The kind of framework (CASE 1.1).')),
      caseVersion: Type.Optional(Type.Literal('1.1', { description: 'The CASE version of this document (CASE 1.1).' }))
    }),
    creator: Text('Who authored the framework.'),
    title: Text('The framework\'s title.'),
    lastChangeDateTime: DateTime,
    officialSourceURL: Type.Optional(Uri('The human-readable source document.')),
    publisher: Type.Optional(Text('Who makes the framework available.')),
    description: Type.Optional(Text('What the framework is (Markdown).')),
    subject: Type.Optional(Strings('Subjects the framework covers.')),
    subjectURI: Type.Optional(Type.Array(ref(LinkURI), { description: 'Links to the CFSubjects.' })),
    language: Type.Optional(Text('The language of the text.')),
    version: Type.Optional(Text('The framework version.')),
    adoptionStatus: Type.Optional(Text('The publication status.')),
    statusStartDate: Type.Optional(DateOnly('When the status started.')),
    statusEndDate: Type.Optional(DateOnly('When the status ended.')),
    licenseURI: Type.Optional(ref(LinkURI)),
    notes: Type.Optional(Text('Notes on the document; here, the framework\'s citation.')),
    ...only11({ extensions: Type.Optional(Extensions('CFDocument')) })
  }

  const CFPckgDocument = object(documentProps, 'A framework version, within a CFPackage.', 'CFPckgDocument')
  const CFDocument = object({
    ...documentProps,
    CFPackageURI: ref(LinkURI)
  }, 'A framework version: the root of its CFItems.', 'CFDocument')

  const itemProps = {
    identifier: Uuid('The CFItem\'s identifier: the entity uuid, or a new one once its text changes.'),
    fullStatement: Text('The text, verbatim (Markdown).'),
    alternativeLabel: Type.Optional(Text('Another label for the item.')),
    CFItemType: Type.Optional(Text('The kind of item: Principle, Domain, Competency, Key Activity, Sub-point or Helpful Hint.')),
    uri: Uri('Where the CFItem resolves.'),
    humanCodingScheme: Type.Optional(Text('The item\'s code, e.g. C01.A02.')),
    listEnumeration: Type.Optional(Text('The item\'s place in a list (sequenceNumber is preferred).')),
    abbreviatedStatement: Type.Optional(Text('A short form of the statement; here, the name.')),
    conceptKeywords: Type.Optional(Strings('Keywords.')),
    conceptKeywordsURI: Type.Optional(ref(LinkURI)),
    notes: Type.Optional(Text('Notes on the item.')),
    ...only11({
      subject: Type.Optional(Strings('Subjects of the item (CASE 1.1).')),
      subjectURI: Type.Optional(Type.Array(ref(LinkURI), { description: 'Links to the CFSubjects (CASE 1.1).' }))
    }),
    language: Type.Optional(Text('The language of the text.')),
    educationLevel: Type.Optional(Strings('Education levels.')),
    CFItemTypeURI: Type.Optional(ref(LinkURI)),
    licenseURI: Type.Optional(ref(LinkURI)),
    statusStartDate: Type.Optional(DateOnly('When the status started.')),
    statusEndDate: Type.Optional(DateOnly('When the status ended.')),
    lastChangeDateTime: DateTime,
    ...only11({ extensions: Type.Optional(Extensions('CFItem')) })
  }

  const CFPckgItem = object(itemProps, 'A node of the framework, within a CFPackage.', 'CFPckgItem')
  const CFItem = object({
    ...itemProps,
    CFDocumentURI: ref(LinkURI)
  }, 'A node of the framework: a principle, domain, competency, key activity, sub-point or helpful hint.', 'CFItem')

  const associationProps = {
    identifier: Uuid('The association\'s identifier: UUIDv5 of its type, endpoints and sequence number.'),
    associationType: v11
      ? Extensible([...associationTypes10, 'isTranslationOf'], 'The relationship, origin to destination.')
      : Type.Union(associationTypes10.map((t) => Type.Literal(t)), { description: 'The relationship, origin to destination.' }),
    sequenceNumber: Type.Optional(Type.Integer({ description: 'The origin\'s place among the destination\'s children (1-based).' })),
    uri: Uri('Where the association resolves.'),
    originNodeURI: ref(LinkGenURI),
    destinationNodeURI: ref(LinkGenURI),
    CFAssociationGroupingURI: Type.Optional(ref(LinkURI)),
    lastChangeDateTime: DateTime,
    ...only11({
      notes: Type.Optional(Text('Notes on the association (CASE 1.1).')),
      extensions: Type.Optional(Extensions('CFAssociation'))
    })
  }

  const CFPckgAssociation = object(associationProps, 'A relationship between two nodes, within a CFPackage.', 'CFPckgAssociation')
  const CFAssociation = object({
    ...associationProps,
    CFDocumentURI: Type.Optional(ref(LinkURI))
  }, 'A relationship between two nodes.', 'CFAssociation')

  const CFItemType = object({
    identifier: Uuid('The item type\'s identifier.'),
    uri: Uri('Where the item type resolves.'),
    title: Text('The item type\'s name.'),
    description: Text('What items of this type are.'),
    hierarchyCode: Text('The type\'s place in the hierarchy of item types, e.g. 2.1.1.'),
    typeCode: Type.Optional(Text('A code for the type: the entity type in this service\'s REST API.')),
    lastChangeDateTime: DateTime,
    ...only11({ extensions: Type.Optional(Extensions('CFItemType')) })
  }, 'A kind of CFItem.', 'CFItemType')

  const CFConcept = object({
    identifier: Uuid('The concept\'s identifier: the definition\'s uuid, or a new one once its text changes.'),
    uri: Uri('Where the concept resolves.'),
    title: Text('The term.'),
    keywords: Type.Optional(Text('Other names of the term, separated by |.')),
    hierarchyCode: Text('The definition\'s code, e.g. DEF01.'),
    description: Type.Optional(Text('The guide\'s definition, verbatim (Markdown).')),
    lastChangeDateTime: DateTime,
    ...only11({ extensions: Type.Optional(Extensions('CFConcept')) })
  }, 'A concept the framework defines: one of the guide\'s definitions.', 'CFConcept')

  const CFSubject = object({
    identifier: Uuid('The subject\'s identifier.'),
    uri: Uri('Where the subject resolves.'),
    title: Text('The subject.'),
    hierarchyCode: Text('The subject\'s place in its hierarchy.'),
    description: Type.Optional(Text('The subject\'s description.')),
    lastChangeDateTime: DateTime,
    ...only11({ extensions: Type.Optional(Extensions('CFSubject')) })
  }, 'A subject a framework covers.', 'CFSubject')

  const CFLicense = object({
    identifier: Uuid('The licence\'s identifier.'),
    uri: Uri('Where the licence resolves.'),
    title: Text('The licence\'s title.'),
    description: Type.Optional(Text('The licence\'s description.')),
    licenseText: Text('The licence text or a link to it.'),
    lastChangeDateTime: DateTime,
    ...only11({ extensions: Type.Optional(Extensions('CFLicense')) })
  }, 'A licence.', 'CFLicense')

  const CFAssociationGrouping = object({
    identifier: Uuid('The grouping\'s identifier.'),
    uri: Uri('Where the grouping resolves.'),
    title: Text('The grouping\'s title.'),
    description: Type.Optional(Text('The grouping\'s description.')),
    lastChangeDateTime: DateTime,
    ...only11({ extensions: Type.Optional(Extensions('CFAssociationGrouping')) })
  }, 'A labelled set of associations.', 'CFAssociationGrouping')

  const CFRubricCriterionLevel = object({
    identifier: Uuid('The level\'s identifier.'),
    uri: Uri('Where the level resolves.'),
    description: Type.Optional(Text('The level\'s description.')),
    quality: Type.Optional(Text('The level\'s quality label.')),
    score: Type.Optional(Type.Number({ description: 'Points for this level.' })),
    feedback: Type.Optional(Text('Feedback for this level.')),
    position: Type.Optional(Type.Integer({ description: 'The level\'s place in its criterion.' })),
    rubricCriterionId: Type.Optional(Uuid('The criterion\'s identifier.')),
    lastChangeDateTime: DateTime,
    ...only11({ extensions: Type.Optional(Type.Array(Extensions('CFRubricCriterionLevel'))) })
  }, 'A level of a rubric criterion.', 'CFRubricCriterionLevel')

  const CFRubricCriterion = object({
    identifier: Uuid('The criterion\'s identifier.'),
    uri: Uri('Where the criterion resolves.'),
    category: Type.Optional(Text('The criterion\'s category.')),
    description: Type.Optional(Text('The criterion\'s description.')),
    CFItemURI: Type.Optional(ref(LinkURI)),
    weight: Type.Optional(Type.Number({ description: 'The criterion\'s weight.' })),
    position: Type.Optional(Type.Integer({ description: 'The criterion\'s place in its rubric.' })),
    rubricId: Type.Optional(Uuid('The rubric\'s identifier.')),
    lastChangeDateTime: DateTime,
    CFRubricCriterionLevels: Type.Optional(Type.Array(ref(CFRubricCriterionLevel))),
    ...only11({ extensions: Type.Optional(Extensions('CFRubricCriterion')) })
  }, 'A criterion of a rubric.', 'CFRubricCriterion')

  const CFRubric = object({
    identifier: Uuid('The rubric\'s identifier.'),
    uri: Uri('Where the rubric resolves.'),
    title: Type.Optional(Text('The rubric\'s title.')),
    description: Type.Optional(Text('The rubric\'s description.')),
    lastChangeDateTime: DateTime,
    CFRubricCriteria: Type.Optional(Type.Array(ref(CFRubricCriterion))),
    ...only11({ extensions: Type.Optional(Extensions('CFRubric')) })
  }, 'A rubric.', 'CFRubric')

  const CFDefinitions = object({
    CFConcepts: Type.Optional(Type.Array(ref(CFConcept))),
    CFSubjects: Type.Optional(Type.Array(ref(CFSubject))),
    CFLicenses: Type.Optional(Type.Array(ref(CFLicense))),
    CFItemTypes: Type.Optional(Type.Array(ref(CFItemType))),
    CFAssociationGroupings: Type.Optional(Type.Array(ref(CFAssociationGrouping))),
    ...only11({ extensions: Type.Optional(Extensions('CFDefinition')) })
  }, 'The definitions a framework uses.', 'CFDefinitions')

  const CFPackage = object({
    CFDocument: ref(CFPckgDocument),
    CFItems: Type.Optional(Type.Array(ref(CFPckgItem))),
    CFAssociations: Type.Optional(Type.Array(ref(CFPckgAssociation))),
    CFDefinitions: Type.Optional(ref(CFDefinitions)),
    CFRubrics: Type.Optional(Type.Array(ref(CFRubric))),
    ...only11({ extensions: Type.Optional(Extensions('CFPackage')) })
  }, 'A framework version whole: its CFDocument, CFItems, CFAssociations and definitions.', 'CFPackage')

  const minor = codeMinors[version]
  const StatusInfo = object({
    imsx_codeMajor: Type.Union(['success', 'processing', 'failure', 'unsupported'].map((c) => Type.Literal(c)), { description: 'The major status code.' }),
    imsx_severity: Type.Union(['status', 'warning', 'error'].map((c) => Type.Literal(c)), { description: 'The severity.' }),
    imsx_description: Type.Optional(Text('What went wrong, for people.')),
    imsx_codeMinor: Type.Optional(object({
      imsx_codeMinorField: Type.Array(object({
        imsx_codeMinorFieldName: Text('The part of the request (or `server`) the code is about.'),
        imsx_codeMinorFieldValue: Type.Union([
          'fullsuccess', 'forbidden', 'internal_server_error', 'invalid_selection_field', 'invalid_sort_field',
          minor.invalidUuid, 'server_busy', minor.unauthorised, 'unknownobject'
        ].map((c) => Type.Literal(c)), { description: 'The minor status code.' })
      }, 'One minor status code.'), { minItems: 1 })
    }, 'The minor status codes.'))
  }, 'The status of a failed request (imsx_StatusInfo).', 'imsx_StatusInfo')

  // In dependency order: a schema comes after those it refers to.
  return {
    LinkURI,
    LinkGenURI,
    CFPckgDocument,
    CFDocument,
    CFPckgItem,
    CFItem,
    CFPckgAssociation,
    CFAssociation,
    CFItemType,
    CFConcept,
    CFSubject,
    CFLicense,
    CFAssociationGrouping,
    CFRubricCriterionLevel,
    CFRubricCriterion,
    CFRubric,
    CFDefinitions,
    CFPackage,
    StatusInfo,
    CFDocumentSet: object({
      CFDocuments: Type.Array(Type.Partial(CFDocument), { description: 'The documents; with `fields`, only the fields asked for.' })
    }, 'A page of CFDocuments.', 'CFDocumentSet'),
    CFAssociationSet: object({
      CFItem: ref(CFItem),
      CFAssociations: Type.Array(ref(CFPckgAssociation), { minItems: 1 })
    }, 'A CFItem and every association it is an endpoint of.', 'CFAssociationSet'),
    CFItemTypeSet: object({ CFItemTypes: Type.Array(ref(CFItemType), { minItems: 1 }) }, 'An item type followed by its child item types.', 'CFItemTypeSet'),
    CFConceptSet: object({ CFConcepts: Type.Array(ref(CFConcept), { minItems: 1 }) }, 'A concept.', 'CFConceptSet'),
    CFSubjectSet: object({ CFSubjects: Type.Array(ref(CFSubject), { minItems: 1 }) }, 'A subject and its child subjects.', 'CFSubjectSet')
  }
}

/** The schema set of each CASE version. */
export const caseSchemas = { '1.0': build('1.0'), '1.1': build('1.1') } as const

/** Every named schema of every CASE version, in dependency order, to register once (OpenAPI components). */
export const caseComponents: TSchema[] = caseVersions.flatMap((v) => Object.values(caseSchemas[v]))

type Schemas = typeof caseSchemas['1.1']
export type LinkURI = Static<Schemas['LinkURI']>
export type LinkGenURI = Static<Schemas['LinkGenURI']>
export type CFDocument = Static<Schemas['CFDocument']>
export type CFPckgDocument = Static<Schemas['CFPckgDocument']>
export type CFItem = Static<Schemas['CFItem']>
export type CFPckgItem = Static<Schemas['CFPckgItem']>
export type CFAssociation = Static<Schemas['CFAssociation']>
export type CFPckgAssociation = Static<Schemas['CFPckgAssociation']>
export type CFItemType = Static<Schemas['CFItemType']>
export type CFConcept = Static<Schemas['CFConcept']>
export type CFPackage = Static<Schemas['CFPackage']>
export type StatusInfo = Static<Schemas['StatusInfo']>
