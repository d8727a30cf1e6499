/**
 * CSV export of a framework version: one row per outline node (principle, domain, competency, key
 * activity, sub-point, helpful hint) in the guide's order, RFC 4180: a header row, CRLF line ends,
 * fields quoted when they hold a comma, quote, CR or LF, quotes doubled. UTF-8 without a byte-order
 * mark by default (the media type's charset says UTF-8); `bom: true` adds one for spreadsheet
 * programs that otherwise guess a legacy encoding. Text is verbatim and never escaped for
 * spreadsheets, so a cell that starts with `=` would stay as it is.
 */
import { nodeName, nodeText } from '../catalog/version.js'
import type { VersionIndex } from '../catalog/version-index.js'

/** The media type of the export. */
export const CSV = 'text/csv; charset=utf-8; header=present'

/** The columns, in order. `parent` is the parent's slug id (empty at the top); `order` is 1-based among siblings. */
export const csvColumns = ['code', 'type', 'id', 'uuid', 'parent', 'order', 'name', 'text'] as const

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark. */
  bom?: boolean
}

/** One RFC 4180 field. */
export function csvField (value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** The version as CSV. */
export function exportCsv (content: VersionIndex, { bom = false }: CsvOptions = {}): string {
  const rows: string[][] = [[...csvColumns]]
  for (const { record, parent, order } of content.outline) {
    rows.push([record.code, record.type, record.id, record.uuid, parent?.id ?? '', String(order), nodeName(record) ?? '', nodeText(record)])
  }
  const body = rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
  return bom ? `\uFEFF${body}` : body
}
