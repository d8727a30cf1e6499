/**
 * GET /v1/curricula/{id}/coverage: the coverage report (reports/coverage.ts) as JSON, CSV or an
 * SVG heatmap, chosen by `?format=` or Accept as the rest of the API does. A read key is enough.
 * The ETag comes from the curriculum's snapshot tag (reports/snapshot.ts), so If-None-Match is
 * answered with a 304 before anything is rendered, and the tag changes only when the curriculum,
 * a course or an alignment does. The answers are an institution's own: `Cache-Control: private`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { Config } from '../config.js'
import { negotiate, type Offer } from '../web/negotiation.js'
import { HttpProblem, invalidParameter } from '../web/problem.js'
import { mergeVary } from '../web/http-cache.js'
import { chooseEncoding, compress, COMPRESS_MIN_BYTES, etagMatches } from '../web/response-cache.js'
import { ref } from '../web/schemas/common.js'
import { problemResponse } from '../web/schemas/problem.js'
import { actorOf } from './auth.js'
import { coverageReport, type CoverageReport } from './reports/coverage.js'
import { COVERAGE_CSV, coverageCsv } from './reports/coverage-csv.js'
import { Coverage } from './reports/coverage-schema.js'
import { HEATMAP_MAX_COLUMNS, HEATMAP_PAGE, SVG, heatmapSvg } from './reports/heatmap.js'
import { reportEtag, snapshotTag, type CurriculumSnapshot } from './reports/snapshot.js'

/** What the answers are cached as: the institution's own, revalidated on every use. */
export const COVERAGE_CACHE_CONTROL = 'private, no-cache'
const VARY = 'Accept, Accept-Encoding, Authorization'

export type CoverageFormat = 'json' | 'csv' | 'svg'
const offers: Array<Offer<never, never> & { format: CoverageFormat }> = [
  { format: 'json', mediaType: 'application/json' },
  { format: 'csv', mediaType: 'text/csv' },
  { format: 'svg', mediaType: 'image/svg+xml' }
]

export const CoverageQuery = Type.Object({
  format: Type.Optional(Type.Unsafe<CoverageFormat>({ type: 'string', enum: ['json', 'csv', 'svg'], description: 'Overrides Accept.' })),
  include: Type.Optional(Type.Literal('activities', { description: 'Add a row per key activity.' })),
  columns: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}-[1-9][0-9]{0,3}$', description: `Courses shown, e.g. \`1-50\` (SVG: ${HEATMAP_PAGE} by default, at most ${HEATMAP_MAX_COLUMNS}).` }))
}, { additionalProperties: false })
export type CoverageQueryValue = Static<typeof CoverageQuery>

/** The columns a request asks for, checked against the curriculum's course count (400 when they make no sense). */
export function coverageColumns (columns: string | undefined, svg: boolean, courses: number): { from: number, to: number } | undefined {
  if (columns === undefined) return svg ? { from: 1, to: Math.max(HEATMAP_PAGE, 1) } : undefined
  const [from, to] = columns.split('-').map(Number) as [number, number]
  if (from > to) throw invalidParameter('query', 'columns', `${columns}: the first course comes after the last`)
  if (from > Math.max(courses, 1)) throw invalidParameter('query', 'columns', `${columns}: the curriculum has ${courses} course${courses === 1 ? '' : 's'}`)
  if (svg && to - from + 1 > HEATMAP_MAX_COLUMNS) throw invalidParameter('query', 'columns', `${columns}: a heatmap shows at most ${HEATMAP_MAX_COLUMNS} courses; ask for pages, e.g. 1-${HEATMAP_PAGE}`)
  return { from, to }
}

/** The report of a snapshot in its pinned version; 422 when the service no longer serves that version. */
export function reportOf (app: FastifyInstance, snapshot: CurriculumSnapshot, activities: boolean, columns: { from: number, to: number } | undefined): CoverageReport {
  const c = snapshot.curriculum
  const v = app.repo.version(c.framework, c.version)
  if (v === undefined) throw new HttpProblem('invalid-record', `The curriculum is pinned to ${c.framework} ${c.version}, which this service no longer serves.`)
  return coverageReport(snapshot, app.catalog.index(v), { activities, ...(columns === undefined ? {} : { columns }) })
}

