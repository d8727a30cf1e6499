/**
 * The query conventions every list shares: paging (`limit`, `offset`, `meta.total`, RFC 8288
 * `Link`), full text (`q`), sparse fieldsets (`fields`), embedding (`include`) and sorting
 * (`sort`, `-` for descending). The querystring schema and the code that applies it live together
 * here so every list behaves the same.
 */
import { Type, type TProperties } from '@sinclair/typebox'
import type { ListedType } from '../store/repository.js'
import { commaList, fieldsParameter, pageLinks } from '../web/paging.js'

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 100
/** Longest `id=` value, in characters: room for about a hundred uuids. */
export const MAX_ID_LENGTH = 4000

/** `limit` and `offset`: optional for clients, always set (to their defaults) after validation. */
export const pagingProperties = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Page size, 1–${MAX_LIMIT}.`, examples: [10] })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, description: 'How many items to skip.', examples: [0] }))
}

/** What a list offers beyond paging. */
export interface ListConventions {
  /** The kind searched by `q` (omit for lists that are not full-text searchable). */
  searchType?: ListedType
  /** Property names `fields` may name. */
  fields: readonly string[]
  /** Related resources `include` may embed. */
  include?: readonly string[]
  /** Properties `sort` may name (each also with `-`). */
  sort?: readonly string[]
  /** Filter parameters, each a slug. */
  filters?: Record<string, { description: string, example: string }>
}

/** The querystring properties of a list. */
export function listProperties (c: ListConventions): TProperties {
  const props: TProperties = { ...pagingProperties }
  if (c.searchType !== undefined) {
    props.q = Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Full-text filter (FTS5 syntax: "a phrase", prefix*, AND/OR/NOT). Without `sort`, matches come best first.', examples: ['trust'] }))
  }
  for (const [name, f] of Object.entries(c.filters ?? {})) {
    props[name] = Type.Optional(Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 120, description: f.description, examples: [f.example] }))
  }
  props.fields = Type.Optional(fieldsParameter(c.fields))
  if (c.include !== undefined) {
    props.include = Type.Optional(Type.String({
      pattern: commaList(c.include),
      description: `Related resources to embed, comma-separated: ${c.include.join(', ')}.`,
      examples: [c.include.join(',')]
    }))
  }
  if (c.sort !== undefined) {
    props.sort = Type.Optional(Type.String({
      enum: c.sort.flatMap((s) => [s, `-${s}`]),
      description: 'Order by a property (`-` for descending) instead of guide order.',
      examples: [`-${c.sort[0] ?? 'code'}`]
    }))
  }
  props.id = Type.Optional(Type.String({
    minLength: 1,
    maxLength: MAX_ID_LENGTH,
    description: 'Only these entities, in the order given: comma-separated slug ids, codes or uuids (any case; a uuid may also be the published identifier CASE and JSON-LD use). An id the list does not hold is a 404 naming every unknown one. The other parameters still apply (`sort` reorders, filters and `q` narrow, paging pages).',
    examples: ['co-learning,C05']
  }))
  return props
}

/** The closed value sets of a list's parameters, for 400 messages (route `config.allowed`). */
export function allowedValues (c: ListConventions): Record<string, readonly string[]> {
  return { fields: c.fields, ...(c.include === undefined ? {} : { include: c.include }) }
}

export interface ListQuery {
  limit: number
  offset: number
  id?: string
  q?: string
  fields?: string
  include?: string
  sort?: string
}

/** Comma-separated parameter values as a set. */
export function commaSet (value: string | undefined): Set<string> {
  return new Set(value === undefined ? [] : value.split(','))
}

/** An `id=` value as a list: comma-separated names, blanks dropped. */
export function idList (value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((x) => x.trim()).filter((x) => x !== '') : []
}

/**
 * The items that `names` name, in the order named (each once), matching any of an item's `keys`
 * case-insensitively; `missing` lists the names that match no item.
 */
export function selectNamed<V> (items: readonly V[], names: readonly string[], keys: (item: V) => ReadonlyArray<string | undefined>): { items: V[], missing: string[] } {
  const byKey = new Map<string, V>()
  for (const item of items) {
    for (const key of keys(item)) if (key !== undefined && !byKey.has(key.toLowerCase())) byKey.set(key.toLowerCase(), item)
  }
  const chosen = new Set<V>()
  const missing: string[] = []
  for (const name of names) {
    const item = byKey.get(name.toLowerCase())
    if (item === undefined) missing.push(name)
    else chosen.add(item)
  }
  return { items: [...chosen], missing }
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/** Sorts by `sort` (`code`, `-name`, …) with a natural, case-insensitive order; stable, so ties keep guide order. */
export function sortBy<V> (items: V[], sort: string): V[] {
  const desc = sort.startsWith('-')
  const key = (desc ? sort.slice(1) : sort) as keyof V
  const sign = desc ? -1 : 1
  return [...items].sort((a, b) => sign * collator.compare(String(a[key]), String(b[key])))
}

/** A page of items with its envelope and Link header. */
export function paginate<V> (items: V[], query: ListQuery, url: URL, meta: { framework?: string, version?: string } = {}) {
  const { links, header } = pageLinks(url, items.length, query.limit, query.offset)
  return {
    body: {
      data: items.slice(query.offset, query.offset + query.limit),
      meta: { ...meta, total: items.length, limit: query.limit, offset: query.offset },
      links
    },
    link: header
  }
}
