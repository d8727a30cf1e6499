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
 * - LMS import files of the export (src/formats/lms): `moodle`, `canvas` and `openedx` (text/csv)
 *   and `openedx-json` (application/json), each saved under its own file name, for the whole
 *   version or the `id=` selection; `moodle` takes its scale from `scale=` and `proficient=`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { CSV, csvColumns, exportCsv } from '../formats/csv.js'
import { canvasColumns, canvasCsv } from '../formats/lms/canvas.js'
import { selectEntities, type LmsSource } from '../formats/lms/common.js'
import { lmsFile, lmsFiles, type LmsFormat } from '../formats/lms/files.js'
import { defaultMoodleScale, moodleColumns, moodleCsv, parseMoodleScale } from '../formats/lms/moodle.js'
import { openedxColumns, openedxCsv, openedxJson } from '../formats/lms/openedx.js'
import {
  JSON_LD, JsonLd, competenciesJsonLd, competencyJsonLd, jsonLdProfiles, versionJsonLd,
  type JsonLdDocument, type JsonLdOptions, type JsonLdProfile
} from '../formats/jsonld.js'
import type { VersionIndex } from '../catalog/version-index.js'
import type { Offer } from '../web/negotiation.js'
import { ref } from '../web/schemas/common.js'
import { idList } from './query.js'
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

/** The formats that are LMS import files: only they take `id=` (a selection) and Moodle's scale. */
export const lmsFormats: readonly LmsFormat[] = lmsFiles.map((f) => f.format)


/** The LMS renderers' source for a request: its version's view and its `id=` selection (already checked by the route). */
function lmsSource (ctx: RenderContext): LmsSource {
  const view = formatsView(ctx)
  const ids = idList((ctx.request.query as { id?: string }).id)
  return { view, baseUrl: ctx.app.formats.baseUrl, ...(ids.length === 0 ? {} : { select: new Set(selectEntities(view, ids).uuids) }) }
}

function moodleScale (ctx: RenderContext): ReturnType<typeof parseMoodleScale> {
  const q = ctx.request.query as { scale?: string, proficient?: string }
  return parseMoodleScale(q.scale, q.proficient)
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
  }, {
    format: 'moodle',
    mediaType: 'text/csv',
    contentType: 'text/csv; charset=utf-8; header=present',
    schema: Type.String({ description: `Moodle competency framework CSV (Site administration > Competencies > Import competency framework): \`${moodleColumns.join(',')}\`; one framework row (ID number \`{framework}-{version}\`, the scale, taxonomy domain,competency,practice,indicator), then domains, competencies, key activities and sub-points, ID number = code. Scale: \`scale=\` and \`proficient=\` (default "${defaultMoodleScale.items.join(',')}", proficient ${defaultMoodleScale.proficient}), Moodle configuration, not guide content. See docs/lms.md.` }),
    render: (_view, ctx) => {
      const scale = moodleScale(ctx)
      // The route has answered 400 for a bad scale, so this is a broken invariant.
      if ('invalid' in scale) throw new Error(`invalid Moodle scale on ${ctx.request.url}`)
      return moodleCsv(lmsSource(ctx), { scale })
    },
    file: lmsFile('moodle')
  }, {
    format: 'canvas',
    mediaType: 'text/csv',
    contentType: 'text/csv; charset=utf-8; header=present',
    schema: Type.String({ description: `Canvas Outcomes CSV (Outcomes > Import, or the Outcome Imports API): \`${canvasColumns.join(',')}\`; domains and competencies as groups, key activities and sub-points as outcomes; \`vendor_guid\` = the published identifier. See docs/lms.md.` }),
    render: (_view, ctx) => canvasCsv(lmsSource(ctx)),
    file: lmsFile('canvas')
  }, {
    format: 'openedx',
    mediaType: 'text/csv',
    contentType: 'text/csv; charset=utf-8; header=present',
    schema: Type.String({ description: `Open edX taxonomy CSV (Studio > Taxonomies > Import): \`${openedxColumns.join(',')}\`; domains, competencies and key activities, \`id\` = the published identifier. See docs/lms.md.` }),
    render: (_view, ctx) => openedxCsv(lmsSource(ctx)),
    file: lmsFile('openedx')
  }, {
    format: 'openedx-json',
    mediaType: 'application/json',
    schema: Type.String({ description: 'Open edX taxonomy JSON: `{"name", "description", "tags": [{"id", "value", "parent_id"}]}`, the same tags as `format=openedx`.' }),
    render: (_view, ctx) => JSON.stringify(openedxJson(lmsSource(ctx))),
    file: lmsFile('openedx-json')
  }]
}
