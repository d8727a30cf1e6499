/**
 * Curricula in GraphQL: `curricula` and `curriculum(id)` with courses and alignments (each
 * alignment's `target` is the framework's own Competency, Activity or SubPoint), and mutations
 * for the same writes as REST, with the same rules: an API key in `Authorization: Bearer`,
 * `ifMatch` on updates and deletes, targets resolved in the pinned version. Errors carry
 * UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT (a stale ifMatch, a uniqueness rule),
 * BAD_USER_INPUT (unknown target, framework or version; a limit) or SERVICE_UNAVAILABLE.
 */
import type { FastifyRequest } from 'fastify'
import type { IResolvers, MercuriusContext } from 'mercurius'
import type { EntityRecord } from '../content/model.js'
import type { Repository } from '../store/repository.js'
import { GraphQLError } from 'graphql'
import { publicUrl } from '../config.js'
import { verifyKey } from './keys.js'
import { ConflictError, LimitError, NotFoundError, StaleError, UnavailableError } from './store/errors.js'
import type { Actor, AlignmentInput, ApiKeyRecord, Course, CurriculaRepository, Curriculum, Level, Target, TargetType } from './store/repository.js'
import { resolveTarget, suggestTargets, unknownTargetMessage } from './targets.js'

/** An error for the client, with its `extensions.code` (the GraphQL error formatter keeps both). */
export class ApiError extends GraphQLError {
  constructor (message: string, code: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } })
  }
}

const badInput = (message: string, argument?: string): ApiError => new ApiError(message, 'BAD_USER_INPUT', argument === undefined ? {} : { argument })

/** The framework's GraphQL type of each kind of target. */
const typeNames: Record<TargetType, string> = { competency: 'Competency', activity: 'Activity', subpoint: 'SubPoint' }

