/**
 * Keeping the content database whole: an integrity check at start, removal of what interrupted
 * builds leave behind, telling a search the user mistyped from a database that is broken, and
 * start-up errors that name the file, the cause and the fix.
 */
import { readdirSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'

/** The result of `PRAGMA quick_check`: null when the file is sound, else what SQLite found. */
export function integrityProblem (dbPath: string): string | null {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    try {
      const rows = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>
      const found = rows.map((r) => r.quick_check).filter((r) => r !== 'ok')
      return found.length === 0 ? null : found.slice(0, 3).join('; ')
    } finally {
      db.close()
    }
  } catch (err) {
    return (err as Error).message
  }
}

/** Temporary files a build of `dbPath` writes: `<file>.tmp-<pid>-<time>` and its journal. */
const temporary = (dbPath: string): RegExp => new RegExp(`^${basename(dbPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-(\\d+)-(\\d+)(?:-journal|-wal|-shm)?$`)

function alive (pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A build by a live process is left alone unless it is this old (it has surely died or hung). */
export const STALE_BUILD_MS = 10 * 60 * 1000

/**
 * Removes what interrupted builds of `dbPath` left beside it (temporary databases and their
 * journals), except a build still running in another live process. Returns the names removed.
 */
export function removeStrayFiles (dbPath: string, now = Date.now()): string[] {
  const folder = dirname(dbPath)
  const pattern = temporary(dbPath)
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const match = pattern.exec(name)
    if (match === null) continue
    const file = join(folder, name)
    try {
      const running = Number(match[1]) !== process.pid && alive(Number(match[1]))
      if (running && now - statSync(file).mtimeMs < STALE_BUILD_MS) continue
      rmSync(file, { force: true })
      removed.push(name)
    } catch {
      // Gone already, or not ours to remove: the next start tries again.
    }
  }
  return removed
}

/**
 * FTS5's complaints about a query it cannot parse. Any other SQLite error during a search (a
 * missing table, a malformed page) is the server's fault, not the client's.
 */
const searchSyntax = /fts5: syntax error|unterminated string|unknown special query|no such column|fts5: column queries|fts5: parser stack overflow/i

/** Whether an error is FTS5 refusing the text of a search. */
export function isSearchSyntax (err: unknown): boolean {
  return (err as { code?: unknown }).code === 'SQLITE_ERROR' && searchSyntax.test((err as Error).message) && !/no such table/i.test((err as Error).message)
}

/** Whether an error comes from SQLite (better-sqlite3's SqliteError, code SQLITE_*). */
export function isSqliteError (err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_')
}

/** A start-up failure of the content database: the message names the file, the cause and the fix. */
export class DatabaseStartupError extends Error {
  readonly code = 'DB_STARTUP'
  constructor (readonly dbPath: string, readonly reason: string, readonly fix: string) {
    super(`Content database ${dbPath}: ${reason}. Fix: ${fix}`)
    this.name = 'DatabaseStartupError'
  }
}

/** What to do about an error opening, checking or writing the database at `dbPath`. */
export function fixFor (err: unknown, dbPath: string): string {
  const code = String((err as { code?: unknown }).code ?? '')
  const folder = dirname(dbPath)
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || /disk is full/i.test(String((err as Error).message))) {
    return `free space on the volume holding ${folder} (a build needs about twice the database's size), or set DB_PATH to a file on another volume`
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'SQLITE_READONLY') {
    return `make ${folder} writable by this process (user ${process.getuid?.() ?? '?'}), or build the database elsewhere with \`npm run seed\` (DB_PATH=…) and mount it there`
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EEXIST') {
    return `check that ${folder} exists, is a folder and is writable, or set DB_PATH to a file in one that is`
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return `delete ${dbPath} and start again in a folder this process can write, so that it is rebuilt from the seeds`
  }
  return `delete ${dbPath} and start again so that it is rebuilt from the seeds; if that fails too, check the disk and the seeds (npm run seed shows the error)`
}
