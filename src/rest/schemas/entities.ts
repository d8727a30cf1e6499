/**
 * The REST view of each kind of entity. Words are the guide's, verbatim (inline emphasis kept as
 * Markdown); every entity carries its identity (see `identity`). Related entities appear as
 * references (`DomainRef`, `CompetencyRef`) or, where asked for, embedded.
 */
import { Type, type Static } from '@sinclair/typebox'
import { Statement as SeedStatement } from '../../content/schema.js'
import { Href, identity, listOf, ref } from '../../web/schemas/common.js'

const Words = (description: string) => Type.String({ description })

export const Statement = Type.Object(SeedStatement.properties, {
  $id: 'Statement',
  additionalProperties: false,
  description: SeedStatement.description
})

/** What every reference to another entity carries. */
function reference<T extends string> (type: T, example: { id: string, code: string, name: string }) {
  return {
    type: Type.Literal(type, { description: 'The kind of entity.' }),
    id: Type.String({ description: 'Stable slug identifier.', examples: [example.id] }),
    code: Type.String({ description: 'Short code.', examples: [example.code] }),
    uuid: Type.String({ format: 'uuid', description: 'Deterministic UUIDv5.' }),
    name: Type.String({ description: 'Name, verbatim.', examples: [example.name] }),
    uri: Href('Canonical, version-independent URI.'),
    href: Href('This API\'s URL for it, pinned to the version.')
  }
}

export const DomainRef = Type.Object(reference('domain', { id: 'co-creation-and-engagement', code: 'D1', name: 'Co-creation and engagement' }), {
  $id: 'DomainRef', additionalProperties: false, description: 'A reference to a domain.'
})

export const CompetencyRef = Type.Object(reference('competency', { id: 'co-learning', code: 'C01', name: 'Co-learning' }), {
  $id: 'CompetencyRef', additionalProperties: false, description: 'A reference to a competency.'
})

export const Principle = Type.Object({
  ...identity('principle', { id: 'be-empathetic', code: 'P1' }),
  name: Words('The principle\'s name.'),
  description: Words('What the principle means, verbatim (Markdown).')
}, { $id: 'Principle', additionalProperties: false, description: 'A principle guiding implementation support practitioners.' })

export const SubPoint = Type.Object({
  ...identity('subpoint', { id: 'communication-a1-s1', code: 'C10.A01.S01' }),
  text: Words('The sub-point, verbatim.')
}, { $id: 'SubPoint', additionalProperties: false, description: 'A sub-point nested under a key activity. Its `href` is its activity\'s URL with the sub-point id as fragment.' })

export const Activity = Type.Object({
  ...identity('activity', { id: 'co-learning-a1', code: 'C01.A01' }),
  text: Words('The key activity, verbatim.'),
  competency: ref(CompetencyRef),
  domain: ref(DomainRef),
  subitems: Type.Array(Type.String(), { description: 'The sub-points\' texts, in order (the same as `subpoints[].text`).' }),
  subpoints: Type.Array(ref(SubPoint), { description: 'The sub-points, in order; empty for most activities.' })
}, { $id: 'Activity', additionalProperties: false, description: 'A key activity of a competency.' })

export const Hint = Type.Object({
  ...identity('hint', { id: 'co-learning-hint', code: 'C01.H' }),
  competency: ref(CompetencyRef),
  domain: ref(DomainRef),
  paragraphs: Type.Array(Type.String(), { description: 'The hint\'s paragraphs, verbatim, in order.' }),
  text: Words('The paragraphs as one Markdown string.')
}, { $id: 'Hint', additionalProperties: false, description: 'The helpful hint given for a competency.' })

export const Competency = Type.Object({
  ...identity('competency', { id: 'co-learning', code: 'C01' }),
  name: Words('The competency\'s name.'),
  domain: ref(DomainRef),
  overview: Type.Array(ref(Statement), { description: 'The overview: introductory statements and the "should have the competency to" statements, with nested sub-points.' }),
  overviewMarkdown: Words('The overview as Markdown: paragraphs, and a bulleted list after a lead-in ending with a colon.'),
  activities: Type.Optional(Type.Array(ref(Activity), { description: 'The key activities in order (on the detail, and in lists with `include=activities`).' })),
  hint: Type.Optional(ref(Hint))
}, { $id: 'Competency', additionalProperties: false, description: 'A core competency. The detail embeds its key activities and helpful hint; lists embed them on request (`include`).' })

