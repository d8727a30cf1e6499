/**
 * Versioned migrations, one set per dialect (the column types differ: PostgreSQL has
 * `double precision` and identity columns, SQLite `real` and `autoincrement`). Kysely's Migrator
 * runs them in order and records them in `kysely_migration`, under its lock (an advisory lock on
 * PostgreSQL, a lock row in a transaction on SQLite), so replicas starting together migrate once.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely'

export type Dialect = 'sqlite' | 'postgres'

/** The tables every dialect shares; `auto` adds the dialect's auto-increment id column. */
function initial (dialect: Dialect): Migration {
  return {
    async up (db: Kysely<unknown>): Promise<void> {
      const real = dialect === 'postgres' ? 'double precision' : 'real'
      await db.schema.createTable('institutions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id').onDelete('cascade'))
        .addColumn('prefix', 'text', (c) => c.notNull().unique())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope IN ('read', 'write')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute()
      await db.schema.createTable('curricula')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('framework', 'text', (c) => c.notNull())
        .addColumn('framework_version', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('curricula_institution').on('curricula').columns(['institution_id', 'created_at']).execute()
      await db.schema.createTable('courses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull())
        .addColumn('curriculum_id', 'text', (c) => c.notNull().references('curricula.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('term', 'text')
        .addColumn('credits', sql.raw(real))
        .addColumn('external_ids', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addUniqueConstraint('courses_code', ['curriculum_id', 'code'])
        .execute()
      await db.schema.createTable('alignments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull())
        .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
        .addColumn('target_uuid', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('target_code', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull().check(sql`level IN ('introduced', 'reinforced', 'mastered')`))
        .addColumn('note', 'text')
        .addColumn('evidence_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addUniqueConstraint('alignments_target', ['course_id', 'target_uuid'])
        .execute()
      await db.schema.createTable('idempotency_keys')
        .addColumn('institution_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('headers', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['institution_id', 'key'])
        .execute()
      await db.schema.createTable('audit_log')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('institution_id', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('audit_log_institution').on('audit_log').columns(['institution_id', 'id']).execute()
    }
  }
}

/**
 * Re-pinning a curriculum to another version (POST …/migrate): an alignment whose target's text
 * changed is marked for review; one whose target is gone is kept, detached, with the version it
 * was last in (so it still names what it meant).
 */
const alignmentReview: Migration = {
  async up (db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('alignments').addColumn('needs_review', 'integer', (c) => c.notNull().defaultTo(0)).execute()
    await db.schema.alterTable('alignments').addColumn('detached_from', 'text').execute()
  }
}

/** The migrations of a dialect, by name; names sort in the order they run. */
export function migrations (dialect: Dialect): Record<string, Migration> {
  return { '0001-initial': initial(dialect), '0002-alignment-review': alignmentReview }
}

/** A Kysely MigrationProvider for the dialect's migrations. */
export function migrationProvider (dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) }
}
