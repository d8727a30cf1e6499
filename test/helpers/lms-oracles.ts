/**
 * Test oracles: each LMS's own import rules, written from its sources (not from our renderers), as
 * functions that list what the LMS would refuse or silently get wrong in a file.
 * - Moodle: admin/tool/lpimportcsv/classes/framework_importer.php (columns by position, the row with
 *   Is framework, short names and ID numbers cut to 100 characters, competencies without ID number or
 *   short name skipped, children found by Parent ID number from the root ''), and core_competency's
 *   competency_framework (site-wide unique ID number; scale configuration: an array whose first
 *   element names the scale, with at least one default and one proficient item; at most 6 taxonomy
 *   terms from its list; description format one of FORMAT_MOODLE 0, HTML 1, PLAIN 2, MARKDOWN 4).
 * - Canvas: lib/outcomes/csv_importer.rb and import.rb (known headers only, nothing after the
 *   ratings; vendor_guid and title required, vendor_guid without whitespace; object_type group or
 *   outcome; workflow_state blank, active or deleted; groups carry no calculation or ratings and at
 *   most one parent; parents are groups on earlier rows; no guid twice; ratings in decreasing
 *   points; UTF-8), and app/models/learning_outcome.rb (title and display name at most 255).
 * - Open edX: openedx_tagging import_export parsers.py and template.csv/json (id and value required;
 *   a parent_id names an id on an earlier row) and models/base.py (id at most 255, value at most 500,
 *   both unique in the taxonomy, case-insensitively; no tab, no ' > ' in a value; 3 visible levels).
 */
import { parse } from 'csv-parse/sync'

const rowsOf = (csv: string): string[][] => parse(csv, { relax_column_count: true, bom: true } as never) as string[][]
const len = (s: string): number => [...s].length

export function moodleProblems (csv: string, existingFrameworkIdNumbers: readonly string[] = []): string[] {
  const problems: string[] = []
  const [header, ...rows] = rowsOf(csv)
  if (header === undefined) return ['no header row']
  if (header.length !== 14) problems.push(`header has ${header.length} columns, not 14`)
  const frameworks = rows.filter((r) => r[12] !== undefined && r[12] !== '' && r[12] !== '0')
  if (frameworks.length !== 1) problems.push(`${frameworks.length} framework rows, not 1`)
  for (const [i, r] of rows.entries()) {
    const line = i + 2
    if (r.length !== 14) problems.push(`line ${line}: ${r.length} columns, not 14`)
    const [, idnumber = '', shortname = '', , format = ''] = r
    if (idnumber === '' || shortname === '') problems.push(`line ${line}: ID number and short name are required`)
    if (len(idnumber) > 100) problems.push(`line ${line}: ID number over 100 characters`)
    if (len(shortname) > 100) problems.push(`line ${line}: short name over 100 characters`)
    if (format !== '' && !['0', '1', '2', '4'].includes(format)) problems.push(`line ${line}: description format ${format}`)
  }
  const framework = frameworks[0]
  if (framework !== undefined) {
    if (framework[0] !== '') problems.push('the framework row has a parent')
    if (existingFrameworkIdNumbers.includes(framework[1] ?? '')) problems.push(`framework ID number ${framework[1]} is taken`)
    const items = (framework[5] ?? '').split(',')
    if ((framework[5] ?? '') === '') problems.push('the framework has no scale values')
    problems.push(...scaleConfigurationProblems(framework[6] ?? '', items.length))
    const terms = (framework[13] ?? '').split(',')
    const known = ['behaviour', 'competency', 'concept', 'domain', 'indicator', 'level', 'outcome', 'practice', 'proficiency', 'skill', 'value']
    if (terms.length > 6) problems.push('more than 6 taxonomy terms')
    for (const term of terms) if (term !== '' && !known.includes(term)) problems.push(`unknown taxonomy term ${term}`)
  }
  const competencies = rows.filter((r) => r !== framework)
  const ids = competencies.map((r) => r[1] ?? '')
  const seen = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) problems.push(`ID number ${id} is not unique`)
    seen.add(id)
  }
  for (const r of competencies) if ((r[0] ?? '') !== '' && !seen.has(r[0] ?? '')) problems.push(`parent ${r[0]} of ${r[1]} is not in the file`)
  // What the importer builds: children of '' first, then theirs; anything unreached is lost.
  const reached = new Set<string>()
  const walk = (parent: string): void => {
    for (const r of competencies) {
      if ((r[0] ?? '') === parent && !reached.has(r[1] ?? '')) {
        reached.add(r[1] ?? '')
        walk(r[1] ?? '')
      }
    }
  }
  walk('')
  if (reached.size !== seen.size) problems.push(`${seen.size - reached.size} competencies are not reached from the framework`)
  return problems
}

