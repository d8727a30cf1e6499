/**
 * The launcher's code cache, on a small CommonJS file in a child process each time (the cache is
 * written as the process exits): absent, then used; refused when it does not match, then
 * replaced; and a cache that cannot be written is no reason to fail.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../src/paths.js'

const dir = mkdtempSync(join(tmpdir(), 'isp-launch-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const file = join(dir, 'program.cjs')
const cache = `${file}.cache`
writeFileSync(file, "const { basename } = require('node:path')\nfunction twice (n) { return n * 2 }\nconsole.log(JSON.stringify({ name: basename(__filename), dir: __dirname === require('node:path').dirname(__filename), answer: twice(21), exported: typeof module.exports }))\n")

/** Runs `file` through runWithCodeCache; returns the state it reported and what the program printed. */
function launch (cacheFile = cache): { state: string, printed: Record<string, unknown>, status: number | null } {
  const source = `import { runWithCodeCache } from './src/launch.ts'\nconst state = runWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)})\nconsole.log(state)`
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: projectRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', _TAPJS_PROCESSINFO_COVERAGE_: '0' }, timeout: 20_000
  })
  const [printed, state] = run.stdout.trim().split('\n')
  return { state: state ?? '', printed: JSON.parse(printed ?? '{}') as Record<string, unknown>, status: run.status }
}

t.test('runs the file as require would: __filename, __dirname, require and module', async (t) => {
  const run = launch()
  t.equal(run.status, 0)
  t.same(run.printed, { name: 'program.cjs', dir: true, answer: 42, exported: 'object' })
})

t.test('no cache: one is written at exit; the next start uses it and leaves it alone', async (t) => {
  rmSync(cache, { force: true })
  t.equal(launch().state, 'absent')
  const written = readFileSync(cache)
  t.ok(written.length > 0, 'written at exit')
  t.equal(launch().state, 'used')
  t.ok(readFileSync(cache).equals(written), 'not written again')
})

t.test('a cache that does not match is refused, the file still runs, and the cache is replaced', async (t) => {
  writeFileSync(cache, 'garbage')
  const run = launch()
  t.equal(run.state, 'rejected')
  t.equal(run.printed.answer, 42)
  t.not(readFileSync(cache, 'utf8'), 'garbage')
  t.equal(launch().state, 'used')
})

t.test('a cache that cannot be written leaves the program running and exiting cleanly', async (t) => {
  const nowhere = join(dir, 'missing-folder', 'program.cjs.cache')
  const run = launch(nowhere)
  t.equal(run.status, 0)
  t.equal(run.state, 'absent')
  t.throws(() => statSync(nowhere), 'nothing written')
})

t.test('a file rewritten while it ran gets no cache: V8 would take it back for any source of the same length', async (t) => {
  rmSync(cache, { force: true })
  const original = readFileSync(file, 'utf8')
  // The program rewrites itself, as a build running beside the process would.
  writeFileSync(file, `${original}require('node:fs').utimesSync(__filename, new Date(), new Date(Date.now() + 60_000))\n`)
  t.teardown(() => writeFileSync(file, original))
  const run = launch()
  t.equal(run.status, 0)
  t.equal(run.state, 'absent')
  t.throws(() => statSync(cache), 'no cache written for a file that changed')
})
