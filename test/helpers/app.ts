/**
 * Test helpers: a content database built once per test process from the bundled seeds (and, on
 * request, the fixture version in test/fixtures/seeds), and an app built on it, closed on teardown.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { build } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { bundledSeedsDir } from '../../src/paths.js'
import { buildDatabase } from '../../src/store/build.js'
import { Repository } from '../../src/store/repository.js'

/** The fixture seed root: isp@1.2, a changed copy of 1.1. */
export const fixtureSeedsDir = fileURLToPath(new URL('../fixtures/seeds', import.meta.url))

const scratch = mkdtempSync(join(tmpdir(), 'isp-test-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))

/** A fresh scratch folder, removed when the process exits. */
export function tempDir (): string {
  return mkdtempSync(join(scratch, 'd-'))
}

const databases = new Map<boolean, string>()

/** The path of a database built from the bundled seeds, plus the fixture version if asked. */
export function testDatabase (fixtures = false): string {
  let path = databases.get(fixtures)
  if (path === undefined) {
    path = join(scratch, fixtures ? 'with-fixtures.db' : 'bundled.db')
    buildDatabase({ roots: fixtures ? [bundledSeedsDir, fixtureSeedsDir] : [bundledSeedsDir], dbPath: path })
    databases.set(fixtures, path)
  }
  return path
}

export interface TestAppOptions {
  /** Also load the fixture version isp@1.2 (then `latest` is 1.2). */
  fixtures?: boolean
  /** Extra environment settings, as strings, as the process would get them. */
  env?: Record<string, string>
}

interface Teardown { teardown: (fn: () => unknown) => void }

/** The config a test app runs with. */
export function testConfig ({ fixtures = false, env = {} }: TestAppOptions = {}): Config {
  // Tests send thousands of requests from one address on a busy machine; the rate-limit and
  // load-shedding tests set their own limits.
  return loadConfig({ DB_PATH: testDatabase(fixtures), LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', RATE_LIMIT_MAX: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY: '0', ...env })
}

/** Builds the app for a test and closes it in the test's teardown. */
export async function buildApp (t: Teardown, options: TestAppOptions = {}): Promise<FastifyInstance> {
  const app = await build({ config: testConfig(options) })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

/** A repository on the test database, closed on teardown. */
export function openRepository (t: Teardown, fixtures = false): Repository {
  const repo = new Repository(testDatabase(fixtures))
  t.teardown(() => repo.close())
  return repo
}
