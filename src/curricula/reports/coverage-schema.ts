/** The coverage report's JSON as TypeBox: its OpenAPI components. Kept terse: openapi.yaml has a size budget. */
import { Type, type TSchema } from '@sinclair/typebox'
import { ref } from '../../web/schemas/common.js'

const Int = Type.Integer()
const Str = Type.String()

export const CoverageLevel = Type.Unsafe<'I' | 'R' | 'M'>({ $id: 'CoverageLevel', type: 'string', enum: ['I', 'R', 'M'], description: 'I introduced, R reinforced, M mastered.' })
const Level = ref(CoverageLevel)

export const CoverageCell = Type.Object({
  level: Level,
  direct: Type.Union([Level, Type.Null()], { description: 'Of the alignment to the row itself.' }),
  via: Type.Array(Type.Object({ code: Str, level: Level }), { description: 'Alignments to its key activities or sub-points.' })
}, { $id: 'CoverageCell', description: 'The highest level a course reaches on a row.' })

export const CoverageTally = Type.Object({
  total: Int,
  covered: Int,
  introduced: Int,
  reinforced: Int,
  mastered: Int,
  share: Type.Object({ covered: Type.Number(), introduced: Type.Number(), reinforced: Type.Number(), mastered: Type.Number() }, { description: 'Counts over total.' })
}, { $id: 'CoverageTally', description: 'How many are covered (at any level) and reached at each level.' })

export const CoverageGap = Type.Object({ code: Str, id: Str, label: Type.String({ description: 'Name, text or title.' }) }, { $id: 'CoverageGap' })

export const CoverageRow = Type.Object({
  type: Type.Unsafe<'competency' | 'activity'>({ type: 'string', enum: ['competency', 'activity'] }),
  code: Str,
  id: Str,
  uuid: Str,
  label: Type.String({ description: 'Name or text.' }),
  domain: Str,
  competency: Str,
  cells: Type.Array(Type.Union([ref(CoverageCell), Type.Null()]), { description: 'One per column.' }),
  courses: Type.Array(Str, { description: 'Every course touching it.' }),
  highest: Type.Union([Level, Type.Null()]),
  introduced: Type.Boolean(),
  reinforced: Type.Boolean(),
  mastered: Type.Boolean()
}, { $id: 'CoverageRow' })

const Gaps = Type.Array(ref(CoverageGap))
export const Coverage = Type.Object({
  curriculum: Type.Object({ id: Str, name: Str, framework: Str, version: Str, revision: Int }),
  activities: Type.Boolean({ description: 'Key activity rows included.' }),
  courses: Type.Array(Type.Object({ id: Str, code: Str, title: Str, alignments: Int }), { description: 'The columns.' }),
  columns: Type.Object({ from: Int, to: Int, of: Int }),
  rows: Type.Array(ref(CoverageRow)),
  domains: Type.Array(Type.Object({ code: Str, id: Str, name: Str, competencies: ref(CoverageTally), activities: ref(CoverageTally) })),
  totals: Type.Object({ competencies: ref(CoverageTally), activities: ref(CoverageTally) }),
  gaps: Type.Object({
    competencies: Gaps,
    activities: Gaps,
    introducedNotMastered: Gaps,
    courses: Gaps,
    unresolved: Type.Array(Type.Object({ course: Str, target: Str }))
  })
}, {
  $id: 'Coverage',
  description: 'Competencies (and key activities) × courses in guide order. Alignments to key activities and sub-points count for their parents (`via`). Figures and gaps count every course; docs/reports.md.'
})

/** In dependency order. */
export const coverageSchemas: TSchema[] = [CoverageLevel, CoverageCell, CoverageTally, CoverageGap, CoverageRow, Coverage]
