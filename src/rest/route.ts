/**
 * One way to declare a REST GET route: its contract (parameters, the JSON view's schema, the
 * representations offered) and a `build` that turns a validated request into a view. The rest is
 * shared: content negotiation, the response cache, ETag/304, Cache-Control for pinned and
 * `latest` requests, Content-Location, Link, Content-Digest and the OpenAPI description.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox'
import type { VersionRecord } from '../content/model.js'
import {
  IMMUTABLE, SHORT, cacheHook, prepareResponse, rawKey, sendCached,
  type CachedResponse, type ResponseCache
} from '../web/response-cache.js'
import { jsonOffer, negotiate, type Offer } from '../web/negotiation.js'
import { notFound } from '../web/problem.js'
import { CatalogNotFound } from '../catalog/catalog.js'
import type { RenderContext } from './representations.js'
import { problemResponse } from '../web/schemas/problem.js'
import type { Renderings, RenderedVersion } from './rendered.js'
import { Urls } from '../web/urls.js'
import { attachment } from '../web/http-cache.js'

/** What the REST routes share. */
export class RestContext {
  readonly urls: Urls
  readonly cache: ResponseCache
  readonly renderings: Renderings
  readonly hook: ReturnType<typeof cacheHook>
  /** Where the REST routes are mounted, e.g. `/v1`. */
  readonly prefix: string

  constructor (readonly app: FastifyInstance, options: { urls: Urls, cache: ResponseCache, renderings: Renderings, prefix: string }) {
    this.urls = options.urls
    this.cache = options.cache
    this.renderings = options.renderings
    this.hook = cacheHook(this.cache)
    this.prefix = options.prefix
  }

  /** A version by number or `latest`, or a 404 naming the framework or the version (the catalog's wording). */
  version (framework: string, number: string, where: 'path' | 'query' = 'path', versionParam = 'version'): VersionRecord {
    try {
      return this.app.catalog.resolve(framework, number)
    } catch (err) {
      if (!(err instanceof CatalogNotFound)) throw err
      const name = err.argument === 'framework' ? 'framework' : versionParam
      const message = err.argument === 'framework' ? `no framework "${framework}"` : `no version "${number}" of ${framework}`
      throw notFound(err.message, [{ in: where, name, message, allowed: err.allowed }])
    }
  }

  /**
   * Makes the version a request names ready without holding up other requests (a large one takes
   * a while to build the first time: rendered.ts). A name that resolves to nothing is left to the
   * route's `build`, which answers the 404.
   */
  async prepare (request: FastifyRequest): Promise<void> {
    const params = request.params as { framework?: string, version?: string } | undefined
    const query = request.query as { framework?: unknown, version?: unknown } | undefined
    const only = this.app.catalog.frameworks()
    const framework = params?.framework ?? (typeof query?.framework === 'string' ? query.framework : only.length === 1 ? only[0]!.id : undefined)
    const number = params?.version ?? (typeof query?.version === 'string' ? query.version : 'latest')
    if (framework === undefined) return
    let v: VersionRecord
    try {
      v = this.app.catalog.resolve(framework, number)
    } catch (err) {
      if (err instanceof CatalogNotFound) return
      throw err
    }
    await this.renderings.prepare(v)
  }

  /** A version as REST renders it. */
  rendered (framework: string, number: string): RenderedVersion {
    return this.renderings.get(this.version(framework, number))
  }
}

/** What a route's `build` returns. */
export interface Built<V> {
  view: V
  /** Pinned, immutable content (a year, `immutable`); otherwise a short max-age. */
  immutable: boolean
  /** The version's content, for renderers of other representations. */
  rendered?: RenderedVersion
  /** Absolute URL of the pinned equivalent, when the request named `latest`. */
  contentLocation?: string
  /** RFC 8288 Link header (pagination). */
  link?: string
  /**
   * The JSON body, when the route makes it itself: the bytes the route's serializer would give
   * for `view`, made in slices between other requests (the export of a large framework).
   */
  json?: () => Promise<string>
  /** A download: saved as `<filename>.<format>` (Content-Disposition), e.g. `isp-1.1` gives `isp-1.1.csv`. */
  filename?: string
}

