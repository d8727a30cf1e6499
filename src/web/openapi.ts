/**
 * The OpenAPI document (@fastify/swagger, OpenAPI 3.1) and its interactive docs. Registered before
 * any route, so it sees them all; it also registers the REST component schemas, which routes
 * reference by `$id` and the document lists under `components.schemas`. Served at /openapi.json,
 * /openapi.yaml and /docs (Swagger UI, from its own bundled assets).
 */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { publicUrl, type Config } from '../config.js'
import type { TSchema } from '@sinclair/typebox'
import { sharedSchemas } from './schemas/index.js'
import { compactEnums, hoistRepeated, shareRepeatedSchemas, type ComponentsDocument } from './openapi-components.js'
import { SHORT } from './response-cache.js'
import httpCache from './http-cache.js'

/** Response headers that every response of that status carries, marked `required` in the document. */
const requiredHeaders = new Set(['ETag', 'Cache-Control', 'Vary', 'Link', 'Content-Digest'])

interface OpenApiDocument extends ComponentsDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, { headers?: Record<string, { required?: boolean }> }> }>>
}

/** Marks the always-sent response headers as required (@fastify/swagger cannot express it). */
function markRequiredHeaders (document: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values(operation.responses ?? {})) {
        for (const [name, h] of Object.entries(response.headers ?? {})) {
          if (requiredHeaders.has(name)) h.required = true
        }
      }
    }
  }
  return document
}

export const apiDescription = [
  'The text of *A Practice Guide to Supporting Implementation: What competencies do we need?* (Metz, Burke, Albers, Louison & Bartley, version 1.1, 2021) as versioned, cacheable resources: principles, domains, competencies with their key activities and helpful hints, definitions, reflective questions, dilemmas and resources.',
  '',
  '- **Identifiers** never change: `id` (slug), `code` and `uuid`; `uri` is canonical and version-independent, `href` pinned to a version.',
  '- **Versions**: use a number (`1.1`) to pin; `latest` follows the newest version (short caching, `Content-Location` names the pinned URL).',
  '- **Lists**: `limit`/`offset` with `meta.total` and a `Link` header; `q` (full text), `fields`, `include`, `sort`.',
  '- **Caching**: strong `ETag` on every GET (`If-None-Match` gives 304); pinned versions are `immutable`.',
  '- **Errors**: `application/problem+json` (RFC 9457) naming the parameter or resource at fault.',
  '- **Representations**: JSON, chosen by `Accept` or `?format=`; an unservable `Accept` is a 406. A version, the competencies and a competency are also JSON-LD (`jsonld`: CTDL-ASN, or schema.org with `?profile=schema.org`), the export also CSV (`csv`).'
].join('\n')

/** Where Swagger UI serves the API's documentation pages. */
export const docsPrefix = '/docs'

export interface OpenApiOptions {
  config: Config
  /** The transports' component schemas, registered after the shared ones, in dependency order. */
  schemas?: TSchema[]
  /** The transports' operation tags, declared after the REST ones. */
  tags?: Array<{ name: string, description: string }>
}

export default fp<OpenApiOptions>(async (app, opts) => {
  for (const schema of [...sharedSchemas, ...(opts.schemas ?? [])]) app.addSchema(schema)

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ISP competencies API',
        version: '1.0.0',
        description: apiDescription
      },
      servers: [{ url: publicUrl(opts.config), description: 'This service' }],
      // Every operation is public: no security requirement (said once, at the root).
      security: [],
      tags: [
        { name: 'discovery', description: 'Where to start.' },
        { name: 'frameworks', description: 'Frameworks, versions, changes between versions, exports.' },
        { name: 'principles', description: 'The principles.' },
        { name: 'domains', description: 'The domains of competencies.' },
        { name: 'competencies', description: 'The core competencies.' },
        { name: 'activities', description: 'Key activities of the competencies.' },
        { name: 'hints', description: 'Helpful hints.' },
        { name: 'glossary', description: 'Definitions, reflective questions, dilemmas and resources.' },
        { name: 'search', description: 'Full-text search.' },
        { name: 'formats', description: 'Interoperability: Open Badges 3.0 alignments, the URI resolver and the JSON-LD contexts. JSON-LD and CSV are also representations of REST resources (`?format=`).' },
        { name: 'curricula', description: 'Institutions\' curricula, courses and their alignments to the framework: authenticated with an API key.' },
        { name: 'meta', description: 'About the API itself.' },
        ...(opts.tags ?? [])
      ],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An institution\'s API key (`npm run admin -- key create`).' } }
      }
    },
    refResolver: {
      // Name components after the schemas' $id (Competency, Problem, …), not def-0, def-1, …
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    },
    // Only tagged routes are part of the contract (plugin-internal routes such as GraphQL's have no tags).
    hideUntagged: true,
    transformObject: (documentObject) => 'openapiObject' in documentObject
      ? hoistRepeated(shareRepeatedSchemas(compactEnums(markRequiredHeaders(documentObject.openapiObject as OpenApiDocument)))) as typeof documentObject.openapiObject
      : documentObject.swaggerObject
  })

  // Registered by app.ts before the transports; an app built with only some plugins gets it here.
  if (!app.hasDecorator('httpCache')) await app.register(httpCache)
  // The document changes only with the code: cached like any other GET (http-cache.ts), also
  // where Swagger UI serves it (/docs/json, /docs/yaml: some 220 KB of JSON, 30 KB in brotli).
  const cached = app.httpCache.route({ cacheControl: SHORT, byUrl: true })
  const uiDocuments = new Set([`${docsPrefix}/json`, `${docsPrefix}/yaml`])
  app.addHook('onRoute', (route) => {
    if (!uiDocuments.has(route.url) || route.method !== 'GET') return
    route.preParsing = [...[route.preParsing ?? []].flat(), ...(cached.preParsing === undefined ? [] : [cached.preParsing])]
    route.onSend = [...[route.onSend ?? []].flat(), cached.onSend]
  })
  await app.register(swaggerUi, { routePrefix: docsPrefix, uiConfig: { deepLinking: true }, staticCSP: false })

  app.get('/openapi.json', { schema: { hide: true }, ...cached }, async (_request, reply) => {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger(), null, 2))
  })
  app.get('/openapi.yaml', { schema: { hide: true }, ...cached }, async (_request, reply) => {
    return reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true }))
  })
}, { name: 'openapi' })
