/** A whole version read through the repository, for views that need all of it (REST snapshots, diffs). */
import type { VersionRecord, VersionRecords } from '../content/model.js'
import type { Repository } from '../store/repository.js'

/** Reads a version's records: one statement per kind. */
export function readVersion (repo: Repository, v: VersionRecord): VersionRecords {
  return {
    principle: repo.entities('principle').list(v),
    domain: repo.entities('domain').list(v),
    competency: repo.entities('competency').list(v),
    activity: repo.entities('activity').list(v),
    hint: repo.entities('hint').list(v),
    definition: repo.entities('definition').list(v),
    question: repo.entities('question').list(v),
    dilemma: repo.entities('dilemma').list(v),
    resource: repo.entities('resource').list(v),
    groups: repo.resourceGroups(v)
  }
}
