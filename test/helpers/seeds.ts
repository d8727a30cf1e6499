/** The seed files as written: the source of expected values in REST tests. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { VersionSeed } from '../../src/content/schema.js'
import { bundledSeedsDir } from '../../src/paths.js'
import { fixtureSeedsDir } from './app.js'

const names = ['framework', 'principles', 'domains', 'competencies', 'definitions', 'questions', 'dilemmas', 'resources'] as const

/** isp 1.1 (bundled) or the fixture isp 1.2, exactly as the seed files hold it. */
export function readSeeds (version: '1.1' | '1.2'): VersionSeed {
  const dir = join(version === '1.1' ? bundledSeedsDir : fixtureSeedsDir, 'isp', version)
  return Object.fromEntries(names.map((n) => [n, JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8'))])) as unknown as VersionSeed
}
