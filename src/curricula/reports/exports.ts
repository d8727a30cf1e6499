/**
 * A curriculum's map in forms other systems read, rendered from one snapshot (reports/snapshot.ts)
 * and the pinned version's catalog index:
 * - CASE 1.1: a CFPackage whose CFDocument is the curriculum (`frameworkType` `CourseCodes`, the
 *   one framework type CASE 1.1 predefines), whose CFItems are its courses (`CFItemType`
 *   `Course`), each the child of the document, with an `isRelatedTo` association from each course
 *   to the framework CFItem of each target (`destinationNodeURI` = the item's URI on this service).
 *   The level is the association's `notes` (`Level: mastered`, then the alignment's note): `notes`
 *   is a plain CASE 1.1 field that CASE tools show and keep, where `extensions` are proprietary
 *   and commonly dropped on import, and `hasSkillLevel` would need CFItems for the levels, which
 *   the framework does not publish.
 * - Open Badges 3.0: per course, the `Alignment` objects of its targets (formats/alignment.ts).
 * - CSV: one row per alignment.
 * Detached alignments (their target is not in the pinned version) are left out of all three: they
 * name nothing the pinned framework publishes. The migrate answer and the alignments list them.
 */
import type { VersionIndex } from '../../catalog/version-index.js'
import { nodeName, nodeText, type OutlineRecord } from '../../catalog/version.js'
import { alignment as badgeAlignment, type Alignment as BadgeAlignment } from '../../formats/alignment.js'
import { associationUuid, caseUri } from '../../formats/case.js'
import type { CFPackage, CFPckgAssociation, CFPckgItem, LinkGenURI } from '../../formats/case-schemas.js'
import { csvField } from '../../formats/csv.js'
import type { Alignment, Course, CurriculumSnapshot } from '../store/repository.js'

const records = new WeakMap<VersionIndex, Map<string, OutlineRecord>>()

/** A version's outline records by entity uuid, built once per version. */
export function outlineRecord (view: VersionIndex, uuid: string): OutlineRecord | undefined {
  let byUuid = records.get(view)
  if (byUuid === undefined) {
    byUuid = new Map(view.outline.map((n) => [n.record.uuid, n.record]))
    records.set(view, byUuid)
  }
  return byUuid.get(uuid)
}

/** Where the exports link to: the service's public URL and the curricula API's URLs. */
export interface ExportUrls {
  /** The public base URL, without a trailing slash. */
  baseUrl: string
  curriculum: (id: string) => string
  course: (c: Course) => string
  /** The CASE export of a curriculum (its associations other than alignments are named by fragments of it). */
  casePackage: (id: string) => string
}

interface Aligned { alignment: Alignment, course: Course, record: OutlineRecord }

/** The snapshot's attached alignments with their course and target record, by course code then target code. */
function aligned (snapshot: CurriculumSnapshot, view: VersionIndex): Aligned[] {
  const courses = new Map(snapshot.courses.map((c) => [c.id, c]))
  const out: Aligned[] = []
  for (const a of snapshot.alignments) {
    const course = courses.get(a.courseId)
    const record = a.detachedFrom === null ? outlineRecord(view, a.target.uuid) : undefined
    if (course !== undefined && record !== undefined) out.push({ alignment: a, course, record })
  }
  return out.sort((x, y) => x.course.code.localeCompare(y.course.code) || x.course.id.localeCompare(y.course.id) || x.alignment.target.code.localeCompare(y.alignment.target.code))
}

/** The CASE `notes` of an alignment: its level first, in a fixed form, then its note. */
export function levelNotes (a: Alignment): string {
  return a.note === null ? `Level: ${a.level}` : `Level: ${a.level}\n\n${a.note}`
}

