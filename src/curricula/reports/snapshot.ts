/**
 * What a curriculum's reports and exports are rendered from: one consistent read of the
 * curriculum, its courses and their alignments (the store's `curriculumSnapshot`), and a tag that
 * changes when, and only when, any of them does. Every report representation's ETag derives
 * from the tag, so a report is recomputed only after a write to its curriculum.
 */
import { createHash } from 'node:crypto'
import type { CurriculumSnapshot } from '../store/repository.js'

export type { CurriculumSnapshot }

/** A digest of every record's id and revision (and the pinned version): equal tags, equal inputs. */
export function snapshotTag (s: CurriculumSnapshot): string {
  const h = createHash('sha256')
  h.update(`${s.curriculum.id}.${s.curriculum.revision}.${s.curriculum.framework}.${s.curriculum.version}\n`)
  for (const c of s.courses) h.update(`c${c.id}.${c.revision}\n`)
  for (const a of s.alignments) h.update(`a${a.id}.${a.revision}\n`)
  return h.digest('base64url').slice(0, 22)
}

/** A representation's strong ETag: the snapshot's tag, the report and its variant (e.g. `coverage.svg`). */
export const reportEtag = (tag: string, variant: string): string => `"${tag}-${variant}"`
