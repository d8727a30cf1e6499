/**
 * The committed openapi.yaml passes Redocly's recommended rules (`redocly lint`) with no error.
 * Its warnings are known and listed here, so a new kind of warning fails too.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { projectRoot } from '../../src/paths.js'

const cli = join(createRequire(import.meta.url).resolve('@redocly/cli/package.json'), '..', 'bin', 'cli.js')

interface Problem { ruleId: string, severity: 'error' | 'warn', message: string, location: Array<{ pointer: string }> }

/** Warnings accepted, by rule: operations that have no 4xx (health, the JSON-LD contexts, the CASE discovery documents), no licence named for the API, a local server URL. */
const acceptedWarnings = new Set(['operation-4xx-response', 'info-license', 'no-server-example.com'])

t.test('redocly lint (recommended): no errors, only the known warnings', async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', 'openapi.yaml', '--extends', 'recommended', '--format', 'json'], {
    cwd: projectRoot,
    // No telemetry or update check: the test talks to nothing outside this machine.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    timeout: 60_000
  }).catch((err: { stdout?: string, stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }))
  const report = JSON.parse(stdout) as { totals: { errors: number, warnings: number }, problems: Problem[] }
  const errors = report.problems.filter((p) => p.severity === 'error')
  t.same(errors.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`), [], 'no errors')
  t.equal(report.totals.errors, 0)
  const unexpected = report.problems.filter((p) => p.severity === 'warn' && !acceptedWarnings.has(p.ruleId))
  t.same(unexpected.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`), [], 'no new kind of warning')
})
