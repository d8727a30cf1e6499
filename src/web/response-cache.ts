/**
 * Computed responses, kept in memory. Content is immutable per version and only a restart changes
 * the database, so a response's body, strong ETag and headers are computed once and every repeat
 * is a map lookup: no validation, no database, no serialization.
 *
 * Entries are keyed by normalized key (route, validated parameters, media type), filled only by a
 * request that passed validation and was answered 200. Aliases map the raw request (Accept and URL
 * as sent) to a normalized key, for the preParsing hook. Everything is in one byte budget
 * (src/web/byte-cache.ts): an alias is charged to its entry and goes when the entry goes, so an
 * evicted response is unreachable; an entry keeps at most `maxAliasesPerEntry` aliases, and keys
 * longer than `maxKeyBytes` are not remembered at all (the request is still answered, through
 * validation and the normalized key). Compressed variants are made on demand, in the encoding a
 * client asked for, and charged to the entry when they are added.
 *
 * Upstream behaviour relied on: Fastify validates, runs the handler, serializes and (with a
 * compression plugin) compresses every response anew; and @fastify/rate-limit adds its hook to a
 * route after the route's own onRequest hooks, so repeats are answered from a preParsing hook,
 * which runs after it (pinned in test/architecture/levers.test.ts). It stays while the content is
 * immutable per process; if the limiter ran first, the lookup could move to onRequest.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify'
import { ByteCache, keyBytes } from './byte-cache.js'
import { noCacheObserver, type CacheObserver } from './telemetry.js'

/** One encoding of a response: its exact bytes and the headers that go with them. */
export interface Variant {
  body: Buffer
  etag: string
  /** Headers of the 200. */
  headers: Record<string, string>
  /** Headers of a 304: the validators and caching headers of the 200 (RFC 9110 §15.4.5). */
  notModified: Record<string, string>
  /** Compressed at maximum quality (long-lived entries are upgraded once they prove hot). */
  best?: boolean
}

/** A computed response: the identity bytes and, once asked for, brotli and gzip encodings. */
export interface CachedResponse {
  identity: Variant
  br?: Variant
  gzip?: Variant
  /** Body bytes over all variants. */
  bytes: number
  evicted: boolean
  /** How to build the other variants (absent: identity only). */
  parts?: Omit<ResponseParts, 'body'>
  /** Long-lived (pinned, immutable): worth compressing at maximum quality once it is requested again. */
  longLived?: boolean
  /** The normalized key it is stored under, once stored. */
  key?: string
  /** Raw keys pointing at it. */
  aliases?: string[]
}

export interface CacheLimits {
  /** Total bytes: bodies of every variant, normalized and raw keys, and a fixed overhead per entry. */
  maxBytes: number
  /** Largest single response (all its variants and keys); larger ones are answered but not kept. */
  maxEntryBytes: number
  /** Longest key (normalized or raw), in bytes at two a character; longer ones are not remembered. */
  maxKeyBytes: number
  /** Raw requests (Accept + URL spellings) remembered per response. */
  maxAliasesPerEntry: number
}

/**
 * Sized for the guide (a whole version's responses are a few MB) with room for search queries;
 * the largest response (an export in three encodings) is about 1 MB.
 */
export const defaultLimits: CacheLimits = { maxBytes: 32 * 1024 * 1024, maxEntryBytes: 4 * 1024 * 1024, maxKeyBytes: 8 * 1024, maxAliasesPerEntry: 8 }

/** Bodies smaller than this are not compressed: the saving would not pay for the work. */
export const COMPRESS_MIN_BYTES = 1024

