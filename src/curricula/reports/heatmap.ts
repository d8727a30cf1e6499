/**
 * The coverage report as an SVG heatmap a person would rather look at than read: domains as bands,
 * competencies (and key activities, when the report has them) as rows, courses as columns. A cell's
 * level is its colour (a light-to-dark ramp, so greyscale keeps the order) and its letter; a cell
 * reached only through key activities or sub-points has a dashed border. Rows never aligned are
 * hatched and tagged, as are courses with no alignment. The root is `role="img"` with a title and a
 * description that says in words what the picture shows; every cell has its own `<title>`.
 *
 * Only presentation attributes, no `<style>`: the API's Content-Security-Policy forbids styles,
 * and a page can inline the picture as it is. String building only: 200 courses × 130 rows
 * renders in a few tens of milliseconds.
 */
import type { CoverageReport, CoverageRow, Letter } from './coverage.js'
import { levelOf } from './coverage.js'

export const SVG = 'image/svg+xml; charset=utf-8'

/** Columns drawn when the request names none, and the most one picture may have. */
export const HEATMAP_PAGE = 50
export const HEATMAP_MAX_COLUMNS = 100

const CELL_W = 24
const CELL_H = 20
const BAND_H = 24
const LABEL_W = 400
const TAG_W = 150
const MARGIN = 16
const HEAD_H = 96
const TOP = 116
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif'

/** Fill, letter colour and name of each level, light to dark. */
const palette: Record<Letter, { fill: string, ink: string }> = {
  I: { fill: '#c6dbef', ink: '#08306b' },
  R: { fill: '#6baed6', ink: '#08306b' },
  M: { fill: '#08519c', ink: '#ffffff' }
}
const GRID = '#9aa5b1'
const INK = '#1f2328'
const MUTED = '#57606a'
const GAP_INK = '#a40e26'

/** XML text or attribute value; characters XML 1.0 forbids are dropped. */
export function escapeXml (text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string)
}

