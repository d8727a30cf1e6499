/**
 * The curricula REST API under /v1/curricula: authenticated by API key (auth.ts), one
 * institution's records only, writes with If-Match (PATCH, PUT, DELETE) and Idempotency-Key
 * (POST), errors as problem+json. Store errors become their statuses here and go on to the root
 * error handler.
 */
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TObject } from '@sinclair/typebox'
import { corsOrigin, publicUrl, type Config } from '../config.js'
import type { VersionRecord } from '../content/model.js'
import { HttpProblem, notFound } from '../web/problem.js'
import { pageLinks, fieldsParameter, sparseFields } from '../web/paging.js'
import { ref } from '../web/schemas/common.js'
import { problemResponse } from '../web/schemas/problem.js'
import { authenticate, actorOf, keyRateLimit } from './auth.js'
import coverageRest from './coverage-rest.js'
import { parseCoursesCsv } from './csv-import.js'
import { reportRoutes } from './reports/routes.js'
import * as s from './schemas.js'
import { ConflictError, LimitError, NotFoundError, StaleError, UnavailableError } from './store/errors.js'
import type { Alignment, AlignmentInput, Course, CurriculaRepository, Curriculum, Target } from './store/repository.js'
import { resolveTarget, suggestTargets, unknownTargetMessage } from './targets.js'

export interface CurriculaRestOptions { config: Config }

/** Seconds a client should wait before retrying when the store is down. */
export const RETRY_AFTER = 5

/** A record's strong ETag: its id and revision. */
export const etagOf = (id: string, revision: number): string => `"${id}.${revision}"`

/** Turns a store error into the HTTP problem it stands for; other errors pass through. */
export function problemOf (err: unknown): unknown {
  if (err instanceof NotFoundError) return notFound(`No ${err.what.replace(/ [0-9a-f-]{36}$/, '')} with that id in your institution's records.`)
  if (err instanceof StaleError) return new HttpProblem('precondition-failed', `The ${err.what.replace(/ [0-9a-f-]{36}$/, '')} has changed since the ETag in If-Match (it is at revision ${err.current}).`)
  if (err instanceof ConflictError) return new HttpProblem('conflict', `${err.message[0]?.toUpperCase() ?? ''}${err.message.slice(1)}.`)
  if (err instanceof LimitError) return new HttpProblem('limit-exceeded', `Limit ${err.limit} reached: ${err.message}.`, [{ in: 'body', name: err.limit, message: err.message }])
  if (err instanceof UnavailableError) return new HttpProblem('unavailable', 'The curricula database is unavailable; please retry shortly.', undefined, { 'retry-after': String(RETRY_AFTER) })
  return err
}

/** The revision an If-Match names for this record; 428 without one, 412 when it names another. `*` matches the current revision. */
export function expectedRevision (request: FastifyRequest, id: string, current: () => Promise<number>): Promise<number> {
  const header = request.headers['if-match']
  if (header === undefined || header.trim() === '') {
    return Promise.reject(new HttpProblem('precondition-required', 'This write needs If-Match with the ETag you last read (or * to overwrite whatever is there).', [{ in: 'header', name: 'If-Match', message: 'is required' }]))
  }
  if (header.trim() === '*') return current()
  for (const tag of header.split(',').map((t) => t.trim())) {
    const m = /^"([0-9a-f-]{36})\.([0-9]{1,9})"$/.exec(tag)
    if (m !== null && m[1] === id) return Promise.resolve(Number(m[2]))
  }
  return Promise.reject(new HttpProblem('precondition-failed', 'If-Match does not name the current ETag of this record.'))
}

const fingerprint = (request: FastifyRequest): string =>
  createHash('sha256').update(`${request.method} ${request.url}\n${typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null)}`).digest('hex')

interface Answer { status: number, headers: Record<string, string>, body: unknown }

/**
 * Runs a POST once per Idempotency-Key: the same key and body replay the first answer (with
 * `Idempotent-Replayed: true`); the same key with another body is a 422.
 */
