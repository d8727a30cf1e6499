/**
 * `npm run backup -- [file]`: a consistent copy of the SQLite curricula store, taken with
 * SQLite's online backup while the server keeps running (it copies a snapshot, page by page,
 * restarting if a write lands meanwhile). The default file is
 * `curricula-backup-<time>.db` beside the store. With DATABASE_URL (PostgreSQL) use `pg_dump`
 * instead; see docs/curricula.md.
 */
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { loadConfig } from '../config.js'
import { curriculaStoreOptions } from './store-options.js'

/** Copies the SQLite database at `source` to `destination` with the online backup API. */
export async function backupSqlite (source: string, destination: string): Promise<{ totalPages: number }> {
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    const { totalPages } = await db.backup(destination)
    return { totalPages }
  } finally {
    db.close()
  }
}

async function main (): Promise<void> {
  const options = curriculaStoreOptions(loadConfig())
  if (options.databaseUrl !== undefined) {
    process.stderr.write('The curricula store is PostgreSQL (DATABASE_URL): back it up with pg_dump, e.g. pg_dump --format=custom --file=curricula.dump "$DATABASE_URL".\n')
    process.exit(1)
  }
  const destination = process.argv[2] ?? join(dirname(options.sqlitePath), `curricula-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.db`)
  const { totalPages } = await backupSqlite(options.sqlitePath, destination)
  process.stdout.write(`${JSON.stringify({ source: options.sqlitePath, backup: destination, pages: totalPages })}\n`)
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(1)
  })
}
