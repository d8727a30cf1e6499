/**
 * Content negotiation, shared by every REST route.
 *
 * Each route offers an ordered list of representations (`Offer`s): JSON first, then whatever
 * src/rest/representations.ts registers for that resource (e.g. `application/ld+json`, `text/csv`).
 * A client picks one with `?format=<offer.format>` (and `?profile=<name>` among variants of one
 * media type, such as JSON-LD vocabularies), which win, or with `Accept` (q-values and `profile`
 * parameters honoured, ties go to the route's order); no match is a 406 listing what is offered.
 * The `format` and `profile` enums, the response media types in OpenAPI and the cache key all
 * come from the same list, so offering a new representation is one entry in that file.
 */
import type { TSchema } from '@sinclair/typebox'
import { HttpProblem, invalidParameter } from './problem.js'

/** One representation a route can send. `V` is the route's JSON view, which renderers start from. */
export interface Offer<V = unknown, C = unknown> {
  /** The `?format=` value, e.g. `json`, `jsonld`, `csv`. */
  format: string
  /** The media type matched against Accept, e.g. `application/ld+json`. */
  mediaType: string
  /**
   * A named variant of the media type, e.g. a JSON-LD vocabulary: chosen with `?profile=<name>`,
   * or with an Accept range's `profile` parameter naming `iri` (RFC 6906).
   */
  profile?: { name: string, iri: string }
  /** The Content-Type sent (default: the media type, with `charset=utf-8` for text and JSON). */
  contentType?: string
  /** OpenAPI description of the body; JSON offers reuse the route's response schema. */
  schema?: TSchema
  /** Renders the body from the JSON view; JSON itself (no `render`) uses the route's serializer. */
  render?: (view: V, context: C) => string | Buffer | Promise<string | Buffer>
  /** Where a route names a download: what this representation adds to its file name (default: no suffix, the format as extension). */
  file?: { suffix?: string, extension: string }
}

/** The JSON representation every route offers first. */
export const jsonOffer: Offer<never> = { format: 'json', mediaType: 'application/json' }

/** How many characters of a refused Accept header a 406 quotes. */
export const acceptShown = 120

/** One media range of an Accept header. */
export interface MediaRange {
  type: string
  subtype: string
  /** Parameters other than q, names lower-cased, quotes removed. */
  params: Record<string, string>
  q: number
}

function unquote (value: string): string {
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value
}

/** Splits on `sep` outside double quotes. */
function split (text: string, sep: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '')
      i++
      continue
    }
    if (c === '"') quoted = !quoted
    if (c === sep && !quoted) {
      out.push(current)
      current = ''
    } else current += c
  }
  out.push(current)
  return out
}

/** The media ranges of an Accept header (RFC 9110 §12.5.1); malformed ranges are skipped, q is clamped to 0–1. */
export function parseAccept (header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of split(header, ',')) {
    const [mediaType = '', ...rawParams] = split(part, ';').map((x) => x.trim())
    const m = /^([\w.+*-]+)\/([\w.+*-]+)$/.exec(mediaType.toLowerCase())
    if (m === null) continue
    const params: Record<string, string> = {}
    let q = 1
    for (const raw of rawParams) {
      const eq = raw.indexOf('=')
      if (eq < 1) continue
      const name = raw.slice(0, eq).trim().toLowerCase()
      const value = unquote(raw.slice(eq + 1).trim())
      if (name === 'q') {
        const n = Number(value)
        q = Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0
      } else params[name] = value
    }
    ranges.push({ type: m[1] as string, subtype: m[2] as string, params, q })
  }
  return ranges
}

/** Whether a client takes HTML: no Accept, or a range that covers text/html with q > 0. */
export function acceptsHtml (accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true
  return parseAccept(accept).some((r) => r.q > 0 && (r.type === '*' || (r.type === 'text' && (r.subtype === '*' || r.subtype === 'html'))))
}

