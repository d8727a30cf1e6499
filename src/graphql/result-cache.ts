/**
 * A cache of serialized GraphQL responses. The content database is read-only and opened once, so
 * a version's content (and which version `latest` names) cannot change while the process runs:
 * the same query with the same variables always gives the same response. Only responses without
 * errors are kept, in one byte budget that counts the key (query text, operation name and
 * variables) as well as the response (src/web/byte-cache.ts): a key over `maxKeyBytes` (a long
 * comment, a large unused variable) is not cached at all, and one-off queries churn only the
 * probation segment, so they cannot push out the queries clients repeat.
 *
 * Hits are answered from a route preValidation hook, before mercurius: no schema validation,
 * parsing or execution. GET responses also get an ETag and Cache-Control, and a matching If-None-Match gets
 * a 304, so proxies and browsers can cache them too.
 *
 * Upstream behaviour relied on (pinned in test/architecture/levers.test.ts): mercurius 16's `cache`
 * keeps parsed and validated queries, not results, so every repeat runs the resolvers again; and an
 * answer sent from a preValidation hook in its `additionalRouteOptions` skips mercurius entirely.
 * Remove this if mercurius caches whole results itself (mercurius-cache caches per resolver).
 */
import { createHash } from 'node:crypto'
import { ByteCache } from '../web/byte-cache.js'
import { noCacheObserver, type CacheObserver } from '../web/telemetry.js'
import type { FastifyReply, FastifyRequest, preValidationAsyncHookHandler, onSendHookHandler, preSerializationHookHandler } from 'fastify'

export interface ResultCacheOptions {
  /** Most bytes kept: responses, keys and a fixed overhead per entry together. */
  maxBytes: number
  /** Largest entry (key and response); larger ones are answered but not kept. Default maxBytes / 16. */
  maxEntryBytes?: number
  /** Longest key (query, operation name and variables) in bytes at two a character. Default 16 KiB. */
  maxKeyBytes?: number
  /** Cache-Control sent with successful GET responses. */
  cacheControl: string
}

interface Entry { body: Buffer, etag: string }

/** What the hooks know about one request: its cache key, and whether its result had no errors. */
interface State { key: string, clean: boolean }

const kState = Symbol('graphql result cache')

type Raw = Record<string, unknown> | null | undefined

const parseJson = (value: unknown): unknown => {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

/**
 * The cache key of a request, or undefined when it must run through mercurius: a persisted-query
 * registration (query and hash together, which mercurius must see to store the hash), or a
 * request that cannot be read (mercurius then reports what is wrong).
 */
export function cacheKey (request: Raw): string | undefined {
  if (request === null || request === undefined || typeof request !== 'object' || Array.isArray(request)) return undefined
  const query = request.query
  const extensions = parseJson(request.extensions) as { persistedQuery?: { version?: unknown, sha256Hash?: unknown } } | undefined
  const hash = extensions?.persistedQuery?.version === 1 ? extensions.persistedQuery.sha256Hash : undefined
  const variables = parseJson(request.variables ?? null)
  if (variables === undefined) return undefined
  const operation = request.operationName ?? null
  if (typeof query === 'string' && query !== '' && extensions?.persistedQuery === undefined) return JSON.stringify(['q', query, operation, variables])
  if ((query === undefined || query === '') && typeof hash === 'string') return JSON.stringify(['h', hash, operation, variables])
  return undefined
}

/** Does an If-None-Match header match this ETag? */
function matches (header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}

export class ResultCache {
  private readonly entries: ByteCache<Entry>

  /** `observer` hears of hits, misses and evictions, for metrics. */
  constructor (private readonly options: ResultCacheOptions, private readonly observer: CacheObserver = noCacheObserver) {
    this.entries = new ByteCache<Entry>({
      maxBytes: options.maxBytes,
      maxEntryBytes: options.maxEntryBytes ?? Math.floor(options.maxBytes / 16),
      maxKeyBytes: options.maxKeyBytes ?? 16 * 1024
    }, () => { this.observer.evicted() })
  }

  get size (): number {
    return this.entries.size
  }

  /** Everything accounted, keys included; and how many entries were declined for size. */
  stats (): { entries: number, bytes: number, protected: number, declined: number } {
    const { entries, bytes, protected: hot, declined } = this.entries.stats()
    return { entries, bytes, protected: hot, declined }
  }

  get (key: string): Entry | undefined {
    return this.entries.get(key)
  }

  /** Keeps a response; undefined when it (or its key) is too big to keep. */
  set (key: string, body: Buffer): Entry | undefined {
    const entry = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` }
    return this.entries.set(key, entry, body.length) ? entry : undefined
  }

  private headers (request: FastifyRequest, reply: FastifyReply, etag: string): void {
    if (request.method === 'GET') reply.header('etag', etag).header('cache-control', this.options.cacheControl)
  }

  /** Route hooks for the /graphql routes. */
  hooks (): { preValidation: preValidationAsyncHookHandler, preSerialization: preSerializationHookHandler<unknown>, onSend: onSendHookHandler<unknown> } {
    const preValidation: preValidationAsyncHookHandler = async (request, reply) => {
      const key = cacheKey((request.method === 'GET' ? request.query : request.body) as Raw)
      if (key === undefined) return
      const entry = this.get(key)
      if (entry === undefined) this.observer.miss()
      else this.observer.hit()
      if (entry === undefined) {
        (request as unknown as Record<symbol, State>)[kState] = { key, clean: false }
        return
      }
      this.headers(request, reply, entry.etag)
      if (request.method === 'GET' && matches(request.headers['if-none-match'], entry.etag)) return reply.code(304).send()
      return reply.type('application/json; charset=utf-8').send(entry.body)
    }
    const preSerialization: preSerializationHookHandler<unknown> = (request, _reply, payload, done) => {
      const state = (request as unknown as Record<symbol, State | undefined>)[kState]
      if (state !== undefined) state.clean = typeof payload === 'object' && payload !== null && (payload as { errors?: unknown }).errors === undefined
      done(null, payload)
    }
    const onSend: onSendHookHandler<unknown> = (request, reply, payload, done) => {
      const state = (request as unknown as Record<symbol, State | undefined>)[kState]
      if (state !== undefined && state.clean && reply.statusCode === 200 && typeof payload === 'string') {
        const entry = this.set(state.key, Buffer.from(payload))
        if (entry !== undefined) this.headers(request, reply, entry.etag)
      }
      done(null, payload)
    }
    return { preValidation, preSerialization, onSend }
  }
}
