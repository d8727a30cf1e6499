/**
 * Extra representations of REST resources, beyond JSON (see web/negotiation.ts for how a client picks
 * one). Each is an entry here; the route then accepts its `?format=` (and `?profile=`) and Accept
 * media type, lists it in OpenAPI, and caches the rendered body (with its own ETag) like any other
 * response. The bodies come from the export formats (src/formats, `app.formats`): REST chooses
 * the version and the entities, the formats render them.
 * - JSON-LD (`jsonld`, application/ld+json) of a version, the competencies list (the page asked
 *   for) and a competency: CTDL-ASN by default, schema.org with `?profile=schema.org` or
 *   `Accept: application/ld+json; profile="https://schema.org/"`.
 * - CSV (`csv`, text/csv) of the export: one row per outline node.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { CSV, csvColumns, exportCsv } from '../formats/csv.js'
import {
  JSON_LD, JsonLd, competenciesJsonLd, competencyJsonLd, jsonLdProfiles, versionJsonLd,
  type JsonLdDocument, type JsonLdOptions, type JsonLdProfile
} from '../formats/jsonld.js'
import type { VersionIndex } from '../catalog/version-index.js'
import type { Offer } from '../web/negotiation.js'
import { ref } from '../web/schemas/common.js'
import type { RenderedVersion } from './rendered.js'
import type { CompetencyView } from './schemas/entities.js'
import type { ExportView } from './schemas/export.js'
import type { VersionView } from './schemas/frameworks.js'

/** What a renderer gets beside the JSON view. */
export interface RenderContext {
  app: FastifyInstance
  request: FastifyRequest
  /** The version's content: records as the repository returned them, and every REST view. */
  rendered: RenderedVersion
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

/** The formats' view of the version a request is about. */
const formatsView = (ctx: RenderContext): VersionIndex => ctx.rendered.index

/** One JSON-LD offer per profile, CTDL-ASN first (the default), each rendering with `document`. */
function jsonLd<V> (document: (view: V, formats: VersionIndex, options: JsonLdOptions) => JsonLdDocument | undefined): Array<Offer<V, RenderContext>> {
  return (Object.keys(jsonLdProfiles) as JsonLdProfile[]).map((name) => ({
    format: 'jsonld',
    mediaType: JSON_LD,
    profile: { name, iri: jsonLdProfiles[name].iri },
    contentType: `${JSON_LD}; profile="${jsonLdProfiles[name].iri}"`,
    schema: ref(JsonLd),
    render: (view, ctx) => {
      const body = document(view, formatsView(ctx), { profile: name, baseUrl: ctx.app.formats.baseUrl })
      // The route has answered 404 for anything the version lacks, so this is a broken invariant.
      if (body === undefined) throw new Error(`no JSON-LD for ${ctx.request.url}`)
      return JSON.stringify(body)
    }
  }))
}

export const representations: Representations = {
  version: jsonLd((_view, formats, options) => versionJsonLd(formats, options)),
  competencies: jsonLd((page, formats, options) => competenciesJsonLd(formats, options, page.data.map((c) => c.id))),
  competency: jsonLd((competency, formats, options) => competencyJsonLd(formats, competency.id, options)),
  export: [{
    format: 'csv',
    mediaType: 'text/csv',
    contentType: CSV,
    schema: Type.String({ description: `RFC 4180 CSV, UTF-8: a header row (\`${csvColumns.join(',')}\`), then one row per principle, domain, competency, key activity, sub-point and helpful hint in guide order.` }),
    render: (_view, ctx) => exportCsv(formatsView(ctx))
  }]
}
