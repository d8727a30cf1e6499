/**
 * docs/curricula.md's section on a new version and the exports, run as written after the
 * walk-through, against a real server that also serves the fixture isp 1.2.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'
import { fixtureSeedsDir, tempDir, testDatabase } from '../helpers/app.js'
import { startServer } from '../helpers/server-process.js'

t.setTimeout(300_000)
const exec = promisify(execFile)
const doc = readFileSync(new URL('../../docs/curricula.md', import.meta.url), 'utf8')

t.test('the section runs and prints what the docs say', async (t) => {
  const walk = /## Walk-through[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1]
  const section = /## A new version, and exports[\s\S]*?```sh\n([\s\S]*?)```\n\nprints:\n\n```text\n([\s\S]*?)```/.exec(doc)
  t.ok(walk, 'the walk-through')
  t.ok(section, 'a shell block and its output')
  // No load shedding: on a busy test machine a 503 would fail a step of the walk-through.
  const env = { DB_PATH: testDatabase(true), SEEDS_DIR: fixtureSeedsDir, CURRICULA_DB_PATH: join(tempDir(), 'curricula.db'), PRESSURE_MAX_EVENT_LOOP_DELAY: '0' }
  const server = await startServer(t, env)
  // The walk-through runs in the project (for npm run admin), the section in a scratch folder (it writes a file).
  const { stdout } = await exec('bash', ['-euo', 'pipefail', '-c', `{\n${walk ?? ''}\n} > /dev/null\ncd "${tempDir()}"\n${section?.[1] ?? ''}`], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, API: `http://127.0.0.1:${server.port}`, _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    timeout: 240_000
  })
  t.equal(stdout, section?.[2])
})
