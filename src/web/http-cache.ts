/**
 * The HTTP caching conventions of REST (strong ETag, If-None-Match → 304, Cache-Control, Vary,
 * br/gzip as Accept-Encoding allows) for routes that do not go through REST's `defineGet`: CASE,
 * the URI resolver, the OpenAPI and discovery documents, GraphQL. A route opts in by spreading
 * `app.httpCache.route(policy)` into its options: an onSend hook turns the 200 it sends into a
 * cached response (src/web/response-cache.ts: the same prepared variants, ETags and 304 logic as
 * REST) and, for bodies that depend only on the URL and Accept, a preParsing hook answers repeats
 * from memory before any parsing, validation or handler.
 *
 * Upstream behaviour relied on (pinned in test/architecture/levers.test.ts): the same as
 * response-cache.ts, and Fastify's HEAD routes end with an onSend hook of their own that sets
 * Content-Length from the payload and throws on a null one, so a HEAD 304 returns an empty string.
 */
import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest, onSendHookHandler, preParsingHookHandler } from 'fastify'
import {
  ResponseCache, cacheHook, prepareResponse, rawKey, selectVariant, type CacheLimits, type CachedResponse
} from './response-cache.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Caching conventions for routes outside REST (see http-cache.ts). */
    httpCache: HttpCache
  }
}

/** How a route's responses are cached. */
export interface CachePolicy {
  /** Cache-Control of the 200 and the 304. */
  cacheControl: string
  /** What the body depends on beside the URL, e.g. `Accept`; `Accept-Encoding` is always added. */
  vary?: string
  /**
   * The 200 depends only on the method-less URL and Accept (and is the same until a restart): the
   * prepared response is remembered by them and repeats are answered before parsing. Bodies of
   * such routes are kept, so they get the best compression (up to MAX_EFFORT_BYTES).
   */
  byUrl?: boolean
  /** Response headers of the 200 that belong to the body and are replayed with it, e.g. `link`. */
  keep?: readonly string[]
  /** A 200 this says is transient (a GraphQL result with errors) is sent with `Cache-Control: no-store`. */
  transient?: (body: Buffer) => boolean
  /** A request this says is a client's own (authenticated): its answer is sent as it is, `Cache-Control: private, no-store`. */
  personal?: (request: FastifyRequest) => boolean
}

/** Cache-Control of a transient 200: validators are sent, but nothing is stored. */
export const NO_STORE = 'no-store'

/**
 * The largest body compressed at brotli's best quality. Quality 11 costs about a second per
 * 200 KB; above this size quality 4 gives most of the gain (the 800 KB OpenAPI YAML: 26 KB in
 * 26 ms at quality 4, 19 KB in 4.5 s at 11) without stalling the first request for seconds.
 */
export const MAX_EFFORT_BYTES = 256 * 1024

/** Limits of the prepared responses kept (the documents and CASE objects are a few MB in all). */
export const httpCacheLimits: Partial<CacheLimits> = { maxBytes: 24 * 1024 * 1024 }

const varyOf = (policy: CachePolicy): string => policy.vary === undefined ? 'Accept-Encoding' : `${policy.vary}, Accept-Encoding`

export class HttpCache {
  readonly cache: ResponseCache
  private readonly hook: preParsingHookHandler
  /** Prepared responses by the body Buffer sent (GraphQL's result cache sends the same Buffer every time). */
  private readonly byBuffer = new WeakMap<Buffer, { headers: string, entry: CachedResponse }>()

  constructor (limits: Partial<CacheLimits> = httpCacheLimits) {
    this.cache = new ResponseCache(limits)
    this.hook = cacheHook(this.cache)
  }

  /** Route options giving a route's 200 responses the conventions of `policy`. */
  route (policy: CachePolicy): { preParsing?: preParsingHookHandler, onSend: onSendHookHandler<unknown> } {
    return { ...(policy.byUrl === true ? { preParsing: this.hook } : {}), onSend: this.onSend(policy) }
  }

  /** The prepared response of a body sent with `policy`, computed once per distinct body and headers. */
  async prepare (body: Buffer, contentType: string, policy: CachePolicy, kept: Record<string, string>): Promise<CachedResponse> {
    const headers = JSON.stringify([contentType, policy.cacheControl, policy.vary ?? '', kept])
    const known = this.byBuffer.get(body)
    if (known !== undefined && known.headers === headers && !known.entry.evicted) return known.entry
    const key = `${headers}${createHash('sha256').update(body).digest('base64url')}`
    let entry = this.cache.find(key)
    if (entry === undefined) {
      entry = await prepareResponse({
        body,
        contentType,
        caching: { 'cache-control': policy.cacheControl, vary: varyOf(policy) },
        extra: kept,
        digest: false,
        effort: policy.byUrl === true && body.length <= MAX_EFFORT_BYTES ? 'max' : 'fast'
      })
      this.cache.store(key, entry)
    }
    this.byBuffer.set(body, { headers, entry })
    return entry
  }

  private onSend (policy: CachePolicy): onSendHookHandler<unknown> {
    const cacheable = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
      if (policy.personal?.(request) === true) {
        reply.header('cache-control', 'private, no-store')
        return payload
      }
      if (reply.statusCode !== 200 || reply.hasHeader('content-encoding')) return payload
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
      const body = typeof payload === 'string' ? Buffer.from(payload) : payload
      const kept: Record<string, string> = {}
      for (const name of policy.keep ?? []) {
        const value = reply.getHeader(name)
        if (value !== undefined) kept[name] = String(value)
      }
      const transient = policy.transient?.(body) === true
      const applied = transient ? { cacheControl: NO_STORE, ...(policy.vary === undefined ? {} : { vary: policy.vary }) } : policy
      const entry = await this.prepare(body, String(reply.getHeader('content-type') ?? 'application/octet-stream'), applied, kept)
      if (policy.byUrl === true && request.method === 'GET' && !transient) this.cache.alias(rawKey(request), entry)
      const { v, notModified } = await selectVariant(request, entry, this.cache)
      // If-None-Match is a GET/HEAD precondition: a 304 answers only those (RFC 9110 §13.1.2); a
      // POST (GraphQL) gets its ETag and the 200.
      const conditional = notModified && (request.method === 'GET' || request.method === 'HEAD')
      const vary = reply.getHeader('vary')
      reply.headers(conditional ? v.notModified : v.headers)
      // Keep a Vary set earlier (e.g. CORS's Origin) beside ours.
      if (vary !== undefined) reply.header('vary', mergeVary(String(vary), v.notModified.vary ?? ''))
      if (!conditional) return v.body
      reply.removeHeader('content-type')
      reply.code(304)
      // Fastify's own onSend of HEAD routes, after this one, measures the payload (see above): give it an empty one.
      return request.method === 'HEAD' ? '' : null
    }
    return cacheable
  }
}

/** Decorates the app with `httpCache`, one prepared-response cache for every transport outside REST. */
export default fp<{ limits?: Partial<CacheLimits> }>(async (app, opts) => {
  app.decorate('httpCache', new HttpCache(opts.limits))
}, { name: 'http-cache' })

/** The union of two Vary values, in order, each field name once. */
export function mergeVary (a: string, b: string): string {
  const names = new Map<string, string>()
  for (const name of `${a},${b}`.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name)
  }
  return [...names.values()].join(', ')
}

/** A Content-Disposition that saves a download as `<name>.<extension>` (names here are ASCII slugs and numbers). */
export function attachment (name: string, extension: string): string {
  return `attachment; filename="${`${name}.${extension}`.replace(/[^\w.-]/g, '_')}"`
}
