/**
 * The courses CSV: a header row naming `code` and `title` (required) and `url`, `term`,
 * `credits`, `alignments` (optional); `alignments` holds `target:level` pairs separated by `;`,
 * levels as `I`/`R`/`M` or in full. Every error is collected, naming its row (the header is
 * row 1) and column, so a file can be fixed in one go.
 */
import { parse } from 'csv-parse/sync'
import type { ProblemErrorView } from '../web/schemas/problem.js'
import { unknownTargetMessage } from './targets.js'
import type { ImportRow, Level, Target } from './store/repository.js'

const columns = ['code', 'title', 'url', 'term', 'credits', 'alignments'] as const
const levelNames: Record<string, Level> = { i: 'introduced', r: 'reinforced', m: 'mastered', introduced: 'introduced', reinforced: 'reinforced', mastered: 'mastered' }

/** Parses the CSV into import rows, resolving targets; `errors` is empty when every row is good. */
export function parseCoursesCsv (text: string, resolve: (name: string) => Target | undefined, suggest: (name: string) => string[]): { rows: ImportRow[], errors: ProblemErrorView[] } {
  const errors: ProblemErrorView[] = []
  const fail = (row: number, column: string, message: string, allowed?: string[]) =>
    errors.push({ in: 'body', name: `row ${row}, column ${column}`, message, ...(allowed === undefined || allowed.length === 0 ? {} : { allowed }) })
  let records: string[][]
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][]
  } catch (err) {
    const e = err as { lines?: number, message: string }
    fail(e.lines ?? 1, '-', e.message.replace(/^Invalid Record Length: /, ''))
    return { rows: [], errors }
  }
  const [header = [], ...body] = records
  const names = header.map((h) => h.toLowerCase())
  for (const name of names) if (!(columns as readonly string[]).includes(name)) fail(1, name, 'unknown column', [...columns])
  for (const required of ['code', 'title']) if (!names.includes(required)) fail(1, required, 'is required')
  if (errors.length > 0) return { rows: [], errors }
  if (body.length === 0) fail(2, '-', 'the file has no courses')
  const rows: ImportRow[] = []
  const seen = new Map<string, number>()
  body.forEach((record, i) => {
    const row = i + 2
    const cell = (name: string): string => record[names.indexOf(name)] ?? ''
    const code = cell('code')
    const title = cell('title')
    if (code === '' || code.length > 64) fail(row, 'code', 'must be 1 to 64 characters')
    else if (seen.has(code)) fail(row, 'code', `"${code}" is also on row ${seen.get(code) ?? 0}`)
    else seen.set(code, row)
    if (title === '' || title.length > 300) fail(row, 'title', 'must be 1 to 300 characters')
    const url = cell('url')
    if (url !== '' && !/^https?:\/\/\S+$/.test(url)) fail(row, 'url', 'must be an http(s) URL')
    const creditsText = cell('credits')
    const credits = creditsText === '' ? null : Number(creditsText)
    if (credits !== null && (!Number.isFinite(credits) || credits < 0 || credits > 1000)) fail(row, 'credits', 'must be a number from 0 to 1000')
    const alignments: ImportRow['alignments'] = []
    const targets = new Set<string>()
    for (const pair of cell('alignments').split(';').map((p) => p.trim()).filter((p) => p !== '')) {
      const at = pair.lastIndexOf(':')
      const name = at < 0 ? pair : pair.slice(0, at).trim()
      const level = at < 0 ? undefined : levelNames[pair.slice(at + 1).trim().toLowerCase()]
      if (level === undefined) {
        fail(row, 'alignments', `"${pair}" must be target:level with level I, R or M`, ['introduced', 'reinforced', 'mastered'])
        continue
      }
      const target = resolve(name)
      if (target === undefined) {
        const suggestions = suggest(name)
        fail(row, 'alignments', unknownTargetMessage(name, 'the pinned version', suggestions), suggestions)
        continue
      }
      if (targets.has(target.uuid)) {
        fail(row, 'alignments', `${target.code} is given twice`)
        continue
      }
      targets.add(target.uuid)
      alignments.push({ target, level })
    }
    rows.push({
      course: { code, title, ...(url === '' ? {} : { url }), ...(cell('term') === '' ? {} : { term: cell('term') }), ...(credits === null ? {} : { credits }) },
      alignments
    })
  })
  return { rows, errors }
}