function scaleConfigurationProblems (config: string, items: number): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(config)
  } catch {
    return ['scale configuration is not JSON']
  }
  if (!Array.isArray(parsed) || parsed.length < 2) return ['scale configuration is not an array of the scale and its items']
  const [scale, ...entries] = parsed as Array<Record<string, unknown>>
  const problems: string[] = []
  if (typeof scale !== 'object' || scale === null || !('scaleid' in scale)) problems.push('scale configuration does not start with the scale')
  if (!entries.some((e) => Boolean(e.scaledefault))) problems.push('scale configuration has no default item')
  if (!entries.some((e) => Boolean(e.proficient))) problems.push('scale configuration has no proficient item')
  for (const e of entries) if (!Number.isInteger(e.id) || (e.id as number) < 1 || (e.id as number) > items) problems.push(`scale configuration names item ${String(e.id)}`)
  return problems
}

const canvasRequired = ['title', 'vendor_guid', 'object_type']
const canvasOptional = ['canvas_id', 'course_id', 'description', 'friendly_description', 'display_name', 'parent_guids', 'calculation_method', 'calculation_int', 'mastery_points', 'workflow_state']
const calculationMethods = ['decaying_average', 'standard_decaying_average', 'weighted_average', 'n_mastery', 'highest', 'latest', 'average']

export function canvasProblems (file: string | Buffer): string[] {
  const bytes = typeof file === 'string' ? Buffer.from(file) : file
  let csv: string
  try {
    csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return ['not valid UTF-8']
  }
  const problems: string[] = []
  const [header, ...rows] = rowsOf(csv)
  if (header === undefined) return ['no header row']
  const end = header.indexOf('ratings') === -1 ? header.length : header.indexOf('ratings')
  const fields = header.slice(0, end)
  const after = header.slice(end + 1).filter((x) => x !== '')
  if (after.length > 0) problems.push(`fields after ratings: ${after.join(', ')}`)
  for (const f of canvasRequired) if (!fields.includes(f)) problems.push(`missing required field ${f}`)
  for (const f of fields) if (!canvasRequired.includes(f) && !canvasOptional.includes(f)) problems.push(`invalid field ${f}`)
  const groups = new Set<string>()
  const guids = new Set<string>()
  for (const [i, row] of rows.entries()) {
    const line = i + 2
    const o = Object.fromEntries(fields.map((f, j) => [f, row[j] ?? '']))
    const ratings = row.slice(fields.length)
    while (ratings.length > 0 && ratings[ratings.length - 1] === '') ratings.pop()
    if (o.vendor_guid === '' || o.title === '') problems.push(`line ${line}: vendor_guid and title are required`)
    if (/\s/.test(o.vendor_guid ?? '')) problems.push(`line ${line}: vendor_guid has a space`)
    if (guids.has(o.vendor_guid ?? '')) problems.push(`line ${line}: ${o.vendor_guid} has already appeared`)
    guids.add(o.vendor_guid ?? '')
    if (!['', 'active', 'deleted'].includes(o.workflow_state ?? '')) problems.push(`line ${line}: workflow_state ${o.workflow_state}`)
    if (len(o.title ?? '') > 255) problems.push(`line ${line}: title over 255 characters`)
    if (len(o.display_name ?? '') > 255) problems.push(`line ${line}: display_name over 255 characters`)
    const parents = (o.parent_guids ?? '').trim().split(/\s+/).filter((x) => x !== '')
    for (const p of parents) if (!groups.has(p)) problems.push(`line ${line}: parent ${p} is not a group on an earlier row`)
    if (o.object_type === 'group') {
      if ((o.calculation_method ?? '') !== '' || (o.calculation_int ?? '') !== '' || ratings.length > 0) problems.push(`line ${line}: a group has calculation or ratings`)
      if (parents.length > 1) problems.push(`line ${line}: a group has more than one parent`)
      groups.add(o.vendor_guid ?? '')
    } else if (o.object_type === 'outcome') {
      if ((o.calculation_method ?? '') !== '' && !calculationMethods.includes(o.calculation_method ?? '')) problems.push(`line ${line}: calculation_method ${o.calculation_method}`)
      if ((o.mastery_points ?? '') !== '' && !Number.isFinite(Number(o.mastery_points))) problems.push(`line ${line}: mastery_points`)
      let prior: number | undefined
      for (let k = 0; k < ratings.length; k += 2) {
        const points = Number(ratings[k])
        if (ratings[k] === '' || !Number.isFinite(points)) problems.push(`line ${line}: rating tier ${k / 2 + 1} has no points`)
        else if (prior !== undefined && prior < points) problems.push(`line ${line}: rating tier ${k / 2 + 1} is not below the one before`)
        else prior = points
      }
    } else problems.push(`line ${line}: object_type ${o.object_type}`)
  }
  return problems
}