export const Domain = Type.Object({
  ...identity('domain', { id: 'co-creation-and-engagement', code: 'D1' }),
  name: Words('The domain\'s name.'),
  description: Words('The domain\'s introduction, verbatim (Markdown paragraphs).'),
  competencies: Type.Optional(Type.Array(ref(Competency), { description: 'The domain\'s competencies, in order (on the detail, and in lists with `include=competencies`).' }))
}, { $id: 'Domain', additionalProperties: false, description: 'A domain grouping core competencies.' })

export const Definition = Type.Object({
  ...identity('definition', { id: 'implementation', code: 'DEF01' }),
  term: Words('The term defined.'),
  text: Words('The guide\'s definition, verbatim (Markdown).'),
  otherNames: Type.Array(Type.String(), { description: 'Other names the guide gives for the term (often empty).' })
}, { $id: 'Definition', additionalProperties: false, description: 'A term the guide defines.' })

export const Question = Type.Object({
  ...identity('question', { id: 'question-1', code: 'Q01' }),
  text: Words('The question, verbatim.'),
  subquestions: Type.Array(Type.String(), { description: 'Follow-up questions nested under it, verbatim (often empty).' })
}, { $id: 'Question', additionalProperties: false, description: 'A reflective question for professionals supporting implementation.' })

export const Dilemma = Type.Object({
  ...identity('dilemma', { id: 'dilemma-1', code: 'DL1' }),
  text: Words('The dilemma, verbatim (Markdown paragraphs).')
}, { $id: 'Dilemma', additionalProperties: false, description: 'A dilemma faced when supporting implementation.' })

export const ResourceGroup = Type.Object({
  id: Type.String({ description: 'The group\'s slug.' }),
  title: Type.Optional(Words('The group\'s heading, where the guide gives one.')),
  note: Type.Optional(Words('The text between the heading and the list, where there is one.'))
}, { $id: 'ResourceGroup', additionalProperties: false, description: 'A group of resources under one heading.' })

export const Resource = Type.Object({
  ...identity('resource', { id: 'collaborative-for-implementation-practice', code: 'R01' }),
  kind: Type.Union([Type.Literal('link'), Type.Literal('reference')], { description: '`link` for a web resource, `reference` for a publication.' }),
  text: Words('The entry, verbatim (Markdown).'),
  url: Type.Optional(Type.String({ format: 'uri', description: 'The address the guide gives for it.' })),
  doi: Type.Optional(Type.String({ description: 'The DOI the guide gives for a reference.' })),
  group: ref(ResourceGroup)
}, { $id: 'Resource', additionalProperties: false, description: 'An entry in Resources and Further Reading.' })

export const PrincipleList = listOf(Principle, 'PrincipleList', 'A page of principles.')
export const DomainList = listOf(Domain, 'DomainList', 'A page of domains.')
export const CompetencyList = listOf(Competency, 'CompetencyList', 'A page of competencies.')
export const ActivityList = listOf(Activity, 'ActivityList', 'A page of key activities.')
export const HintList = listOf(Hint, 'HintList', 'A page of helpful hints.')
export const DefinitionList = listOf(Definition, 'DefinitionList', 'A page of definitions.')
export const QuestionList = listOf(Question, 'QuestionList', 'A page of reflective questions.')
export const DilemmaList = listOf(Dilemma, 'DilemmaList', 'A page of dilemmas.')
export const ResourceList = listOf(Resource, 'ResourceList', 'A page of resources.')

export type StatementView = Static<typeof Statement>
export type DomainRefView = Static<typeof DomainRef>
export type CompetencyRefView = Static<typeof CompetencyRef>
export type PrincipleView = Static<typeof Principle>
export type SubPointView = Static<typeof SubPoint>
export type ActivityView = Static<typeof Activity>
export type HintView = Static<typeof Hint>
export type CompetencyView = Static<typeof Competency>
export type DomainView = Static<typeof Domain>
export type DefinitionView = Static<typeof Definition>
export type QuestionView = Static<typeof Question>
export type DilemmaView = Static<typeof Dilemma>
export type ResourceView = Static<typeof Resource>