/** IRIs compared without their scheme's `s` or a trailing slash (`http://schema.org` names `https://schema.org/`). */
const sameIri = (a: string, b: string): boolean => {
  const norm = (s: string): string => s.replace(/^https?:\/\//, '').replace(/\/+$/, '')
  return norm(a) === norm(b)
}

/**
 * How specifically a range names an offer, or -1 when it does not: type and subtype (0–2), plus 1
 * when its `profile` (space-separated IRIs) names the offer's. A range naming another of the
 * route's profiles does not name the offer; profiles the route does not know are ignored, as
 * RFC 6906 allows (e.g. JSON-LD's own `…/json-ld#compacted`).
 */
function specificity (range: MediaRange, offer: Offer<never, never>, known: readonly string[]): number {
  const [type, subtype] = offer.mediaType.split('/')
  const level = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1
  const asked = (range.params.profile ?? '').split(/\s+/).filter((iri) => known.some((k) => sameIri(iri, k)))
  if (level < 0 || asked.length === 0) return level
  const own = offer.profile?.iri
  return own !== undefined && asked.some((iri) => sameIri(iri, own)) ? level + 1 : -1
}

/** The q-value the ranges give an offer: that of its most specific matching range, or 0. */
function quality (ranges: MediaRange[], offer: Offer<never, never>, known: readonly string[]): number {
  let best: MediaRange | undefined
  let bestSpecificity = -1
  for (const r of ranges) {
    const s = specificity(r, offer, known)
    if (s > bestSpecificity) {
      best = r
      bestSpecificity = s
    }
  }
  return best?.q ?? 0
}

const unique = (list: string[]): string[] => [...new Set(list)]

/**
 * Picks the offer for a request. `format` and `profile` (from the query, already validated
 * against the offers' values) narrow the offers and override Accept; Accept then picks among
 * what is left (highest q, ties to the route's order), and only decides alone when the query
 * names neither. No Accept means the first offer. Throws a 406 problem when nothing fits, and a
 * 400 when `profile` does not apply to the format asked for.
 */
export function negotiate<O extends Offer<never, never>> (offers: readonly O[], accept: string | undefined, format?: string, profile?: string): O {
  let candidates = format === undefined ? offers : offers.filter((o) => o.format === format)
  if (candidates.length === 0) {
    throw new HttpProblem('not-acceptable', `This resource has no ${format ?? ''} representation. It is available as ?format=${unique(offers.map((o) => o.format)).join('|')}.`, [
      { in: 'query', name: 'format', message: `no ${format ?? ''} representation`, allowed: unique(offers.map((o) => o.format)) }
    ])
  }
  if (profile !== undefined) {
    const narrowed = candidates.filter((o) => o.profile?.name === profile)
    if (narrowed.length === 0) {
      const allowed = unique(candidates.flatMap((o) => o.profile === undefined ? [] : [o.profile.name]))
      const profiled = unique(offers.flatMap((o) => o.profile === undefined ? [] : [o.format]))
      const message = profiled.length === 0
        ? 'this resource has no representation with profiles'
        : allowed.length === 0
          ? `applies to the ${profiled.join(', ')} representation, not to ${format ?? 'this one'}`
          : `"${profile}" is not a profile of ${format ?? 'this resource'}; its profiles: ${allowed.join(', ')}`
      throw invalidParameter('query', 'profile', message, allowed)
    }
    candidates = narrowed
  }
  const narrowedByQuery = format !== undefined || profile !== undefined
  if (accept === undefined || accept.trim() === '') return candidates[0]!
  const ranges = parseAccept(accept)
  if (ranges.length === 0) return candidates[0]!
  const known = offers.flatMap((o) => o.profile === undefined ? [] : [o.profile.iri])
  let chosen: O | undefined
  let best = 0
  for (const o of candidates) {
    const q = quality(ranges, o, known)
    if (q > best) {
      best = q
      chosen = o
    }
  }
  if (chosen !== undefined) return chosen
  if (narrowedByQuery) return candidates[0]!
  const mediaTypes = unique(offers.map((o) => o.mediaType))
  // The header is the client's own: quoted back, but only so much of it.
  const shown = accept.length > acceptShown ? `${accept.slice(0, acceptShown)}…` : accept
  throw new HttpProblem('not-acceptable', `This resource is available as ${mediaTypes.join(', ')}; the Accept header "${shown}" allows none of them. Use one of those media types, or ?format=${unique(offers.map((o) => o.format)).join('|')}.`, [
    { in: 'header', name: 'Accept', message: 'no offered media type is acceptable', allowed: mediaTypes }
  ])
}
