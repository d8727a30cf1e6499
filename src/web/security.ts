/**
 * Security and abuse protection, in the order a request meets them: security headers (helmet),
 * CORS, load shedding (under-pressure, 503) and rate limiting per client IP (429). Errors are
 * thrown as errors with a `statusCode`, so the app's error handler renders them like any other.
 */
import { createRequire } from 'node:module'
import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { corsOrigin, type Config } from '../config.js'
import { HttpError } from './http-error.js'
import { allowHeaders, answerOptions } from './methods.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** @fastify/under-pressure per route: returning nothing lets the request through under pressure. */
    pressureHandler?: (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void
  }
}

/** Response headers browsers may read cross-origin. */
export const exposedHeaders = [
  'ETag', 'Link', 'Content-Location', 'Content-Digest', 'X-Total-Count', 'X-Request-Id',
  'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'
]

/**
 * The Content-Security-Policy. JSON needs none, but the HTML pages (Swagger UI at /docs,
 * GraphiQL at /graphiql) load only their own scripts, styles, fonts and images from this origin:
 * no inline or remote scripts, no eval. Inline styles are allowed: GraphiQL injects a <style>.
 * Both call the API, which may live at PUBLIC_URL rather than the origin the page came from.
 */
export function contentSecurityPolicy (config: Config): Record<string, string[]> {
  const api = config.PUBLIC_URL === undefined ? [] : [new URL(config.PUBLIC_URL).origin]
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'", ...api],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"]
  }
}

type Helmet = (options: object) => (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/** helmet, as @fastify/helmet depends on it (the same copy and version). */
const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as Helmet

/** Whether a request URL is one of the HTML pages under `prefixes`, or their assets. */
export function isPageUrl (url: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => url.startsWith(prefix) && (url.length === prefix.length || '/?'.includes(url[prefix.length]!)))
}

/** helmet's options for the HTML pages: our page policy, with helmet's defaults for every other header. */
export function helmetOptions (config: Config): object {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    // Other sites' pages and apps may use these responses; CORS, not CORP, decides who reads them.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' }
  }
}

/**
 * helmet's options for everything else: the API's JSON, JSON-LD, CSV and problem+json, which no
 * browser renders as a page. As OWASP's REST Security Cheat Sheet advises: a policy that allows
 * nothing and no framing (stricter than the pages' own), HSTS, nosniff, X-Frame-Options, and the
 * same Referrer and Resource policies. helmet's headers for documents are left off, as they have
 * nothing to act on in an API answer: the opener and agent-cluster isolation of a browsing
 * context, DNS prefetching of a page's links, IE 8's download prompt, Flash and PDF cross-domain
 * policies, and the retired XSS auditor. Each costs every response time and bytes.
 */
export function apiHelmetOptions (): object {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    originAgentCluster: false,
    referrerPolicy: { policy: 'no-referrer' },
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: { action: 'deny' },
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false
  }
}

/**
 * The headers helmet sets for these options. They depend on the options alone, never on the
 * request, so they are computed once: @fastify/helmet would build helmet's middleware again on
 * every request (two async hooks and a fresh parse of the policy each time), which measured as
 * most of a cached response's CPU time.
 */
export function securityHeaders (options: object): Record<string, string> {
  const headers: Record<string, string> = {}
  const res = {
    setHeader: (name: string, value: unknown) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] }
  }
  let called = false
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err) => {
    if (err !== undefined) throw err
    called = true
  })
  if (!called) throw new Error('helmet did not finish synchronously')
  return headers
}

/** `pages`: where the HTML pages (Swagger UI, GraphiQL) are served, as their owners name them. */
export default fp<{ config: Config, pages: readonly string[] }>(async (app, { config, pages }) => {
  const pageHeaders = securityHeaders(helmetOptions(config))
  const apiHeaders = securityHeaders(apiHelmetOptions())
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isPageUrl(request.url, pages) ? pageHeaders : apiHeaders)
    done()
  })

  // OPTIONS is one route for every path (CORS's, when it is on): a 204 with `Allow` read from the
  // router, and a preflight's Access-Control-Allow-Methods narrowed to the same list (methods.ts).
  const allow = allowHeaders(app)
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('OPTIONS')) return
    route.handler = answerOptions(app)
    route.onSend = [...[route.onSend ?? []].flat(), allow]
  })
  const origin = corsOrigin(config.CORS_ORIGIN)
  if (origin !== false) {
    await app.register(cors, {
      origin,
      // What resources accept; a preflight for a path that accepts more (GraphQL's POST) is told so by `allow`.
      methods: ['GET', 'HEAD', 'OPTIONS'],
      // Joined once: given an array, @fastify/cors joins it again for every response (0.24 µs).
      exposedHeaders: exposedHeaders.join(', '),
      maxAge: 86_400,
      strictPreflight: false
    })
  } else {
    app.options('*', { schema: { hide: true } }, answerOptions(app))
  }

  await app.register(underPressure, {
    maxEventLoopDelay: config.PRESSURE_MAX_EVENT_LOOP_DELAY,
    maxEventLoopUtilization: config.PRESSURE_MAX_EVENT_LOOP_UTILIZATION,
    eventLoopUtilizationMode: 'interval',
    maxHeapUsedBytes: config.PRESSURE_MAX_HEAP_BYTES,
    maxRssBytes: config.PRESSURE_MAX_RSS_BYTES,
    sampleInterval: config.PRESSURE_SAMPLE_INTERVAL,
    retryAfter: config.PRESSURE_RETRY_AFTER,
    message: 'The service is overloaded; retry after the number of seconds in Retry-After.'
  })

  // With REDIS_URL, one budget across replicas (shared-rate-limit.ts, and the Redis client, loaded
  // only then); otherwise per process.
  let store: FastifyRateLimitStoreCtor | undefined
  if (config.REDIS_URL !== undefined) {
    const { connectRedis, sharedStore } = await import('./shared-rate-limit.js')
    const redis = connectRedis(config.REDIS_URL)
    // ioredis reports every failed (re)connection; the store logs the change of mode once.
    redis.on('error', () => undefined)
    app.addHook('onClose', async () => { redis.disconnect() })
    store = sharedStore(redis, app.log, config.REDIS_KEY_PREFIX)
  }
  // Routes opt out with `config: { rateLimit: false }` (the health probes do).
  await app.register(rateLimit, {
    global: true,
    ...(store === undefined ? {} : { store }),
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW,
    errorResponseBuilder: (_request, context) =>
      new HttpError(context.statusCode, 'RATE_LIMITED', `Rate limit exceeded (${context.max} requests per ${config.RATE_LIMIT_WINDOW / 1000} s); retry in ${context.after}.`)
  })
  // The plugin hooks into routes; requests no route handles (a scanner's 404s, malformed URLs)
  // share the same per-client budget through this limiter.
  const limiter = app.rateLimit()
  const limitUnrouted = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => { await limiter.call(app, request, reply) }
  app.decorate('limitUnrouted', limitUnrouted)
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) await limitUnrouted(request, reply)
  })
}, { name: 'security', dependencies: ['request-id', 'limits'] })
