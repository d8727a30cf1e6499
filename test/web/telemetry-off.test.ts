/**
 * Telemetry that is off loads nothing (issue 18): in a process of its own, building the app with
 * neither metrics nor tracing configured imports no module of OpenTelemetry, of prom-client, or
 * src/web/tracing.ts and metrics.ts; with both on, it imports them (so the check can fail).
 * Every import is recorded by a module resolution hook (node:module register) in that process.
 * The collector named there is a closed port: the process still closes cleanly (exit 0).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { testDatabase } from '../helpers/app.js'

const watched = /@opentelemetry\/|\/prom-client\/|\/src\/web\/(tracing|metrics)\.ts$/

// Appends every resolved URL to RECORD_IMPORTS; runs on the loader's thread.
const hooks = `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs'
export async function resolve (specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(process.env.RECORD_IMPORTS, resolved.url + '\\n')
  return resolved
}`)}`

const script = `
import { register } from 'node:module'
register(${JSON.stringify(hooks)})
const { build } = await import('./src/app.ts')
const { loadConfig } = await import('./src/config.ts')
const app = await build({ config: loadConfig(process.env) })
await app.ready()
const live = await app.inject('/health/live')
await app.close()
if (live.statusCode !== 200) process.exit(2)
`

function importsWith (env: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'isp-imports-'))
  try {
    const record = join(dir, 'imports.txt')
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', RECORD_IMPORTS: record, DB_PATH: testDatabase(false), LOG_LEVEL: 'silent', CURRICULA_DB_PATH: join(dir, 'curricula.db'), ...env },
      encoding: 'utf8',
      timeout: 60_000
    })
    if (child.status !== 0) throw new Error(`the child exited ${child.status}: ${child.stderr}`)
    return readFileSync(record, 'utf8').split('\n').filter((url) => url !== '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

t.test('with metrics and tracing off, none of their code is imported', async (t) => {
  const imports = importsWith({})
  t.ok(imports.some((url) => url.endsWith('/src/web/telemetry.ts')), `the hook saw the app's imports (${imports.length})`)
  t.same(imports.filter((url) => watched.test(url)), [], 'no OpenTelemetry, no prom-client, no tracing.ts or metrics.ts')
})

t.test('with both on, they are imported (the check above can fail), and a collector that is down does not fail the shutdown', async (t) => {
  const imports = importsWith({ METRICS_TOKEN: 'a-token-of-at-least-32-characters-long', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/' })
  for (const part of ['@opentelemetry/api', '@opentelemetry/sdk-trace-base', 'prom-client', 'src/web/tracing.ts', 'src/web/metrics.ts']) {
    t.ok(imports.some((url) => url.includes(part)), `${part} is imported`)
  }
})
