/**
 * Start-up of the real server process around the content database: a path it cannot use is a
 * message naming the file, the cause and the fix (no stack trace); a damaged database is rebuilt
 * and the leftovers of interrupted builds removed, each logged as a warning.
 */
import { closeSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { bundledSeedsDir } from '../../src/paths.js'
import { buildDatabase } from '../../src/store/build.js'
import { tempDir } from '../helpers/app.js'
import { runServer, startServer } from '../helpers/server-process.js'

t.test('a database path it cannot use: exit 1 with the path, the cause and the fix', async (t) => {
  const blocker = join(tempDir(), 'not-a-folder')
  writeFileSync(blocker, 'x')
  const dbPath = join(blocker, 'content.db')
  const run = await runServer({ DB_PATH: dbPath, HOST: '127.0.0.1', PORT: '0' })
  t.equal(run.code, 1)
  t.match(run.stderr, `Content database ${dbPath}: could not be built`)
  t.match(run.stderr, /Fix: check that .*not-a-folder exists, is a folder and is writable, or set DB_PATH/)
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')
})

t.test('a damaged database and stray build files: rebuilt and removed at start, with warnings', async (t) => {
  const dir = tempDir()
  const dbPath = join(dir, 'content.db')
  buildDatabase({ roots: [bundledSeedsDir], dbPath })
  const fd = openSync(dbPath, 'r+')
  writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, 4096)
  closeSync(fd)
  writeFileSync(join(dir, 'content.db.tmp-4194305-1'), 'x')
  writeFileSync(join(dir, 'content.db.tmp-4194305-1-journal'), 'x')
  const server = await startServer(t, { DB_PATH: dbPath })
  t.ok(server.logs.some((l) => l.level === 40 && l.msg === 'the content database failed its integrity check and was rebuilt from the seeds'))
  t.ok(server.logs.some((l) => l.level === 40 && /removed the temporary files/.test(String(l.msg))))
  t.equal((await fetch(`http://127.0.0.1:${server.port}/health/ready`)).status, 200)
  t.equal((await fetch(`http://127.0.0.1:${server.port}/v1/search?q=trust`)).status, 200)
  // The curricula store (curricula.db and its WAL) lives beside it by default; it is not a build file.
  t.same(readdirSync(dir).filter((f) => !f.startsWith('curricula.db')), ['content.db'], 'only the database is left')
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
})