async function idempotent (repo: CurriculaRepository, request: FastifyRequest, reply: FastifyReply, run: () => Promise<Answer>): Promise<void> {
  const header = request.headers['idempotency-key']
  const key = Array.isArray(header) ? header.join(',') : header
  const institutionId = actorOf(request).institutionId
  if (key === undefined) {
    const a = await run()
    reply.code(a.status).headers(a.headers).send(a.body)
    return
  }
  if (key.length < 1 || key.length > 255) throw new HttpProblem('invalid-parameter', 'Idempotency-Key must be 1 to 255 characters.', [{ in: 'header', name: 'Idempotency-Key', message: 'must be 1 to 255 characters' }])
  const print = fingerprint(request)
  const replay = (stored: { fingerprint: string, status: number, headers: Record<string, string>, body: string }): void => {
    if (stored.fingerprint !== print) {
      throw new HttpProblem('invalid-record', 'This Idempotency-Key was used with another request body (or path); use a new key for a new request.', [{ in: 'header', name: 'Idempotency-Key', message: 'already used with another body' }])
    }
    reply.code(stored.status).headers({ ...stored.headers, 'idempotent-replayed': 'true' }).type('application/json; charset=utf-8').send(stored.body)
  }
  const previous = await repo.storedResponse(institutionId, key)
  if (previous !== undefined) {
    replay(previous)
    return
  }
  const answer = await run()
  const body = JSON.stringify(answer.body)
  const stored = { fingerprint: print, status: answer.status, headers: answer.headers, body }
  if (!await repo.storeResponse(institutionId, key, stored)) {
    const first = await repo.storedResponse(institutionId, key)
    if (first !== undefined) {
      replay(first)
      return
    }
  }
  reply.code(answer.status).headers(answer.headers).type('application/json; charset=utf-8').send(body)
}

const IdParam = Type.String({ format: 'uuid', description: 'A curriculum id.', examples: ['0b6f1c1e-8d1f-4a47-9c39-5d0f3f6e2a10'] })
const CourseParam = Type.String({ format: 'uuid', description: 'A course id.', examples: ['5e2c7a8b-3f4d-4c1e-8a9b-0c1d2e3f4a5b'] })
const TargetParam = Type.String({ minLength: 1, maxLength: 120, description: 'The target: a competency, key activity or sub-point by uuid, slug id or code.', examples: ['C01.A03'] })
/** The properties `fields` may name in a list of these items (`type` and `id` are always kept). */
const fieldNames = (item: TObject): string[] => Object.keys(item.properties).filter((k) => k !== 'type' && k !== 'id')
/** A list's query: paging, and `fields` naming properties of its items. */
const listQuery = (names: readonly string[]) => Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Page size.', examples: [20] }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, description: 'Items to skip.', examples: [0] }),
  fields: Type.Optional(fieldsParameter(names))
}, { additionalProperties: false })
interface ListQuery { limit: number, offset: number, fields?: string }
const curriculumFields = fieldNames(s.Curriculum)
const courseFields = fieldNames(s.Course)
const CurriculaQuery = listQuery(curriculumFields)
const CoursesQuery = listQuery(courseFields)

const security = [{ apiKey: [] }]
const errors = {
  401: problemResponse('No, or a bad, API key.'),
  403: problemResponse('A read key tried to write.'),
  404: problemResponse('No such record in your institution.'),
  503: problemResponse('The curricula database is unavailable; see Retry-After.')
}
const writeErrors = {
  ...errors,
  409: problemResponse('A uniqueness rule would break.'),
  412: problemResponse('If-Match is stale.'),
  422: problemResponse('Unknown target, framework or version; a limit; a reused Idempotency-Key.'),
  428: problemResponse('If-Match is missing.')
}
const etagHeader = { ETag: { type: 'string', description: 'The record\'s ETag, for If-Match.' } }
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag last read (required; 428 without it).', examples: ['"0b6f1c1e-8d1f-4a47-9c39-5d0f3f6e2a10.3"'] })) })
const IdempotencyKey = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'Makes a retried POST safe: the same key and body replay the first answer.', examples: ['3f0a9c52-import-2026-09'] })) })

