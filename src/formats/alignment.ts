/**
 * Open Badges 3.0 / CLR 2.0 `Alignment` objects, ready to paste into an Achievement's
 * `alignment` list: a badge aligned to a competency, key activity or sub-point points at its CASE
 * item.
 */
import { Type, type Static } from '@sinclair/typebox'
import type { ActivityRecord, CompetencyRecord, SubPointRecord } from '../content/model.js'
import { caseUri } from './case.js'
import { nodeText } from '../catalog/version.js'
import type { VersionIndex } from '../catalog/version-index.js'

export const Alignment = Type.Object({
  type: Type.Array(Type.Literal('Alignment'), { minItems: 1, maxItems: 1, description: 'Always `["Alignment"]`.' }),
  targetName: Type.String({ description: 'The competency\'s name, or the key activity\'s or sub-point\'s text.' }),
  targetDescription: Type.String({ description: 'The full text as Markdown: a competency\'s overview, a key activity with its sub-points, or a sub-point.' }),
  targetUrl: Type.String({ format: 'uri', description: 'The CASE URI of the item (it resolves, and serves the CFItem with `?format=case`).' }),
  targetCode: Type.String({ description: 'The item\'s code, e.g. C01, C01.A02 or C10.A01.S01.' }),
  targetFramework: Type.String({ description: 'The framework\'s title.' }),
  targetType: Type.Literal('CFItem', { description: 'Always `CFItem`: the target is a CASE item.' })
}, { $id: 'Alignment', additionalProperties: false, description: 'An Open Badges 3.0 / CLR 2.0 Alignment to a competency or key activity, ready to paste into an Achievement\'s `alignment` list.' })

export type Alignment = Static<typeof Alignment>

/** The OB3 Alignment of a competency, key activity or sub-point of a version. */
export function alignment (view: VersionIndex, record: CompetencyRecord | ActivityRecord | SubPointRecord, baseUrl: string): Alignment {
  const description = record.type === 'activity' && record.subpoints.length > 0
    ? [record.text, '', ...record.subpoints.map((s) => `- ${s.text}`)].join('\n')
    : nodeText(record)
  return {
    type: ['Alignment'],
    targetName: record.type === 'competency' ? record.name : record.text,
    targetDescription: description,
    targetUrl: caseUri(baseUrl, view.revisionOf(record.uuid).identifier),
    targetCode: record.code,
    targetFramework: view.version.meta.title,
    targetType: 'CFItem'
  }
}