const clip = (text: string, max: number): string => text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`

function cellTitle (row: CoverageRow, course: string, i: number): string {
  const cell = row.cells[i]
  if (cell === null || cell === undefined) return `${row.code} × ${course}: not aligned`
  const parts = [cell.direct === null ? null : `direct ${cell.direct}`, cell.via.length === 0 ? null : `via ${cell.via.map((v) => `${v.code} ${v.level}`).join(', ')}`]
  return `${row.code} × ${course}: ${levelOf[cell.level]} (${parts.filter((p) => p !== null).join('; ')})`
}

const list = (codes: readonly string[], none = 'none'): string => codes.length === 0 ? none : codes.join(', ')

/** What the picture shows, in words: its `<desc>`. */
export function heatmapDescription (r: CoverageReport): string {
  const t = r.totals
  const what = r.activities ? 'competencies and key activities' : 'competencies'
  return [
    `Heatmap of ${what} (rows, grouped by domain) by course (columns ${r.columns.from}–${r.columns.to} of ${r.columns.of}).`,
    'Levels: I introduced, R reinforced, M mastered; a dashed cell counts only through key activities or sub-points.',
    `Covered: ${t.competencies.covered} of ${t.competencies.total} competencies (${t.competencies.mastered} mastered somewhere) and ${t.activities.covered} of ${t.activities.total} key activities.`,
    `Competencies never aligned: ${list(r.gaps.competencies.map((g) => g.code))}.`,
    `Introduced but never mastered: ${list(r.gaps.introducedNotMastered.map((g) => g.code))}.`,
    `Courses with no alignment: ${list(r.gaps.courses.map((g) => g.code))}.`
  ].join(' ')
}

export interface HeatmapOptions {
  /** Prefix of the ids inside the picture, so several can share one HTML page. */
  idPrefix?: string
  /** A line under the title, e.g. how to ask for the next columns. */
  note?: string
}

/** The report as an SVG document (or element, to inline in HTML: the XML declaration is left off). */
export function heatmapSvg (r: CoverageReport, options: HeatmapOptions = {}): string {
  const p = options.idPrefix ?? 'cov-'
  const cols = r.courses.length
  const gridX = MARGIN + LABEL_W
  const gridW = Math.max(cols, 1) * CELL_W
  const width = Math.max(gridX + gridW + TAG_W + MARGIN, 820)
  const neverAligned = new Set(r.gaps.competencies.map((g) => g.code).concat(r.gaps.activities.map((g) => g.code)))
  const notMastered = new Set(r.gaps.introducedNotMastered.map((g) => g.code))
  const idle = new Set(r.gaps.courses.map((g) => g.code))
  const out: string[] = []
  let y = TOP + HEAD_H

  // Domains as bands, each followed by its rows.
  const body: string[] = []
  for (const d of r.domains) {
    const rows = r.rows.filter((row) => row.domain === d.code)
    const c = d.competencies
    body.push(`<g><rect x="${MARGIN}" y="${y}" width="${width - 2 * MARGIN}" height="${BAND_H}" fill="#e6ebf1"/>`,
      `<text x="${MARGIN + 6}" y="${y + 16}" font-weight="bold" fill="${INK}">${escapeXml(`${d.code} ${d.name}`)}</text>`,
      `<text x="${width - MARGIN - 6}" y="${y + 16}" text-anchor="end" fill="${MUTED}">${escapeXml(`${c.covered} of ${c.total} competencies covered, ${c.mastered} mastered`)}</text></g>`)
    y += BAND_H
    for (const row of rows) {
      const activity = row.type === 'activity'
      const gap = neverAligned.has(row.code)
      body.push(`<g><title>${escapeXml(`${row.code} ${row.label}`)}</title>`)
      body.push(`<text x="${MARGIN + (activity ? 22 : 6)}" y="${y + 14}" fill="${INK}"${activity ? '' : ' font-weight="bold"'}>${escapeXml(clip(`${row.code} ${row.label}`, activity ? 58 : 50))}</text></g>`)
      for (let i = 0; i < cols; i++) {
        const course = r.courses[i]!
        const cell = row.cells[i] ?? null
        const x = gridX + i * CELL_W
        const fill = cell === null ? (gap || idle.has(course.code) ? `url(#${p}hatch)` : '#ffffff') : palette[cell.level].fill
        const dashed = cell !== null && cell.direct === null
        body.push(`<rect x="${x + 1}" y="${y + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${fill}" stroke="${dashed ? INK : GRID}"${dashed ? ' stroke-dasharray="3 2"' : ''}><title>${escapeXml(cellTitle(row, course.code, i))}</title></rect>`)
        if (cell !== null) body.push(`<text x="${x + CELL_W / 2}" y="${y + 14}" text-anchor="middle" font-weight="bold" fill="${palette[cell.level].ink}" aria-hidden="true">${cell.level}</text>`)
      }
      const tag = gap ? '✕ never aligned' : notMastered.has(row.code) ? '◇ never mastered' : ''
      if (tag !== '') body.push(`<text x="${gridX + gridW + 8}" y="${y + 14}" fill="${GAP_INK}">${tag}</text>`)
      y += CELL_H
    }
  }
  const height = y + MARGIN

  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${p}title ${p}desc" font-family="${FONT}" font-size="12">`)
  out.push(`<title id="${p}title">${escapeXml(`Coverage of ${r.curriculum.framework} ${r.curriculum.version} by ${r.curriculum.name}`)}</title>`)
  out.push(`<desc id="${p}desc">${escapeXml(heatmapDescription(r))}</desc>`)
  out.push(`<defs><pattern id="${p}hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c9a0a8" stroke-width="2"/></pattern></defs>`)
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(`<text x="${MARGIN}" y="28" font-size="18" font-weight="bold" fill="${INK}">${escapeXml(clip(r.curriculum.name, 80))}: coverage of ${escapeXml(`${r.curriculum.framework} ${r.curriculum.version}`)}</text>`)
  out.push(`<text x="${MARGIN}" y="48" fill="${MUTED}">${escapeXml(options.note ?? `Courses ${r.columns.from}–${r.columns.to} of ${r.columns.of}.`)}</text>`)

  // The legend: each level's swatch with its letter, then the marks.
  const legend: string[] = [`<g><text x="${MARGIN}" y="78" font-weight="bold" fill="${INK}">Legend</text>`]
  let lx = MARGIN + 60
  for (const l of ['I', 'R', 'M'] as const) {
    legend.push(`<rect x="${lx}" y="64" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${palette[l].fill}" stroke="${GRID}"/>`,
      `<text x="${lx + (CELL_W - 2) / 2}" y="78" text-anchor="middle" font-weight="bold" fill="${palette[l].ink}">${l}</text>`,
      `<text x="${lx + CELL_W + 4}" y="78" fill="${INK}">${levelOf[l]}</text>`)
    lx += CELL_W + 92
  }
  // The marks, on a second line.
  lx = MARGIN + 60
  legend.push(`<rect x="${lx}" y="88" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="#ffffff" stroke="${INK}" stroke-dasharray="3 2"/>`,
    `<text x="${lx + CELL_W + 4}" y="102" fill="${INK}">only through key activities or sub-points</text>`)
  lx += CELL_W + 250
  legend.push(`<rect x="${lx}" y="88" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="url(#${p}hatch)" stroke="${GRID}"/>`,
    `<text x="${lx + CELL_W + 4}" y="102" fill="${GAP_INK}">✕ never aligned</text>`,
    `<text x="${lx + CELL_W + 120}" y="102" fill="${GAP_INK}">◇ introduced, never mastered</text></g>`)
  out.push(...legend)

  // Course codes, turned, over their columns; the full title in each one's <title>.
  for (let i = 0; i < cols; i++) {
    const c = r.courses[i]!
    const x = gridX + i * CELL_W + CELL_W / 2 + 4
    const yy = TOP + HEAD_H - 6
    const idleNote = idle.has(c.code) ? ' (no alignments)' : ''
    out.push(`<g><title>${escapeXml(`${c.code} ${c.title}${idleNote}`)}</title><text x="${x}" y="${yy}" transform="rotate(-60 ${x} ${yy})" fill="${idleNote === '' ? INK : GAP_INK}">${escapeXml(clip(c.code, 16))}</text></g>`)
  }
  if (cols === 0) out.push(`<text x="${gridX}" y="${TOP + HEAD_H - 8}" fill="${MUTED}">No courses.</text>`)
  out.push(...body, '</svg>')
  return out.join('\n')
}
