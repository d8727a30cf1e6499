/**
 * Coverage in GraphQL: `Curriculum.coverage`, the same report as GET /v1/curricula/{id}/coverage
 * in JSON (reports/coverage.ts), for the curriculum the query already reached with its key.
 * Bad arguments are BAD_USER_INPUT; store errors are coded as the other curricula fields code them.
 */
import type { IResolvers } from 'mercurius'
import type { Catalog } from '../catalog/catalog.js'
import { ApiError, coded } from './graphql.js'
import { coverageReport } from './reports/coverage.js'
import type { CurriculaRepository, Curriculum } from './store/repository.js'

export const coverageTypeDefs = /* GraphQL */ `
"A level in a coverage report: I introduced, R reinforced, M mastered."
enum CoverageLevel {
  "Introduced."
  I
  "Reinforced."
  R
  "Mastered."
  M
}

extend type Curriculum {
  "How the courses cover the pinned version: the matrix, figures per domain and the gaps (as GET /v1/curricula/{id}/coverage)."
  coverage("Add a row per key activity after each competency." includeActivities: Boolean = false, "First course column (1-based); the figures and gaps count every course." from: Int, "Last course column." to: Int): CurriculumCoverage!
}

"A curriculum's coverage of its pinned framework version."
type CurriculumCoverage {
  "Whether the rows include key activities."
  activities: Boolean!
  "The matrix's columns, by code."
  courses: [CoverageCourse!]!
  "Which courses the columns are."
  columns: CoverageColumns!
  "Competencies (and key activities) in guide order."
  rows: [CoverageRow!]!
  "Per domain: how many competencies and key activities are covered, and at which levels."
  domains: [DomainCoverage!]!
  "The same over the whole version."
  totals: CoverageTotals!
  "What is missing."
  gaps: CoverageGaps!
}

"A column of the matrix."
type CoverageCourse {
  "The course's id."
  id: ID!
  "Its code."
  code: String!
  "Its title."
  title: String!
  "How many alignments it has."
  alignments: Int!
}

"The 1-based course range of the columns, of how many courses."
type CoverageColumns {
  "First."
  from: Int!
  "Last."
  to: Int!
  "All courses."
  of: Int!
}

"A competency or key activity and the courses reaching it."
type CoverageRow {
  "competency or activity."
  type: String!
  "Its code."
  code: String!
  "Its slug id."
  id: String!
  "Its uuid."
  uuid: String!
  "The competency's name or the key activity's text."
  label: String!
  "Its domain's code."
  domain: String!
  "Its competency's code (its own for a competency)."
  competency: String!
  "One per column; null where the course does not touch it."
  cells: [CoverageCell]!
  "The codes of every course touching it."
  courses: [String!]!
  "The highest level reached."
  highest: CoverageLevel
  "Introduced somewhere."
  introduced: Boolean!
  "Reinforced somewhere."
  reinforced: Boolean!
  "Mastered somewhere."
  mastered: Boolean!
}

"What one course does for one row."
type CoverageCell {
  "The highest level."
  level: CoverageLevel!
  "The level of the course's alignment to the row itself."
  direct: CoverageLevel
  "Alignments to the row's key activities or sub-points."
  via: [CoverageVia!]!
}

"An alignment to a part of a row."
type CoverageVia {
  "The key activity's or sub-point's code."
  code: String!
  "Its level."
  level: CoverageLevel!
}

"How many are covered, and reached at each level."
type CoverageTally {
  "How many there are."
  total: Int!
  "Touched by a course at any level."
  covered: Int!
  "Introduced somewhere."
  introduced: Int!
  "Reinforced somewhere."
  reinforced: Int!
  "Mastered somewhere."
  mastered: Int!
  "The counts over total, 0 to 1."
  share: CoverageShares!
}

"Shares of a tally's total."
type CoverageShares {
  "Covered."
  covered: Float!
  "Introduced."
  introduced: Float!
  "Reinforced."
  reinforced: Float!
  "Mastered."
  mastered: Float!
}

"A domain's coverage."
type DomainCoverage {
  "The domain's code."
  code: String!
  "Its slug id."
  id: String!
  "Its name."
  name: String!
  "Its competencies."
  competencies: CoverageTally!
  "Its key activities."
  activities: CoverageTally!
}

"Coverage over the whole version."
type CoverageTotals {
  "Competencies."
  competencies: CoverageTally!
  "Key activities."
  activities: CoverageTally!
}

"A competency (or key activity, or course) in a gap list."
type CoverageGap {
  "Its code."
  code: String!
  "Its id (slug id, or the course's uuid)."
  id: String!
  "The competency's name, the key activity's text or the course's title."
  label: String!
}

"An alignment whose target the pinned version does not have."
type UnresolvedAlignment {
  "The course's code."
  course: String!
  "The target's code."
  target: String!
}

"What is missing."
type CoverageGaps {
  "Competencies no course touches."
  competencies: [CoverageGap!]!
  "Key activities no course touches."
  activities: [CoverageGap!]!
  "Competencies introduced somewhere and mastered nowhere."
  introducedNotMastered: [CoverageGap!]!
  "Courses with no alignment."
  courses: [CoverageGap!]!
  "Alignments counted nowhere."
  unresolved: [UnresolvedAlignment!]!
}
`

type CurriculumNode = Curriculum & { institutionId: string }

const MAX_COLUMN = 9999

/** The resolvers to merge into the curricula's `Curriculum` type. */
export function coverageResolvers (catalog: Catalog, store: () => CurriculaRepository): IResolvers {
  return {
    Curriculum: {
      coverage: async (c: CurriculumNode, args: { includeActivities: boolean, from?: number | null, to?: number | null }) => {
        for (const name of ['from', 'to'] as const) {
          const n = args[name]
          if (n !== undefined && n !== null && (n < 1 || n > MAX_COLUMN)) throw new ApiError(`${name} must be from 1 to ${MAX_COLUMN}.`, 'BAD_USER_INPUT', { argument: name })
        }
        if (args.from != null && args.to != null && args.from > args.to) throw new ApiError('from comes after to.', 'BAD_USER_INPUT', { argument: 'from' })
        const v = catalog.repo.version(c.framework, c.version)
        if (v === undefined) throw new ApiError(`${c.framework} ${c.version} is not served any more.`, 'BAD_USER_INPUT')
        let snapshot
        try {
          snapshot = await store().curriculumSnapshot(c.institutionId, c.id)
        } catch (err) {
          throw coded(err)
        }
        if (args.from != null && args.from > Math.max(snapshot.courses.length, 1)) throw new ApiError(`from: the curriculum has ${snapshot.courses.length} courses.`, 'BAD_USER_INPUT', { argument: 'from' })
        const columns = args.from == null && args.to == null ? undefined : { from: args.from ?? 1, to: args.to ?? MAX_COLUMN }
        return coverageReport(snapshot, catalog.index(v), { activities: args.includeActivities, ...(columns === undefined ? {} : { columns }) })
      }
    }
  }
}

/** The curricula resolvers with `Curriculum.coverage` added. */
export function withCoverage (resolvers: IResolvers, catalog: Catalog, store: () => CurriculaRepository): IResolvers {
  const extra = coverageResolvers(catalog, store)
  return { ...resolvers, Curriculum: { ...resolvers.Curriculum as object, ...extra.Curriculum as object } } as IResolvers
}
