/**
 * Canvas Outcomes CSV, as the Outcomes Import API and the account's Outcomes > Import read it: a
 * header row naming the columns, then one row per learning outcome group or learning outcome.
 * Domains and competencies are groups (a group has one parent, named by `parent_guids`, on an
 * earlier row); key activities and sub-points are outcomes in their competency's group (an outcome's
 * parents must be groups, so a sub-point cannot hang from its key activity; its `display_name`,
 * the code, says whose it is). `vendor_guid` is the published identifier of the text, so
 * re-importing updates what has not changed. Titles are at most 255 characters (Canvas's string
 * limit), cut at a word boundary; the full text is in the description, as HTML. No ratings,
 * calculation method or mastery points: the guide has none, so Canvas's defaults apply.
 */
import { csvField } from '../csv.js'
import { htmlDescription, lmsTree, markdownToPlain, nodeLabel, shorten, type LmsSource } from './common.js'

/** The columns, in order; every one a field Canvas knows. Ratings, being optional, are not written. */
export const canvasColumns = [
  'vendor_guid', 'object_type', 'title', 'description', 'display_name', 'calculation_method', 'calculation_int',
  'parent_guids', 'workflow_state', 'mastery_points'
] as const

/** Canvas's limit on a title and a display name (its `maximum_string_length`). */
export const canvasMaxLength = 255

/** A version (or a selection of it) as a Canvas Outcomes CSV. */
export function canvasCsv (source: LmsSource): string {
  const { view, baseUrl } = source
  const rows: string[][] = [[...canvasColumns]]
  for (const node of lmsTree(source)) {
    const group = node.depth <= 2
    // Outcomes hang from their competency's group: a sub-point's parent is its activity's parent.
    const parent = node.depth === 4 ? node.parent?.parent : node.parent
    rows.push([
      node.identifier,
      group ? 'group' : 'outcome',
      shorten(markdownToPlain(nodeLabel(node.record)), canvasMaxLength),
      htmlDescription(view, node, baseUrl),
      group ? '' : node.record.code,
      '',
      '',
      parent?.identifier ?? '',
      'active',
      ''
    ])
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
