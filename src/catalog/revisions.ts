/**
 * Published identity across versions. CASE, CTDL-ASN and OB3 consumers store the identifier of
 * what they import and expect it to keep naming the same words. An entity whose text is the same
 * as when it was last published keeps its identifier (the entity uuid, for its first text); when
 * its text changes, the new text gets a new identifier, UUIDv5 of `<entity uuid>@<version>` in the
 * project namespace, and the old identifier is `replacedBy` the new one. "Changed" is the content
 * diff's notion (content/changes.ts), on the entity's own text: its code and words, not its place
 * and not its children's text (a sub-point is an item of its own). Moving an entity (a new
 * position or parent) changes its associations, not its identity.
 */
import { v5 as uuidv5 } from 'uuid'
import { ID_NAMESPACE } from '../content/ids.js'
import { ownText } from '../content/changes.js'
import type { VersionRecord, VersionRecords } from '../content/model.js'
import { outline } from './version.js'
import { runNow, SLICE, type Steps } from './steps.js'

/** The identity of one entity's text in one version. */
export interface Revision {
  /** The identifier CASE and JSON-LD use for this text of the entity. */
  identifier: string
  /** The version that first published this text. */
  since: VersionRecord
  /** The identifier of the entity's previously published text, when this one replaced it. */
  replaces?: string
}

/** The identifier of an entity's text first published in `version`. */
export function revisionUuid (entityUuid: string, version: string): string {
  return uuidv5(`${entityUuid}@${version}`, ID_NAMESPACE)
}

/**
 * The published identity of every entity of a framework's versions, oldest first. Each version is
 * compared with the text last published for each entity in any earlier version, so an entity
 * dropped and later restored with the same text keeps its identifier.
 */
export function revisionHistory (history: ReadonlyArray<{ version: VersionRecord, records: VersionRecords }>): Array<Map<string, Revision>> {
  return runNow(revisionHistorySteps(history))
}

/** revisionHistory in steps (catalog/steps.ts). */
export function * revisionHistorySteps (history: ReadonlyArray<{ version: VersionRecord, records: VersionRecords }>): Steps<Array<Map<string, Revision>>> {
  const last = new Map<string, { revision: Revision, fingerprint: string }>()
  const out: Array<Map<string, Revision>> = []
  for (const [i, { version, records }] of history.entries()) {
    // Fingerprints only matter to a later version: the newest (often the only one) needs none.
    const compared = i < history.length - 1
    const revisions = new Map<string, Revision>()
    let n = 0
    for (const record of [...outline(records).map((node) => node.record), ...records.definition]) {
      const before = last.get(record.uuid)
      const print = compared || before !== undefined ? ownText(record) : ''
      let revision: Revision
      if (before === undefined) revision = { identifier: record.uuid, since: version }
      else if (before.fingerprint === print) revision = before.revision
      else revision = { identifier: revisionUuid(record.uuid, version.number), since: version, replaces: before.revision.identifier }
      revisions.set(record.uuid, revision)
      if (compared) last.set(record.uuid, { revision, fingerprint: print })
      if (++n % SLICE === 0) yield
    }
    out.push(revisions)
  }
  return out
}
