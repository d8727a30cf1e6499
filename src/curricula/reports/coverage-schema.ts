/** The coverage report's JSON as TypeBox: validation of the answer, its OpenAPI component. Kept terse: openapi.yaml has a size budget. */
import { Type, type TSchema } from '@sinclair/typebox'
import { ref } from '../../web/schemas/common.js'

const Letter = Type.Union([Type.Literal('I'), Type.Literal('R'), Type.Literal('M')])
const Ref = (extra: Record<string, TSchema>) => Type.Object({ code: Type.String(), id: Type.String(), ...extra }, { additionalProperties: false })

export const CoverageTally = Type.Object({
  total: Type.Integer(),
  covered: Type.Integer(),
  introduced: Type.Integer(),
  reinforced: Type.Integer(),
  mastered: Type.Integer(),
  share: Type.Object({ covered: Type.Number(), introduced: Type.Number(), reinforced: Type.Number(), mastered: Type.Number() }, { additionalProperties: false, description: 'The counts over total, 0 to 1.' })
}, { $id: 'CoverageTally', additionalProperties: false, description: 'How many are covered (at any level) and reached at each level.' })

export const CoverageRow = Type.Object({
  type: Type.Union([Type.Literal('competency'), Type.Literal('activity')]),
  code: Type.String(),
  id: Type.String(),
  uuid: Type.String({ format: 'uuid' }),
  label: Type.String({ description: 'The competency\'s name or the key activity\'s text.' }),
  domain: Type.String(),
  competency: Type.String(),
  cells: Type.Array(Type.Union([Type.Null(), Type.Object({
    level: Letter,
    direct: Type.Union([Letter, Type.Null()], { description: 'Level of the alignment to this row itself.' }),
    via: Type.Array(Type.Object({ code: Type.String(), level: Letter }, { additionalProperties: false }), { description: 'Alignments to its key activities or sub-points.' })
  }, { additionalProperties: false })]), { description: 'One per column; null: not touched.' }),
  courses: Type.Array(Type.String(), { description: 'Codes of every course touching it.' }),
  highest: Type.Union([Letter, Type.Null()]),
  introduced: Type.Boolean(),
  reinforced: Type.Boolean(),
  mastered: Type.Boolean()
}, { $id: 'CoverageRow', additionalProperties: false, description: 'A competency or key activity: its cells, the courses and levels reaching it.' })

export const Coverage = Type.Object({
  curriculum: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), framework: Type.String(), version: Type.String(), revision: Type.Integer() }, { additionalProperties: false }),
  activities: Type.Boolean({ description: 'Key activity rows included.' }),
  courses: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), code: Type.String(), title: Type.String(), alignments: Type.Integer() }, { additionalProperties: false }), { description: 'The columns.' }),
  columns: Type.Object({ from: Type.Integer(), to: Type.Integer(), of: Type.Integer() }, { additionalProperties: false, description: 'The columns\' 1-based course range, of all.' }),
  rows: Type.Array(ref(CoverageRow), { description: 'In guide order.' }),
  domains: Type.Array(Type.Object({ code: Type.String(), id: Type.String(), name: Type.String(), competencies: ref(CoverageTally), activities: ref(CoverageTally) }, { additionalProperties: false })),
  totals: Type.Object({ competencies: ref(CoverageTally), activities: ref(CoverageTally) }, { additionalProperties: false }),
  gaps: Type.Object({
    competencies: Type.Array(Ref({ name: Type.String() }), { description: 'Never aligned.' }),
    activities: Type.Array(Ref({ competency: Type.String() }), { description: 'Never aligned.' }),
    introducedNotMastered: Type.Array(Ref({ name: Type.String() })),
    courses: Type.Array(Ref({ title: Type.String() }), { description: 'With no alignment.' }),
    unresolved: Type.Array(Type.Object({ course: Type.String(), target: Type.String() }, { additionalProperties: false }), { description: 'Targets not in the pinned version.' })
  }, { additionalProperties: false })
}, {
  $id: 'Coverage',
  additionalProperties: false,
  description: 'Competencies (and key activities) × courses; levels I, R, M. Alignments to key activities and sub-points count for their parents (`via`). Figures and gaps count every course.'
})

/** In dependency order. */
export const coverageSchemas: TSchema[] = [CoverageTally, CoverageRow, Coverage]