/** Quality for a response compressed on demand (a miss): fast, most of the saving. */
export const ON_DEMAND = { brotli: 5, gzip: 6 } as const

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
  private readonly entries: ByteCache<CachedResponse>
  private readonly aliases = new Map<string, string>()
  readonly limits: CacheLimits

  /** `observer` hears of hits (by raw or normalized key), misses and evictions, for metrics. */
  constructor (limits: Partial<CacheLimits> = {}, private readonly observer: CacheObserver = noCacheObserver) {
    this.limits = { ...defaultLimits, ...limits }
    this.entries = new ByteCache<CachedResponse>(this.limits, (_key, entry) => {
      this.observer.evicted()
      entry.evicted = true
      for (const raw of entry.aliases ?? []) this.aliases.delete(raw)
      entry.aliases = undefined
    })
  }

  /** The response for a raw request, if one is remembered (a hit: it may promote the entry). */
  lookup (raw: string): CachedResponse | undefined {
    const key = this.aliases.get(raw)
    const entry = key === undefined ? undefined : this.entries.get(key)
    if (entry !== undefined) this.observer.hit()
    return entry
  }

  /** The response for a normalized key (a hit: it may promote the entry). */
  find (normalized: string): CachedResponse | undefined {
    const entry = this.entries.get(normalized)
    if (entry === undefined) this.observer.miss()
    else this.observer.hit()
    return entry
  }

  /** Keeps a response; false when it is too big (or its key too long) to keep. */
  store (normalized: string, entry: CachedResponse): boolean {
    entry.key = normalized
    entry.evicted = false
    const kept = this.entries.set(normalized, entry, entry.bytes)
    if (!kept) entry.evicted = true
    return kept
  }

  /** Remembers a raw request for a stored response, charged to it; skipped when too long or too many. */
  alias (raw: string, entry: CachedResponse): void {
    if (entry.evicted || entry.key === undefined || this.aliases.has(raw)) return
    const aliases = entry.aliases ?? (entry.aliases = [])
    if (aliases.length >= this.limits.maxAliasesPerEntry || keyBytes(raw) > this.limits.maxKeyBytes) return
    if (!this.entries.resize(entry.key, keyBytes(raw) + ALIAS_OVERHEAD)) return
    if (entry.evicted) return
    aliases.push(raw)
    this.aliases.set(raw, entry.key)
  }

  /** Adds a variant made after the entry was stored, charging its bytes. */
  grow (entry: CachedResponse, bytes: number): void {
    entry.bytes += bytes
    if (!entry.evicted && entry.key !== undefined && !this.entries.resize(entry.key, bytes)) this.entries.delete(entry.key)
  }

  /** Current sizes, for tests and diagnostics: `bytes` is everything accounted, keys included. */
  stats (): { entries: number, aliases: number, bytes: number, protected: number, declined: number } {
    const s = this.entries.stats()
    return { entries: s.entries, aliases: this.aliases.size, bytes: s.bytes, protected: s.protected, declined: s.declined }
  }
}

/** Bytes charged per alias beyond its key: its map slot and its place in the entry's list. */
const ALIAS_OVERHEAD = 64

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
    if (chosen.size < 256 && header.length <= 256) chosen.set(header, encoding)
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
  /**
   * `max`: a body kept and sent many times, worth maximum compression once it is requested again
   * (as immutable ones are); `fast` (or absent): on-demand quality only.
   */
  effort?: 'max' | 'fast'
}

/**
 * A variant's headers. Encoded variants take the identity's ETag with a suffix: the content is
 * the same, and a later recompression at another quality keeps clients' validators valid.
 */
function variant (body: Buffer, parts: Omit<ResponseParts, 'body'>, encoding: Encoding | null, identityEtag?: string): Variant {
  const etag = encoding === null || identityEtag === undefined
    ? etagOf(body)
    : `${identityEtag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`
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

/** Compresses off the event loop: at ON_DEMAND quality, or at maximum for long-lived responses. */
export async function compress (body: Buffer, encoding: Encoding, best: boolean): Promise<Buffer> {
  if (encoding === 'br') {
    return await brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: best ? constants.BROTLI_MAX_QUALITY : ON_DEMAND.brotli,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length
      }
    })
  }
  return await gzipAsync(body, { level: best ? 9 : ON_DEMAND.gzip })
}

/**
 * Computes a response's identity variant. Encoded variants are made when a client asks for one
 * (sendCached), so a client that accepts no encoding costs no compression at all.
 */
export async function prepareResponse (parts: ResponseParts): Promise<CachedResponse> {
  const identity = variant(parts.body, parts, null)
  const { body: _body, ...rest } = parts
  return {
    identity,
    bytes: parts.body.length,
    evicted: false,
    ...(parts.body.length < COMPRESS_MIN_BYTES ? {} : { parts: rest }),
    longLived: parts.effort === 'max' || parts.caching['cache-control'] === IMMUTABLE
  }
}

