/**
 * Computed responses, kept in memory. Content is immutable per version and only a restart changes
 * the database, so a response's body, strong ETag and headers are computed once and every repeat
 * is a map lookup: no validation, no database, no serialization.
 *
 * Two maps: `entries` by normalized key (route, validated parameters, media type), filled only by
 * a request that passed validation and was answered 200; and `aliases` from the raw request
 * (Accept and URL as sent) to an entry, which the preParsing hook looks up. Junk URLs never get
 * here, and both maps are bounded (oldest first out), so the memory stays small whatever clients send.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify'
import { noCacheObserver, type CacheObserver } from './telemetry.js'

/** One encoding of a response: its exact bytes and the headers that go with them. */
export interface Variant {
  body: Buffer
  etag: string
  /** Headers of the 200. */
  headers: Record<string, string>
  /** Headers of a 304: the validators and caching headers of the 200 (RFC 9110 §15.4.5). */
  notModified: Record<string, string>
}

/** A computed response: the identity bytes and, for bodies worth it, brotli and gzip encodings. */
export interface CachedResponse {
  identity: Variant
  br?: Variant
  gzip?: Variant
  /** Body bytes over all variants. */
  bytes: number
  evicted: boolean
}

export interface CacheLimits {
  /** Total body bytes kept. */
  maxBytes: number
  /** Distinct responses kept. */
  maxEntries: number
  /** Distinct raw requests (Accept + URL) remembered. */
  maxAliases: number
}

/** Sized for the guide (a whole version's responses are a few MB) with room for search queries. */
export const defaultLimits: CacheLimits = { maxBytes: 32 * 1024 * 1024, maxEntries: 4000, maxAliases: 16000 }

/** Bodies smaller than this are not compressed: the saving would not pay for the work. */
export const COMPRESS_MIN_BYTES = 1024

/**
 * Response headers cross-origin scripts need to read. The CORS plugin (src/web/security.ts)
 * exposes them on cross-origin requests, so same-origin responses do not carry the header.
 */
export const EXPOSED_HEADERS = ['ETag', 'Link', 'Content-Location', 'Content-Digest'] as const

export const IMMUTABLE = 'public, max-age=31536000, immutable'
export const SHORT = 'public, max-age=300'

/** The key the hot path looks up: exactly what the client sent. */
export function rawKey (request: FastifyRequest): string {
  const accept = request.headers.accept
  return accept === undefined ? request.url : `${accept}\n${request.url}`
}

export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>()
  private readonly aliases = new Map<string, CachedResponse>()
  private bytes = 0

  /** `observer` hears of hits (by raw or normalized key), misses and evictions, for metrics. */
  constructor (private readonly limits: CacheLimits = defaultLimits, private readonly observer: CacheObserver = noCacheObserver) {}

  /** The response for a raw request, if one is remembered. */
  lookup (raw: string): CachedResponse | undefined {
    const entry = this.aliases.get(raw)
    if (entry?.evicted === true) {
      this.aliases.delete(raw)
      return undefined
    }
    if (entry !== undefined) this.observer.hit()
    return entry
  }

  /** The response for a normalized key. */
  find (normalized: string): CachedResponse | undefined {
    const entry = this.entries.get(normalized)
    if (entry === undefined) this.observer.miss()
    else this.observer.hit()
    return entry
  }

  store (normalized: string, entry: CachedResponse): void {
    this.entries.set(normalized, entry)
    this.bytes += entry.bytes
    for (const [key, old] of this.entries) {
      if (this.bytes <= this.limits.maxBytes && this.entries.size <= this.limits.maxEntries) break
      if (old === entry) break
      this.entries.delete(key)
      this.bytes -= old.bytes
      old.evicted = true
      this.observer.evicted()
    }
  }

  alias (raw: string, entry: CachedResponse): void {
    if (this.aliases.has(raw)) return
    this.aliases.set(raw, entry)
    if (this.aliases.size > this.limits.maxAliases) {
      const oldest = this.aliases.keys().next().value
      if (oldest !== undefined) this.aliases.delete(oldest)
    }
  }

  /** Current sizes, for tests and diagnostics. */
  stats (): { entries: number, aliases: number, bytes: number } {
    return { entries: this.entries.size, aliases: this.aliases.size, bytes: this.bytes }
  }
}

/** A strong ETag: a hash of the exact bytes sent. */
export function etagOf (body: Buffer, suffix = ''): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}${suffix}"`
}

