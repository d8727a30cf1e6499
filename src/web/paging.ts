/**
 * Page links, one rule for every transport that pages a list (REST lists and search, CASE
 * collections), and sparse fieldsets (`fields=`), one rule for every JSON list (REST, curricula).
 */
import { Type, type TString } from '@sinclair/typebox'

/** The links of one page: absolute URLs, `prev`/`next` only where such a page exists. */
export interface PageLinksView { self: string, first: string, prev?: string, next?: string, last: string }

/**
 * The links of a page, given the absolute URL of the list with its query: `prev` never goes below
 * the first page nor past the last (an offset beyond the end links back to the last page), and
 * `limit`/`offset` come last so every page's links read the same whatever order the request had.
 * `header` is the same links as an RFC 8288 `Link` header.
 */
export function pageLinks (url: URL, total: number, limit: number, offset: number): { links: PageLinksView, header: string } {
  const at = (o: number): string => {
    const u = new URL(url)
    u.searchParams.delete('limit')
    u.searchParams.delete('offset')
    u.searchParams.append('limit', String(limit))
    u.searchParams.append('offset', String(o))
    return u.toString()
  }
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit
  const links: PageLinksView = {
    self: at(offset),
    first: at(0),
    ...(offset > 0 ? { prev: at(Math.max(0, Math.min(offset - limit, last))) } : {}),
    ...(offset + limit < total ? { next: at(offset + limit) } : {}),
    last: at(last)
  }
  const header = (['first', 'prev', 'next', 'last'] as const)
    .filter((rel) => links[rel] !== undefined)
    .map((rel) => `<${links[rel]!}>; rel="${rel}"`)
    .join(', ')
  return { links, header }
}

/** A regular expression for a comma-separated list of these names. */
export function commaList (names: readonly string[]): string {
  const alt = names.map((n) => n.replace(/[^a-zA-Z0-9]/g, '')).join('|')
  return `^(?:${alt})(?:,(?:${alt}))*$`
}

/** The `fields` query parameter of a list whose items have these properties. */
export function fieldsParameter (names: readonly string[]): TString {
  const usual = ['id', 'code', 'name'].filter((n) => names.includes(n))
  return Type.String({
    pattern: commaList(names),
    description: `Sparse fieldset: a comma-separated list of ${names.join(', ')}. \`type\` and \`id\` are always kept.`,
    examples: [(usual.length > 0 ? usual : names.slice(0, 2)).join(',')]
  })
}

/** Keeps `type`, `id`, the named fields and the embedded ones of an item. */
export function sparseFields<V extends object> (item: V, fields: Set<string>, keep: Set<string> = new Set()): Partial<V> & { type: string, id: string } {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(item)) {
    if (k === 'type' || k === 'id' || fields.has(k) || keep.has(k)) out[k] = v
  }
  return out as Partial<V> & { type: string, id: string }
}