export const curriculaTypeDefs = /* GraphQL */ `
extend schema {
  mutation: Mutation
}

"How far a course takes a target (the usual curriculum-map convention)."
enum AlignmentLevel {
  "The course introduces it."
  introduced
  "The course reinforces it."
  reinforced
  "Students master it in the course."
  mastered
}

"An institution's programme, mapped to one pinned version of a framework. Needs an API key."
type Curriculum {
  "Its id (a UUID)."
  id: ID!
  "The programme's name."
  name: String!
  "What the programme is."
  description: String
  "The framework it maps to."
  framework: String!
  "The pinned framework version."
  version: String!
  "When it was created (ISO 8601)."
  createdAt: String!
  "When it last changed (ISO 8601)."
  updatedAt: String!
  "Goes up with every change."
  revision: Int!
  "The value for ifMatch (the REST ETag)."
  etag: String!
  "Its courses, by code."
  courses("Page size, 1 to 100." first: Int = 50, "Courses to skip." offset: Int = 0): [Course!]!
  "How many courses it has."
  courseCount: Int!
  "Where its exports are (REST URLs, with the same API key)."
  exports: CurriculumExports!
  "The REST URL of what re-pinning it to another version would do to each alignment."
  impact("The version to compare to, e.g. 1.2, or latest." to: String!): String!
}

"A curriculum's exports, as REST URLs (send the same API key)."
type CurriculumExports {
  "A CASE 1.1 CFPackage: the courses as CFItems, isRelatedTo the framework's items, the level in notes."
  case: String!
  "Per course, the Open Badges 3.0 Alignment objects of its targets."
  openBadges: String!
  "CSV, one row per alignment."
  csv: String!
}

"An id of a course in another system."
type ExternalId {
  "The system, e.g. moodle or canvas."
  system: String!
  "The course's id there."
  id: String!
}

"A course of a curriculum."
type Course {
  "Its id (a UUID)."
  id: ID!
  "The course code, unique in the curriculum."
  code: String!
  "The course title."
  title: String!
  "The course's page."
  url: String
  "When it runs."
  term: String
  "Credits."
  credits: Float
  "Ids in other systems."
  externalIds: [ExternalId!]!
  "When it was created (ISO 8601)."
  createdAt: String!
  "When it or its alignments last changed (ISO 8601)."
  updatedAt: String!
  "Goes up with every change, alignments included."
  revision: Int!
  "The value for ifMatch (the REST ETag)."
  etag: String!
  "Its alignments, by target code."
  alignments: [CourseAlignment!]!
}

"What an alignment points at: a competency, key activity or sub-point of the pinned version."
union AlignmentTarget = Competency | Activity | SubPoint

"A course's alignment to a target, at a level."
type CourseAlignment {
  "Its id (a UUID)."
  id: ID!
  "The target's code, e.g. C01.A03."
  targetCode: String!
  "The target itself, as the framework serves it."
  target: AlignmentTarget!
  "The level."
  level: AlignmentLevel!
  "A note."
  note: String
  "Where the evidence is."
  evidenceUrl: String
  "A re-pin changed the target's text; setting the alignments again clears it."
  needsReview: Boolean!
  "A re-pin found the target removed: kept, detached; target is then as the version it was last in has it."
  detached: Boolean!
  "The version a detached target was last in."
  detachedFrom: String
  "Goes up with every change."
  revision: Int!
  "The value for ifMatch (the REST ETag)."
  etag: String!
}

extend type Query {
  "Your institution's curricula (needs an API key in Authorization: Bearer)."
  curricula("Page size, 1 to 100." first: Int = 50, "Curricula to skip." offset: Int = 0): [Curriculum!]!
  "One of your institution's curricula."
  curriculum("Its id." id: ID!): Curriculum
}

"A new curriculum."
input CurriculumInput {
  "The programme's name."
  name: String!
  "What the programme is."
  description: String
  "The framework id, e.g. isp."
  framework: String!
  "The version to pin, e.g. 1.1; latest pins the newest now."
  version: String!
}

"Changes to a curriculum."
input CurriculumPatch {
  "The programme's name."
  name: String
  "What the programme is."
  description: String
}

"A new course, or changes to one."
input CourseInput {
  "The course code."
  code: String
  "The course title."
  title: String
  "The course's page."
  url: String
  "When it runs."
  term: String
  "Credits."
  credits: Float
}

"One alignment of a set."
input AlignmentInput {
  "A competency, key activity or sub-point of the pinned version, by uuid, slug id or code."
  target: String!
  "The level."
  level: AlignmentLevel!
  "A note."
  note: String
  "Where the evidence is."
  evidenceUrl: String
}

"Writes to your institution's curricula (needs a write key). Updates and deletes take the etag last read as ifMatch."
type Mutation {
  "Creates a curriculum."
  createCurriculum("The curriculum." input: CurriculumInput!): Curriculum!
  "Changes a curriculum."
  updateCurriculum("Its id." id: ID!, "Its etag." ifMatch: String!, "The changes." input: CurriculumPatch!): Curriculum!
  "Deletes a curriculum with its courses."
  deleteCurriculum("Its id." id: ID!, "Its etag." ifMatch: String!): Boolean!
  "Adds a course."
  createCourse("The curriculum." curriculum: ID!, "The course (code and title required)." input: CourseInput!): Course!
  "Changes a course."
  updateCourse("The curriculum." curriculum: ID!, "The course." id: ID!, "Its etag." ifMatch: String!, "The changes." input: CourseInput!): Course!
  "Deletes a course."
  deleteCourse("The curriculum." curriculum: ID!, "The course." id: ID!, "Its etag." ifMatch: String!): Boolean!
  "Replaces a course's alignments."
  setAlignments("The curriculum." curriculum: ID!, "The course." course: ID!, "The course's etag." ifMatch: String!, "The whole set." alignments: [AlignmentInput!]!): Course!
  "Aligns a course to one more target."
  createAlignment("The curriculum." curriculum: ID!, "The course." course: ID!, "The alignment." input: AlignmentInput!): CourseAlignment!
  "Removes one alignment."
  deleteAlignment("The curriculum." curriculum: ID!, "The course." course: ID!, "The target." target: String!, "The alignment's etag." ifMatch: String!): Boolean!
}
`