export interface GetRoute<P extends TObject, Q extends TObject, V> {
  url: string
  operationId: string
  summary: string
  description?: string
  tags: string[]
  params?: P
  querystring?: Q
  /** The JSON view's schema (a `ref` to a component). */
  response: TSchema
  /** Representations beyond JSON (src/rest/representations.ts). */
  offers?: Array<Offer<V, RenderContext>>
  /** Documented response headers beyond ETag, Cache-Control and Vary. */
  headers?: { link?: boolean, contentLocation?: boolean, digest?: boolean, disposition?: boolean }
  /** Whether the route can answer 404 (default: when it has path parameters). */
  notFound?: boolean
  /** Closed value sets of query parameters, for 400 messages. */
  allowed?: Record<string, readonly string[]>
  build: (request: FastifyRequest<{ Params: Static<P>, Querystring: Static<Q> }>) => Built<V> | Promise<Built<V>>
}

const header = (description: string) => ({ type: 'string', description })

/** The absolute URL of the request as made (path and query), on the public base URL. */
export function requestUrl (ctx: RestContext, request: FastifyRequest): URL {
  return new URL(ctx.urls.absolute(request.url))
}

/** The request's URL with its `version` path segment pinned to `number`. */
export function pinnedUrl (ctx: RestContext, request: FastifyRequest, pattern: string, number: string): URL {
  const params = request.params as Record<string, string>
  const path = pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(name === 'version' ? number : params[name] ?? ''))
  const url = requestUrl(ctx, request)
  return new URL(`${ctx.urls.base}${ctx.prefix}${path}${url.search}`)
}

function mediaTypeHeader (mediaType: string): string {
  return mediaType.startsWith('text/') || mediaType.endsWith('json') ? `${mediaType}; charset=utf-8` : mediaType
}

/** Registers a GET route with negotiation, caching and its OpenAPI description. */
export function defineGet<P extends TObject, Q extends TObject, V> (app: FastifyInstance, ctx: RestContext, spec: GetRoute<P, Q, V>): void {
  const offers: Array<Offer<V, RenderContext>> = [jsonOffer as Offer<V, RenderContext>, ...(spec.offers ?? [])]
  const formats = [...new Map(offers.map((o) => [o.format, o.mediaType]))]
  // Profiles of one media type share its entry in OpenAPI; the first one's schema describes them.
  const mediaTypes = offers.filter((o, i) => offers.findIndex((x) => x.mediaType === o.mediaType) === i)
  const profiled = offers.filter((o) => o.profile !== undefined)
  const queryProps: TProperties = {
    ...(spec.querystring?.properties ?? {}),
    format: Type.Optional(Type.String({
      enum: formats.map(([format]) => format),
      description: `Representation, overriding Accept: ${formats.map(([format, mediaType]) => `\`${format}\` (${mediaType})`).join(', ')}.`,
      examples: ['json']
    })),
    ...(profiled.length === 0
      ? {}
      : {
          profile: Type.Optional(Type.String({
            enum: profiled.map((o) => o.profile!.name),
            description: `Profile of the ${[...new Set(profiled.map((o) => `\`${o.format}\``))].join(', ')} representation, overriding Accept's \`profile\` parameter (and implying that format): ${profiled.map((o) => `\`${o.profile!.name}\` (${o.profile!.iri})`).join(', ')}. The first is the default.`,
            examples: [profiled[0]!.profile!.name]
          }))
        })
  }
  const okHeaders: Record<string, unknown> = {
    ETag: header('Strong validator of this representation; send it back in If-None-Match.'),
    'Cache-Control': header(`\`${IMMUTABLE}\` for pinned versions, \`${SHORT}\` for \`latest\` and version lists.`),
    Vary: header('`Accept, Accept-Encoding`: the representation depends on them.'),
    'Content-Encoding': header('`br` or `gzip` when Accept-Encoding allows and the body is over 1 KiB; the ETag then ends in `-br` or `-gz`.'),
    ...(spec.headers?.link === true ? { Link: header('RFC 8288 pagination links: first, prev, next, last.') } : {}),
    ...(spec.headers?.contentLocation === true ? { 'Content-Location': header('For `latest`: the pinned URL of this response.') } : {}),
    ...(spec.headers?.digest === true ? { 'Content-Digest': header('RFC 9530 SHA-256 digest of the body: `sha-256=:<base64>:`.') } : {}),
    ...(spec.headers?.disposition === true ? { 'Content-Disposition': header('`attachment` with the file name to save it as: framework, version and format, e.g. `isp-1.1.csv` or `isp-1.1-moodle.csv`.') } : {})
  }
  /** The body schema of a media type; offers sharing one without profiles are listed by format. */
  const bodySchema = (o: Offer<V, RenderContext>): TSchema => {
    const same = offers.filter((x) => x.mediaType === o.mediaType && x.schema !== undefined && x.profile === undefined)
    if (same.length < 2 || o.render === undefined) return o.schema ?? spec.response
    return Type.String({ description: same.map((x) => `\`format=${x.format}\`: ${x.schema?.description ?? ''}`).join('\n\n') })
  }
  const hasParams = spec.params !== undefined && Object.keys(spec.params.properties).length > 0
  const schema = {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    tags: spec.tags,
    ...(spec.params === undefined ? {} : { params: spec.params }),
    querystring: Type.Object(queryProps, { additionalProperties: false }),
    response: {
      200: {
        description: 'OK',
        headers: okHeaders,
        content: Object.fromEntries(mediaTypes.map((o) => [o.mediaType, { schema: bodySchema(o) }]))
      },
      304: { type: 'null', description: 'Not Modified: the `If-None-Match` ETag is current.', headers: { ETag: okHeaders.ETag, 'Cache-Control': okHeaders['Cache-Control'] } },
      400: problemResponse('A parameter is unknown or has a bad value.'),
      ...(spec.notFound ?? hasParams ? { 404: problemResponse('The framework, version or entity does not exist.') } : {}),
      406: problemResponse('No representation matches Accept.')
    }
  }

  const pattern = spec.url
  app.get(spec.url, {
    schema,
    // Mount `/` at the prefix itself (`/v1`), not also at `/v1/`: one path, one operation.
    ...(spec.url === '/' ? { prefixTrailingSlash: 'no-slash' as const } : {}),
    preParsing: ctx.hook,
    config: { allowed: { ...spec.allowed } }
  }, async function handler (request: FastifyRequest, reply: FastifyReply) {
    const query = request.query as Record<string, unknown>
    const offer = negotiate(offers, request.headers.accept, query.format as string | undefined, query.profile as string | undefined)
    const key = normalizedKey(offer, pattern, request.params as Record<string, string>, query)
    let entry = ctx.cache.find(key)
    if (entry === undefined) {
      await ctx.prepare(request)
      const built = await spec.build(request as FastifyRequest<{ Params: Static<P>, Querystring: Static<Q> }>)
      entry = await render(ctx, request, reply, offer, built, spec.headers?.digest === true, pattern)
      ctx.cache.store(key, entry)
    }
    ctx.cache.alias(rawKey(request), entry)
    return await sendCached(request, reply, entry, ctx.cache)
  })
}

