/**
 * bufferedStdout, in a real child process (it writes to file descriptor 1): a quiet logger's
 * lines still arrive within the flush interval, a busy one's arrive in blocks, not one write per
 * line, and whatever is waiting when the process exits is written, not lost.
 */
import { spawn } from 'node:child_process'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'

interface Run { chunks: Array<{ at: number, text: string }>, code: number | null }

/** Runs `body` as an ES module with `logger` (pino on bufferedStdout) in scope; collects stdout as it arrives. */
async function run (body: string): Promise<Run> {
  const source = `import pino from 'pino'
import { bufferedStdout } from './src/web/logging.ts'
const logger = pino({ level: 'info', base: null, timestamp: false }, bufferedStdout(200))
${body}`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', _TAPJS_PROCESSINFO_COVERAGE_: '0' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const started = Date.now()
  const chunks: Run['chunks'] = []
  child.stdout.on('data', (d: Buffer) => chunks.push({ at: Date.now() - started, text: d.toString() }))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  return { chunks, code }
}

const lines = (r: Run): string[] => r.chunks.map((c) => c.text).join('').split('\n').filter((l) => l !== '')

t.test('a single line is written within the flush interval, while the process still runs', async (t) => {
  // The line is logged, then the process waits 1.5 s before exiting: the line must come before.
  const r = await run("logger.info('alone'); setTimeout(() => {}, 1500)")
  t.equal(r.code, 0)
  t.same(lines(r), ['{"level":30,"msg":"alone"}'])
  t.ok(r.chunks[0]!.at < 1300, `written after ${r.chunks[0]!.at} ms, before the process ended`)
})

t.test('many lines go out in blocks, not a write per line', async (t) => {
  const r = await run("for (let i = 0; i < 2000; i++) logger.info({ i }, 'busy'); setTimeout(() => {}, 500)")
  t.equal(r.code, 0)
  const all = lines(r)
  t.equal(all.length, 2000, 'every line arrives')
  t.same(all.map((l) => (JSON.parse(l) as { i: number }).i), Array.from({ length: 2000 }, (_, i) => i), 'in order')
  t.ok(r.chunks.length < 200, `${r.chunks.length} reads for 2000 lines`)
})

t.test('lines waiting at exit are written: process.exit and an uncaught error', async (t) => {
  const exit = await run("logger.info('last words'); process.exit(3)")
  t.equal(exit.code, 3)
  t.same(lines(exit), ['{"level":30,"msg":"last words"}'])
  const crash = await run("logger.info('before the crash'); setImmediate(() => { throw new Error('boom') })")
  t.equal(crash.code, 1)
  t.same(lines(crash), ['{"level":30,"msg":"before the crash"}'])
})

t.test('lines waiting at exit are written: the end of the event loop, and a burst cut short by process.exit', async (t) => {
  const quiet = await run("logger.info('natural end')")
  t.equal(quiet.code, 0)
  t.same(lines(quiet), ['{"level":30,"msg":"natural end"}'])
  // Some blocks in sonic-boom (one being written), the rest still gathered in front of it.
  const burst = await run("for (let i = 0; i < 1000; i++) logger.info({ i }, 'burst'); process.exit(0)")
  t.equal(burst.code, 0)
  t.same(lines(burst).map((l) => (JSON.parse(l) as { i: number }).i), Array.from({ length: 1000 }, (_, i) => i), 'every line, in order')
})
