/**
 * Builds the content database from seed folders, atomically: the seeds are validated first, the
 * database is written to a temporary file beside the target and renamed over it only when
 * complete. A validation error or a crash leaves any earlier database untouched.
 *
 * At start (`ensureDatabase`) the temporary files of interrupted builds are removed, and a
 * database built from the same seeds is still checked (`PRAGMA quick_check`) and rebuilt when it
 * fails. When it cannot be rebuilt (a read-only folder, a full disk), a sound but stale database
 * is served with a warning; a corrupt or missing one stops the start with the file, the cause and
 * the fix (DatabaseStartupError).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { entityUuid, versionUuid } from '../content/ids.js'
import { loadSeeds, seedSetChecksum, type LoadedVersion } from '../content/load.js'
import { migrate } from './migrations.js'
import { DatabaseStartupError, fixFor, integrityProblem, removeStrayFiles } from './integrity.js'

/** Bump when the database layout or what is derived from the seeds changes. */
export const BUILD_FORMAT = 2

export interface BuildOptions {
  /** Seed roots, each holding `<framework>/<version>/` folders. */
  roots: string[]
  /** The database file to create or replace. */
  dbPath: string
  /** Writes the database (tests replace it to simulate a read-only folder or a full disk). */
  write?: (loaded: LoadedVersion[], checksum: string, dbPath: string) => void
}

export interface BuildResult {
  checksum: string
  versions: Array<{ framework: string, version: string }>
  /** False when the database was already built from the same seeds. */
  rebuilt: boolean
  /** Temporary files of interrupted builds removed at start. */
  removed?: string[]
  /** Why the existing database was rebuilt (or could not be), when it failed its check. */
  integrity?: string
  /** Set when a sound but stale database is served because it could not be rebuilt: why. */
  stale?: string
}

const json = (value: unknown): string => JSON.stringify(value)

function insertVersion (db: Database.Database, loaded: LoadedVersion, ordinal: number): void {
  const { seed } = loaded
  const fw = seed.framework.id
  const uuid = (id: string): string => entityUuid(fw, id)
  const counts = {
    principles: seed.principles.length,
    domains: seed.domains.length,
    competencies: seed.competencies.length,
    activities: seed.competencies.reduce((n, c) => n + c.activities.length, 0),
    hints: seed.competencies.length,
    definitions: seed.definitions.length,
    questions: seed.questions.length,
    dilemmas: seed.dilemmas.dilemmas.length,
    resources: seed.resources.groups.reduce((n, g) => n + g.resources.length, 0)
  }
  const { lastInsertRowid } = db.prepare(`INSERT INTO versions
    (framework, number, uuid, ordinal, released, checksum, meta, dilemmas_introduction, dilemmas_conclusion, resources_introduction, counts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    fw, seed.framework.version, versionUuid(fw, seed.framework.version), ordinal, seed.framework.released, loaded.checksum,
    json(seed.framework), seed.dilemmas.introduction, seed.dilemmas.conclusion ?? null, seed.resources.introduction, json(counts))
  const vkey = Number(lastInsertRowid)

  const uuids = db.prepare('INSERT INTO uuids (uuid, vkey, type, id) VALUES (?, ?, ?, ?)')
  const index = db.prepare('INSERT INTO search_index (vkey, type, entity_id, domain_id, title, body) VALUES (?, ?, ?, ?, ?, ?)')
  const track = (type: string, id: string, domain: string | null, title: string, body: string): string => {
    const u = uuid(id)
    uuids.run(u, vkey, type, id)
    if (type !== 'subpoint') index.run(vkey, type, id, domain, title, body)
    return u
  }

  const principle = db.prepare('INSERT INTO principles VALUES (?, ?, ?, ?, ?, ?, ?)')
  seed.principles.forEach((p, i) => principle.run(vkey, p.id, p.code, track('principle', p.id, null, p.name, p.description), i + 1, p.name, p.description))

  const domain = db.prepare('INSERT INTO domains VALUES (?, ?, ?, ?, ?, ?, ?)')
  seed.domains.forEach((d, i) => domain.run(vkey, d.id, d.code, track('domain', d.id, d.id, d.name, d.description), i + 1, d.name, d.description))

  const competency = db.prepare('INSERT INTO competencies VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const activity = db.prepare('INSERT INTO activities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  const subpoint = db.prepare('INSERT INTO subpoints VALUES (?, ?, ?, ?, ?, ?, ?)')
  const hint = db.prepare('INSERT INTO hints VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  let activityOrdinal = 0
  seed.competencies.forEach((c, i) => {
    const overviewText = c.overview.flatMap((s) => [s.text, ...(s.items ?? [])]).join('\n')
    competency.run(vkey, c.id, c.code, track('competency', c.id, c.domain, c.name, overviewText), i + 1, c.domain, c.name, json(c.overview))
    c.activities.forEach((a, j) => {
      const subs = a.subpoints ?? []
      const body = [a.text, ...subs.map((s) => s.text)].join('\n')
      activity.run(vkey, a.id, a.code, track('activity', a.id, c.domain, a.code, body), j + 1, c.id, c.domain, a.text, ++activityOrdinal)
      subs.forEach((s, k) => subpoint.run(vkey, s.id, s.code, track('subpoint', s.id, c.domain, s.code, s.text), k + 1, a.id, s.text))
    })
    hint.run(vkey, c.hint.id, c.hint.code, track('hint', c.hint.id, c.domain, c.hint.code, c.hint.paragraphs.join('\n')), i + 1, c.id, c.domain, json(c.hint.paragraphs))
  })

  const definition = db.prepare('INSERT INTO definitions VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  seed.definitions.forEach((d, i) => definition.run(vkey, d.id, d.code, track('definition', d.id, null, d.term, [d.text, ...(d.otherNames ?? [])].join('\n')), i + 1, d.term, d.text, json(d.otherNames ?? [])))

  const question = db.prepare('INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?)')
  seed.questions.forEach((q, i) => question.run(vkey, q.id, q.code, track('question', q.id, null, q.code, [q.text, ...(q.subquestions ?? [])].join('\n')), i + 1, q.text, json(q.subquestions ?? [])))

  const dilemma = db.prepare('INSERT INTO dilemmas VALUES (?, ?, ?, ?, ?, ?)')
  seed.dilemmas.dilemmas.forEach((d, i) => dilemma.run(vkey, d.id, d.code, track('dilemma', d.id, null, d.code, d.text), i + 1, d.text))

  const group = db.prepare('INSERT INTO resource_groups VALUES (?, ?, ?, ?, ?)')
  const resource = db.prepare('INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
  let resourcePosition = 0
  seed.resources.groups.forEach((g, i) => {
    group.run(vkey, g.id, i + 1, g.title ?? null, g.note ?? null)
    for (const r of g.resources) {
      resource.run(vkey, r.id, r.code, track('resource', r.id, null, g.title ?? r.code, r.text), ++resourcePosition, g.id, r.kind, r.text, r.url ?? null, r.doi ?? null)
    }
  })
}

/** Reads the seed checksum a built database records, or null if there is no usable database. */
export function builtChecksum (dbPath: string): string | null {
  if (!existsSync(dbPath)) return null
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'seeds_checksum'").get() as { value: string } | undefined
      return row?.value ?? null
    } finally {
      db.close()
    }
  } catch {
    return null
  }
}

function summary (loaded: LoadedVersion[], checksum: string, rebuilt: boolean): BuildResult {
  return { checksum, rebuilt, versions: loaded.map((v) => ({ framework: v.seed.framework.id, version: v.seed.framework.version })) }
}

function writeDatabase (loaded: LoadedVersion[], checksum: string, dbPath: string): void {
  mkdirSync(dirname(dbPath), { recursive: true })
  const tmp = `${dbPath}.tmp-${process.pid}-${Date.now()}`
  try {
    const db = new Database(tmp)
    try {
      db.pragma('journal_mode = DELETE')
      migrate(db)
      db.transaction(() => {
        const ordinals = new Map<string, number>()
        for (const v of loaded) {
          const fw = v.seed.framework.id
          const ordinal = ordinals.get(fw) ?? 0
          ordinals.set(fw, ordinal + 1)
          insertVersion(db, v, ordinal)
        }
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('seeds_checksum', checksum)
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('build_format', String(BUILD_FORMAT))
      })()
      db.exec("INSERT INTO search_index (search_index) VALUES ('optimize')")
    } finally {
      db.close()
    }
    renameSync(tmp, dbPath)
  } catch (err) {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${tmp}${suffix}`, { force: true })
    throw err
  }
}