/**
 * The representation chosen (format and profile, however the request asked for them), route,
 * parameters and validated query (defaults applied, `format` and `profile` aside).
 */
function normalizedKey (offer: Offer<never, never>, pattern: string, params: Record<string, string>, query: Record<string, unknown>): string {
  const q = Object.keys(query).filter((k) => k !== 'format' && k !== 'profile' && query[k] !== undefined).sort().map((k) => `${k}=${String(query[k])}`).join('&')
  return `${offer.format};${offer.profile?.name ?? ''} ${pattern} ${JSON.stringify(params)} ${q}`
}

async function render<V> (ctx: RestContext, request: FastifyRequest, reply: FastifyReply, offer: Offer<V, RenderContext>, built: Built<V>,
  digest: boolean, pattern: string): Promise<CachedResponse> {
  let payload: string | Buffer
  if (offer.render === undefined) {
    const serialize = reply.getSerializationFunction('200', offer.mediaType)
    if (serialize === undefined) throw new Error(`no serializer for ${offer.mediaType} on ${pattern}`)
    payload = built.json === undefined ? serialize(built.view as Record<string, unknown>) : await built.json()
  } else {
    if (built.rendered === undefined) throw new Error(`${pattern} offers ${offer.mediaType} but gives its renderer no rendered`)
    payload = await offer.render(built.view, { app: ctx.app, request, rendered: built.rendered })
  }
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  const params = request.params as Record<string, string> | undefined
  const contentLocation = built.contentLocation ??
    (params?.version === 'latest' && built.rendered !== undefined ? pinnedUrl(ctx, request, pattern, built.rendered.version.number).toString() : undefined)
  return await prepareResponse({
    body,
    contentType: offer.contentType ?? mediaTypeHeader(offer.mediaType),
    caching: {
      'cache-control': built.immutable ? IMMUTABLE : SHORT,
      vary: 'Accept, Accept-Encoding',
      ...(contentLocation === undefined ? {} : { 'content-location': contentLocation })
    },
    extra: {
      ...(built.link === undefined ? {} : { link: built.link }),
      ...(built.filename === undefined ? {} : { 'content-disposition': attachment(built.filename + (offer.file?.suffix ?? ''), offer.file?.extension ?? offer.format) })
    },
    digest
  })
}

