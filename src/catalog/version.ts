/**
 * A version's outline (the guide's nesting and order) and the texts of its nodes, as every
 * renderer reads them. Nothing here knows a format.
 */
import type {
  ActivityRecord, CompetencyRecord, DomainRecord, HintRecord, PrincipleRecord, SubPointRecord, VersionRecord, VersionRecords
} from '../content/model.js'
import { paragraphsToMarkdown, statementsToMarkdown } from '../content/markdown.js'
import { groupBy } from './group-by.js'

/** A node of the framework's tree: what CASE calls a CFItem. */
export type OutlineRecord = PrincipleRecord | DomainRecord | CompetencyRecord | ActivityRecord | SubPointRecord | HintRecord

export interface OutlineNode {
  record: OutlineRecord
  /** The parent node's record; null for a top-level node (a principle or a domain). */
  parent: OutlineRecord | null
  /** 1-based place among the parent's children, in the guide's order. */
  order: number
}

/**
 * The tree in the guide's order, depth first: the principles, then each domain followed by its
 * competencies; each competency by its key activities (each followed by its sub-points) and then
 * its helpful hint. Principles and domains share one sequence under the version, principles first,
 * as in the guide; a hint comes after its competency's last activity.
 */
export function outline (records: VersionRecords): OutlineNode[] {
  const nodes: OutlineNode[] = []
  const competenciesByDomain = groupBy(records.competency, (c) => c.domain)
  const activitiesByCompetency = groupBy(records.activity, (a) => a.competency)
  const hintByCompetency = new Map(records.hint.map((h) => [h.competency, h]))
  let top = 0
  for (const p of records.principle) nodes.push({ record: p, parent: null, order: ++top })
  for (const d of records.domain) {
    nodes.push({ record: d, parent: null, order: ++top })
    for (const [i, c] of (competenciesByDomain.get(d.id) ?? []).entries()) {
      nodes.push({ record: c, parent: d, order: i + 1 })
      const activities = activitiesByCompetency.get(c.id) ?? []
      for (const [j, a] of activities.entries()) {
        nodes.push({ record: a, parent: c, order: j + 1 })
        for (const [k, s] of a.subpoints.entries()) nodes.push({ record: s, parent: a, order: k + 1 })
      }
      const hint = hintByCompetency.get(c.id)
      if (hint !== undefined) nodes.push({ record: hint, parent: c, order: activities.length + 1 })
    }
  }
  return nodes
}

/** A version's full title: title and subtitle, as the guide's cover gives them. */
export function versionTitle (version: VersionRecord): string {
  const { title, subtitle } = version.meta
  return subtitle === undefined ? title : `${title}: ${subtitle}`
}

/** A node's name where the guide gives one (principles, domains, competencies). */
export function nodeName (record: OutlineRecord): string | null {
  return 'name' in record ? record.name : null
}

/** A node's text as one Markdown string, verbatim apart from joining paragraphs and list items. */
export function nodeText (record: OutlineRecord): string {
  switch (record.type) {
    case 'principle':
    case 'domain':
      return record.description
    case 'competency':
      return statementsToMarkdown(record.overview)
    case 'activity':
    case 'subpoint':
      return record.text
    case 'hint':
      return paragraphsToMarkdown(record.paragraphs)
  }
}