/** The heatmap's note: which courses it shows, and how to ask for the next ones. */
export function heatmapNote (r: CoverageReport): string {
  const { from, to, of } = r.columns
  const shown = of === 0 ? 'No courses yet.' : `Courses ${from}–${to} of ${of}.`
  if (to >= of) return shown
  const size = to - from + 1
  return `${shown} Next: ?columns=${to + 1}-${Math.min(to + size, of)}`
}

/** The body of one representation. */
export function renderCoverage (r: CoverageReport, format: CoverageFormat): { body: string, contentType: string } {
  if (format === 'csv') return { body: coverageCsv(r), contentType: COVERAGE_CSV }
  if (format === 'svg') return { body: `<?xml version="1.0" encoding="UTF-8"?>\n${heatmapSvg(r, { note: heatmapNote(r) })}\n`, contentType: SVG }
  return { body: JSON.stringify(r), contentType: 'application/json; charset=utf-8' }
}

async function send (request: FastifyRequest, reply: FastifyReply, etag: string, render: () => { body: string, contentType: string }): Promise<FastifyReply> {
  const encoding = chooseEncoding(request.headers['accept-encoding'] ?? '')
  // Keep a Vary set earlier (CORS's Origin) beside ours.
  reply.header('cache-control', COVERAGE_CACHE_CONTROL).header('vary', mergeVary(String(reply.getHeader('vary') ?? ''), VARY))
  const inm = request.headers['if-none-match']
  // Every encoding's tag names the same report: a client holding any of them has it.
  if (inm !== undefined && [etag, `${etag.slice(0, -1)}-br"`, `${etag.slice(0, -1)}-gz"`].some((tag) => etagMatches(inm, tag))) {
    return reply.code(304).header('etag', etag).send()
  }
  const { body, contentType } = render()
  const bytes = Buffer.from(body)
  reply.type(contentType)
  if (encoding === null || bytes.length < COMPRESS_MIN_BYTES) return reply.header('etag', etag).send(bytes)
  const packed = await compress(bytes, encoding, false)
  return reply.header('etag', `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`).header('content-encoding', encoding).send(packed)
}

export interface CoverageRestOptions {
  config: Config
  /** The curricula routes' config (CORS, per-key rate limit). */
  route: object
}

const header = (description: string) => ({ type: 'string', description })

/** The coverage route, registered inside the curricula REST plugin (its authentication, errors and CORS). */
const coverageRest: FastifyPluginAsyncTypebox<CoverageRestOptions> = async (app, opts) => {
  app.get('/:id/coverage', {
    config: opts.route,
    schema: {
      operationId: 'getCurriculumCoverage',
      summary: 'A curriculum\'s coverage: matrix, figures per domain, gaps',
      description: 'JSON, CSV (a row per competency or key activity, a column per course) or an SVG heatmap. A read key is enough. `Cache-Control: private, no-cache`; 304 for a current If-None-Match.',
      tags: ['curricula'],
      security: [{ apiKey: [] }],
      params: Type.Object({ id: Type.String({ format: 'uuid', description: 'A curriculum id.', examples: ['0b6f1c1e-8d1f-4a47-9c39-5d0f3f6e2a10'] }) }, { additionalProperties: false }),
      querystring: CoverageQuery,
      response: {
        200: {
          description: 'The report.',
          // The same header as REST's representations, so openapi.yaml shares one component.
          headers: { ETag: header('Strong validator of this representation; send it back in If-None-Match.') },
          content: {
            'application/json': { schema: ref(Coverage) },
            'text/csv': { schema: Type.String() },
            'image/svg+xml': { schema: Type.String() }
          }
        },
        400: problemResponse('A parameter is unknown or has a bad value.'),
        401: problemResponse('No, or a bad, API key.'),
        404: problemResponse('No such record in your institution.'),
        406: problemResponse('No representation matches Accept.'),
        503: problemResponse('The curricula database is unavailable; see Retry-After.')
      }
    }
  }, async (request, reply) => {
    const { format, include, columns } = request.query
    const offer = negotiate(offers, request.headers.accept, format)
    const snapshot = await app.curricula.curriculumSnapshot(actorOf(request).institutionId, request.params.id)
    const range = coverageColumns(columns, offer.format === 'svg', snapshot.courses.length)
    const activities = include === 'activities'
    const variant = `coverage.${offer.format}${activities ? '.activities' : ''}${range === undefined ? '' : `.${range.from}-${range.to}`}`
    return await send(request, reply, reportEtag(snapshotTag(snapshot), variant), () => renderCoverage(reportOf(app, snapshot, activities, range), offer.format))
  })
}

export default coverageRest
