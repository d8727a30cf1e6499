/**
 * The canonical seed format: one folder per framework and version (`seeds/<framework>/<version>/`),
 * holding the files below. These TypeBox definitions are the single source for seed validation,
 * the TypeScript types and the committed `schema/*.schema.json` files.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'

const strict = { additionalProperties: false } as const

export const Slug = Type.String({
  pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  description: 'Stable kebab-case identifier, unique within a version; never changes once published.'
})

/** A run of the guide's own words. Inline emphasis is kept as Markdown (`*…*`, `**…**`). */
const Words = (description: string) => Type.String({ minLength: 1, description })

const Code = (pattern: string, description: string) => Type.String({ pattern, description })

export const Statement = Type.Object({
  text: Words('The statement, verbatim from the guide.'),
  items: Type.Optional(Type.Array(Words('A nested sub-point, verbatim.'), {
    minItems: 1,
    description: 'Sub-points nested under this statement, in the guide\'s order.'
  }))
}, { ...strict, description: 'A paragraph or list statement, with the sub-points the guide nests under it.' })

export const Author = Type.Object({
  name: Words('The author\'s name as printed on the cover.'),
  affiliation: Type.Optional(Words('The affiliation the guide gives for this author, where it gives one.'))
}, { ...strict, description: 'One of the guide\'s authors.' })

export const FrameworkFile = Type.Object({
  id: Slug,
  title: Words('The framework\'s title.'),
  subtitle: Type.Optional(Words('The framework\'s subtitle.')),
  version: Type.String({ pattern: '^[0-9]+(?:\\.[0-9]+)*(?:-[0-9A-Za-z.-]+)?$', description: 'The version number, e.g. `1.1`; must match the folder name.' }),
  released: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])(-[0-3][0-9])?$', description: 'Release month (YYYY-MM) or date (YYYY-MM-DD).' }),
  authors: Type.Array(Author, { minItems: 1, description: 'The authors, in cover order.' }),
  publishers: Type.Array(Words('A publishing organisation, named as in the guide.'), { description: 'The organisations that publish the framework.' }),
  citation: Words('A full citation of this version.'),
  language: Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', description: 'BCP 47 language tag of the text, e.g. `en-GB`.' }),
  description: Words('What the framework is, in the guide\'s own words (Markdown paragraphs).'),
  development: Type.Optional(Words('How the guide was developed, verbatim (Markdown paragraphs).')),
  derivedFrom: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*@[0-9A-Za-z.-]+$', description: 'The framework version this one adapts, as `framework@version`, e.g. `isp@1.1`.' }))
}, { ...strict, $id: 'framework', title: 'Framework version', description: 'Metadata of one framework version (`framework.json`).' })

export const Principle = Type.Object({
  id: Slug,
  code: Code('^P[0-9]+$', 'Short code, P1, P2, …'),
  name: Words('The principle\'s name.'),
  description: Words('What this principle means, verbatim.')
}, { ...strict, description: 'A principle guiding implementation support practitioners.' })

export const PrinciplesFile = Type.Array(Principle, { $id: 'principles', title: 'Principles', description: 'The principles, in the guide\'s order (`principles.json`).' })

export const Domain = Type.Object({
  id: Slug,
  code: Code('^D[0-9]+$', 'Short code, D1, D2, …'),
  name: Words('The domain\'s name.'),
  description: Words('The domain\'s introduction, verbatim (Markdown paragraphs).')
}, { ...strict, description: 'A domain grouping core competencies.' })

export const DomainsFile = Type.Array(Domain, { $id: 'domains', title: 'Domains', description: 'The domains, in the guide\'s order (`domains.json`).' })

export const SubPoint = Type.Object({
  id: Slug,
  code: Code('^C[0-9]{2}\\.A[0-9]{2}\\.S[0-9]{2}$', 'Short code, e.g. C09.A01.S01.'),
  text: Words('The sub-point, verbatim.')
}, { ...strict, description: 'A sub-point nested under a key activity.' })

export const Activity = Type.Object({
  id: Slug,
  code: Code('^C[0-9]{2}\\.A[0-9]{2}$', 'Short code, e.g. C01.A01.'),
  text: Words('The key activity, verbatim.'),
  subpoints: Type.Optional(Type.Array(SubPoint, { minItems: 1, description: 'Sub-points nested under the activity, in order.' }))
}, { ...strict, description: 'A key activity of a competency.' })

export const Hint = Type.Object({
  id: Slug,
  code: Code('^C[0-9]{2}\\.H$', 'Short code, e.g. C01.H.'),
  paragraphs: Type.Array(Words('A paragraph of the hint, verbatim.'), { minItems: 1, description: 'The hint\'s paragraphs, in order.' })
}, { ...strict, description: 'The helpful hint given for a competency.' })

export const Competency = Type.Object({
  id: Slug,
  code: Code('^C[0-9]{2}$', 'Short code, C01 to C15.'),
  domain: Slug,
  name: Words('The competency\'s name.'),
  overview: Type.Array(Statement, { minItems: 1, description: 'The overview: introductory paragraphs and the "should have the competency to" statements, with nested sub-points.' }),
  activities: Type.Array(Activity, { minItems: 1, description: 'The key activities, in the guide\'s order.' }),
  hint: Hint
}, { ...strict, description: 'A core competency, with its overview, key activities and helpful hint.' })