/** The curriculum as a CASE 1.1 CFPackage. */
export function curriculumCasePackage (snapshot: CurriculumSnapshot, view: VersionIndex, creator: string, urls: ExportUrls): CFPackage {
  const { curriculum } = snapshot
  const document = { title: curriculum.name, identifier: curriculum.id, uri: urls.curriculum(curriculum.id), targetType: 'CASE' } satisfies LinkGenURI
  const courseLink = (c: Course): LinkGenURI => ({ title: `${c.code} ${c.title}`, identifier: c.id, uri: urls.course(c), targetType: 'CASE' })
  const items: CFPckgItem[] = snapshot.courses.map((c) => ({
    identifier: c.id,
    fullStatement: c.title,
    CFItemType: 'Course',
    uri: urls.course(c),
    humanCodingScheme: c.code,
    ...(c.credits === null ? {} : { notes: `Credits: ${c.credits}` }),
    lastChangeDateTime: c.updatedAt
  }))
  const associations: CFPckgAssociation[] = snapshot.courses.map((c, i) => {
    const identifier = associationUuid('isChildOf', c.id, curriculum.id)
    return {
      identifier,
      associationType: 'isChildOf',
      sequenceNumber: i + 1,
      uri: `${urls.casePackage(curriculum.id)}#${identifier}`,
      originNodeURI: courseLink(c),
      destinationNodeURI: document,
      lastChangeDateTime: c.updatedAt
    }
  })
  for (const { alignment: a, course, record } of aligned(snapshot, view)) {
    const target = view.revisionOf(record.uuid).identifier
    const identifier = associationUuid('isRelatedTo', course.id, record.uuid)
    associations.push({
      identifier,
      associationType: 'isRelatedTo',
      uri: `${urls.course(course)}/alignments/${record.uuid}`,
      originNodeURI: courseLink(course),
      destinationNodeURI: { title: nodeName(record) ?? record.code, identifier: target, uri: caseUri(urls.baseUrl, target), targetType: 'CASE' },
      lastChangeDateTime: a.updatedAt,
      notes: levelNotes(a)
    })
  }
  return {
    CFDocument: {
      identifier: curriculum.id,
      uri: urls.curriculum(curriculum.id),
      frameworkType: 'CourseCodes',
      caseVersion: '1.1',
      creator,
      title: curriculum.name,
      // ISO 8601 UTC strings sort as times; a course's time covers its alignments.
      lastChangeDateTime: [curriculum.updatedAt, ...snapshot.courses.map((c) => c.updatedAt)].sort().at(-1) ?? curriculum.updatedAt,
      ...(curriculum.description === null ? {} : { description: curriculum.description }),
      version: String(curriculum.revision),
      notes: `Courses aligned to ${view.version.meta.title}, version ${view.version.number} (${caseUri(urls.baseUrl, view.version.uuid)}).`
    },
    CFItems: items,
    CFAssociations: associations
  }
}

export interface CourseBadgeAlignments {
  course: { id: string, code: string, title: string, href: string }
  alignment: BadgeAlignment[]
}

/** Per course, the Open Badges 3.0 Alignment objects of its targets (courses without any have an empty list). */
export function curriculumBadgeAlignments (snapshot: CurriculumSnapshot, view: VersionIndex, urls: ExportUrls): CourseBadgeAlignments[] {
  const byCourse = new Map<string, BadgeAlignment[]>(snapshot.courses.map((c) => [c.id, []]))
  for (const { course, record } of aligned(snapshot, view)) {
    if (record.type === 'competency' || record.type === 'activity' || record.type === 'subpoint') byCourse.get(course.id)?.push(badgeAlignment(view, record, urls.baseUrl))
  }
  return snapshot.courses.map((c) => ({ course: { id: c.id, code: c.code, title: c.title, href: urls.course(c) }, alignment: byCourse.get(c.id) ?? [] }))
}

/** The columns of the CSV export, in order. */
export const alignmentCsvColumns = ['course_code', 'course_title', 'target_code', 'target_uuid', 'target_text', 'level', 'note'] as const

/** One row per alignment (RFC 4180, CRLF, header row), by course code then target code; target text verbatim from the pinned version. */
export function curriculumAlignmentsCsv (snapshot: CurriculumSnapshot, view: VersionIndex): string {
  const rows: string[][] = [[...alignmentCsvColumns]]
  for (const { alignment: a, course, record } of aligned(snapshot, view)) {
    rows.push([course.code, course.title, record.code, record.uuid, nodeText(record), a.level, a.note ?? ''])
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
