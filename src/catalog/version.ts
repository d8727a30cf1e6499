/**
 * What every export format is built from: the records of one framework version, read through the
 * repository once, and their outline (the guide's nesting and order). Nothing here knows a format.
 */
import type {
  ActivityRecord, CompetencyRecord, DefinitionRecord, DomainRecord, HintRecord, PrincipleRecord, SubPointRecord, VersionRecord
} from '../content/model.js'
import { paragraphsToMarkdown, statementsToMarkdown } from '../content/markdown.js'
import type { Repository } from '../store/repository.js'

/** The records of one framework version the formats need, each list in guide order. */
export interface VersionContent {
  version: VersionRecord
  principles: PrincipleRecord[]
  domains: DomainRecord[]
  competencies: CompetencyRecord[]
  activities: ActivityRecord[]
  hints: HintRecord[]
  definitions: DefinitionRecord[]
}

/** A node of the framework's tree: what CASE calls a CFItem. */
export type OutlineRecord = PrincipleRecord | DomainRecord | CompetencyRecord | ActivityRecord | SubPointRecord | HintRecord

export interface OutlineNode {
  record: OutlineRecord
  /** The parent node's record; null for a top-level node (a principle or a domain). */
  parent: OutlineRecord | null
  /** 1-based place among the parent's children, in the guide's order. */
  order: number
}

/** Reads one version's content: six statements, one per kind of record. */
export function loadVersionContent (repo: Repository, version: VersionRecord): VersionContent {
  return {
    version,
    principles: repo.entities('principle').list(version),
    domains: repo.entities('domain').list(version),
    competencies: repo.entities('competency').list(version),
    activities: repo.entities('activity').list(version),
    hints: repo.entities('hint').list(version),
    definitions: repo.entities('definition').list(version)
  }
}

function groupBy<T> (items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list === undefined) out.set(k, [item])
    else list.push(item)
  }
  return out
}

/**
 * The tree in the guide's order, depth first: the principles, then each domain followed by its
 * competencies; each competency by its key activities (each followed by its sub-points) and then
 * its helpful hint. Principles and domains share one sequence under the version, principles first,
 * as in the guide; a hint comes after its competency's last activity.
 */
export function outline (content: VersionContent): OutlineNode[] {
  const nodes: OutlineNode[] = []
  const competenciesByDomain = groupBy(content.competencies, (c) => c.domain)
  const activitiesByCompetency = groupBy(content.activities, (a) => a.competency)
  const hintByCompetency = new Map(content.hints.map((h) => [h.competency, h]))
  let top = 0
  for (const p of content.principles) nodes.push({ record: p, parent: null, order: ++top })
  for (const d of content.domains) {
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
