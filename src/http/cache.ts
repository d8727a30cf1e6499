/**
 * Computed responses, kept in memory. Content is immutable per version and only a restart changes
 * the database, so a response's body, strong ETag and headers are computed once and every repeat
 * is a map lookup: no validation, no database, no serialization.
 *
 * Two maps: `entries` by normalized key (route, validated parameters, media type), filled only by
 * a request that passed validation and was answered 200; and `aliases` from the raw request
 * (Accept and URL as sent) to an entry, which the onRequest hook looks up. Junk URLs never get
 * here, and both maps are bounded (oldest first out), so the memory stays small whatever clients send.
 */
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'

export interface CachedResponse {
  body: Buffer
  etag: string
  /** Headers of the 200. */
  headers: Record<string, string>
  /** Headers of a 304: the validators and caching headers of the 200 (RFC 9110 §15.4.5). */
  notModified: Record<string, string>
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

/** Headers that cross-origin scripts may read (CORS is open for GET). */
export const EXPOSED_HEADERS = 'ETag, Link, Content-Location, Content-Digest'

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

  constructor (private readonly limits: CacheLimits = defaultLimits) {}

  /** The response for a raw request, if one is remembered. */
  lookup (raw: string): CachedResponse | undefined {
    const entry = this.aliases.get(raw)
    if (entry?.evicted === true) {
      this.aliases.delete(raw)
      return undefined
    }
    return entry
  }

  /** The response for a normalized key. */
  find (normalized: string): CachedResponse | undefined {
    return this.entries.get(normalized)
  }

  store (normalized: string, entry: CachedResponse): void {
    this.entries.set(normalized, entry)
    this.bytes += entry.body.length
    for (const [key, old] of this.entries) {
      if (this.bytes <= this.limits.maxBytes && this.entries.size <= this.limits.maxEntries) break
      if (old === entry) break
      this.entries.delete(key)
      this.bytes -= old.body.length
      old.evicted = true
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
export function etagOf (body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
}

/** The RFC 9530 Content-Digest of a body. */
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

/** Sends a cached response: a 304 when If-None-Match matches, else the stored body. */
export function sendCached (request: FastifyRequest, reply: FastifyReply, entry: CachedResponse): FastifyReply {
  const vary = reply.getHeader('vary')
  const inm = request.headers['if-none-match']
  if (inm !== undefined && etagMatches(inm, entry.etag)) {
    reply.code(304).headers(entry.notModified)
  } else {
    reply.headers(entry.headers)
  }
  // Keep a Vary set earlier (e.g. CORS's Origin) beside our Accept.
  if (vary !== undefined) reply.header('vary', `${String(vary)}, Accept`)
  return reply.statusCode === 304 ? reply.send() : reply.send(entry.body)
}

/** The hot path, as a route onRequest hook: answer from memory, or fall through to the handler. */
export function cacheHook (cache: ResponseCache): onRequestHookHandler {
  return function serveFromCache (request, reply, done) {
    const entry = cache.lookup(rawKey(request))
    if (entry === undefined) {
      done()
      return
    }
    sendCached(request, reply, entry)
  }
}
