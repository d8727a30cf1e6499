/**
 * The routes of a curriculum's version impact, its migration and its exports, registered inside
 * the curricula REST plugin (rest.ts), so they share its authentication, errors and limits:
 * - GET  /{id}/impact?to=   what re-pinning to `to` would do to each alignment (reports/impact.ts);
 * - POST /{id}/migrate      does it, in one store transaction, If-Match guarded;
 * - GET  /{id}/export?format=case|openbadges|csv (reports/exports.ts), like a version's
 *   `/export?format=`.
 * The reads answer with an ETag made from the curriculum's snapshot tag (reports/snapshot.ts),
 * `Cache-Control: private, no-cache`, and 304 to a matching If-None-Match.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TObject, type TOptional, type TString } from '@sinclair/typebox'
import { publicUrl, type Config } from '../../config.js'
import type { FieldChange } from '../../content/changes.js'
import type { VersionRecord } from '../../content/model.js'
import { caseRef, caseSchemas } from '../../formats/case-schemas.js'
import { HttpProblem } from '../../web/problem.js'
import { ref } from '../../web/schemas/common.js'
import { actorOf } from '../auth.js'
import type { CurriculumView } from '../schemas.js'
import type { AlignmentMove, Course, Curriculum } from '../store/repository.js'
import { curriculumAlignmentsCsv, curriculumBadgeAlignments, curriculumCasePackage, type ExportUrls } from './exports.js'
import { curriculumImpact, impactSummary, type AlignmentImpact, type Impact, type TargetIn } from './impact.js'
import * as s from './schemas.js'
import { reportEtag, snapshotTag } from './snapshot.js'

type App = Parameters<FastifyPluginAsyncTypebox>[0]

/** What the curricula plugin shares with these routes. */
export interface ReportRouteOptions {
  config: Config
  /** The route config of every curricula route (CORS, the key's rate limit). */
  routeConfig: Record<string, unknown>
  /** Shared OpenAPI parts: security, the read and write error responses, If-Match, the ETag header. */
  openapi: {
    security: Array<Record<string, string[]>>
    errors: Record<string, unknown>
    writeErrors: Record<string, unknown>
    ifMatch: TObject<{ 'if-match': TOptional<TString> }>
    etagHeader: Record<string, unknown>
    params: TObject<{ id: TString }>
  }
  curriculumUrl: (id: string) => string
  courseUrl: (c: Course) => string
  curriculumView: (c: Curriculum) => CurriculumView
  /** The curriculum's pinned version (422 when no longer served). */
  pinned: (c: Curriculum) => VersionRecord
  /** The revision If-Match names (428 without one, 412 for another). */
  expectedRevision: (request: FastifyRequest, id: string, current: () => Promise<number>) => Promise<number>
  etagOf: (id: string, revision: number) => string
}

/** Sends the ETag and private caching headers; true when If-None-Match matches and a 304 was sent. */
function notModified (request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'Authorization')
  const header = request.headers['if-none-match']
  if (header === undefined) return false
  if (!header.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*')) return false
  void reply.code(304).send()
  return true
}

const fieldView = (f: FieldChange) => ({ field: f.field, ...(f.before === null ? {} : { from: f.before }), ...(f.after === null ? {} : { to: f.after }), diff: f.diff })
const placementView = (p: { parent: string | null, position: number }) => ({ ...(p.parent === null ? {} : { parent: p.parent }), position: p.position })