const curricula: FastifyPluginAsyncTypebox<CurriculaRestOptions> = async (app, opts) => {
  const repo = app.curricula
  const base = `${publicUrl(opts.config)}${app.prefix}`
  const origins = corsOrigin(opts.config.CURRICULA_CORS_ORIGINS)
  const cors = origins === false || origins === '*'
    ? false
    : { origin: origins, methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key'] }
  const config = { cors, rateLimit: keyRateLimit(opts.config) }

  app.addHook('onRequest', authenticate(repo))
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
  app.setErrorHandler(async (err) => { throw problemOf(err) })
  await app.register(coverageRest, { config: opts.config, route: config })

  const curriculumUrl = (id: string): string => `${base}/${id}`
  const courseUrl = (c: Course): string => `${curriculumUrl(c.curriculumId)}/courses/${c.id}`
  const curriculumView = (c: Curriculum): s.CurriculumView => ({
    type: 'curriculum', id: c.id, name: c.name, description: c.description, framework: c.framework, version: c.version,
    createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision, href: curriculumUrl(c.id), courses: `${curriculumUrl(c.id)}/courses`
  })
  const courseView = (c: Course): s.CourseView => ({
    type: 'course', id: c.id, curriculum: c.curriculumId, code: c.code, title: c.title, url: c.url, term: c.term, credits: c.credits,
    externalIds: c.externalIds, createdAt: c.createdAt, updatedAt: c.updatedAt, revision: c.revision, href: courseUrl(c), alignments: `${courseUrl(c)}/alignments`
  })
  const uri = (uuid: string): string => `${publicUrl(opts.config)}/uri/${uuid}`
  const alignmentView = (a: Alignment): s.AlignmentView => ({
    type: 'alignment', id: a.id, course: a.courseId, target: { ...a.target, uri: uri(a.target.uuid) }, level: a.level, note: a.note,
    evidenceUrl: a.evidenceUrl, needsReview: a.needsReview, detached: a.detachedFrom !== null, detachedFrom: a.detachedFrom,
    createdAt: a.createdAt, updatedAt: a.updatedAt, revision: a.revision
  })

  /**
   * The list envelope with `meta.total` and the `Link` header (the shared paging rule, `fields`
   * kept in the links), items reduced to `fields` when it is given.
   */
  const page = <T extends object>(request: FastifyRequest, reply: FastifyReply, data: T[], total: number, query: ListQuery) => {
    const { links, header } = pageLinks(new URL(request.url, publicUrl(opts.config)), total, query.limit, query.offset)
    reply.header('link', header)
    const fields = query.fields === undefined ? undefined : new Set(query.fields.split(','))
    return { data: fields === undefined ? data : data.map((item) => sparseFields(item, fields)), meta: { total, limit: query.limit, offset: query.offset }, links }
  }

  const pinned = (c: Curriculum): VersionRecord => {
    const v = app.repo.version(c.framework, c.version)
    if (v === undefined) throw new HttpProblem('invalid-record', `The curriculum is pinned to ${c.framework} ${c.version}, which this service no longer serves.`)
    return v
  }

  /** Resolves alignment inputs against the pinned version; every unknown target is named, with suggestions. */
  const resolveAll = (c: Curriculum, items: Array<{ target: string, pointer: string } & Omit<AlignmentInput, 'target'>>): AlignmentInput[] => {
    const v = pinned(c)
    const problems: Array<{ in: 'body' | 'path', name: string, message: string, allowed?: string[] }> = []
    const resolved: AlignmentInput[] = []
    for (const item of items) {
      const target = resolveTarget(app.repo, v, item.target)
      if (target === undefined) {
        const suggestions = suggestTargets(app.repo, v, item.target)
        problems.push({
          in: item.pointer === 'target' ? 'path' : 'body',
          name: item.pointer,
          message: unknownTargetMessage(item.target, `${v.framework} ${v.number}`, suggestions),
          ...(suggestions.length > 0 ? { allowed: suggestions } : {})
        })
      } else {
        resolved.push({ target, level: item.level, note: item.note ?? null, evidenceUrl: item.evidenceUrl ?? null })
      }
    }
    const first = problems[0]
    if (first !== undefined) throw new HttpProblem('unknown-target', `Unknown alignment target: ${first.message}.`, problems)
    return resolved
  }

  app.post('', {
    config,
    schema: {
      operationId: 'createCurriculum', summary: 'Create a curriculum', tags: ['curricula'], security,
      headers: IdempotencyKey,
      body: ref(s.CurriculumCreate),
      response: { 201: { description: 'Created.', headers: { ...etagHeader, Location: { type: 'string' } }, content: { 'application/json': { schema: ref(s.Curriculum) } } }, ...writeErrors }
    }
  }, async (request, reply) => idempotent(repo, request, reply, async () => {
    const body = request.body
    const v = app.repo.version(body.framework, body.version)
    if (v === undefined) {
      const known = app.repo.versions().filter((x) => x.framework === body.framework).map((x) => x.number)
      throw new HttpProblem('invalid-record', `There is no ${body.framework} ${body.version} to pin.`, [{
        in: 'body', name: known.length === 0 ? 'framework' : 'version', message: known.length === 0 ? `unknown framework "${body.framework}"` : `unknown version "${body.version}"`,
        allowed: known.length === 0 ? [...new Set(app.repo.versions().map((x) => x.framework))] : ['latest', ...known]
      }])
    }
    const c = await repo.createCurriculum(actorOf(request), { name: body.name, description: body.description ?? null, framework: v.framework, version: v.number })
    return { status: 201, headers: { location: curriculumUrl(c.id), etag: etagOf(c.id, c.revision) }, body: curriculumView(c) }
  }))

  app.get('', {
    config: { ...config, allowed: { fields: curriculumFields } },
    schema: { operationId: 'listCurricula', summary: 'Your institution\'s curricula', tags: ['curricula'], security, querystring: CurriculaQuery, response: { 200: ref(s.CurriculumList), ...errors } }
  }, async (request, reply) => {
    const { limit, offset } = request.query
    const { total, items } = await repo.listCurricula(actorOf(request).institutionId, { limit, offset })
    return page(request, reply, items.map(curriculumView), total, request.query)
  })

  const Cid = Type.Object({ id: IdParam }, { additionalProperties: false })
  app.get('/:id', {
    config,
    schema: { operationId: 'getCurriculum', summary: 'A curriculum', tags: ['curricula'], security, params: Cid, response: { 200: { description: 'The curriculum.', headers: etagHeader, content: { 'application/json': { schema: ref(s.Curriculum) } } }, ...errors } }
  }, async (request, reply) => {
    const c = await repo.getCurriculum(actorOf(request).institutionId, request.params.id)
    reply.header('etag', etagOf(c.id, c.revision))
    return curriculumView(c)
  })

  app.patch('/:id', {
    config,
    schema: { operationId: 'updateCurriculum', summary: 'Change a curriculum', tags: ['curricula'], security, params: Cid, headers: IfMatch, body: ref(s.CurriculumPatch), response: { 200: { description: 'Changed.', headers: etagHeader, content: { 'application/json': { schema: ref(s.Curriculum) } } }, ...writeErrors } }
  }, async (request, reply) => {
    const actor = actorOf(request)
    const id = request.params.id
    const revision = await expectedRevision(request, id, async () => (await repo.getCurriculum(actor.institutionId, id)).revision)
    const c = await repo.updateCurriculum(actor, id, revision, request.body)
    reply.header('etag', etagOf(c.id, c.revision))
    return curriculumView(c)
  })

  app.delete('/:id', {
    config,
    schema: { operationId: 'deleteCurriculum', summary: 'Delete a curriculum, its courses and alignments', tags: ['curricula'], security, params: Cid, headers: IfMatch, response: { 204: { description: 'Deleted.', type: 'null' }, ...writeErrors } }
  }, async (request, reply) => {
    const actor = actorOf(request)
    const id = request.params.id
    const revision = await expectedRevision(request, id, async () => (await repo.getCurriculum(actor.institutionId, id)).revision)
    await repo.deleteCurriculum(actor, id, revision)
    return reply.code(204).send()
  })

  // Courses

  app.post('/:id/courses', {
    config,
    schema: { operationId: 'createCourse', summary: 'Add a course', tags: ['curricula'], security, params: Cid, headers: IdempotencyKey, body: ref(s.CourseCreate), response: { 201: { description: 'Created.', headers: { ...etagHeader, Location: { type: 'string' } }, content: { 'application/json': { schema: ref(s.Course) } } }, ...writeErrors } }
  }, async (request, reply) => idempotent(repo, request, reply, async () => {
    const c = await repo.createCourse(actorOf(request), request.params.id, request.body)
    return { status: 201, headers: { location: courseUrl(c), etag: etagOf(c.id, c.revision) }, body: courseView(c) }
  }))

  app.get('/:id/courses', {
    config: { ...config, allowed: { fields: courseFields } },
    schema: { operationId: 'listCourses', summary: 'A curriculum\'s courses', tags: ['curricula'], security, params: Cid, querystring: CoursesQuery, response: { 200: ref(s.CourseList), ...errors } }
  }, async (request, reply) => {
    const { limit, offset } = request.query
    const { total, items } = await repo.listCourses(actorOf(request).institutionId, request.params.id, { limit, offset })
    return page(request, reply, items.map(courseView), total, request.query)
  })

  const Course = Type.Object({ id: IdParam, course: CourseParam }, { additionalProperties: false })
  app.get('/:id/courses/:course', {
    config,
    schema: { operationId: 'getCourse', summary: 'A course', tags: ['curricula'], security, params: Course, response: { 200: { description: 'The course.', headers: etagHeader, content: { 'application/json': { schema: ref(s.Course) } } }, ...errors } }
  }, async (request, reply) => {
    const c = await repo.getCourse(actorOf(request).institutionId, request.params.id, request.params.course)
    reply.header('etag', etagOf(c.id, c.revision))
    return courseView(c)
  })

  app.patch('/:id/courses/:course', {
    config,
    schema: { operationId: 'updateCourse', summary: 'Change a course', tags: ['curricula'], security, params: Course, headers: IfMatch, body: ref(s.CoursePatch), response: { 200: { description: 'Changed.', headers: etagHeader, content: { 'application/json': { schema: ref(s.Course) } } }, ...writeErrors } }
  }, async (request, reply) => {
    const actor = actorOf(request)
    const { id, course } = request.params
    const revision = await expectedRevision(request, course, async () => (await repo.getCourse(actor.institutionId, id, course)).revision)
    const c = await repo.updateCourse(actor, id, course, revision, request.body)
    reply.header('etag', etagOf(c.id, c.revision))
    return courseView(c)
  })

  app.delete('/:id/courses/:course', {
    config,
    schema: { operationId: 'deleteCourse', summary: 'Delete a course and its alignments', tags: ['curricula'], security, params: Course, headers: IfMatch, response: { 204: { description: 'Deleted.', type: 'null' }, ...writeErrors } }
  }, async (request, reply) => {
    const actor = actorOf(request)
    const { id, course } = request.params
    const revision = await expectedRevision(request, course, async () => (await repo.getCourse(actor.institutionId, id, course)).revision)
    await repo.deleteCourse(actor, id, course, revision)
    return reply.code(204).send()
  })

  // Alignments

  app.get('/:id/courses/:course/alignments', {
    config,
    schema: { operationId: 'listAlignments', summary: 'A course\'s alignments', tags: ['curricula'], security, params: Course, response: { 200: { description: 'The alignments; the ETag is the course\'s.', headers: etagHeader, content: { 'application/json': { schema: ref(s.CourseAlignmentList) } } }, ...errors } }
  }, async (request, reply) => {
    const { course, alignments } = await repo.listAlignments(actorOf(request).institutionId, request.params.id, request.params.course)
    reply.header('etag', etagOf(course.id, course.revision))
    return { data: alignments.map(alignmentView), meta: { total: alignments.length } }
  })

  app.put('/:id/courses/:course/alignments', {
    config,
    schema: { operationId: 'replaceAlignments', summary: 'Replace a course\'s alignments', description: 'If-Match takes the course\'s ETag (as GET …/alignments sends it).', tags: ['curricula'], security, params: Course, headers: IfMatch, body: ref(s.AlignmentSet), response: { 200: { description: 'The new set.', headers: etagHeader, content: { 'application/json': { schema: ref(s.CourseAlignmentList) } } }, ...writeErrors } }
  }, async (request, reply) => {
    const actor = actorOf(request)
    const { id, course } = request.params
    const c = await repo.getCurriculum(actor.institutionId, id)
    const revision = await expectedRevision(request, course, async () => (await repo.getCourse(actor.institutionId, id, course)).revision)
    const inputs = resolveAll(c, request.body.map((a, i) => ({ ...a, pointer: `/${i}/target` })))
    const result = await repo.replaceAlignments(actor, id, course, revision, inputs)
    reply.header('etag', etagOf(result.course.id, result.course.revision))
    return { data: result.alignments.map(alignmentView), meta: { total: result.alignments.length } }
  })

  const Aid = Type.Object({ id: IdParam, course: CourseParam, target: TargetParam }, { additionalProperties: false })
  app.post('/:id/courses/:course/alignments/:target', {
    config,
    schema: { operationId: 'createAlignment', summary: 'Align a course to a target', tags: ['curricula'], security, params: Aid, headers: IdempotencyKey, body: ref(s.AlignmentCreate), response: { 201: { description: 'Created.', headers: { ...etagHeader, Location: { type: 'string' } }, content: { 'application/json': { schema: ref(s.CourseAlignment) } } }, ...writeErrors } }
  }, async (request, reply) => idempotent(repo, request, reply, async () => {
    const actor = actorOf(request)
    const { id, course } = request.params
    const c = await repo.getCurriculum(actor.institutionId, id)
    const [input] = resolveAll(c, [{ ...request.body, target: request.params.target, pointer: 'target' }]) as [AlignmentInput]
    const a = await repo.createAlignment(actor, id, course, input)
    return { status: 201, headers: { location: `${curriculumUrl(id)}/courses/${course}/alignments/${a.target.uuid}`, etag: etagOf(a.id, a.revision) }, body: alignmentView(a) }
  }))

  const alignmentTarget = async (request: FastifyRequest, params: { id: string, target: string }): Promise<Pick<Target, 'uuid'>> => {
    const c = await repo.getCurriculum(actorOf(request).institutionId, params.id)
    // A detached alignment's target is not in the pinned version any more: its uuid still names it.
    if (/^[0-9a-f-]{36}$/i.test(params.target) && resolveTarget(app.repo, pinned(c), params.target) === undefined) return { uuid: params.target.toLowerCase() }
    return (resolveAll(c, [{ target: params.target, level: 'introduced', pointer: 'target' }])[0] as AlignmentInput).target
  }

  app.get('/:id/courses/:course/alignments/:target', {
    config,
    schema: { operationId: 'getAlignment', summary: 'One alignment of a course', tags: ['curricula'], security, params: Aid, response: { 200: { description: 'The alignment.', headers: etagHeader, content: { 'application/json': { schema: ref(s.CourseAlignment) } } }, ...errors, 422: problemResponse('Unknown target.') } }
  }, async (request, reply) => {
    const target = await alignmentTarget(request, request.params)
    const a = await repo.getAlignment(actorOf(request).institutionId, request.params.id, request.params.course, target.uuid)
    reply.header('etag', etagOf(a.id, a.revision))
    return alignmentView(a)
  })

  app.delete('/:id/courses/:course/alignments/:target', {
    config,
    schema: { operationId: 'deleteAlignment', summary: 'Remove one alignment of a course', tags: ['curricula'], security, params: Aid, headers: IfMatch, response: { 204: { description: 'Deleted.', type: 'null' }, ...writeErrors } }
  }, async (request, reply) => {
    const actor = actorOf(request)
    const { id, course } = request.params
    const target = await alignmentTarget(request, request.params)
    const current = await repo.getAlignment(actor.institutionId, id, course, target.uuid)
    const revision = await expectedRevision(request, current.id, async () => current.revision)
    await repo.deleteAlignment(actor, id, course, target.uuid, revision)
    return reply.code(204).send()
  })

  app.post('/:id/courses::import', {
    config,
    bodyLimit: opts.config.CURRICULA_IMPORT_LIMIT,
    schema: {
      operationId: 'importCourses',
      summary: 'Import courses and their alignments from CSV',
      description: 'A `text/csv` body with a header row: `code,title` and optionally `url,term,credits,alignments`, where `alignments` is `target:level` pairs separated by `;` (levels `I`, `R`, `M` or in full), e.g. `C01.A03:I; C02:M`. All rows apply, or none: errors name the row and column. A row whose code exists updates that course and replaces its alignments.',
      tags: ['curricula'],
      security,
      params: Cid,
      headers: IdempotencyKey,
      body: Type.String({ description: 'The CSV.', maxLength: 5_000_000 }),
      response: { 200: ref(s.ImportResult), ...writeErrors }
    }
  }, async (request, reply) => idempotent(repo, request, reply, async () => {
    const actor = actorOf(request)
    const c = await repo.getCurriculum(actor.institutionId, request.params.id)
    const v = pinned(c)
    const { rows, errors: rowErrors } = parseCoursesCsv(request.body, (name) => resolveTarget(app.repo, v, name), (name) => suggestTargets(app.repo, v, name))
    const first = rowErrors[0]
    if (first !== undefined) {
      throw new HttpProblem('invalid-record', `The CSV has ${rowErrors.length} error${rowErrors.length === 1 ? '' : 's'}; nothing was imported. First: ${first.name}: ${first.message}.`, rowErrors)
    }
    const { created, updated } = await repo.importCourses(actor, c.id, rows)
    return { status: 200, headers: {}, body: { created: created.map(courseView), updated: updated.map(courseView) } }
  }))

  reportRoutes(app, {
    config: opts.config, routeConfig: config, openapi: { security, errors, writeErrors, ifMatch: IfMatch, etagHeader, params: Cid },
    curriculumUrl, courseUrl, curriculumView, pinned, expectedRevision, etagOf
  })
}

export default curricula
