/**
 * Building the content database: atomic replacement, rebuild only on change, several versions,
 * and a read-only store.
 */
import t from 'tap'
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { buildDatabase, builtChecksum, ensureDatabase } from '../../src/store/build.js'
import { Repository } from '../../src/store/repository.js'
import { bundledSeedsDir } from '../../src/paths.js'
import { fixtureSeedsDir, tempDir } from '../helpers/app.js'

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

t.test('a build writes a database with every kind counted', async (t) => {
  const dbPath = join(tempDir(), 'content.db')
  const result = buildDatabase({ roots: [bundledSeedsDir], dbPath })
  t.equal(result.rebuilt, true)
  t.same(result.versions, [{ framework: 'isp', version: '1.1' }])
  const repo = new Repository(dbPath)
  t.teardown(() => repo.close())
  const v = repo.version('isp', '1.1')
  t.ok(v)
  t.match(v!.counts, { principles: 6, domains: 3, competencies: 15, activities: 115, hints: 15, questions: 10, dilemmas: 4 })
  t.equal(repo.entities('activity').list(v!).length, 115)
})

t.test('a failed rebuild leaves the previous database intact and no temporary file', async (t) => {
  const dir = tempDir()
  const dbPath = join(dir, 'content.db')
  buildDatabase({ roots: [bundledSeedsDir], dbPath })
  const before = sha(dbPath)

  const bad = tempDir()
  cpSync(bundledSeedsDir, bad, { recursive: true })
  const file = join(bad, 'isp', '1.1', 'principles.json')
  const principles = JSON.parse(readFileSync(file, 'utf8'))
  principles[3].id = principles[0].id
  writeFileSync(file, JSON.stringify(principles))

  t.throws(() => buildDatabase({ roots: [bad], dbPath }), /principles\.json at \/3\/id: duplicate id/)
  t.equal(sha(dbPath), before, 'the old database is byte for byte the same')
  t.same(readdirSync(dir), ['content.db'], 'no half-built file is left behind')
  const repo = new Repository(dbPath)
  t.teardown(() => repo.close())
  t.equal(repo.entities('principle').list(repo.version('isp', 'latest')!).length, 6, 'and it still serves')
})

t.test('ensureDatabase rebuilds only when the seeds change', async (t) => {
  const seeds = tempDir()
  cpSync(bundledSeedsDir, seeds, { recursive: true })
  const dbPath = join(tempDir(), 'content.db')

  t.equal(ensureDatabase({ roots: [seeds], dbPath }).rebuilt, true, 'first start builds')
  const built = statSync(dbPath).mtimeMs
  const checksum = builtChecksum(dbPath)
  t.match(checksum, /^[0-9a-f]{64}$/)

  const again = ensureDatabase({ roots: [seeds], dbPath })
  t.equal(again.rebuilt, false, 'unchanged seeds reuse the database')
  t.equal(statSync(dbPath).mtimeMs, built, 'the file is not rewritten')

  const file = join(seeds, 'isp', '1.1', 'dilemmas.json')
  const dilemmas = JSON.parse(readFileSync(file, 'utf8'))
  dilemmas.dilemmas[0].text += ' Edited.'
  writeFileSync(file, JSON.stringify(dilemmas))
  const changed = ensureDatabase({ roots: [seeds], dbPath })
  t.equal(changed.rebuilt, true, 'changed seeds rebuild')
  t.not(builtChecksum(dbPath), checksum)
})

t.test('builtChecksum is null for a missing or foreign file', async (t) => {
  const dir = tempDir()
  t.equal(builtChecksum(join(dir, 'none.db')), null)
  writeFileSync(join(dir, 'junk.db'), 'not a database')
  t.equal(builtChecksum(join(dir, 'junk.db')), null)
})

t.test('a fixture version loads beside 1.1 and latest moves to it', async (t) => {
  const dbPath = join(tempDir(), 'content.db')
  buildDatabase({ roots: [bundledSeedsDir, fixtureSeedsDir], dbPath })
  const repo = new Repository(dbPath)
  t.teardown(() => repo.close())
  const [fw] = repo.frameworks()
  t.same(fw?.versions.map((v) => v.number), ['1.2', '1.1'])
  t.equal(repo.version('isp', 'latest')?.number, '1.2')

  const v11 = repo.version('isp', '1.1')!
  const v12 = repo.version('isp', '1.2')!
  const activities = repo.entities('activity')
  // The fixture README lists the edits: brokering-a7 removed, co-learning-a8 added, co-learning-a2 changed.
  t.ok(activities.get(v11, 'brokering-a7'))
  t.equal(activities.get(v12, 'brokering-a7'), undefined)
  t.equal(activities.get(v11, 'co-learning-a8'), undefined)
  t.equal(activities.get(v12, 'co-learning-a8')?.text, 'Fixture-only activity added in 1.2.')
  t.not(activities.get(v12, 'co-learning-a2')?.text, activities.get(v11, 'co-learning-a2')?.text)
  t.equal(activities.get(v12, 'co-learning-a3')?.uuid, activities.get(v11, 'co-learning-a3')?.uuid, 'unchanged entities keep their uuid')
  t.equal(repo.entities('question').list(v12).length, 9)
  t.equal(repo.entities('question').list(v11).length, 10)
})

t.test('the content database is read-only', async (t) => {
  const dbPath = join(tempDir(), 'content.db')
  buildDatabase({ roots: [bundledSeedsDir], dbPath })
  const repo = new Repository(dbPath)
  t.teardown(() => repo.close())
  t.throws(() => repo.db.prepare("UPDATE principles SET name = 'x'").run(), { code: /SQLITE_READONLY/ })
  t.throws(() => repo.db.exec('CREATE TABLE intruder (x)'), { code: /SQLITE_READONLY/ })
  t.ok(existsSync(dbPath))
})