export interface OpenedxTagRow { id?: string, value?: string, parent_id?: string }

export function openedxTagProblems (tags: readonly OpenedxTagRow[]): string[] {
  const problems: string[] = []
  const depth = new Map<string, number>()
  const values = new Set<string>()
  for (const [i, tag] of tags.entries()) {
    const id = tag.id ?? ''
    const value = tag.value ?? ''
    if (id === '' || value === '') problems.push(`tag ${i + 1}: id and value are required`)
    if (len(id) > 255) problems.push(`tag ${i + 1}: id over 255 characters`)
    if (len(value) > 500) problems.push(`tag ${i + 1}: value over 500 characters`)
    if (id.includes('\t')) problems.push(`tag ${i + 1}: id has a tab`)
    if (value.includes('\t') || value.includes(' > ')) problems.push(`tag ${i + 1}: value has a reserved character`)
    if (value !== value.trim()) problems.push(`tag ${i + 1}: value has surrounding whitespace`)
    if (depth.has(id.toLowerCase())) problems.push(`tag ${i + 1}: id ${id} is not unique`)
    if (values.has(value.toLowerCase())) problems.push(`tag ${i + 1}: value is not unique`)
    values.add(value.toLowerCase())
    const parent = tag.parent_id ?? ''
    let d = 0
    if (parent !== '') {
      const p = depth.get(parent.toLowerCase())
      if (p === undefined) problems.push(`tag ${i + 1}: parent ${parent} is not on an earlier row`)
      else d = p + 1
    }
    if (d > 2) problems.push(`tag ${i + 1}: level ${d + 1} is not shown by Open edX`)
    depth.set(id.toLowerCase(), d)
  }
  return problems
}

export function openedxCsvProblems (csv: string): string[] {
  const rows = parse(csv, { columns: true, bom: true } as never) as OpenedxTagRow[]
  const header = rowsOf(csv)[0] ?? []
  const missing = ['id', 'value'].filter((f) => !header.includes(f))
  return [...missing.map((f) => `missing '${f}' field on CSV headers`), ...openedxTagProblems(rows)]
}

export function openedxJsonProblems (json: string): string[] {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch {
    return ['not JSON']
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { tags?: unknown }).tags)) return ["missing 'tags' field"]
  return openedxTagProblems((doc as { tags: OpenedxTagRow[] }).tags)
}
