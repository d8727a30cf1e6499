/** The online backup of the SQLite store: taken while writes go on, restored, every record found. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { backupSqlite } from '../../src/curricula/backup.js'
import { closeStore, openStore } from '../../src/curricula/store/open.js'
import { projectRoot } from '../../src/paths.js'
import { tempDir } from '../helpers/app.js'

const exec = promisify(execFile)

t.test('a backup taken during writes restores every record written before it', async (t) => {
  const dir = tempDir()
  const sqlitePath = join(dir, 'curricula.db')
  const repo = await openStore({ sqlitePath })
  t.teardown(() => closeStore(repo))
  const inst = await repo.createInstitution('Alpha')
  const actor = { institutionId: inst.id, keyId: null }
  const cur = await repo.createCurriculum(actor, { name: 'MSc', framework: 'isp', version: '1.1' })
  const written: string[] = []
  for (let i = 0; i < 50; i++) written.push((await repo.createCourse(actor, cur.id, { code: `C${i}`, title: `Course ${i}` })).id)
  // Writes keep landing while the backup runs.
  const during = (async () => { for (let i = 50; i < 80; i++) await repo.createCourse(actor, cur.id, { code: `C${i}`, title: `Course ${i}` }) })()
  const backup = join(dir, 'backup.db')
  const { totalPages } = await backupSqlite(sqlitePath, backup)
  await during
  t.ok(totalPages > 0)
  const restored = await openStore({ sqlitePath: backup })
  t.teardown(() => closeStore(restored))
  const { total, items } = await restored.listCourses(inst.id, cur.id, { limit: 100, offset: 0 })
  t.ok(total >= 50, `${total} courses in the backup`)
  const ids = new Set(items.map((c) => c.id))
  t.ok(written.every((id) => ids.has(id)), 'every course written before the backup is in it')
  t.equal((await restored.getCurriculum(inst.id, cur.id)).name, 'MSc')
  t.equal((await restored.listInstitutions()).length, 1)
})

t.test('npm run backup as a process; PostgreSQL is pointed to pg_dump', async (t) => {
  const dir = tempDir()
  const repo = await openStore({ sqlitePath: join(dir, 'curricula.db') })
  await repo.createInstitution('Beta')
  await closeStore(repo)
  const env = { PATH: process.env.PATH ?? '', DB_PATH: join(dir, 'content.db'), _TAPJS_PROCESSINFO_COVERAGE_: '0' }
  const out = join(dir, 'copy.db')
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'src/curricula/backup.ts', out], { cwd: projectRoot, env, timeout: 30_000 })
  t.match(JSON.parse(stdout), { backup: out })
  t.ok(existsSync(out))
  const pg = await exec(process.execPath, ['--import', 'tsx', 'src/curricula/backup.ts'], { cwd: projectRoot, env: { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, timeout: 30_000 }).catch((err: { code: number, stderr: string }) => err)
  t.match(pg, { code: 1, stderr: /pg_dump/ })
})