const etag = (id: string, revision: number): string => `"${id}.${revision}"`

type Ctx = MercuriusContext & { curriculaKey?: Promise<ApiKeyRecord> }

/** Turns store errors into coded GraphQL errors. */
export function coded (err: unknown): unknown {
  if (err instanceof NotFoundError) return new ApiError(`No ${err.what.replace(/ [0-9a-f-]{36}$/, '')} with that id in your institution's records.`, 'NOT_FOUND')
  if (err instanceof StaleError) return new ApiError(`The ${err.what.replace(/ [0-9a-f-]{36}$/, '')} has changed since that etag (it is at revision ${err.current}).`, 'CONFLICT', { status: 412 })
  if (err instanceof ConflictError) return new ApiError(err.message, 'CONFLICT', { status: 409 })
  if (err instanceof LimitError) return new ApiError(err.message, 'BAD_USER_INPUT', { limit: err.limit, max: err.max })
  if (err instanceof UnavailableError) return new ApiError('The curricula database is unavailable; please retry shortly.', 'SERVICE_UNAVAILABLE')
  return err
}

const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
  try {
    return await fn(...args)
  } catch (err) {
    throw coded(err)
  }
}

/** The revision an etag names for this record. */
function revisionOf (ifMatch: string, id: string): number {
  const m = /^"([0-9a-f-]{36})\.([0-9]{1,9})"$/.exec(ifMatch.trim())
  if (m === null || m[1] !== id) throw new ApiError('ifMatch is not this record\'s current etag.', 'CONFLICT', { status: 412 })
  return Number(m[2])
}

interface Parent { institutionId: string }
type CurriculumNode = Curriculum & Parent
type CourseNode = Course & Parent & { framework: string, version: string }

