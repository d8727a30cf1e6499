/**
 * The coverage matrix as CSV (RFC 4180, UTF-8, CRLF): a header row, then one row per competency
 * (and key activity, when asked) in guide order, one column per course (headed by its code) with
 * the level letter or nothing, then what the row adds up to. A spreadsheet opens it as is.
 */
import { csvField } from '../../formats/csv.js'
import type { CoverageReport } from './coverage.js'

export const COVERAGE_CSV = 'text/csv; charset=utf-8; header=present'

/** Columns before and after the courses'. */
export const coverageCsvLead = ['type', 'code', 'domain', 'competency', 'label'] as const
export const coverageCsvTail = ['courses', 'highest', 'introduced', 'reinforced', 'mastered', 'via'] as const

/**
 * A field a spreadsheet will not take for a formula: course codes and titles are the
 * institution's text, and a leading `=`, `+`, `-` or `@` would be evaluated (OWASP's CSV injection).
 */
export function spreadsheetField (value: string): string {
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
}

const yes = (b: boolean): string => b ? 'yes' : 'no'

/** The report as CSV. */
export function coverageCsv (report: CoverageReport): string {
  const lines: string[] = [[...coverageCsvLead, ...report.courses.map((c) => c.code), ...coverageCsvTail].map(spreadsheetField).join(',')]
  for (const r of report.rows) {
    const via = r.cells.flatMap((cell, i) => cell === null || cell.via.length === 0
      ? []
      : [`${report.courses[i]!.code}: ${cell.via.map((v) => `${v.code} ${v.level}`).join(', ')}`])
    lines.push([
      r.type, r.code, r.domain, r.competency, r.label,
      ...r.cells.map((cell) => cell?.level ?? ''),
      r.courses.join(' '), r.highest ?? '', yes(r.introduced), yes(r.reinforced), yes(r.mastered), via.join('; ')
    ].map(spreadsheetField).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}