export function reportRoutes (app: App, o: ReportRouteOptions): void {
  const base = publicUrl(o.config)
  const uri = (id: string): string => `${base}/uri/${id}`
  const urls: ExportUrls = { baseUrl: base, curriculum: o.curriculumUrl, course: o.courseUrl, casePackage: (id) => `${o.curriculumUrl(id)}/export?format=case` }
  const { security, errors, writeErrors, ifMatch, etagHeader, params } = o.openapi
  const config = o.routeConfig
  // The same header as REST's representations, so openapi.yaml shares one component.
  const validator = { ETag: { type: 'string', description: 'Strong validator of this representation; send it back in If-None-Match.' } }

  const targetView = (t: TargetIn) => ({ type: t.type, id: t.id, code: t.code, uuid: t.uuid, uri: uri(t.uuid), version: t.version.number, identifier: t.identifier })
  const entryView = (e: AlignmentImpact): s.AlignmentImpactView => ({
    alignment: e.alignment.id,
    course: { id: e.course.id, code: e.course.code, title: e.course.title, href: o.courseUrl(e.course) },
    level: e.alignment.level,
    status: e.status,
    from: targetView(e.from),
    to: e.to === null ? null : targetView(e.to),
    fields: e.fields.map(fieldView),
    moved: e.moved === null ? null : { from: placementView(e.moved.from), to: placementView(e.moved.to) },
    replacedBy: e.replacedBy === null ? null : uri(e.replacedBy),
    needsReview: e.needsReview,
    detached: e.detachedFrom !== null
  })
  const sorted = (impact: Impact): AlignmentImpact[] => [...impact.alignments]
    .sort((x, y) => x.course.code.localeCompare(y.course.code) || x.course.id.localeCompare(y.course.id) || x.alignment.target.code.localeCompare(y.alignment.target.code))
  const impactView = (c: Curriculum, impact: Impact): s.CurriculumImpactView => {
    const entries = sorted(impact)
    return {
      curriculum: c.id, framework: c.framework, from: impact.from.number, to: impact.to.number, summary: impactSummary(entries), alignments: entries.map(entryView),
      changes: `${base}/v1/frameworks/${c.framework}/${impact.to.number}/changes?from=${encodeURIComponent(impact.from.number)}`
    }
  }

  /** A version of the curriculum's framework, or the problem naming the versions there are. */
  const versionOf = (c: Curriculum, name: string, where: 'query' | 'body'): VersionRecord => {
    const v = app.repo.version(c.framework, name)
    if (v !== undefined) return v
    const known = app.repo.versions().filter((x) => x.framework === c.framework).map((x) => x.number)
    const error = { in: where, name: 'to', message: `${c.framework} has no version "${name}"`, allowed: ['latest', ...known] }
    throw where === 'query'
      ? new HttpProblem('invalid-parameter', `Invalid query parameter "to": ${c.framework} has no version "${name}".`, [error])
      : new HttpProblem('invalid-record', `There is no ${c.framework} ${name} to migrate to.`, [error])
  }

  const snapshot = async (request: FastifyRequest, id: string) => {
    const snap = await app.curricula.curriculumSnapshot(actorOf(request).institutionId, id)
    return { snap, tag: snapshotTag(snap), view: app.catalog.index(o.pinned(snap.curriculum)) }
  }

  app.get('/:id/impact', {
    config,
    schema: {
      operationId: 'getCurriculumImpact',
      summary: 'What another version of the framework changes for a curriculum',
      description: 'Per alignment: unchanged, changed (with the word diff), moved or removed in `to`. 304 for a current If-None-Match.',
      tags: ['curricula'],
      security,
      params,
      querystring: Type.Object({ to: Type.String({ minLength: 1, maxLength: 64, description: 'The version to compare to, or `latest`.', examples: ['1.2'] }) }, { additionalProperties: false }),
      response: { 200: { description: 'The impact.', headers: validator, content: { 'application/json': { schema: ref(s.CurriculumImpact) } } }, ...errors }
    }
  }, async (request, reply) => {
    const { snap, tag } = await snapshot(request, request.params.id)
    const c = snap.curriculum
    const to = versionOf(c, request.query.to, 'query')
    if (notModified(request, reply, reportEtag(tag, `impact-${to.number}`))) return reply
    return impactView(c, curriculumImpact(app.repo, app.catalog, o.pinned(c), to, snap.courses, snap.alignments))
  })

  app.post('/:id/migrate', {
    config,
    schema: {
      operationId: 'migrateCurriculum',
      summary: 'Re-pin a curriculum to another version',
      description: 'Changed alignments are marked `needsReview`, removed ones kept but `detached`. If-Match: the curriculum\'s ETag.',
      tags: ['curricula'],
      security,
      params,
      headers: ifMatch,
      body: ref(s.MigrateRequest),
      response: { 200: { description: 'What happened.', headers: etagHeader, content: { 'application/json': { schema: ref(s.MigrationResult) } } }, ...writeErrors }
    }
  }, async (request, reply) => {
    const actor = actorOf(request)
    const id = request.params.id
    const c = await app.curricula.getCurriculum(actor.institutionId, id)
    const to = versionOf(c, request.body.to, 'body')
    const header = request.headers['if-match']
    if (c.version === to.number && header !== undefined && header.trim() !== '') {
      // Already there: a retry of a migration that went through, or a no-op; nothing is written.
      const snap = await app.curricula.curriculumSnapshot(actor.institutionId, id)
      const impact = curriculumImpact(app.repo, app.catalog, to, to, snap.courses, snap.alignments)
      reply.header('etag', o.etagOf(snap.curriculum.id, snap.curriculum.revision))
      return { migrated: false, curriculum: o.curriculumView(snap.curriculum), impact: impactView(snap.curriculum, impact), detached: [] }
    }
    const revision = await o.expectedRevision(request, id, async () => (await app.curricula.getCurriculum(actor.institutionId, id)).revision)
    const pinned = o.pinned(c)
    let impact: Impact | undefined
    const result = await app.curricula.migrateCurriculum(actor, id, revision, to.number, (before, courses) => {
      impact = curriculumImpact(app.repo, app.catalog, pinned, to, courses, before)
      const moves = new Map<string, AlignmentMove>()
      for (const e of impact.alignments) if (e.move !== null) moves.set(e.alignment.id, e.move)
      return moves
    })
    if (impact === undefined) throw new Error('the migration ran without its plan')
    const view = impactView(result.curriculum, impact)
    reply.header('etag', o.etagOf(result.curriculum.id, result.curriculum.revision))
    return { migrated: true, curriculum: o.curriculumView(result.curriculum), impact: view, detached: view.alignments.filter((a) => a.status === 'removed').map((a) => a.alignment) }
  })

  app.get('/:id/export', {
    config,
    schema: {
      operationId: 'exportCurriculum',
      summary: 'The curriculum as CASE 1.1, Open Badges 3.0 alignments or CSV',
      description: '`case`: a CFPackage, courses `isRelatedTo` the framework\'s CFItems, the level in `notes`. `openbadges`: per course, its OB3 `Alignment`s. `csv`: one row per alignment. 304 for a current If-None-Match.',
      tags: ['curricula'],
      security,
      params,
      querystring: Type.Object({ format: Type.Unsafe<'case' | 'openbadges' | 'csv'>({ type: 'string', enum: ['case', 'openbadges', 'csv'], description: 'The format.' }) }, { additionalProperties: false }),
      response: {
        200: {
          description: 'The export.',
          headers: validator,
          content: {
            'application/json': { schema: Type.Union([caseRef(caseSchemas['1.1'].CFPackage), ref(s.CurriculumBadgeAlignments)]) },
            'text/csv': { schema: Type.String({ description: '`course_code,course_title,target_code,target_uuid,target_text,level,note`' }) }
          }
        },
        ...errors
      }
    }
  }, async (request, reply) => {
    const format = request.query.format
    const { snap, tag, view } = await snapshot(request, request.params.id)
    if (notModified(request, reply, reportEtag(tag, format))) return reply
    const c = snap.curriculum
    switch (format) {
      case 'case': {
        const institution = await app.curricula.getInstitution(actorOf(request).institutionId)
        return curriculumCasePackage(snap, view, institution?.name ?? 'Unknown institution', urls)
      }
      case 'openbadges':
        return { curriculum: c.id, framework: c.framework, version: c.version, courses: curriculumBadgeAlignments(snap, view, urls) }
      case 'csv':
        return reply.type('text/csv; charset=utf-8; header=present')
          .header('content-disposition', `attachment; filename="curriculum-${c.id}.csv"`)
          .send(curriculumAlignmentsCsv(snap, view))
    }
  })
}
