/**
 * A database that heals: corrupt pages are found at start and rebuilt from the seeds (or refused
 * with the file, the cause and the fix), stray files of interrupted builds are removed, a stale
 * database in a folder that cannot be written is served with a warning, and an SQLite error while
 * running is a 500 with readiness failing, never a 400 blaming the client.
 */
import t from 'tap'
import { closeSync, copyFileSync, openSync, readdirSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { build } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { bundledSeedsDir } from '../../src/paths.js'
import { buildDatabase, ensureDatabase } from '../../src/store/build.js'
import { DatabaseStartupError, integrityProblem, isSearchSyntax, removeStrayFiles } from '../../src/store/integrity.js'
import { fixtureSeedsDir, tempDir } from '../helpers/app.js'

const roots = [bundledSeedsDir]
const good = join(tempDir(), 'good.db')
buildDatabase({ roots, dbPath: good })
const pageSize = (new Database(good, { readonly: true }).pragma('page_size', { simple: true }) as number)
const pages = statSync(good).size / pageSize

/** A copy of the good database with page `n` (1-based) overwritten by a fixed pattern. */
function corrupted (n: number): string {
  const dbPath = join(tempDir(), 'content.db')
  copyFileSync(good, dbPath)
  const fd = openSync(dbPath, 'r+')
  const junk = Buffer.alloc(pageSize)
  for (let i = 0; i < pageSize; i++) junk[i] = (i * 131 + n) % 251
  writeSync(fd, junk, 0, pageSize, (n - 1) * pageSize)
  closeSync(fd)
  return dbPath
}

const urls = [
  '/v1/frameworks/isp/1.1', '/v1/frameworks/isp/1.1/competencies?include=activities,hint', '/v1/frameworks/isp/1.1/activities?limit=100&offset=100',
  '/v1/frameworks/isp/1.1/definitions', '/v1/frameworks/isp/1.1/resources', '/v1/frameworks/isp/1.1/export', '/v1/search?q=trust'
]

t.test('corrupt pages anywhere in the database: rebuilt at start, or served whole; never 500s behind a green readiness', async (t) => {
  const chosen = [...new Set([1, 2, 3, Math.floor(pages / 4), Math.floor(pages / 2), Math.floor((3 * pages) / 4), pages - 1, pages])]
  t.ok(pages > 8, `${pages} pages of ${pageSize} bytes`)
  for (const n of chosen) {
    const dbPath = corrupted(n)
    const found = integrityProblem(dbPath)
    const result = ensureDatabase({ roots, dbPath })
    if (found !== null) {
      t.equal(result.rebuilt, true, `page ${n}: found (${found.slice(0, 60)}) and rebuilt`)
      t.equal(result.integrity, found)
      t.equal(integrityProblem(dbPath), null, `page ${n}: the rebuilt database is sound`)
    }
    const app = await build({ config: loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY: '0' }) })
    const statuses = []
    for (const url of urls) statuses.push((await app.inject(url)).statusCode)
    const ready = (await app.inject('/health/ready')).statusCode
    await app.close()
    t.ok(statuses.every((s) => s < 500) || ready === 503, `page ${n}: ${found === null ? 'passed the check' : 'rebuilt'}; answers ${statuses.join(',')}, readiness ${ready}`)
  }
})

t.test('a damaged database that cannot be rebuilt: a clear refusal naming the file, the cause and the fix', async (t) => {
  const dbPath = corrupted(2)
  const readOnly = (): void => { throw Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' }) }
  const err = t.throws(() => ensureDatabase({ roots, dbPath, write: readOnly })) as unknown as DatabaseStartupError
  t.type(err, DatabaseStartupError)
  t.match(err.message, dbPath)
  t.match(err.message, /is damaged .* and could not be rebuilt: EROFS/)
  t.match(err.message, /Fix: make .* writable/)
  const full = (): void => { throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }) }
  t.throws(() => ensureDatabase({ roots, dbPath: join(tempDir(), 'missing.db'), write: full }), /could not be built: database or disk is full\. Fix: free space on the volume/)
})

t.test('a sound but stale database that cannot be rebuilt is served, with a warning', async (t) => {
  const dbPath = join(tempDir(), 'content.db')
  copyFileSync(good, dbPath)
  const denied = (): void => { throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }) }
  const result = ensureDatabase({ roots: [bundledSeedsDir, fixtureSeedsDir], dbPath, write: denied })
  t.equal(result.rebuilt, false)
  t.match(result.stale, /could not be rebuilt from changed seeds: EACCES.*make .* writable/)
})

t.test('stray files of interrupted builds are removed at start; a live build is left alone', async (t) => {
  const dir = tempDir()
  const dbPath = join(dir, 'content.db')
  copyFileSync(good, dbPath)
  // 4194305 is above Linux's largest pid: that build is surely dead.
  const dead = ['content.db.tmp-4194305-1700000000000', 'content.db.tmp-4194305-1700000000000-journal']
  const live = `content.db.tmp-${process.ppid}-${Date.now()}`
  const hung = `content.db.tmp-${process.ppid}-1`
  for (const name of [...dead, live, hung, 'other.db.tmp-4194305-1']) writeFileSync(join(dir, name), 'x')
  const old = new Date(Date.now() - 3600_000)
  utimesSync(join(dir, hung), old, old)
  const result = ensureDatabase({ roots, dbPath })
  t.same(result.removed?.sort(), [...dead, hung].sort())
  t.same(readdirSync(dir).sort(), ['content.db', live, 'other.db.tmp-4194305-1'].sort(), 'only the database, a live build and other files remain')
  t.same(removeStrayFiles(join(tempDir(), 'none', 'x.db')), [], 'a missing folder is nothing to clean')
})

t.test('an SQLite error while running is a 500 with a request id, logged at error level, and readiness fails', async (t) => {
  const dbPath = join(tempDir(), 'content.db')
  copyFileSync(good, dbPath)
  const lines: Array<Record<string, unknown>> = []
  const stream = { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } }
  const app = await build({ config: loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY: '0' }), logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  t.equal((await app.inject('/v1/search?q=%22unbalanced')).statusCode, 400, 'a search FTS5 cannot parse is the client\'s error')
  t.equal((await app.inject('/health/ready')).statusCode, 200, 'and does not touch readiness')
  // The search index disappears under the running process (as a damaged page would make it).
  const writer = new Database(dbPath)
  writer.exec('DROP TABLE search_index')
  writer.close()
  const res = await app.inject({ url: '/v1/search?q=team', headers: { 'x-request-id': 'broken-1' } })
  t.equal(res.statusCode, 500, 'not a 400 blaming the client')
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json().detail, /request id broken-1/)
  t.notMatch(res.body, /search_index|SQLITE|no such table/, 'no SQL in the answer')
  t.ok(lines.some((l) => l.level === 50 && l.requestId === 'broken-1'), 'logged at error level with the request id')
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 503, 'readiness fails')
  t.equal(ready.json().checks.database, 'fail')
})

t.test('isSearchSyntax tells FTS5 complaints from a broken database', async (t) => {
  const e = (message: string, code = 'SQLITE_ERROR'): Error => Object.assign(new Error(message), { code })
  t.ok(isSearchSyntax(e('fts5: syntax error near "\\""')))
  t.ok(isSearchSyntax(e('unterminated string')))
  t.ok(isSearchSyntax(e('no such column: foo')))
  t.notOk(isSearchSyntax(e('no such table: search_index')))
  t.notOk(isSearchSyntax(e('database disk image is malformed', 'SQLITE_CORRUPT')))
})
