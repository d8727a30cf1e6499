/**
 * Moodle competency framework CSV, as the admin tool `tool_lpimportcsv` reads it (Site
 * administration > Competencies > Import competency framework): a header row, then fourteen
 * columns read by position. One row is the framework (Is framework `1`, no parent, the scale and
 * one taxonomy term per level); every other row is a competency, hung from the row whose ID number
 * is its Parent ID number. Moodle keeps at most 100 characters of an ID number or short name, so
 * short names are cut at a word boundary here and the full text is in the description (HTML,
 * description format 1). The guide has no rating scale and Moodle needs one: by default Moodle's
 * own two-point scale, overridable per request. That scale is Moodle configuration, not guide content.
 */
import { csvField } from '../csv.js'
import { versionTitle } from '../../catalog/version.js'
import {
  charLength, escapeHtml, htmlDescription, lmsTree, markdownToHtml, markdownToPlain, nodeLabel, permanentUri, shorten, type LmsSource
} from './common.js'

/** The column headers, in the order Moodle reads them (its own English labels). */
export const moodleColumns = [
  'Parent ID number', 'ID number', 'Short name', 'Description', 'Description format', 'Scale values', 'Scale configuration',
  'Rule type (optional)', 'Rule outcome (optional)', 'Rule config (optional)', 'Cross-referenced competency ID numbers',
  'Exported ID (optional)', 'Is framework', 'Taxonomy'
] as const

/** Moodle's limit on an ID number and a short name, in characters. */
export const moodleMaxLength = 100

/** Moodle's `FORMAT_HTML`. */
export const MOODLE_FORMAT_HTML = '1'

/** The taxonomy term Moodle shows for each level: domain, competency, key activity, sub-point. */
export const moodleTaxonomy = ['domain', 'competency', 'practice', 'indicator'] as const

/** A Moodle scale: its items, lowest first, and the lowest item that counts as proficient. */
export interface MoodleScale {
  items: string[]
  proficient: string
}

/** Moodle's default competence scale ("Default competence scale"), with Competent as proficient. */
export const defaultMoodleScale: MoodleScale = { items: ['Not yet competent', 'Competent'], proficient: 'Competent' }

/**
 * A scale from request parameters: `values` is Moodle's compact form (items separated by commas,
 * lowest first), `proficient` one of them (default: the last). Returns a message when invalid.
 */
export function parseMoodleScale (values: string | undefined, proficient: string | undefined): MoodleScale | { invalid: 'scale' | 'proficient', message: string } {
  if (values === undefined) {
    if (proficient === undefined) return defaultMoodleScale
    if (!defaultMoodleScale.items.includes(proficient)) {
      return { invalid: 'proficient', message: `must be an item of the scale: ${defaultMoodleScale.items.join(', ')}` }
    }
    return { ...defaultMoodleScale, proficient }
  }
  const items = values.split(',').map((x) => x.trim())
  if (items.length < 2 || items.some((x) => x === '')) {
    return { invalid: 'scale', message: 'must be at least two non-empty items separated by commas, lowest first' }
  }
  if (new Set(items).size !== items.length) return { invalid: 'scale', message: 'must not repeat an item' }
  const chosen = proficient ?? items[items.length - 1] as string
  if (!items.includes(chosen)) return { invalid: 'proficient', message: `must be an item of the scale: ${items.join(', ')}` }
  return { items, proficient: chosen }
}

/**
 * Moodle's scale configuration: first the scale (its id is filled in by the importer, which finds
 * or creates the scale from the values), then each item by 1-based position: the proficient item
 * is also the default rating, and every item from it up is proficient.
 */
export function moodleScaleConfiguration (scale: MoodleScale): string {
  const from = scale.items.indexOf(scale.proficient)
  return JSON.stringify([
    { scaleid: '' },
    ...scale.items.map((_, i) => ({ id: i + 1, scaledefault: i === from ? 1 : 0, proficient: i >= from ? 1 : 0 }))
  ])
}

export interface MoodleOptions {
  scale?: MoodleScale
}

/** The framework's ID number, unique site-wide in Moodle: framework and version, e.g. `isp-1.1`. */
export function moodleFrameworkIdNumber (source: LmsSource): string {
  const v = source.view.version
  return `${v.framework}-${v.number}`
}

/** A version (or a selection of it) as a Moodle competency framework CSV. */
export function moodleCsv (source: LmsSource, { scale = defaultMoodleScale }: MoodleOptions = {}): string {
  const { view, baseUrl } = source
  const v = view.version
  const empty = (n: number): string[] => Array.from({ length: n }, () => '')
  const frameworkUri = permanentUri(baseUrl, v.uuid)
  const frameworkDescription = [
    markdownToHtml(v.meta.description),
    `<p>${escapeHtml(v.meta.citation)}</p>`,
    `<p>Source: ${escapeHtml(`${versionTitle(v)} (version ${v.number}).`)} Permanent URI: <a href="${escapeHtml(frameworkUri)}">${escapeHtml(frameworkUri)}</a></p>`
  ].join('\n')
  const rows: string[][] = [[...moodleColumns], [
    '',
    moodleFrameworkIdNumber(source),
    shorten(`${versionTitle(v)} (version ${v.number})`, moodleMaxLength),
    frameworkDescription,
    MOODLE_FORMAT_HTML,
    scale.items.join(','),
    moodleScaleConfiguration(scale),
    ...empty(5),
    '1',
    moodleTaxonomy.join(',')
  ]]
  for (const node of lmsTree(source)) {
    rows.push([
      node.parent?.record.code ?? '',
      node.record.code,
      shorten(markdownToPlain(nodeLabel(node.record)), moodleMaxLength),
      htmlDescription(view, node, baseUrl),
      MOODLE_FORMAT_HTML,
      ...empty(9)
    ])
  }
  if (rows.some((r) => charLength(r[1] as string) > moodleMaxLength)) throw new Error('a Moodle ID number is over 100 characters')
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
