/**
 * The GraphQL schema (SDL). Field names follow the REST resources: the same `id`, `code`, `uuid`,
 * `uri`, `href` and content words. `schema/schema.graphql` is generated from this text.
 */
import { MAX_FIRST, MAX_NODES, SEARCH_DEFAULT_FIRST } from './limits.js'

export const typeDefs = /* GraphQL */ `
"""
A Practice Guide to Supporting Implementation as a graph: its frameworks and their versions, with every principle, domain, competency, key activity, hint, definition, reflective question, dilemma and resource. The content of a version never changes, and ids never change once published.
"""
schema {
  query: Query
}

"""
The entry points. Start from \`frameworks\` or \`framework(id:)\`, or use the shortcuts \`competency\`, \`search\`, \`node\` and \`nodes\`.
"""
type Query {
  "Every framework this service serves."
  frameworks: [Framework!]!
  "A framework by id (e.g. \`isp\`); null with a NOT_FOUND error if there is none."
  framework("The framework's id, e.g. \`isp\`." id: ID!): Framework
  "Shortcut for \`framework(id:) { version(number:) { competency(id:) } }\`."
  competency(
    "The framework's id."
    framework: ID = "isp"
    "A version number such as \`1.1\`, or \`latest\`."
    version: String = "latest"
    "The competency's id, e.g. \`co-learning\`."
    id: ID!
  ): Competency
  "Shortcut for \`framework(id:) { version(number:) { search(...) } }\`."
  search(
    "The framework's id."
    framework: ID = "isp"
    "A version number such as \`1.1\`, or \`latest\`."
    version: String = "latest"
    "Full-text query: words, \\"quoted phrases\\", prefix*, AND, OR, NOT."
    q: String!
    "Only these kinds of entity."
    type: [EntityType!]
    "Only entities in this domain (by domain id)."
    domain: ID
    "How many hits to return (at most ${MAX_FIRST})."
    first: Int = ${SEARCH_DEFAULT_FIRST}
    "How many hits to skip."
    offset: Int = 0
  ): SearchResults
  "Any framework, version or entity by its uuid (an entity as in the newest version that has it); null with a NOT_FOUND error if the uuid names nothing."
  node("The uuid of a framework, a version or an entity (not its slug id)." id: ID!): Node
  "Several frameworks, versions or entities by uuid, in the order asked, each as \`node(id:)\` gives it: a uuid that names nothing is null at its place, with a NOT_FOUND error whose \`path\` ends at that index. More than ${MAX_NODES} ids, or an id that is not a uuid, is BAD_USER_INPUT."
  nodes("The uuids (at most ${MAX_NODES}); a repeated uuid gives the same node at each place." ids: [ID!]!): [Node]
}

"Anything with a permanent uuid: frameworks, versions and every entity."
interface Node {
  "The permanent UUID (UUIDv5), the same in every version that has this thing."
  uuid: ID!
  "The canonical URI: this service's base URL, \`/uri/\`, and the uuid."
  uri: String!
}

"A piece of a framework version's content (principle, domain, competency, activity, hint, definition, question, dilemma or resource)."
interface Entity implements Node {
  "Stable readable id (slug), unique within a version, e.g. \`co-learning\`."
  id: ID!
  "Short code, e.g. \`C01\` or \`C01.A01\`."
  code: String!
  "The permanent UUID (UUIDv5 of \`framework:id\`)."
  uuid: ID!
  "The canonical URI: this service's base URL, \`/uri/\`, and the uuid."
  uri: String!
  "The REST resource for this entity in this version."
  href: String!
  "1-based order within its version (activities: within their competency)."
  position: Int!
  "The framework's id."
  framework: ID!
  "The number of the version this entity was read from."
  version: String!
}

"A framework: one guide, published in one or more versions."
type Framework implements Node {
  "The framework's id, e.g. \`isp\`."
  id: ID!
  "The permanent UUID of the framework, independent of its versions."
  uuid: ID!
  "The canonical URI of the framework."
  uri: String!
  "The REST resource for the framework."
  href: String!
  "The title of the newest version."
  title: String!
  "The newest version."
  latest: FrameworkVersion!
  "Every version, newest first."
  versions: [FrameworkVersion!]!
  "One version by number; null with a NOT_FOUND error if there is none."
  version("A version number such as \`1.1\`, or \`latest\` for the newest." number: String = "latest"): FrameworkVersion
}

"One published version of a framework. Its content never changes."
type FrameworkVersion implements Node {
  "The framework this is a version of."
  framework: Framework!
  "The version number, e.g. \`1.1\`."
  number: String!
  "The permanent UUID of this version (UUIDv5 of \`framework@number\`)."
  uuid: ID!
  "The canonical URI of this version."
  uri: String!
  "The REST resource for this version."
  href: String!
  "Whether this is the newest version of its framework."
  latest: Boolean!
  "Release month (YYYY-MM) or date (YYYY-MM-DD)."
  released: String!
  "A fingerprint of this version's seed content; it changes whenever any of its text does."
  checksum: String!
  "The framework's title."
  title: String!
  "The framework's subtitle, where it has one."
  subtitle: String
  "The authors, in cover order."
  authors: [Author!]!
  "The organisations that publish the framework."
  publishers: [String!]!
  "A full citation of this version."
  citation: String!
  "BCP 47 language tag of the text, e.g. \`en-GB\`."
  language: String!
  "What the framework is, in the guide's own words (Markdown paragraphs)."
  description: String!
  "How the guide was developed (Markdown paragraphs), where it says."
  development: String
  "The framework version this one adapts, as \`framework@version\`, where it adapts one."
  derivedFrom: String
  "How many entities of each kind this version has."
  counts: Counts!
  "The text before the list of dilemmas (Markdown paragraphs)."
  dilemmasIntroduction: String!
  "The text after the list of dilemmas (Markdown paragraphs), where there is one."
  dilemmasConclusion: String
  "The text that opens Resources and Further Reading."
  resourcesIntroduction: String!
  "The LMS import files of this version (Moodle, Canvas, Open edX), with where to download each: the same list as the REST version's \`lmsFiles\`."
  lmsFiles: [LmsFile!]!
  "The principles, in the guide's order."
  principles(
    "Only principles matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Principle!]!
  "The domains, in the guide's order."
  domains(
    "Only domains matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Domain!]!
  "The core competencies, in the guide's order."
  competencies(
    "Only competencies of this domain (by domain id)."
    domain: ID
    "Only competencies matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Competency!]!
  "The key activities of every competency, in the guide's order. There can be more than ${MAX_FIRST}: page with \`offset\`, or read them per competency."
  activities(
    "Only activities of competencies in this domain (by domain id)."
    domain: ID
    "Only activities of this competency (by competency id)."
    competency: ID
    "Only activities matching this full-text query (their sub-points included)."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Activity!]!
  "The helpful hints, one per competency, in the guide's order."
  hints(
    "Only hints of competencies in this domain (by domain id)."
    domain: ID
    "Only the hint of this competency (by competency id)."
    competency: ID
    "Only hints matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Hint!]!
  "The guide's definitions, in order of appearance."
  definitions(
    "Only definitions matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Definition!]!
  "The reflective questions, in order."
  questions(
    "Only questions matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [ReflectiveQuestion!]!
  "The dilemmas, in order."
  dilemmas(
    "Only dilemmas matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Dilemma!]!
  "The entries of Resources and Further Reading, in order."
  resources(
    "Only entries of this group (by group id)."
    group: ID
    "Only entries matching this full-text query."
    q: String
    "How many to return (at most ${MAX_FIRST})."
    first: Int = ${MAX_FIRST}
    "How many to skip."
    offset: Int = 0
  ): [Resource!]!
  "The groups of Resources and Further Reading, in order."
  resourceGroups: [ResourceGroup!]!
  "A principle by id; null with a NOT_FOUND error if there is none."
  principle("The principle's id." id: ID!): Principle
  "A domain by id; null with a NOT_FOUND error if there is none."
  domain("The domain's id." id: ID!): Domain
  "A competency by id; null with a NOT_FOUND error if there is none."
  competency("The competency's id, e.g. \`co-learning\`." id: ID!): Competency
  "A key activity by id; null with a NOT_FOUND error if there is none."
  activity("The activity's id, e.g. \`co-learning-a1\`." id: ID!): Activity
  "A hint by id; null with a NOT_FOUND error if there is none."
  hint("The hint's id, e.g. \`co-learning-hint\`." id: ID!): Hint
  "A definition by id; null with a NOT_FOUND error if there is none."
  definition("The definition's id." id: ID!): Definition
  "A reflective question by id; null with a NOT_FOUND error if there is none."
  question("The question's id." id: ID!): ReflectiveQuestion
  "A dilemma by id; null with a NOT_FOUND error if there is none."
  dilemma("The dilemma's id." id: ID!): Dilemma
  "A resource by id; null with a NOT_FOUND error if there is none."
  resource("The resource's id." id: ID!): Resource
  "What changed from another version of the same framework to this one, entity by entity (keyed by id)."
  changes("The version number to compare from, e.g. \`1.1\`." from: String!): VersionChanges
  "Ranked full-text search over this version."
  search(
    "Full-text query: words, \\"quoted phrases\\", prefix*, AND, OR, NOT."
    q: String!
    "Only these kinds of entity."
    type: [EntityType!]
    "Only entities in this domain (by domain id)."
    domain: ID
    "How many hits to return (at most ${MAX_FIRST})."
    first: Int = ${SEARCH_DEFAULT_FIRST}
    "How many hits to skip."
    offset: Int = 0
  ): SearchResults!
}

"An LMS import file of a version: what it is and where to download it (see the service's docs/lms.md)."
type LmsFile {
  "The REST export's \`format\`: \`moodle\`, \`canvas\`, \`openedx\` or \`openedx-json\`."
  format: String!
  "What the file is, e.g. \`Moodle competency framework CSV\`."
  name: String!
  "Its media type, e.g. \`text/csv\`."
  mediaType: String!
  "The name it is saved under, e.g. \`isp-1.1-moodle.csv\`."
  fileName: String!
  "Its download URL: this version's REST export with \`format=\`."
  href: String!
}

"One of a framework's authors."
type Author {
  "The author's name as printed on the cover."
  name: String!
  "The affiliation the guide gives for this author, where it gives one."
  affiliation: String
}

"How many entities of each kind a version has."
type Counts {
  "Number of principles."
  principles: Int!
  "Number of domains."
  domains: Int!
  "Number of core competencies."
  competencies: Int!
  "Number of key activities."
  activities: Int!
  "Number of helpful hints."
  hints: Int!
  "Number of definitions."
  definitions: Int!
  "Number of reflective questions."
  questions: Int!
  "Number of dilemmas."
  dilemmas: Int!
  "Number of resources."
  resources: Int!
}

"A principle guiding implementation support practitioners."
type Principle implements Entity & Node {
  "Stable readable id, e.g. \`be-curious\`."
  id: ID!
  "Short code, P1, P2, …"
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order in the guide."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The principle's name."
  name: String!
  "What this principle means, verbatim."
  description: String!
}

"A domain grouping core competencies."
type Domain implements Entity & Node {
  "Stable readable id, e.g. \`co-creation-and-engagement\`."
  id: ID!
  "Short code, D1, D2, …"
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order in the guide."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The domain's name."
  name: String!
  "The domain's introduction, verbatim (Markdown paragraphs)."
  description: String!
  "The competencies of this domain, in the guide's order."
  competencies: [Competency!]!
}

"A core competency, with its overview, key activities and helpful hint."
type Competency implements Entity & Node {
  "Stable readable id, e.g. \`co-learning\`."
  id: ID!
  "Short code, C01 to C15."
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order in the guide."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The competency's name."
  name: String!
  "The domain this competency belongs to."
  domain: Domain!
  "The overview as Markdown: its paragraphs, and the statements that follow a lead-in as a list, with nested sub-points as a nested list."
  overview: String!
  "The overview as the guide structures it: statements, each with its nested sub-points."
  overviewStatements: [Statement!]!
  "The key activities, in the guide's order."
  activities: [Activity!]!
  "The helpful hint."
  hint: Hint!
}

"A paragraph or list statement of a competency's overview, with the sub-points the guide nests under it."
type Statement {
  "The statement, verbatim."
  text: String!
  "Sub-points nested under the statement, verbatim, in order (often none)."
  items: [String!]!
}

"A key activity of a competency."
type Activity implements Entity & Node {
  "Stable readable id, e.g. \`co-learning-a1\`."
  id: ID!
  "Short code, e.g. \`C01.A01\`."
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order within its competency."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The key activity, verbatim."
  text: String!
  "The texts of the sub-points nested under the activity, verbatim, in order (often none)."
  subitems: [String!]!
  "The sub-points nested under the activity, with their own ids, in order."
  subpoints: [SubPoint!]!
  "The competency this activity belongs to."
  competency: Competency!
  "The domain of its competency."
  domain: Domain!
}

"A sub-point nested under a key activity."
type SubPoint implements Node {
  "Stable readable id, e.g. \`communication-a1-s1\`."
  id: ID!
  "Short code, e.g. \`C10.A01.S01\`."
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "1-based order within its activity."
  position: Int!
  "The sub-point, verbatim."
  text: String!
  "The activity this sub-point belongs to."
  activity: Activity!
}

"The helpful hint given for a competency."
type Hint implements Entity & Node {
  "Stable readable id, e.g. \`co-learning-hint\`."
  id: ID!
  "Short code, e.g. \`C01.H\`."
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order in the guide (that of its competency)."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The hint as Markdown paragraphs."
  text: String!
  "The hint's paragraphs, verbatim, in order."
  paragraphs: [String!]!
  "The competency this hint is given for."
  competency: Competency!
  "The domain of its competency."
  domain: Domain!
}

"A term the guide defines."
type Definition implements Entity & Node {
  "Stable readable id."
  id: ID!
  "Short code, DEF01, DEF02, …"
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order of appearance."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The term defined."
  term: String!
  "The guide's definition, verbatim (Markdown)."
  text: String!
  "Other names the guide lists for the term."
  otherNames: [String!]!
}

"A reflective question for professionals supporting implementation."
type ReflectiveQuestion implements Entity & Node {
  "Stable readable id, e.g. \`question-1\`."
  id: ID!
  "Short code, Q01 to Q10."
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The question, verbatim."
  text: String!
  "Follow-up questions nested under this one, verbatim (often none)."
  subquestions: [String!]!
}

"A dilemma faced when supporting implementation."
type Dilemma implements Entity & Node {
  "Stable readable id."
  id: ID!
  "Short code, DL1, DL2, …"
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "The dilemma, verbatim (Markdown paragraphs)."
  text: String!
}

"Whether a resource is a web resource or a publication."
enum ResourceKind {
  "A web resource."
  link
  "A publication (a full reference)."
  reference
}

"An entry in Resources and Further Reading."
type Resource implements Entity & Node {
  "Stable readable id."
  id: ID!
  "Short code, R01, R02, …"
  code: String!
  "The permanent UUID."
  uuid: ID!
  "The canonical URI."
  uri: String!
  "The REST resource in this version."
  href: String!
  "1-based order across all groups."
  position: Int!
  "The framework's id."
  framework: ID!
  "The version number."
  version: String!
  "A web resource or a publication."
  kind: ResourceKind!
  "The entry, verbatim (Markdown): a resource's name, or a full reference."
  text: String!
  "The address the guide gives for it, where it gives one."
  url: String
  "The DOI the guide gives for a reference, where it gives one."
  doi: String
  "The group this entry is listed under."
  group: ResourceGroup!
}

"A group of resources under one heading."
type ResourceGroup {
  "Stable readable id of the group."
  id: ID!
  "The group's heading, where the guide gives one."
  title: String
  "The text the guide puts between the heading and the list, where there is one."
  note: String
  "The entries of the group, in order."
  resources: [Resource!]!
}

"The kinds of entity a version holds (sub-points are part of their activity)."
enum EntityType {
  "A principle."
  principle
  "A domain."
  domain
  "A core competency."
  competency
  "A key activity."
  activity
  "A helpful hint."
  hint
  "A definition."
  definition
  "A reflective question."
  question
  "A dilemma."
  dilemma
  "A resource."
  resource
}

"The result of a full-text search."
type SearchResults {
  "How many entities match in all (\`hits\` is one page of them)."
  total: Int!
  "The matching entities, best first."
  hits: [SearchHit!]!
  "Match counts by kind of entity and by domain, for narrowing the search."
  facets: SearchFacets!
}

"One entity matching a search."
type SearchHit {
  "The kind of entity."
  type: EntityType!
  "The entity's id."
  id: ID!
  "The id of the domain the entity belongs to, where it belongs to one."
  domain: ID
  "The bm25 relevance score: lower is better."
  rank: Float!
  "The entity's title: its name or term, or else the first line of its text, verbatim."
  title: String!
  "The best-matching passage, with the matches wrapped in \`<mark>\`…\`</mark>\`."
  snippet: String!
  "The matching entity itself."
  entity: Entity!
}

"Match counts of a search, by kind of entity and by domain."
type SearchFacets {
  "How many matches of each kind of entity (within the \`type\` filter)."
  types: [FacetCount!]!
  "How many matches in each domain (ignoring the \`domain\` filter)."
  domains: [FacetCount!]!
}

"How many search matches share one value."
type FacetCount {
  "The value: a kind of entity, or a domain id."
  value: String!
  "How many matches have it."
  count: Int!
}

"What changed between two versions of a framework, entity by entity, matched by id."
type VersionChanges {
  "The version compared from."
  from: String!
  "The version compared to."
  to: String!
  "Entities only in \`to\`, in its order."
  added: [EntityChange!]!
  "Entities only in \`from\`, in its order."
  removed: [EntityChange!]!
  "Entities in both whose text (or code, kind, url, doi) differs, with a diff of each field."
  changed: [EntityChange!]!
  "Entities in both that have another parent, or another place among the siblings both versions share."
  moved: [EntityChange!]!
}

"One entity in a comparison of two versions."
type EntityChange {
  "The kind of entity."
  type: EntityType!
  "The entity's id (the same in both versions)."
  id: ID!
  "The entity's code (in \`to\`, or in \`from\` if it was removed)."
  code: String!
  "The entity's permanent UUID."
  uuid: ID!
  "Where it was in \`from\` (null if added)."
  before: Placement
  "Where it is in \`to\` (null if removed)."
  after: Placement
  "The fields that differ (empty unless changed)."
  fields: [FieldChange!]!
}

"Where an entity sits in a version."
type Placement {
  "The id of its parent (the domain of a competency, the competency of an activity or hint, the group of a resource); null at the top level."
  parent: ID
  "Its 1-based position among its siblings (entities of the same kind with the same parent)."
  position: Int!
}

"One field of an entity that differs between two versions."
type FieldChange {
  "The field's name, as in the entity's type (lists such as \`subitems\` are compared as Markdown lists)."
  field: String!
  "The value in \`from\` (null if it had none)."
  before: String
  "The value in \`to\` (null if it has none)."
  after: String
  "A word-level diff from \`before\` to \`after\`."
  diff: [DiffSegment!]!
}

"A run of text in a diff."
type DiffSegment {
  "Whether the run is in both texts, only in the new one or only in the old one."
  op: DiffOp!
  "The run of text."
  text: String!
}

"The three kinds of run in a diff."
enum DiffOp {
  "In both texts."
  equal
  "Only in the new text."
  insert
  "Only in the old text."
  delete
}
`