/** The Query, Mutation and type resolvers of curricula. */
export function curriculaResolvers (repo: Repository, store: () => CurriculaRepository): IResolvers {
  const key = (ctx: Ctx, write: boolean): Promise<ApiKeyRecord> => {
    ctx.curriculaKey ??= (async () => {
      const request = ctx.reply.request as FastifyRequest
      const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(request.headers.authorization ?? '')
      if (m?.[1] === undefined) throw new ApiError('Curricula need an API key: send Authorization: Bearer <key>.', 'UNAUTHENTICATED')
      const record = await verifyKey(store(), m[1]).catch((err: unknown) => { throw coded(err) })
      if (record === undefined) throw new ApiError('The API key is not valid (malformed, unknown or revoked).', 'UNAUTHENTICATED')
      return record
    })()
    return ctx.curriculaKey.then((record) => {
      if (write && record.scope !== 'write') throw new ApiError('This API key may only read; writing needs a key with scope write.', 'FORBIDDEN')
      return record
    })
  }
  const actor = async (ctx: Ctx): Promise<Actor> => {
    const k = await key(ctx, true)
    return { institutionId: k.institutionId, keyId: k.id }
  }
  const page = (first: number, offset: number) => {
    if (first < 1 || first > 100) throw badInput('first must be from 1 to 100.', 'first')
    if (offset < 0) throw badInput('offset must not be negative.', 'offset')
    return { limit: first, offset }
  }
  const version = (c: { framework: string, version: string }) => {
    const v = repo.version(c.framework, c.version)
    if (v === undefined) throw badInput(`${c.framework} ${c.version} is not served any more.`)
    return v
  }
  const resolveInputs = (c: { framework: string, version: string }, inputs: Array<{ target: string, level: Level, note?: string | null, evidenceUrl?: string | null }>): AlignmentInput[] => {
    const v = version(c)
    return inputs.map((input) => {
      const target = resolveTarget(repo, v, input.target)
      if (target === undefined) {
        const suggestions = suggestTargets(repo, v, input.target)
        throw new ApiError(`${unknownTargetMessage(input.target, `${v.framework} ${v.number}`, suggestions)}.`,
          'BAD_USER_INPUT', { argument: 'target', suggestions })
      }
      return { target, level: input.level, note: input.note ?? null, evidenceUrl: input.evidenceUrl ?? null }
    })
  }
  const withCurriculum = async (ctx: Ctx, id: string) => {
    const a = await actor(ctx)
    return { a, c: await store().getCurriculum(a.institutionId, id) }
  }
  const courseNode = (c: Course, cur: { framework: string, version: string }, institutionId: string): CourseNode => ({ ...c, institutionId, framework: cur.framework, version: cur.version })
  const targetRecord = (t: Target, cur: { framework: string, version: string }): EntityRecord | undefined => {
    const v = version(cur)
    if (t.type === 'competency') return repo.entities('competency').get(v, t.id)
    if (t.type === 'activity') return repo.entities('activity').get(v, t.id)
    for (const a of repo.entities('activity').list(v)) {
      const s = a.subpoints.find((x) => x.id === t.id)
      if (s !== undefined) return s
    }
    return undefined
  }

  return {
    Query: {
      curricula: guard(async (_root: unknown, { first, offset }: { first: number, offset: number }, ctx: Ctx) => {
        const k = await key(ctx, false)
        const { items } = await store().listCurricula(k.institutionId, page(first, offset))
        return items.map((c) => ({ ...c, institutionId: k.institutionId }))
      }),
      curriculum: guard(async (_root: unknown, { id }: { id: string }, ctx: Ctx) => {
        const k = await key(ctx, false)
        try {
          return { ...await store().getCurriculum(k.institutionId, id), institutionId: k.institutionId }
        } catch (err) {
          if (err instanceof NotFoundError) return null
          throw err
        }
      })
    },
    Mutation: {
      createCurriculum: guard(async (_root: unknown, { input }: { input: { name: string, description?: string | null, framework: string, version: string } }, ctx: Ctx) => {
        const a = await actor(ctx)
        const v = repo.version(input.framework, input.version)
        if (v === undefined) throw badInput(`There is no ${input.framework} ${input.version} to pin.`, 'version')
        return { ...await store().createCurriculum(a, { ...input, framework: v.framework, version: v.number }), institutionId: a.institutionId }
      }),
      updateCurriculum: guard(async (_root: unknown, { id, ifMatch, input }: { id: string, ifMatch: string, input: { name?: string | null, description?: string | null } }, ctx: Ctx) => {
        const a = await actor(ctx)
        if (input.name === null) throw badInput('name cannot be null.', 'input')
        const patch = { ...(input.name === undefined ? {} : { name: input.name }), ...(input.description === undefined ? {} : { description: input.description }) }
        return { ...await store().updateCurriculum(a, id, revisionOf(ifMatch, id), patch), institutionId: a.institutionId }
      }),
      deleteCurriculum: guard(async (_root: unknown, { id, ifMatch }: { id: string, ifMatch: string }, ctx: Ctx) => {
        await store().deleteCurriculum(await actor(ctx), id, revisionOf(ifMatch, id))
        return true
      }),
      createCourse: guard(async (_root: unknown, { curriculum, input }: { curriculum: string, input: { code?: string | null, title?: string | null, url?: string | null, term?: string | null, credits?: number | null } }, ctx: Ctx) => {
        const { a, c } = await withCurriculum(ctx, curriculum)
        if (input.code == null || input.title == null) throw badInput('A new course needs a code and a title.', 'input')
        return courseNode(await store().createCourse(a, curriculum, { ...input, code: input.code, title: input.title }), c, a.institutionId)
      }),
      updateCourse: guard(async (_root: unknown, { curriculum, id, ifMatch, input }: { curriculum: string, id: string, ifMatch: string, input: Record<string, unknown> }, ctx: Ctx) => {
        const { a, c } = await withCurriculum(ctx, curriculum)
        if (input.code === null || input.title === null) throw badInput('code and title cannot be null.', 'input')
        const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))
        return courseNode(await store().updateCourse(a, curriculum, id, revisionOf(ifMatch, id), patch), c, a.institutionId)
      }),
      deleteCourse: guard(async (_root: unknown, { curriculum, id, ifMatch }: { curriculum: string, id: string, ifMatch: string }, ctx: Ctx) => {
        await store().deleteCourse(await actor(ctx), curriculum, id, revisionOf(ifMatch, id))
        return true
      }),
      setAlignments: guard(async (_root: unknown, args: { curriculum: string, course: string, ifMatch: string, alignments: Array<{ target: string, level: Level, note?: string | null, evidenceUrl?: string | null }> }, ctx: Ctx) => {
        const { a, c } = await withCurriculum(ctx, args.curriculum)
        const inputs = resolveInputs(c, args.alignments)
        const { course } = await store().replaceAlignments(a, args.curriculum, args.course, revisionOf(args.ifMatch, args.course), inputs)
        return courseNode(course, c, a.institutionId)
      }),
      createAlignment: guard(async (_root: unknown, args: { curriculum: string, course: string, input: { target: string, level: Level, note?: string | null, evidenceUrl?: string | null } }, ctx: Ctx) => {
        const { a, c } = await withCurriculum(ctx, args.curriculum)
        const [input] = resolveInputs(c, [args.input]) as [AlignmentInput]
        return { ...await store().createAlignment(a, args.curriculum, args.course, input), framework: c.framework, version: c.version }
      }),
      deleteAlignment: guard(async (_root: unknown, args: { curriculum: string, course: string, target: string, ifMatch: string }, ctx: Ctx) => {
        const { a, c } = await withCurriculum(ctx, args.curriculum)
        const [input] = resolveInputs(c, [{ target: args.target, level: 'introduced' }]) as [AlignmentInput]
        const current = await store().getAlignment(a.institutionId, args.curriculum, args.course, input.target.uuid)
        await store().deleteAlignment(a, args.curriculum, args.course, input.target.uuid, revisionOf(args.ifMatch, current.id))
        return true
      })
    },
    Curriculum: {
      etag: (c: CurriculumNode) => etag(c.id, c.revision),
      courses: guard(async (c: CurriculumNode, { first, offset }: { first: number, offset: number }) => {
        const { items } = await store().listCourses(c.institutionId, c.id, page(first, offset))
        return items.map((x) => courseNode(x, c, c.institutionId))
      }),
      courseCount: guard(async (c: CurriculumNode) => (await store().listCourses(c.institutionId, c.id, { limit: 1, offset: 0 })).total),
      exports: (c: CurriculumNode, _args: unknown, ctx: Ctx) => {
        const at = `${publicUrl(ctx.app.config)}/v1/curricula/${c.id}/export?format=`
        return { case: `${at}case`, openBadges: `${at}openbadges`, csv: `${at}csv` }
      },
      impact: (c: CurriculumNode, { to }: { to: string }, ctx: Ctx) => `${publicUrl(ctx.app.config)}/v1/curricula/${c.id}/impact?to=${encodeURIComponent(to)}`
    },
    Course: {
      etag: (c: CourseNode) => etag(c.id, c.revision),
      externalIds: (c: CourseNode) => Object.entries(c.externalIds).map(([system, id]) => ({ system, id })),
      alignments: guard(async (c: CourseNode) => {
        const alignments = await store().alignmentsOfCourses(c.institutionId, [c.id])
        return alignments.map((a) => ({ ...a, framework: c.framework, version: c.version }))
      })
    },
    CourseAlignment: {
      etag: (a: { id: string, revision: number }) => etag(a.id, a.revision),
      targetCode: (a: { target: Target }) => a.target.code,
      detached: (a: { detachedFrom: string | null }) => a.detachedFrom !== null,
      target: (a: { target: Target, framework: string, version: string, detachedFrom: string | null }) => {
        const record = targetRecord(a.target, { framework: a.framework, version: a.detachedFrom ?? a.version })
        if (record === undefined) throw new ApiError(`${a.target.code} is no longer in ${a.framework} ${a.version}.`, 'NOT_FOUND')
        return record
      }
    },
    AlignmentTarget: {
      resolveType: (r: EntityRecord) => typeNames[r.type as TargetType]
    }
  }
}