/** Validates the seeds and writes a fresh database, replacing `dbPath` only on success. */
export function buildDatabase ({ roots, dbPath }: BuildOptions): BuildResult {
  const loaded = loadSeeds(roots)
  const checksum = seedSetChecksum(loaded, BUILD_FORMAT)
  writeDatabase(loaded, checksum, dbPath)
  return summary(loaded, checksum, true)
}

/**
 * Builds the database when it is missing, was built from other seeds, or fails its integrity
 * check; removes the leftovers of interrupted builds first. Throws a DatabaseStartupError naming
 * the file, the cause and the fix when there is no sound database to serve.
 */
export function ensureDatabase ({ roots, dbPath, write = writeDatabase }: BuildOptions): BuildResult {
  const removed = removeStrayFiles(dbPath)
  const loaded = loadSeeds(roots)
  const checksum = seedSetChecksum(loaded, BUILD_FORMAT)
  const exists = existsSync(dbPath)
  const built = exists ? builtChecksum(dbPath) : null
  const problem = exists ? integrityProblem(dbPath) : null
  const extras = { ...(removed.length === 0 ? {} : { removed }), ...(problem === null ? {} : { integrity: problem }) }
  if (built === checksum && problem === null) return { ...summary(loaded, checksum, false), ...extras }
  try {
    write(loaded, checksum, dbPath)
  } catch (err) {
    removeStrayFiles(dbPath)
    const cause = `${exists ? problem === null ? 'could not be rebuilt from changed seeds' : `is damaged (${problem}) and could not be rebuilt` : 'could not be built'}: ${(err as Error).message}`
    // Sound but built from other seeds: serving it beats not serving at all.
    if (exists && problem !== null) throw new DatabaseStartupError(dbPath, cause, fixFor(err, dbPath))
    if (exists && built !== null) return { ...summary(loaded, built, false), ...extras, stale: `${cause}. ${fixFor(err, dbPath)}` }
    throw new DatabaseStartupError(dbPath, cause, fixFor(err, dbPath))
  }
  return { ...summary(loaded, checksum, true), ...extras }
}