/** Compressions in flight, by entry and encoding: concurrent misses share one. */
const pending = new WeakMap<CachedResponse, Partial<Record<Encoding, Promise<Variant>>>>()

/** The entry's variant in `encoding`, compressed now (on demand) if it has none yet. */
async function encoded (entry: CachedResponse, encoding: Encoding, cache?: ResponseCache): Promise<Variant> {
  const existing = entry[encoding]
  if (existing !== undefined) return existing
  const inFlight = pending.get(entry) ?? {}
  pending.set(entry, inFlight)
  const promise = inFlight[encoding] ?? (inFlight[encoding] = (async () => {
    const body = await compress(entry.identity.body, encoding, false)
    const v = variant(body, entry.parts!, encoding, entry.identity.etag)
    if (entry[encoding] === undefined) {
      entry[encoding] = v
      cache?.grow(entry, body.length)
    }
    delete inFlight[encoding]
    return entry[encoding]
  })())
  return await promise
}

/** One recompression at maximum quality at a time, in the background: hot long-lived responses only. */
let upgrading = false
function upgrade (entry: CachedResponse, encoding: Encoding, cache?: ResponseCache): void {
  const current = entry[encoding]
  if (upgrading || current === undefined || current.best === true || entry.evicted) return
  upgrading = true
  compress(entry.identity.body, encoding, true).then((body) => {
    if (body.length < current.body.length) {
      entry[encoding] = { ...variant(body, entry.parts!, encoding, entry.identity.etag), best: true }
      cache?.grow(entry, body.length - current.body.length)
    } else {
      current.best = true
    }
  }, () => {}).finally(() => { upgrading = false })
}

/** Whether all background upgrades are done (tests wait for it). */
export function upgradesIdle (): boolean {
  return !upgrading
}

/**
 * The variant of a cached response for a request (the encoding its Accept-Encoding allows, made
 * now if no client asked for it before; identity when it allows none), and whether its
 * If-None-Match makes the answer a 304.
 */
export async function selectVariant (request: FastifyRequest, entry: CachedResponse, cache?: ResponseCache): Promise<{ v: Variant, notModified: boolean }> {
  const encoding = entry.parts === undefined ? null : encodingFor(request.headers['accept-encoding'])
  const ready = encoding === null ? entry.identity : entry[encoding]
  if (encoding !== null && ready !== undefined && entry.longLived === true && ready.best !== true) upgrade(entry, encoding, cache)
  const v = ready ?? await encoded(entry, encoding as Encoding, cache)
  const inm = request.headers['if-none-match']
  return { v, notModified: inm !== undefined && etagMatches(inm, v.etag) }
}

function send (request: FastifyRequest, reply: FastifyReply, v: Variant): FastifyReply {
  const vary = reply.getHeader('vary')
  const inm = request.headers['if-none-match']
  const notModified = inm !== undefined && etagMatches(inm, v.etag)
  reply.headers(notModified ? v.notModified : v.headers)
  // Keep a Vary set earlier (e.g. CORS's Origin) beside ours.
  if (vary !== undefined) reply.header('vary', `${String(vary)}, ${v.headers.vary ?? ''}`)
  return notModified ? reply.code(304).send() : reply.send(v.body)
}

/**
 * Sends a cached response in the encoding the client accepts (a 304 when If-None-Match matches),
 * compressing it first when this is the first client to ask for that encoding. Pass the cache the
 * entry is stored in so that a new variant is charged to it. A long-lived entry requested again
 * is recompressed at maximum quality in the background.
 */
export function sendCached (request: FastifyRequest, reply: FastifyReply, entry: CachedResponse, cache?: ResponseCache): FastifyReply | Promise<FastifyReply> {
  const encoding = entry.parts === undefined ? null : encodingFor(request.headers['accept-encoding'])
  if (encoding === null) return send(request, reply, entry.identity)
  const ready = entry[encoding]
  if (ready !== undefined) {
    if (entry.longLived === true && ready.best !== true) upgrade(entry, encoding, cache)
    return send(request, reply, ready)
  }
  return encoded(entry, encoding, cache).then((v) => send(request, reply, v))
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
    const sent = sendCached(request, reply, entry, cache)
    if (sent instanceof Promise) sent.catch((err: unknown) => { done(err as Error) })
  }
}
