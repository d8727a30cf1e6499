/**
 * What the three LMS files share: the part of the outline an LMS imports (domains, competencies,
 * key activities, sub-points; principles, hints and definitions have no level of their own), the
 * identifier each node is published under, and the text conversions the LMS fields need. Pure
 * functions of a version's view; nothing here knows HTTP.
 */
import MarkdownIt from 'markdown-it'
import type { ActivityRecord, CompetencyRecord, DomainRecord, HintRecord, SubPointRecord } from '../../content/model.js'
import { nodeText, versionTitle } from '../../catalog/version.js'
import type { VersionIndex } from '../../catalog/version-index.js'

export type LmsRecord = DomainRecord | CompetencyRecord | ActivityRecord | SubPointRecord

/** One node of the tree an LMS imports, in guide order (depth first). */
export interface LmsNode {
  record: LmsRecord
  parent: LmsNode | null
  /** 1 for a domain, 2 a competency, 3 a key activity, 4 a sub-point. */
  depth: 1 | 2 | 3 | 4
  /** The published identifier of the node's text (the entity uuid until its text changes; see catalog/revisions.ts). */
  identifier: string
  /** The competency's helpful hint (competencies only). */
  hint?: HintRecord
}

/** What every LMS renderer is given. */
export interface LmsSource {
  view: VersionIndex
  /** The service's public base URL, for permanent URIs (`{baseUrl}/uri/{identifier}`). */
  baseUrl: string
  /** Entity uuids to keep, with their ancestors and descendants; all when absent. */
  select?: ReadonlySet<string>
}

const depthOf = { domain: 1, competency: 2, activity: 3, subpoint: 4 } as const

/** The LMS tree of a version, or of a selection of it. */
export function lmsTree ({ view, select }: LmsSource): LmsNode[] {
  const nodes: LmsNode[] = []
  const byUuid = new Map<string, LmsNode>()
  const hints = new Map(view.hints.map((h) => [h.competency, h]))
  for (const { record, parent } of view.outline) {
    if (record.type === 'principle' || record.type === 'hint') continue
    const identifier = view.revisions.get(record.uuid)?.identifier ?? record.uuid
    const node: LmsNode = {
      record,
      parent: parent === null ? null : byUuid.get(parent.uuid) ?? null,
      depth: depthOf[record.type],
      identifier,
      ...(record.type === 'competency' && hints.has(record.id) ? { hint: hints.get(record.id) as HintRecord } : {})
    }
    byUuid.set(record.uuid, node)
    nodes.push(node)
  }
  if (select === undefined) return nodes
  const ancestors = (n: LmsNode): LmsNode[] => n.parent === null ? [] : [n.parent, ...ancestors(n.parent)]
  const keep = new Set<LmsNode>()
  for (const n of nodes) {
    const line = [n, ...ancestors(n)]
    // A selected node brings its ancestors (to hang from) and its descendants (what it consists of).
    if (line.some((x) => select.has(x.record.uuid))) for (const x of line) keep.add(x)
  }
  return nodes.filter((n) => keep.has(n))
}

/** A node's name where the guide gives one (domains, competencies), else its text. */
export function nodeLabel (record: LmsRecord): string {
  return record.type === 'domain' || record.type === 'competency' ? record.name : record.text
}

/** The Markdown a node's description is made from: its text, and a competency's helpful hint after its overview. */
export function nodeBody (node: LmsNode): string {
  const text = nodeText(node.record)
  if (node.hint === undefined) return text
  return `${text}\n\n**${hintHeading}**\n\n${nodeText(node.hint)}`
}

/** The heading put before a helpful hint inside a competency's description. */
export const hintHeading = 'Helpful hint'

const markdown = new MarkdownIt('commonmark', { html: false })

/** Markdown as HTML (CommonMark; any HTML in the text is escaped, not passed through). */
export function markdownToHtml (text: string): string {
  return markdown.render(text).trimEnd()
}

/** Markdown as plain text: emphasis marks dropped, the words kept, blocks joined by a space. */
export function markdownToPlain (text: string): string {
  const out: string[] = []
  for (const token of markdown.parse(text, {})) {
    if (token.type !== 'inline') continue
    out.push((token.children ?? []).map((t) => t.type === 'text' || t.type === 'code_inline' ? t.content : t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : '').join(''))
  }
  return out.join(' ')
}

/** Length in characters (code points), as PHP's and Ruby's multibyte functions count. */
export function charLength (text: string): number {
  return [...text].length
}

/**
 * `text` cut to at most `max` characters at a word boundary, ending with an ellipsis when cut.
 * The full text always goes, verbatim, into a description beside it.
 */
export function shorten (text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  const room = chars.slice(0, max - 1).join('')
  const space = room.lastIndexOf(' ')
  const cut = space > 0 ? room.slice(0, space) : room
  return `${cut.replace(/[\s,;:.–-]+$/u, '')}…`
}

/** The permanent URI of a published identifier. */
export function permanentUri (baseUrl: string, identifier: string): string {
  return `${baseUrl}/uri/${identifier}`
}

/** The sentence every description ends with: where the text comes from and its permanent URI. */
export function sourceLine (view: VersionIndex, node: LmsNode, baseUrl: string): { text: string, uri: string } {
  const v = view.version
  return { text: `Source: ${versionTitle(v)} (version ${v.number}), ${node.record.code}.`, uri: permanentUri(baseUrl, node.identifier) }
}

/** A description in HTML: the node's Markdown as HTML, then its source and permanent URI. */
export function htmlDescription (view: VersionIndex, node: LmsNode, baseUrl: string): string {
  const { text, uri } = sourceLine(view, node, baseUrl)
  return `${markdownToHtml(nodeBody(node))}\n<p>${escapeHtml(text)} Permanent URI: <a href="${escapeHtml(uri)}">${escapeHtml(uri)}</a></p>`
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml (text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

/**
 * The entities named by slug ids, codes or uuids (any case), among those an LMS file carries, as
 * entity uuids in the order asked; `missing` lists the names that match none.
 */
export function selectEntities (view: VersionIndex, names: readonly string[]): { uuids: string[], missing: string[] } {
  const index = new Map<string, string>()
  for (const { record } of lmsTree({ view, baseUrl: '' })) {
    for (const key of [record.id, record.code, record.uuid, view.revisions.get(record.uuid)?.identifier ?? record.uuid]) index.set(key.toLowerCase(), record.uuid)
  }
  const uuids: string[] = []
  const missing: string[] = []
  for (const name of names) {
    const uuid = index.get(name.toLowerCase())
    if (uuid === undefined) missing.push(name)
    else if (!uuids.includes(uuid)) uuids.push(uuid)
  }
  return { uuids, missing }
}
