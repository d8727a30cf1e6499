/**
 * A curriculum's coverage of its pinned framework version: the matrix of competencies (and, on
 * request, key activities) × courses, each cell the highest level a course reaches (`I`, `R`,
 * `M`) or empty; per competency who touches it and how far; per domain the share covered at each
 * level; and the gaps. Pure: a snapshot of the curriculum and the catalog's VersionIndex in, the
 * report out. Rows follow the guide's order (domains → competencies → key activities) as the
 * catalog gives it.
 *
 * Coverage rolls up, never down: an alignment to a key activity counts for its competency, one to
 * a sub-point for its key activity and competency; an alignment to a competency says nothing
 * about which of its key activities are taught.
 */
import type { VersionIndex } from '../../catalog/version-index.js'
import type { Alignment, Course, CurriculumSnapshot, Level } from '../store/repository.js'

/** A level as the report writes it. */
export type Letter = 'I' | 'R' | 'M'
export const letters: readonly Letter[] = ['I', 'R', 'M']
export const letterOf: Record<Level, Letter> = { introduced: 'I', reinforced: 'R', mastered: 'M' }
export const levelOf: Record<Letter, Level> = { I: 'introduced', R: 'reinforced', M: 'mastered' }
const rank: Record<Letter, number> = { I: 1, R: 2, M: 3 }
const higher = (a: Letter | null, b: Letter): Letter => a === null || rank[b] > rank[a] ? b : a

/** What a cell counts: a direct alignment's level, and those of the row's parts (key activities, sub-points). */
export interface Cell {
  /** The highest level of all. */
  level: Letter
  /** The level of the course's alignment to the row itself, if it has one. */
  direct: Letter | null
  /** The alignments to the row's key activities or sub-points that count for it. */
  via: Array<{ code: string, level: Letter }>
}

export interface LevelFlags { introduced: boolean, reinforced: boolean, mastered: boolean }

/** A row of the matrix: a competency or a key activity. */
export interface CoverageRow extends LevelFlags {
  type: 'competency' | 'activity'
  code: string
  id: string
  uuid: string
  /** The competency's name, or the key activity's text. */
  label: string
  domain: string
  /** The competency a key activity belongs to (itself for a competency). */
  competency: string
  /** One per course, in the report's course order; null where the course does not touch the row. */
  cells: Array<Cell | null>
  /** The codes of the courses that touch it. */
  courses: string[]
  highest: Letter | null
}

export interface CoverageCourse { id: string, code: string, title: string, alignments: number }

/** How many of a domain's competencies or key activities are covered, and at each level. */
export interface Tally { total: number, covered: number, introduced: number, reinforced: number, mastered: number }
/** A tally's counts as shares of its total (0 to 1, four decimals). */
export type Shares = Omit<Tally, 'total'>

export interface DomainCoverage {
  code: string
  id: string
  name: string
  competencies: Tally & { share: Shares }
  activities: Tally & { share: Shares }
}

/** A named gap: a competency (its name), a key activity (its text) or a course (its title). */
export interface Gap { code: string, id: string, label: string }

export interface CoverageGaps {
  /** Competencies no course touches, directly or through their key activities. */
  competencies: Gap[]
  /** Key activities no course touches, directly or through their sub-points. */
  activities: Gap[]
  /** Competencies introduced somewhere but mastered nowhere. */
  introducedNotMastered: Gap[]
  /** Courses with no alignment that counts (none, or only detached ones). */
  courses: Gap[]
  /** Alignments whose target the pinned version does not have (detached by a migration, kept, but counted nowhere). */
  unresolved: Array<{ course: string, target: string }>
}

export interface CoverageReport {
  curriculum: { id: string, name: string, framework: string, version: string, revision: number }
  /** Whether the matrix has key activity rows (after each competency's row). */
  activities: boolean
  /** The matrix's columns (all courses, or the `columns` asked for). */
  courses: CoverageCourse[]
  /** Which courses the columns are, 1-based, of how many. */
  columns: { from: number, to: number, of: number }
  rows: CoverageRow[]
  domains: DomainCoverage[]
  totals: { competencies: Tally & { share: Shares }, activities: Tally & { share: Shares } }
  gaps: CoverageGaps
}

export interface CoverageOptions {
  /** Add a row per key activity. */
  activities?: boolean
  /** 1-based, inclusive course range of the matrix (the figures and gaps always count every course). */
  columns?: { from: number, to: number }
}

/** Where each sub-point belongs, per version (sub-points are not indexed by the catalog). */
const subpointParents = new WeakMap<VersionIndex, Map<string, string>>()
function activityOfSubpoint (index: VersionIndex, id: string): string | undefined {
  let parents = subpointParents.get(index)
  if (parents === undefined) {
    parents = new Map(index.activities.flatMap((a) => a.subpoints.map((s) => [s.id, a.id] as [string, string])))
    subpointParents.set(index, parents)
  }
  return parents.get(id)
}

/** A row's per-course accumulator while alignments are read. */
type Acc = Map<number, Cell>

function add (acc: Acc, course: number, level: Letter, via?: string): void {
  const cell = acc.get(course) ?? { level, direct: null, via: [] }
  cell.level = higher(cell.level, level)
  if (via === undefined) cell.direct = higher(cell.direct, level)
  else cell.via.push({ code: via, level })
  acc.set(course, cell)
}

const gap = (r: CoverageRow): Gap => ({ code: r.code, id: r.id, label: r.label })
const share = (n: number, total: number): number => total === 0 ? 0 : Math.round((n / total) * 10_000) / 10_000

