/** Schemas of a curriculum's version impact, its migration and its Open Badges export (OpenAPI components). */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { Alignment } from '../../formats/alignment.js'
import { ref } from '../../web/schemas/common.js'
import { AlignmentTarget, Curriculum, LevelSchema } from '../schemas.js'

const Uuid = (description: string) => Type.String({ format: 'uuid', description })
const Url = (description: string) => Type.String({ format: 'uri', description })
const Status = Type.Union(['unchanged', 'changed', 'moved', 'removed'].map((s) => Type.Literal(s)), {
  description: '`unchanged`, `changed` (its text), `moved` (another parent or place) or `removed` (not in `to`).'
})
const Placement = Type.Object({
  parent: Type.Optional(Type.String({ description: 'Parent id.' })),
  position: Type.Integer({ minimum: 1, description: '1-based position among its siblings.' })
}, { additionalProperties: false })
const Version = (description: string) => Type.String({ description, examples: ['1.1'] })
const Summary = Type.Object({
  unchanged: Type.Integer({ minimum: 0 }),
  changed: Type.Integer({ minimum: 0 }),
  moved: Type.Integer({ minimum: 0 }),
  removed: Type.Integer({ minimum: 0 })
}, { additionalProperties: false, description: 'Alignments per status.' })

export const ImpactTarget = Type.Object({
  ...AlignmentTarget.properties,
  version: Version('The version it is described in.'),
  identifier: Uuid('Its CASE identifier in that version (a new text gets a new one).')
}, { $id: 'ImpactTarget', additionalProperties: false, description: 'An alignment target as one version publishes it.' })

export const AlignmentImpact = Type.Object({
  alignment: Uuid('The alignment\'s id.'),
  course: Type.Object({ id: Uuid('Its id.'), code: Type.String(), title: Type.String(), href: Url('Its URL.') }, { additionalProperties: false, description: 'The course.' }),
  level: LevelSchema,
  status: Status,
  from: ref(ImpactTarget),
  to: Type.Union([ref(ImpactTarget), Type.Null()], { description: 'The target in `to`; null when removed.' }),
  fields: Type.Array(Type.Unsafe(Type.Ref('FieldChange')), { description: 'The fields whose text changed, with a word diff (as `/v1/frameworks/{framework}/{version}/changes` gives them).' }),
  moved: Type.Union([Type.Object({ from: Placement, to: Placement }, { additionalProperties: false }), Type.Null()], { description: 'Where it was and is, when it moved.' }),
  replacedBy: Type.Union([Url('The CASE URI of the new text.'), Type.Null()], { description: 'When the target\'s text got a new CASE identifier (CASE `replacedBy`), its URI.' }),
  needsReview: Type.Boolean({ description: 'Marked for review after migrating (its text changed, or it was re-attached).' }),
  detached: Type.Boolean({ description: 'Kept but detached after migrating (its target is not in `to`).' })
}, { $id: 'AlignmentImpact', additionalProperties: false, description: 'What moving to another version does to one alignment.' })

const impactFields = {
  framework: Type.String({ description: 'The framework.', examples: ['isp'] }),
  from: Version('The version pinned before.'),
  to: Version('The version compared to.'),
  summary: Summary,
  alignments: Type.Array(ref(AlignmentImpact), { description: 'Every alignment, by course code and target code.' })
}

export const CurriculumImpact = Type.Object({
  curriculum: Uuid('The curriculum.'),
  href: Url('The curriculum\'s URL.'),
  ...impactFields,
  changes: Url('The framework\'s own comparison of the two versions.')
}, { $id: 'CurriculumImpact', additionalProperties: false, description: 'What re-pinning a curriculum to `to` would do to each alignment (POST …/migrate does it).' })

export const MigrateRequest = Type.Object({
  to: Type.String({ pattern: '^(?:latest|[0-9]+(?:\\.[0-9]+)*(?:-[0-9A-Za-z.-]+)?)$', maxLength: 64, description: 'The version to pin, or `latest`.', examples: ['1.2'] })
}, { $id: 'MigrateRequest', additionalProperties: false, description: 'The version to re-pin a curriculum to.' })

export const MigrationResult = Type.Object({
  migrated: Type.Boolean({ description: 'false when it was already pinned to `to` (nothing changed).' }),
  curriculum: ref(Curriculum),
  ...impactFields,
  detached: Type.Array(ref(AlignmentImpact), { description: 'The alignments kept but detached: their target is not in `to`.' })
}, { $id: 'MigrationResult', additionalProperties: false, description: 'What re-pinning did to each alignment.' })

export const CurriculumBadgeAlignments = Type.Object({
  curriculum: Uuid('The curriculum.'),
  framework: Type.String({ description: 'The framework.' }),
  version: Version('The pinned version.'),
  courses: Type.Array(Type.Object({
    course: Type.Object({ id: Uuid('Its id.'), code: Type.String(), title: Type.String(), href: Url('Its URL.') }, { additionalProperties: false }),
    alignment: Type.Array(ref(Alignment), { description: 'Ready to paste into an Achievement\'s `alignment`.' })
  }, { additionalProperties: false }), { description: 'Per course, by code.' })
}, { $id: 'CurriculumBadgeAlignments', additionalProperties: false, description: 'Open Badges 3.0 Alignment objects of each course\'s targets.' })

/** In dependency order, after the curricula schemas. */
export const reportSchemas: TSchema[] = [ImpactTarget, AlignmentImpact, CurriculumImpact, MigrateRequest, MigrationResult, CurriculumBadgeAlignments]

export type AlignmentImpactView = Static<typeof AlignmentImpact>
export type CurriculumImpactView = Static<typeof CurriculumImpact>
export type MigrationResultView = Static<typeof MigrationResult>
