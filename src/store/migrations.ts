/**
 * The content database's schema, as ordered migrations tracked by `PRAGMA user_version`. The
 * database is always built whole from the seeds, so a new migration also bumps BUILD_FORMAT in
 * build.ts, which forces a rebuild of databases made by an older build.
 */
import type { Database } from 'better-sqlite3'

const entityColumns = `
  vkey INTEGER NOT NULL REFERENCES versions(vkey),
  id TEXT NOT NULL,
  code TEXT NOT NULL,
  uuid TEXT NOT NULL,
  position INTEGER NOT NULL`

export const migrations: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE versions (
    vkey INTEGER PRIMARY KEY,
    framework TEXT NOT NULL,
    number TEXT NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    ordinal INTEGER NOT NULL,
    released TEXT NOT NULL,
    checksum TEXT NOT NULL,
    meta TEXT NOT NULL,
    dilemmas_introduction TEXT NOT NULL,
    dilemmas_conclusion TEXT,
    resources_introduction TEXT NOT NULL,
    counts TEXT NOT NULL,
    UNIQUE (framework, number)
  );
  CREATE TABLE principles (${entityColumns}, name TEXT NOT NULL, description TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE TABLE domains (${entityColumns}, name TEXT NOT NULL, description TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE TABLE competencies (${entityColumns}, domain_id TEXT NOT NULL, name TEXT NOT NULL, overview TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE INDEX competencies_by_domain ON competencies (vkey, domain_id, position);
  CREATE TABLE activities (${entityColumns}, competency_id TEXT NOT NULL, domain_id TEXT NOT NULL, text TEXT NOT NULL, ordinal INTEGER NOT NULL, PRIMARY KEY (vkey, id));
  CREATE INDEX activities_by_competency ON activities (vkey, competency_id, position);
  CREATE INDEX activities_by_domain ON activities (vkey, domain_id, ordinal);
  CREATE TABLE subpoints (${entityColumns}, activity_id TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE INDEX subpoints_by_activity ON subpoints (vkey, activity_id, position);
  CREATE TABLE hints (${entityColumns}, competency_id TEXT NOT NULL, domain_id TEXT NOT NULL, paragraphs TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE INDEX hints_by_competency ON hints (vkey, competency_id);
  CREATE TABLE definitions (${entityColumns}, term TEXT NOT NULL, text TEXT NOT NULL, other_names TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE TABLE questions (${entityColumns}, text TEXT NOT NULL, subquestions TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE TABLE dilemmas (${entityColumns}, text TEXT NOT NULL, PRIMARY KEY (vkey, id));
  CREATE TABLE resource_groups (vkey INTEGER NOT NULL REFERENCES versions(vkey), id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT, note TEXT, PRIMARY KEY (vkey, id));
  CREATE TABLE resources (${entityColumns}, group_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, url TEXT, doi TEXT, PRIMARY KEY (vkey, id));
  CREATE TABLE uuids (uuid TEXT NOT NULL, vkey INTEGER NOT NULL REFERENCES versions(vkey), type TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (uuid, vkey));
  CREATE VIRTUAL TABLE search_index USING fts5 (
    vkey UNINDEXED, type UNINDEXED, entity_id UNINDEXED, domain_id UNINDEXED,
    title, body,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  `
]

/** Applies the migrations the database has not seen yet. */
export function migrate (db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  for (let i = current; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i] as string)
      db.pragma(`user_version = ${i + 1}`)
    })()
  }
}
