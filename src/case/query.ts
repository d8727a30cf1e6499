/**
 * The collection parameters of CASE getAllCFDocuments (REST binding, section 3): `filter`
 * (`field op 'value'`, ops = != > >= < <= ~, case-insensitive, joined by a single kind of
 * ` AND `/` OR `), `sort` + `orderBy`, `fields`, and `limit`/`offset` paging with `X-Total-Count`
 * and `Link` headers. Pure functions over plain objects; errors are CaseQueryErrors.
 */

/** A request the collection parameters make impossible; the routes answer 400 invalid_selection_field. */
export class CaseQueryError extends Error {
  constructor (readonly parameter: string, message: string) {
    super(message)
    this.name = 'CaseQueryError'
  }
}

type Row = Record<string, unknown>
type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~'

interface Predicate { path: string[], op: Op, value: string }

// Unicode Collation Algorithm order, ignoring case; numeric so that version 1.10 sorts after 1.9.
const collator = new Intl.Collator('und', { sensitivity: 'accent', numeric: true })

const predicatePattern = /^\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*(!=|>=|<=|=|>|<|~)\s*'((?:[^']|'')*)'\s*/

function read (row: Row, path: readonly string[]): string | undefined {
  let value: unknown = row
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Row)[key]
  }
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) return value.map(String).join(',')
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function test (row: Row, { path, op, value }: Predicate): boolean {
  const actual = read(row, path)
  if (actual === undefined) return op === '!='
  if (op === '~') return actual.toLowerCase().includes(value.toLowerCase())
  const c = collator.compare(actual, value)
  switch (op) {
    case '=': return c === 0
    case '!=': return c !== 0
    case '>': return c > 0
    case '>=': return c >= 0
    case '<': return c < 0
    case '<=': return c <= 0
  }
}

/**
 * Parses a filter into a row test. `fields` are the names a filter may use (its first path
 * segment); an unknown name, bad syntax or mixing AND with OR is a CaseQueryError.
 */
export function parseFilter (filter: string, fields: ReadonlySet<string>): (row: Row) => boolean {
  const predicates: Predicate[] = []
  const joins = new Set<string>()
  let rest = filter
  for (;;) {
    const m = predicatePattern.exec(rest)
    if (m === null) throw new CaseQueryError('filter', `cannot parse the filter at "${rest.trim()}": expected field op 'value' with op one of = != > >= < <= ~`)
    const path = (m[1] as string).split('.')
    if (!fields.has(path[0] as string)) throw new CaseQueryError('filter', `unknown filter field "${m[1] as string}"`)
    predicates.push({ path, op: m[2] as Op, value: (m[3] as string).replaceAll('\'\'', '\'') })
    rest = rest.slice(m[0].length)
    if (rest === '') break
    const join = /^(AND|OR)\s+/.exec(rest)
    if (join === null) throw new CaseQueryError('filter', `expected AND or OR at "${rest.trim()}"`)
    joins.add(join[1] as string)
    rest = rest.slice(join[0].length)
  }
  if (joins.size > 1) throw new CaseQueryError('filter', 'a filter may join its predicates with AND or with OR, not both')
  return joins.has('OR')
    ? (row) => predicates.some((p) => test(row, p))
    : (row) => predicates.every((p) => test(row, p))
}

/**
 * Rows sorted by a field (rows without it last). With no field, `orderBy` applies to the given
 * order; an unknown field keeps the given order, as CASE requires.
 */
export function sortRows<T extends Row> (rows: readonly T[], sort: string | undefined, orderBy: 'asc' | 'desc' | undefined, fields: ReadonlySet<string>): T[] {
  const out = [...rows]
  if (sort === undefined) return orderBy === 'desc' ? out.reverse() : out
  if (!fields.has(sort.split('.')[0] as string)) return out
  const path = sort.split('.')
  const sign = orderBy === 'desc' ? -1 : 1
  return out.sort((a, b) => {
    const x = read(a, path)
    const y = read(b, path)
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1
    return sign * collator.compare(x, y)
  })
}

/**
 * The field selection from `fields` (each value may itself be comma-separated): a blank name is a
 * CaseQueryError; a name the resource does not have means every field, as CASE requires.
 */
export function selectedFields (fields: readonly string[] | undefined, known: ReadonlySet<string>): string[] | null {
  if (fields === undefined) return null
  const names = fields.flatMap((f) => f.split(',')).map((f) => f.trim())
  if (names.some((n) => n === '')) throw new CaseQueryError('fields', 'fields must list field names separated by commas, none blank')
  return names.every((n) => known.has(n)) ? names : null
}

/** A row with only the selected fields. */
export function projectRow<T extends Row> (row: T, names: readonly string[] | null): Partial<T> {
  if (names === null) return row
  return Object.fromEntries(names.filter((n) => n in row).map((n) => [n, row[n]])) as Partial<T>
}