export const CompetenciesFile = Type.Array(Competency, { $id: 'competencies', title: 'Competencies', description: 'The core competencies, in the guide\'s order (`competencies.json`).' })

export const Definition = Type.Object({
  id: Slug,
  code: Code('^DEF[0-9]{2}$', 'Short code, DEF01, DEF02, …'),
  term: Words('The term defined.'),
  text: Words('The guide\'s definition, verbatim (Markdown).'),
  otherNames: Type.Optional(Type.Array(Words('Another name the guide gives for the term.'), { description: 'Other names the guide lists for the term.' }))
}, { ...strict, description: 'A term the guide defines.' })

export const DefinitionsFile = Type.Array(Definition, { $id: 'definitions', title: 'Definitions', description: 'The guide\'s definitions, in order of appearance (`definitions.json`).' })

export const Question = Type.Object({
  id: Slug,
  code: Code('^Q[0-9]{2}$', 'Short code, Q01 to Q10.'),
  text: Words('The question, verbatim.'),
  subquestions: Type.Optional(Type.Array(Words('A follow-up question, verbatim.'), { minItems: 1, description: 'Follow-up questions nested under this one.' }))
}, { ...strict, description: 'A reflective question for professionals supporting implementation.' })

export const QuestionsFile = Type.Array(Question, { $id: 'questions', title: 'Reflective questions', description: 'The reflective questions, in order (`questions.json`).' })

export const Dilemma = Type.Object({
  id: Slug,
  code: Code('^DL[0-9]+$', 'Short code, DL1, DL2, …'),
  text: Words('The dilemma, verbatim (Markdown paragraphs).')
}, { ...strict, description: 'A dilemma faced when supporting implementation.' })

export const DilemmasFile = Type.Object({
  introduction: Words('The text before the list of dilemmas, verbatim (Markdown paragraphs).'),
  dilemmas: Type.Array(Dilemma, { minItems: 1, description: 'The dilemmas, in order.' }),
  conclusion: Type.Optional(Words('The text after the list, verbatim (Markdown paragraphs).'))
}, { ...strict, $id: 'dilemmas', title: 'Dilemmas', description: 'Dilemmas when supporting implementation (`dilemmas.json`).' })

export const Resource = Type.Object({
  id: Slug,
  code: Code('^R[0-9]{2}$', 'Short code, R01, R02, …'),
  kind: Type.Union([Type.Literal('link'), Type.Literal('reference')], { description: '`link` for a web resource, `reference` for a publication.' }),
  text: Words('The entry, verbatim (Markdown): a resource\'s name, or a full reference.'),
  url: Type.Optional(Type.String({ format: 'uri', description: 'The address the guide gives for it.' })),
  doi: Type.Optional(Type.String({ pattern: '^10\\.[0-9]{4,9}/\\S+$', description: 'The DOI the guide gives for a reference.' }))
}, { ...strict, description: 'An entry in Resources and Further Reading.' })

export const ResourceGroup = Type.Object({
  id: Slug,
  title: Type.Optional(Words('The group\'s heading, where the guide gives one.')),
  note: Type.Optional(Words('The text the guide puts between the heading and the list.')),
  resources: Type.Array(Resource, { minItems: 1, description: 'The entries of the group, in order.' })
}, { ...strict, description: 'A group of resources under one heading.' })

export const ResourcesFile = Type.Object({
  introduction: Words('The text that opens Resources and Further Reading, verbatim.'),
  groups: Type.Array(ResourceGroup, { minItems: 1, description: 'The groups, in order.' })
}, { ...strict, $id: 'resources', title: 'Resources and further reading', description: 'Resources and further reading (`resources.json`).' })

/** Every file of a version folder, with the schema that validates it. */
export const seedFiles = {
  'framework.json': FrameworkFile,
  'principles.json': PrinciplesFile,
  'domains.json': DomainsFile,
  'competencies.json': CompetenciesFile,
  'definitions.json': DefinitionsFile,
  'questions.json': QuestionsFile,
  'dilemmas.json': DilemmasFile,
  'resources.json': ResourcesFile
} as const satisfies Record<string, TSchema>

export type SeedFileName = keyof typeof seedFiles
export type FrameworkMeta = Static<typeof FrameworkFile>
export type PrincipleSeed = Static<typeof Principle>
export type DomainSeed = Static<typeof Domain>
export type CompetencySeed = Static<typeof Competency>
export type ActivitySeed = Static<typeof Activity>
export type HintSeed = Static<typeof Hint>
export type DefinitionSeed = Static<typeof Definition>
export type QuestionSeed = Static<typeof Question>
export type DilemmasSeed = Static<typeof DilemmasFile>
export type ResourcesSeed = Static<typeof ResourcesFile>
export type StatementSeed = Static<typeof Statement>

/** One framework version exactly as its seed folder holds it. */
export interface VersionSeed {
  framework: FrameworkMeta
  principles: PrincipleSeed[]
  domains: DomainSeed[]
  competencies: CompetencySeed[]
  definitions: DefinitionSeed[]
  questions: QuestionSeed[]
  dilemmas: DilemmasSeed
  resources: ResourcesSeed
}
