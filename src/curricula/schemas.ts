/**
 * The curricula API's TypeBox schemas: one source for validation, serialisation, types and the
 * OpenAPI components (registered with the REST components, see http/schemas/index.ts).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { listOf, ref } from '../web/schemas/common.js'

const Uuid = (description: string) => Type.String({ format: 'uuid', description })
const Time = (description: string) => Type.String({ format: 'date-time', description })
const Url = (description: string) => Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048, description })
const Text = (max: number, description: string, example?: string) =>
  Type.String({ minLength: 1, maxLength: max, description, ...(example === undefined ? {} : { examples: [example] }) })
const Revision = Type.Integer({ minimum: 1, description: 'Goes up by one with every change; the `ETag` is made from it.' })

export const LevelSchema = Type.Union([Type.Literal('introduced'), Type.Literal('reinforced'), Type.Literal('mastered')], {
  description: 'How far the course takes the target: `introduced`, `reinforced` or `mastered` (the usual curriculum-map convention).'
})

export const Curriculum = Type.Object({
  type: Type.Literal('curriculum', { description: 'The kind of record.' }),
  id: Uuid('The curriculum\'s id.'),
  name: Text(200, 'The programme\'s name.', 'MSc Implementation Science'),
  description: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'What the programme is.' }),
  framework: Type.String({ description: 'The framework it maps to.', examples: ['isp'] }),
  version: Type.String({ description: 'The framework version it is pinned to; alignments name targets in this version.', examples: ['1.1'] }),
  createdAt: Time('When it was created.'),
  updatedAt: Time('When it last changed.'),
  revision: Revision,
  href: Type.String({ format: 'uri', description: 'This curriculum\'s URL.' }),
  courses: Type.String({ format: 'uri', description: 'The URL of its courses.' })
}, { $id: 'Curriculum', additionalProperties: false, description: 'A programme of an institution, mapped to one pinned version of a framework.' })

export const CurriculumCreate = Type.Object({
  name: Text(200, 'The programme\'s name.', 'MSc Implementation Science'),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'What the programme is.' })),
  framework: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 120, description: 'The framework id.', examples: ['isp'] }),
  version: Type.String({ pattern: '^(?:latest|[0-9]+(?:\\.[0-9]+)*(?:-[0-9A-Za-z.-]+)?)$', maxLength: 64, description: 'The version to pin; `latest` pins the newest version now.', examples: ['1.1'] })
}, { $id: 'CurriculumCreate', additionalProperties: false, description: 'A new curriculum.' })

export const CurriculumPatch = Type.Object({
  name: Type.Optional(Text(200, 'The programme\'s name.')),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'What the programme is.' }))
}, { $id: 'CurriculumPatch', additionalProperties: false, minProperties: 1, description: 'Changes to a curriculum (its framework and version are fixed).' })

const courseFields = {
  code: Text(64, 'The course code, unique within the curriculum.', 'IS101'),
  title: Text(300, 'The course title.', 'Foundations of implementation'),
  url: Type.Optional(Type.Union([Url('The course\'s page.'), Type.Null()])),
  term: Type.Optional(Type.Union([Type.String({ maxLength: 64, description: 'When it runs, e.g. `Year 1, autumn`.' }), Type.Null()])),
  credits: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1000, description: 'Credits.' }), Type.Null()])),
  externalIds: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$' }), Type.String({ maxLength: 200 }), {
    maxProperties: 20, description: 'Ids in other systems, e.g. `{"moodle": "1234", "canvas": "987"}`.'
  }))
}

export const Course = Type.Object({
  type: Type.Literal('course', { description: 'The kind of record.' }),
  id: Uuid('The course\'s id.'),
  curriculum: Uuid('The curriculum it belongs to.'),
  code: courseFields.code,
  title: courseFields.title,
  url: Type.Union([Type.String({ format: 'uri' }), Type.Null()], { description: 'The course\'s page.' }),
  term: Type.Union([Type.String(), Type.Null()], { description: 'When it runs.' }),
  credits: Type.Union([Type.Number(), Type.Null()], { description: 'Credits.' }),
  externalIds: Type.Record(Type.String(), Type.String(), { description: 'Ids in other systems.' }),
  createdAt: Time('When it was created.'),
  updatedAt: Time('When it (or its alignments) last changed.'),
  revision: Revision,
  href: Type.String({ format: 'uri', description: 'This course\'s URL.' }),
  alignments: Type.String({ format: 'uri', description: 'The URL of its alignments.' })
}, { $id: 'Course', additionalProperties: false, description: 'A course of a curriculum.' })

export const CourseCreate = Type.Object(courseFields, { $id: 'CourseCreate', additionalProperties: false, description: 'A new course.' })
export const CoursePatch = Type.Object({
  code: Type.Optional(courseFields.code),
  title: Type.Optional(courseFields.title),
  url: courseFields.url,
  term: courseFields.term,
  credits: courseFields.credits,
  externalIds: courseFields.externalIds
}, { $id: 'CoursePatch', additionalProperties: false, minProperties: 1, description: 'Changes to a course.' })

export const AlignmentTarget = Type.Object({
  type: Type.Union([Type.Literal('competency'), Type.Literal('activity'), Type.Literal('subpoint')], { description: 'What kind of entity the target is.' }),
  id: Type.String({ description: 'Its slug id in the pinned version.', examples: ['co-learning-a3'] }),
  code: Type.String({ description: 'Its code.', examples: ['C01.A03'] }),
  uuid: Uuid('Its uuid.'),
  uri: Type.String({ format: 'uri', description: 'Its canonical URI.' })
}, { $id: 'AlignmentTarget', additionalProperties: false, description: 'The framework entity a course is aligned to.' })

export const CourseAlignment = Type.Object({
  type: Type.Literal('alignment', { description: 'The kind of record.' }),
  id: Uuid('The alignment\'s id.'),
  course: Uuid('The course.'),
  target: ref(AlignmentTarget),
  level: LevelSchema,
  note: Type.Union([Type.String(), Type.Null()], { description: 'A note.' }),
  evidenceUrl: Type.Union([Type.String({ format: 'uri' }), Type.Null()], { description: 'Where the evidence is (a syllabus, an assessment).' }),
  needsReview: Type.Boolean({ description: 'A re-pin (POST …/migrate) changed the target\'s text; PUT the set again to clear it.' }),
  detached: Type.Boolean({ description: 'A re-pin found the target removed: kept, but in no export.' }),
  detachedFrom: Type.Union([Type.String(), Type.Null()], { description: 'The version a detached target was last in.' }),
  createdAt: Time('When it was created.'),
  updatedAt: Time('When it last changed.'),
  revision: Revision
}, { $id: 'CourseAlignment', additionalProperties: false, description: 'A course\'s alignment to a competency, key activity or sub-point, at a level.' })

const alignmentFields = {
  level: LevelSchema,
  note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], { description: 'A note.' })),
  evidenceUrl: Type.Optional(Type.Union([Url('Where the evidence is.'), Type.Null()]))
}

export const AlignmentCreate = Type.Object(alignmentFields, { $id: 'AlignmentCreate', additionalProperties: false, description: 'An alignment to the target named in the path.' })
export const AlignmentInput = Type.Object({
  target: Type.String({ minLength: 1, maxLength: 120, description: 'A competency, key activity or sub-point of the pinned version, by uuid, slug id or code.', examples: ['C01.A03'] }),
  ...alignmentFields
}, { $id: 'AlignmentInput', additionalProperties: false, description: 'One alignment of a set.' })
export const AlignmentSet = Type.Array(ref(AlignmentInput), { $id: 'AlignmentSet', maxItems: 1000, description: 'A course\'s whole set of alignments (PUT replaces the set).' })

export const CurriculumList = listOf(Curriculum, 'CurriculumList', 'A page of the institution\'s curricula.')
export const CourseList = listOf(Course, 'CourseList', 'A page of a curriculum\'s courses.')
export const CourseAlignmentList = Type.Object({
  data: Type.Array(ref(CourseAlignment), { description: 'The course\'s alignments, by target code.' }),
  meta: Type.Object({ total: Type.Integer({ minimum: 0, description: 'How many.' }) }, { additionalProperties: false })
}, { $id: 'CourseAlignmentList', additionalProperties: false, description: 'A course\'s alignments. The `ETag` is the course\'s: send it in `If-Match` to PUT the set.' })

export const ImportResult = Type.Object({
  created: Type.Array(ref(Course), { description: 'Courses created.' }),
  updated: Type.Array(ref(Course), { description: 'Courses whose code existed: updated, their alignments replaced.' })
}, { $id: 'ImportResult', additionalProperties: false, description: 'What a CSV import did (all of it, or nothing).' })

/** In dependency order. */
export const curriculaSchemas: TSchema[] = [
  Curriculum, CurriculumCreate, CurriculumPatch, Course, CourseCreate, CoursePatch, AlignmentTarget, CourseAlignment,
  AlignmentCreate, AlignmentInput, AlignmentSet, CurriculumList, CourseList, CourseAlignmentList, ImportResult
]

export type CurriculumView = Static<typeof Curriculum>
export type CourseView = Static<typeof Course>
export type AlignmentView = Static<typeof CourseAlignment>
export type AlignmentInputBody = Static<typeof AlignmentInput>