/** The RFC 9530 Content-Digest of a body (the bytes as sent, after any content coding). */
export function contentDigest (body: Buffer): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`
}

/** If-None-Match against a strong ETag, by the weak comparison RFC 9110 §13.1.2 prescribes. */
export function etagMatches (header: string, etag: string): boolean {
  if (header === etag) return true
  for (const part of header.split(',')) {
    const tag = part.trim()
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true
  }
  return false
}

export type Encoding = 'br' | 'gzip'

/** The content coding to send for an Accept-Encoding header: brotli, else gzip, else none. */
export function chooseEncoding (header: string): Encoding | null {
  const q: Record<string, number> = {}
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((x) => x.trim())
    if (name === '') continue
    const given = params.find((p) => p.startsWith('q='))
    const value = given === undefined ? 1 : Number(given.slice(2))
    q[name] = Number.isFinite(value) ? value : 0
  }
  const of = (name: Encoding): number => q[name] ?? q['*'] ?? 0
  if (of('br') > 0 && of('br') >= of('gzip')) return 'br'
  return of('gzip') > 0 ? 'gzip' : null
}

/** Accept-Encoding headers are few in practice; remember what each one chose (bounded). */
const chosen = new Map<string, Encoding | null>()
function encodingFor (header: string | undefined): Encoding | null {
  if (header === undefined) return null
  let encoding = chosen.get(header)
  if (encoding === undefined) {
    encoding = chooseEncoding(header)
    if (chosen.size < 256) chosen.set(header, encoding)
  }
  return encoding
}

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

export interface ResponseParts {
  body: Buffer
  contentType: string
  /** Headers of both the 200 and the 304 (Cache-Control, Content-Location, Vary, …). */
  caching: Record<string, string>
  /** Headers of the 200 only (e.g. Link). */
  extra: Record<string, string>
  /** Add a Content-Digest of each variant's bytes. */
  digest: boolean
}

function variant (body: Buffer, parts: ResponseParts, encoding: Encoding | null): Variant {
  const etag = etagOf(body, encoding === null ? '' : `-${encoding === 'br' ? 'br' : 'gz'}`)
  const notModified = { etag, ...parts.caching }
  return {
    body,
    etag,
    notModified,
    headers: {
      'content-type': parts.contentType,
      ...(encoding === null ? {} : { 'content-encoding': encoding }),
      ...notModified,
      ...parts.extra,
      ...(parts.digest ? { 'content-digest': contentDigest(body) } : {})
    }
  }
}

/**
 * Computes a response once: its identity variant and, from COMPRESS_MIN_BYTES on, brotli (best
 * quality, off the event loop) and gzip variants, each with its own strong ETag.
 */
export async function prepareResponse (parts: ResponseParts): Promise<CachedResponse> {
  const identity = variant(parts.body, parts, null)
  if (parts.body.length < COMPRESS_MIN_BYTES) return { identity, bytes: parts.body.length, evicted: false }
  const [br, gz] = await Promise.all([
    brotli(parts.body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: parts.body.length } }),
    gzipAsync(parts.body, { level: 9 })
  ])
  return {
    identity,
    br: variant(br, parts, 'br'),
    gzip: variant(gz, parts, 'gzip'),
    bytes: parts.body.length + br.length + gz.length,
    evicted: false
  }
}

/** Sends a cached response in the encoding the client accepts: a 304 when If-None-Match matches. */
export function sendCached (request: FastifyRequest, reply: FastifyReply, entry: CachedResponse): FastifyReply {
  const encoding = encodingFor(request.headers['accept-encoding'])
  const v = (encoding === null ? undefined : entry[encoding]) ?? entry.identity
  const vary = reply.getHeader('vary')
  const inm = request.headers['if-none-match']
  const notModified = inm !== undefined && etagMatches(inm, v.etag)
  reply.headers(notModified ? v.notModified : v.headers)
  // Keep a Vary set earlier (e.g. CORS's Origin) beside ours.
  if (vary !== undefined) reply.header('vary', `${String(vary)}, ${v.headers.vary ?? ''}`)
  return notModified ? reply.code(304).send() : reply.send(v.body)
}

/**
 * The hot path, as a route preParsing hook: answer from memory, or fall through to the handler.
 * Not onRequest: the rate limiter's hook is a route onRequest hook added after the route's own,
 * so a cached answer sent from there would never be counted or limited.
 */
export function cacheHook (cache: ResponseCache): preParsingHookHandler {
  return function serveFromCache (request, reply, payload, done) {
    const entry = cache.lookup(rawKey(request))
    if (entry === undefined) {
      done(null, payload)
      return
    }
    sendCached(request, reply, entry)
  }
}
