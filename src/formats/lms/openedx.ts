/**
 * Open edX taxonomy import (Studio > Taxonomies > Import, openedx-learning's tagging app): tags as
 * CSV (`id,value,parent_id`) or JSON (`{"tags": [...]}`), parents on earlier rows. Open edX shows
 * three levels, which fit domain > competency > key activity; sub-points (a fourth level it would
 * not show) are left out. `id` is the tag's external id, which keys re-imports, so it is the
 * published identifier of the text; `value` is the code and the text as plain text (values must
 * be unique in a taxonomy, and the code keeps them so and lets authors find a tag by code).
 */
import { csvField } from '../csv.js'
import { versionTitle } from '../../catalog/version.js'
import { lmsTree, markdownToPlain, nodeLabel, permanentUri, type LmsSource } from './common.js'

/** The CSV columns Open edX reads. */
export const openedxColumns = ['id', 'value', 'parent_id'] as const

/** Open edX's limit on a tag value, in characters. */
export const openedxMaxValue = 500

export interface OpenedxTag { id: string, value: string, parent_id: string }

export interface OpenedxTaxonomy {
  /** Read by Open edX's export, ignored by its import; the taxonomy is named when importing. */
  name: string
  description: string
  tags: OpenedxTag[]
}

/** The tags of a version (or a selection of it): domains, competencies and key activities. */
export function openedxTags (source: LmsSource): OpenedxTag[] {
  return lmsTree(source).filter((n) => n.depth <= 3).map((n) => ({
    id: n.identifier,
    value: `${n.record.code} ${markdownToPlain(nodeLabel(n.record))}`,
    parent_id: n.parent?.identifier ?? ''
  }))
}

/** The taxonomy as Open edX's JSON import reads it. */
export function openedxJson (source: LmsSource): OpenedxTaxonomy {
  const v = source.view.version
  return {
    name: `${versionTitle(v)} (version ${v.number})`,
    description: `${v.meta.citation} Permanent URI: ${permanentUri(source.baseUrl, v.uuid)}`,
    tags: openedxTags(source)
  }
}

/** The taxonomy as Open edX's CSV import reads it. */
export function openedxCsv (source: LmsSource): string {
  const rows = [[...openedxColumns], ...openedxTags(source).map((t) => [t.id, t.value, t.parent_id])]
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