function tally (rows: readonly CoverageRow[]): Tally & { share: Shares } {
  const t: Tally = { total: rows.length, covered: 0, introduced: 0, reinforced: 0, mastered: 0 }
  for (const r of rows) {
    if (r.highest !== null) t.covered++
    if (r.introduced) t.introduced++
    if (r.reinforced) t.reinforced++
    if (r.mastered) t.mastered++
  }
  return { ...t, share: { covered: share(t.covered, t.total), introduced: share(t.introduced, t.total), reinforced: share(t.reinforced, t.total), mastered: share(t.mastered, t.total) } }
}

function finish (base: Omit<CoverageRow, 'cells' | 'courses' | 'highest' | keyof LevelFlags>, acc: Acc, courses: readonly Course[]): CoverageRow {
  const cells = courses.map((_, i) => acc.get(i) ?? null)
  let highest: Letter | null = null
  const seen = new Set<Letter>()
  for (const cell of cells) {
    if (cell === null) continue
    highest = higher(highest, cell.level)
    // A level counts as reached where any alignment in the cell has it.
    if (cell.direct !== null) seen.add(cell.direct)
    for (const v of cell.via) seen.add(v.level)
  }
  return {
    ...base,
    cells,
    courses: courses.filter((_, i) => acc.has(i)).map((c) => c.code),
    highest,
    introduced: seen.has('I'),
    reinforced: seen.has('R'),
    mastered: seen.has('M')
  }
}

/** The coverage report of a curriculum snapshot against its pinned version's index. */
export function coverageReport (snapshot: CurriculumSnapshot, index: VersionIndex, options: CoverageOptions = {}): CoverageReport {
  const { curriculum, courses } = snapshot
  const column = new Map(courses.map((c, i) => [c.id, i]))
  const byCompetency = new Map<string, Acc>()
  const byActivity = new Map<string, Acc>()
  const accOf = (map: Map<string, Acc>, id: string): Acc => {
    let acc = map.get(id)
    if (acc === undefined) map.set(id, acc = new Map())
    return acc
  }
  const alignedCourses = new Set<string>()
  const unresolved: CoverageGaps['unresolved'] = []

  for (const a of snapshot.alignments) {
    const i = column.get(a.courseId)
    if (i === undefined) continue
    // A detached alignment (its target is not in the pinned version since a migration) counts nowhere.
    if (a.detachedFrom === null && place(a, i)) alignedCourses.add(a.courseId)
    else unresolved.push({ course: (courses[i] as Course).code, target: a.target.code })
  }

  function place (a: Alignment, i: number): boolean {
    const level = letterOf[a.level]
    const t = a.target
    if (t.type === 'competency') {
      if (!index.byId.competency.has(t.id)) return false
      add(accOf(byCompetency, t.id), i, level)
      return true
    }
    const activityId = t.type === 'activity' ? t.id : activityOfSubpoint(index, t.id)
    const activity = activityId === undefined ? undefined : index.byId.activity.get(activityId)
    if (activity === undefined) return false
    add(accOf(byActivity, activity.id), i, level, t.type === 'subpoint' ? t.code : undefined)
    add(accOf(byCompetency, activity.competency), i, level, t.code)
    return true
  }

  const competencyRows: CoverageRow[] = []
  const activityRows: CoverageRow[] = []
  const rows: CoverageRow[] = []
  const domains: DomainCoverage[] = []
  for (const d of index.domains) {
    const dCompetencies: CoverageRow[] = []
    const dActivities: CoverageRow[] = []
    for (const c of index.competenciesOf.get(d.id) ?? []) {
      const row = finish({ type: 'competency', code: c.code, id: c.id, uuid: c.uuid, label: c.name, domain: d.code, competency: c.code }, byCompetency.get(c.id) ?? new Map(), courses)
      dCompetencies.push(row)
      rows.push(row)
      for (const a of index.activitiesOf.get(c.id) ?? []) {
        const aRow = finish({ type: 'activity', code: a.code, id: a.id, uuid: a.uuid, label: a.text, domain: d.code, competency: c.code }, byActivity.get(a.id) ?? new Map(), courses)
        dActivities.push(aRow)
        if (options.activities === true) rows.push(aRow)
      }
    }
    competencyRows.push(...dCompetencies)
    activityRows.push(...dActivities)
    domains.push({ code: d.code, id: d.id, name: d.name, competencies: tally(dCompetencies), activities: tally(dActivities) })
  }

  const from = Math.min(Math.max(options.columns?.from ?? 1, 1), courses.length + 1)
  const to = Math.max(Math.min(options.columns?.to ?? courses.length, courses.length), from - 1)
  const slice = <T>(list: readonly T[]): T[] => list.slice(from - 1, to)
  const alignmentCount = new Map<string, number>()
  for (const a of snapshot.alignments) alignmentCount.set(a.courseId, (alignmentCount.get(a.courseId) ?? 0) + 1)

  return {
    curriculum: { id: curriculum.id, name: curriculum.name, framework: curriculum.framework, version: curriculum.version, revision: curriculum.revision },
    activities: options.activities === true,
    courses: slice(courses).map((c) => ({ id: c.id, code: c.code, title: c.title, alignments: alignmentCount.get(c.id) ?? 0 })),
    columns: { from, to, of: courses.length },
    rows: rows.map((r) => ({ ...r, cells: slice(r.cells) })),
    domains,
    totals: { competencies: tally(competencyRows), activities: tally(activityRows) },
    gaps: {
      competencies: competencyRows.filter((r) => r.highest === null).map(gap),
      activities: activityRows.filter((r) => r.highest === null).map(gap),
      introducedNotMastered: competencyRows.filter((r) => r.introduced && !r.mastered).map(gap),
      courses: courses.filter((c) => !alignedCourses.has(c.id)).map((c) => ({ code: c.code, id: c.id, label: c.title })),
      unresolved
    }
  }
}
