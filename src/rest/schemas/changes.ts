/** What changed between two versions of a framework, keyed by stable id. */
import { Type, type Static } from '@sinclair/typebox'
import { Href, ref } from '../../web/schemas/common.js'

export const changeTypes = ['principle', 'domain', 'competency', 'activity', 'subpoint', 'hint', 'definition', 'question', 'dilemma', 'resource'] as const

export const DiffOp = Type.Object({
  op: Type.Union([Type.Literal('equal'), Type.Literal('delete'), Type.Literal('insert')], { description: '`equal` text is in both versions, `delete` only in `from`, `insert` only in `to`.' }),
  text: Type.String({ description: 'A run of text (words and the whitespace between them).' })
}, { $id: 'DiffOp', additionalProperties: false, description: 'One run of a word-level text diff.' })

export const FieldChange = Type.Object({
  field: Type.String({ description: 'The property that changed.', examples: ['text'] }),
  from: Type.Optional(Type.String({ description: 'Its text in the `from` version (absent when it had none).' })),
  to: Type.Optional(Type.String({ description: 'Its text in this version (absent when it has none).' })),
  diff: Type.Array(ref(DiffOp), { description: 'A word-level diff turning `from` into `to`.' })
}, { $id: 'FieldChange', additionalProperties: false, description: 'A property whose text differs between the two versions. Structured fields are compared as Markdown.' })

const entry = {
  type: Type.Union(changeTypes.map((t) => Type.Literal(t)), { description: 'The kind of entity.' }),
  id: Type.String({ description: 'Its stable slug id.' }),
  code: Type.String({ description: 'Its short code (in the version it is described from).' }),
  uri: Href('Its canonical URI.'),
  href: Href('This API\'s URL for it: in this version, or in `from` for removed entities.'),
  parent: Type.Optional(Type.String({ description: 'The id of its parent (competency of an activity, activity of a sub-point, domain of a competency, …).' }))
}

export const ChangeEntry = Type.Object(entry, { $id: 'ChangeEntry', additionalProperties: false, description: 'An entity added or removed.' })

export const ChangedEntry = Type.Object({
  ...entry,
  fields: Type.Array(ref(FieldChange), { description: 'The properties whose text changed.' })
}, { $id: 'ChangedEntry', additionalProperties: false, description: 'An entity in both versions whose text changed.' })

const Placement = Type.Object({
  parent: Type.Optional(Type.String({ description: 'Parent id.' })),
  position: Type.Integer({ minimum: 1, description: '1-based position among its siblings.' })
}, { additionalProperties: false })

export const MovedEntry = Type.Object({
  ...entry,
  from: Placement,
  to: Placement
}, { $id: 'MovedEntry', additionalProperties: false, description: 'An entity in both versions whose parent changed, or whose order among the siblings both versions share changed.' })

export const Changes = Type.Object({
  framework: Type.String({ description: 'Framework id.' }),
  from: Type.String({ description: 'The version compared from (pinned).' }),
  to: Type.String({ description: 'The version compared to (pinned).' }),
  links: Type.Object({ from: Href('The `from` version.'), to: Href('The `to` version.') }, { additionalProperties: false }),
  summary: Type.Object({
    added: Type.Integer({ minimum: 0 }),
    removed: Type.Integer({ minimum: 0 }),
    changed: Type.Integer({ minimum: 0 }),
    moved: Type.Integer({ minimum: 0 })
  }, { additionalProperties: false, description: 'How many entities in each list.' }),
  metadata: Type.Array(ref(FieldChange), { description: 'Changes to the version\'s metadata (framework.json) and framing texts.' }),
  added: Type.Array(ref(ChangeEntry), { description: 'Entities only in `to`, in its guide order.' }),
  removed: Type.Array(ref(ChangeEntry), { description: 'Entities only in `from`, in its guide order.' }),
  changed: Type.Array(ref(ChangedEntry), { description: 'Entities whose text changed, in `to`\'s guide order.' }),
  moved: Type.Array(ref(MovedEntry), { description: 'Entities that moved, in `to`\'s guide order.' })
}, { $id: 'Changes', additionalProperties: false, description: 'What was added, removed, changed (with a word diff per field) and moved between two versions, keyed by stable id.' })

export type DiffOpView = Static<typeof DiffOp>
export type FieldChangeView = Static<typeof FieldChange>
export type ChangesView = Static<typeof Changes>
