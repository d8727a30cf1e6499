/**
 * Extra representations of REST resources, beyond JSON (see negotiation.ts for how a client picks
 * one). Offering one is an entry here, e.g. in `competency`:
 *
 *   { format: 'jsonld', mediaType: 'application/ld+json', render: (view, ctx) => toJsonLd(view, ctx) }
 *
 * The route then accepts `?format=jsonld` and `Accept: application/ld+json`, lists the media type
 * in OpenAPI, and caches the rendered body (with its own ETag) like any other response.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Offer } from './negotiation.js'
import type { VersionSnapshot } from './snapshot.js'
import type { CompetencyView } from './schemas/entities.js'
import type { ExportView } from './schemas/export.js'
import type { VersionView } from './schemas/frameworks.js'

/** What a renderer gets beside the JSON view. */
export interface RenderContext {
  app: FastifyInstance
  request: FastifyRequest
  /** The version's content: records as the repository returned them, and every REST view. */
  snapshot: VersionSnapshot
}

/** The JSON body of the competencies list (a page). */
export interface CompetencyListBody {
  data: Array<CompetencyView | { type: string, id: string }>
  meta: { framework?: string, version?: string, total: number, limit: number, offset: number }
  links: Record<string, string>
}

export interface Representations {
  /** GET /v1/frameworks/{framework}/{version} */
  version: Array<Offer<VersionView, RenderContext>>
  /** GET /v1/frameworks/{framework}/{version}/competencies */
  competencies: Array<Offer<CompetencyListBody, RenderContext>>
  /** GET /v1/frameworks/{framework}/{version}/competencies/{id} */
  competency: Array<Offer<CompetencyView, RenderContext>>
  /** GET /v1/frameworks/{framework}/{version}/export */
  export: Array<Offer<ExportView, RenderContext>>
}

export const representations: Representations = {
  version: [],
  competencies: [],
  competency: [],
  export: []
}
