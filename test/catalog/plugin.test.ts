/** The repository plugin: the content database is read-only to the app, and closes with it. */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { build } from '../../src/app.js'
import { Repository } from '../../src/store/repository.js'
import { buildApp, tempDir, testConfig, testDatabase } from '../helpers/app.js'

const writes = [
  "INSERT INTO meta (key, value) VALUES ('injected', 'x')",
  "UPDATE meta SET value = 'x' WHERE key = 'seeds_checksum'",
  'DELETE FROM meta',
  'DROP TABLE meta',
  'CREATE TABLE evil (x)',
  "ATTACH DATABASE ':memory:' AS other"
]

/** The error code a statement fails with, or 'no error'. */
function failure (repo: Repository, sql: string): string {
  try {
    repo.db.exec(sql)
    return 'no error'
  } catch (err) {
    return String((err as { code?: string }).code)
  }
}

t.test('the app cannot write to the content database', async (t) => {
  const app = await buildApp(t)
  for (const sql of writes.slice(0, 5)) t.equal(failure(app.repo, sql), 'SQLITE_READONLY', sql)
  t.equal(app.repo.versions().length, 1, 'the content is untouched')
})

t.test('even a read-write handle refuses writes: query_only is on', async (t) => {
  const path = join(tempDir(), 'copy.db')
  copyFileSync(testDatabase(), path)
  const repo = new Repository(path, { readonly: false })
  t.teardown(() => repo.close())
  for (const sql of writes.slice(0, 5)) t.equal(failure(repo, sql), 'SQLITE_READONLY', sql)
})

t.test('the database closes with the app that opened it, and stays open for a caller that owns it', async (t) => {
  const opened = await build({ config: testConfig() })
  await opened.ready()
  const repo = opened.repo
  await opened.close()
  t.equal(repo.db.open, false)

  const owned = new Repository(testDatabase())
  t.teardown(() => owned.close())
  const borrowing = await build({ config: testConfig(), repository: owned })
  await borrowing.ready()
  await borrowing.close()
  t.equal(owned.db.open, true)
})
