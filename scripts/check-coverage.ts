/** Fails the test run when coverage falls below the thresholds in package.json ("coverageThresholds"). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../src/paths.js'

type Metric = 'lines' | 'statements' | 'functions' | 'branches'
const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { coverageThresholds: Record<Metric, number> }
const summary = JSON.parse(readFileSync(join(projectRoot, '.tap', 'report', 'coverage-summary.json'), 'utf8')) as { total: Record<Metric, { pct: number }> }

let failed = false
for (const [metric, min] of Object.entries(pkg.coverageThresholds) as Array<[Metric, number]>) {
  const pct = summary.total[metric].pct
  const ok = pct >= min
  failed ||= !ok
  process.stdout.write(`coverage ${metric}: ${pct}% (minimum ${min}%) ${ok ? 'ok' : 'TOO LOW'}\n`)
}
process.exit(failed ? 1 : 0)
