/** Schemas of a curriculum's version impact, its migration and its Open Badges export (OpenAPI components). */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { Alignment } from '../../formats/alignment.js'
import { ref } from '../../web/schemas/common.js'
import { Curriculum } from '../schemas.js'

/** A string enum written compactly (`enum`, not an `anyOf` of literals: openapi.yaml is kept small). */
const Enum = <T extends string>(values: readonly T[], description: string) => Type.Unsafe<T>({ type: 'string', enum: values, description })
const Uuid = (description: string) => Type.String({ format: 'uuid', description })
const Url = (description: string) => Type.String({ format: 'uri', description })
export const Placement = Type.Object({ parent: Type.Optional(Type.String()), position: Type.Integer({ minimum: 1 }) }, {
  $id: 'Placement', additionalProperties: false, description: 'A parent id and a 1-based place.'
})
export const CourseRef = Type.Object({ id: Uuid('Its id.'), code: Type.String(), title: Type.String(), href: Url('Its URL.') }, { $id: 'CourseRef', additionalProperties: false, description: 'A course.' })

export const ImpactTarget = Type.Object({
  type: Enum(['competency', 'activity', 'subpoint'], 'Its kind.'),
  id: Type.String({ description: 'Its slug id.' }),
  code: Type.String({ description: 'Its code.' }),
  uuid: Uuid('Its uuid, the same in every version.'),
  uri: Url('Its canonical URI.'),
  version: Type.String({ description: 'The version it is described in.' }),
  identifier: Uuid('Its CASE identifier in that version (a new text gets a new one).')
}, { $id: 'ImpactTarget', additionalProperties: false, description: 'An alignment target as one version publishes it.' })

export const AlignmentImpact = Type.Object({
  alignment: Uuid('The alignment\'s id.'),
  course: ref(CourseRef),
  level: Enum(['introduced', 'reinforced', 'mastered'], 'Its level.'),
  status: Enum(['unchanged', 'changed', 'moved', 'removed'], '`changed`: its text; `moved`: another parent or place; `removed`: not in `to`.'),
  from: ref(ImpactTarget),
  to: Type.Union([ref(ImpactTarget), Type.Null()], { description: 'Null when removed.' }),
  fields: Type.Array(Type.Unsafe(Type.Ref('FieldChange')), { description: 'The fields whose text changed, with a word diff.' }),
  moved: Type.Union([Type.Object({ from: ref(Placement), to: ref(Placement) }, { additionalProperties: false }), Type.Null()], { description: 'Where it was and is, when it moved.' }),
  replacedBy: Type.Union([Type.String({ format: 'uri' }), Type.Null()], { description: 'CASE `replacedBy`: the new text\'s URI.' }),
  needsReview: Type.Boolean({ description: 'Marked for review after migrating.' }),
  detached: Type.Boolean({ description: 'Kept but detached after migrating.' })
}, { $id: 'AlignmentImpact', additionalProperties: false, description: 'What moving to another version does to one alignment.' })

export const CurriculumImpact = Type.Object({
  curriculum: Uuid('The curriculum.'),
  framework: Type.String(),
  from: Type.String({ description: 'The pinned version.' }),
  to: Type.String({ description: 'The version compared to.' }),
  summary: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Alignments per status: unchanged, changed, moved, removed.' }),
  alignments: Type.Array(ref(AlignmentImpact), { description: 'Every alignment, by course and target code.' }),
  changes: Url('The framework\'s comparison of the two versions.')
}, { $id: 'CurriculumImpact', additionalProperties: false, description: 'What re-pinning a curriculum to `to` does to each alignment.' })

export const MigrateRequest = Type.Object({
  to: Type.String({ minLength: 1, maxLength: 64, description: 'The version to pin, or `latest`.', examples: ['1.2'] })
}, { $id: 'MigrateRequest', additionalProperties: false, description: 'The version to re-pin a curriculum to.' })

export const MigrationResult = Type.Object({
  migrated: Type.Boolean({ description: 'false when it was already pinned to `to`: nothing changed.' }),
  curriculum: ref(Curriculum),
  impact: ref(CurriculumImpact),
  detached: Type.Array(Uuid('An alignment.'), { description: 'The alignments kept but detached (status `removed`).' })
}, { $id: 'MigrationResult', additionalProperties: false, description: 'What re-pinning did to each alignment.' })

export const CurriculumBadgeAlignments = Type.Object({
  curriculum: Uuid('The curriculum.'),
  framework: Type.String(),
  version: Type.String(),
  courses: Type.Array(Type.Object({
    course: ref(CourseRef),
    alignment: Type.Array(ref(Alignment), { description: 'For an Achievement\'s `alignment`.' })
  }, { additionalProperties: false }))
}, { $id: 'CurriculumBadgeAlignments', additionalProperties: false, description: 'Per course, the Open Badges 3.0 Alignments of its targets.' })

/** In dependency order, after the curricula schemas. */
export const reportSchemas: TSchema[] = [Placement, CourseRef, ImpactTarget, AlignmentImpact, CurriculumImpact, MigrateRequest, MigrationResult, CurriculumBadgeAlignments]

export type AlignmentImpactView = Static<typeof AlignmentImpact>
export type CurriculumImpactView = Static<typeof CurriculumImpact>
export type MigrationResultView = Static<typeof MigrationResult>
