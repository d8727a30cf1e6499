/**
 * Content negotiation, shared by every REST route.
 *
 * Each route offers an ordered list of representations (`Offer`s): JSON first, then whatever
 * src/http/representations.ts registers for that resource (e.g. `application/ld+json`, `text/csv`).
 * A client picks one with `?format=<offer.format>` (wins) or with `Accept` (q-values honoured,
 * ties go to the route's order); no match is a 406 listing what is offered. The `format` enum, the
 * response media types in OpenAPI and the cache key all come from the same list, so offering a new
 * representation is one entry in that file.
 */
import type { TSchema } from '@sinclair/typebox'
import { HttpProblem } from './problem.js'

/** One representation a route can send. `V` is the route's JSON view, which renderers start from. */
export interface Offer<V = unknown, C = unknown> {
  /** The `?format=` value, e.g. `json`, `jsonld`, `csv`. */
  format: string
  /** The media type sent as Content-Type and matched against Accept, e.g. `application/ld+json`. */
  mediaType: string
  /** OpenAPI description of the body; JSON offers reuse the route's response schema. */
  schema?: TSchema
  /** Renders the body from the JSON view; JSON itself (no `render`) uses the route's serializer. */
  render?: (view: V, context: C) => string | Buffer | Promise<string | Buffer>
}

/** The JSON representation every route offers first. */
export const jsonOffer: Offer<never> = { format: 'json', mediaType: 'application/json' }

interface Range { type: string, subtype: string, q: number, specificity: number }

function parseAccept (header: string): Range[] {
  const ranges: Range[] = []
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.split(';')
    const [type = '', subtype = ''] = range.trim().toLowerCase().split('/')
    if (type === '' || subtype === '') continue
    let q = 1
    for (const p of params) {
      const [k, v] = p.split('=')
      if (k?.trim().toLowerCase() === 'q') q = Number(v?.trim())
    }
    if (!Number.isFinite(q)) q = 0
    ranges.push({ type, subtype, q, specificity: (type === '*' ? 0 : 1) + (subtype === '*' ? 0 : 1) })
  }
  return ranges
}

/** The q-value `Accept` gives a media type: its most specific matching range, or 0. */
function quality (ranges: Range[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/')
  let best: Range | undefined
  for (const r of ranges) {
    if ((r.type === '*' || r.type === type) && (r.subtype === '*' || r.subtype === subtype)) {
      if (best === undefined || r.specificity > best.specificity) best = r
    }
  }
  return best?.q ?? 0
}

/**
 * Picks the offer for a request. `format` (from the query, already validated against the offers)
 * wins; then Accept; no Accept means the first offer. Throws a 406 problem when nothing fits.
 */
export function negotiate<O extends Offer<never, never>> (offers: readonly O[], accept: string | undefined, format: string | undefined): O {
  if (format !== undefined) {
    const chosen = offers.find((o) => o.format === format)
    if (chosen !== undefined) return chosen
  }
  if (accept === undefined || accept.trim() === '') return offers[0]!
  const ranges = parseAccept(accept)
  let chosen: O | undefined
  let best = 0
  for (const o of offers) {
    const q = quality(ranges, o.mediaType)
    if (q > best) {
      best = q
      chosen = o
    }
  }
  if (chosen === undefined) {
    throw new HttpProblem('not-acceptable', `This resource is available as ${offers.map((o) => o.mediaType).join(', ')}; the Accept header "${accept}" allows none of them. Use one of those media types, or ?format=${offers.map((o) => o.format).join('|')}.`, [
      { in: 'header', name: 'Accept', message: 'no offered media type is acceptable', allowed: offers.map((o) => o.mediaType) }
    ])
  }
  return chosen
}
