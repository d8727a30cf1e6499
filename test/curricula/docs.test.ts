/** docs/curricula.md's walk-through, run as written against a real server: CLI, REST, GraphQL. */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'
import { tempDir, testDatabase } from '../helpers/app.js'
import { startServer } from '../helpers/server-process.js'

t.setTimeout(300_000)
const exec = promisify(execFile)
const doc = readFileSync(new URL('../../docs/curricula.md', import.meta.url), 'utf8')

t.test('the walk-through runs and prints what the docs say', async (t) => {
  const walk = /## Walk-through[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1]
  const expected = /The last two commands print:\n\n```text\n([\s\S]*?)```/.exec(doc)?.[1]
  t.ok(walk, 'a shell block')
  t.ok(expected, 'its output')
  const env = { DB_PATH: testDatabase(), CURRICULA_DB_PATH: join(tempDir(), 'curricula.db') }
  const server = await startServer(t, env)
  const { stdout } = await exec('bash', ['-euo', 'pipefail', '-c', walk ?? ''], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, API: `http://127.0.0.1:${server.port}`, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    timeout: 240_000
  })
  t.equal(stdout, expected)
})
