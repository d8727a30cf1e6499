/**
 * Opens the curricula store: PostgreSQL when a `postgres://` URL is given, otherwise a SQLite file
 * (created on first use, WAL, foreign keys on, `synchronous=FULL` so that an acknowledged write
 * survives a crash or power loss). Migrations run before the store is handed out.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql, type DialectAdapter, type LogEvent } from 'kysely'
import pg from 'pg'
import { migrationProvider, type Dialect } from './migrations.js'
import { CurriculaRepository, defaultLimits, type PoolStats, type QueryObserver, type StoreLimits } from './repository.js'
import type { CurriculaDatabase } from './schema.js'

export interface StoreOptions {
  /** `postgres://…` (or `postgresql://…`): use PostgreSQL. */
  databaseUrl?: string | undefined
  /** The SQLite file, used when there is no `databaseUrl`. */
  sqlitePath: string
  limits?: StoreLimits
  /** PostgreSQL pool size. */
  poolSize?: number
  /** Called with errors of idle PostgreSQL connections (the server went away); they are not fatal. */
  onPoolError?: (err: Error) => void
}

/** Whether a DATABASE_URL names PostgreSQL. */
export const isPostgresUrl = (url: string | undefined): url is string => url !== undefined && /^postgres(ql)?:\/\//i.test(url)

/** Opens a SQLite database with the pragmas the store relies on. */
export function openSqlite (path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}

/**
 * Kysely's SQLite adapter takes no migration lock (it expects one connection). Two processes on
 * one file need one: writing the lock row first thing in the migration transaction takes SQLite's
 * write lock, so the second process waits (busy_timeout) and then finds the migrations applied.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  // SQLite's DDL is transactional; the migrations and the lock then share one transaction.
  override get supportsTransactionalDdl (): boolean {
    return true
  }

  override async acquireMigrationLock (db: Kysely<unknown>): Promise<void> {
    await sql`UPDATE kysely_migration_lock SET is_locked = 1 WHERE id = 'migration_lock'`.execute(db)
  }
}

class LockingSqliteDialect extends SqliteDialect {
  override createAdapter (): DialectAdapter {
    return new LockingSqliteAdapter()
  }
}

/** Opens the store, runs pending migrations and returns the repository; `close()` ends it. */
export async function openStore (options: StoreOptions): Promise<CurriculaRepository> {
  let dialect: Dialect
  let db: Kysely<CurriculaDatabase>
  let pool: PoolStats | undefined
  // Every query's duration and outcome goes to whoever observes the repository (metrics), once it is handed out.
  const observer: { current: QueryObserver | undefined } = { current: undefined }
  const log = (event: LogEvent): void => observer.current?.(event.queryDurationMillis / 1000, event.level === 'error', event.query.sql)
  if (isPostgresUrl(options.databaseUrl)) {
    dialect = 'postgres'
    const pgPool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000
    })
    // An idle client whose server goes away emits 'error' on the pool; unhandled, it ends the process.
    pgPool.on('error', (err) => options.onPoolError?.(err))
    // A checked-out client whose server goes away between queries emits 'error' with no listener
    // (pg-pool only listens while it is idle): every client gets its own, the query in flight
    // still fails, and the pool replaces the client.
    pgPool.on('connect', (client) => { client.on('error', (err) => options.onPoolError?.(err)) })
    db = new Kysely<CurriculaDatabase>({ dialect: new PostgresDialect({ pool: pgPool }), log })
    pool = () => ({ total: pgPool.totalCount, idle: pgPool.idleCount, waiting: pgPool.waitingCount })
  } else {
    dialect = 'sqlite'
    const sqlite = openSqlite(options.sqlitePath)
    db = new Kysely<CurriculaDatabase>({ dialect: new LockingSqliteDialect({ database: sqlite }), log })
  }
  try {
    await migrate(db, dialect)
  } catch (err) {
    await db.destroy()
    throw err
  }
  return new CurriculaRepository(db, dialect, options.limits ?? defaultLimits, { observer, pool })
}

/** Runs the dialect's pending migrations under Kysely's migration lock; throws the first failure. */
export async function migrate (db: Kysely<CurriculaDatabase>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) })
  const { error } = await migrator.migrateToLatest()
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error))
}

/** Closes the store's connections. */
export async function closeStore (repo: CurriculaRepository): Promise<void> {
  await repo.db.destroy()
}
