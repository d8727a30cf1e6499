/**
 * The loader rejects bad seeds with a message naming the file, the JSON pointer and the rule, and
 * derives the same identifiers on every run.
 */
import t, { type Test } from 'tap'
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { validate as isUuid, version as uuidVersion } from 'uuid'
import { loadSeeds, SeedError } from '../../src/content/load.js'
import { entityUuid, frameworkUuid, versionUuid } from '../../src/content/ids.js'
import { bundledSeedsDir } from '../../src/paths.js'
import { fixtureSeedsDir, tempDir } from '../helpers/app.js'

/** A writable copy of the bundled seeds, with `edit` applied to one file. */
function seedsWith (file: string, edit: (json: any) => unknown): string {
  const root = tempDir()
  cpSync(bundledSeedsDir, root, { recursive: true })
  const path = join(root, 'isp', '1.1', file)
  writeFileSync(path, JSON.stringify(edit(JSON.parse(readFileSync(path, 'utf8')))))
  return root
}

function rejects (t: Test, root: string, file: RegExp, pointer: string, rule: RegExp): void {
  try {
    loadSeeds([root])
    t.fail('seeds were accepted')
  } catch (err) {
    t.type(err, SeedError)
    const e = err as SeedError
    t.match(e.file, file, 'names the file')
    t.equal(e.pointer, pointer, 'names the JSON pointer')
    t.match(e.rule, rule, 'names the rule')
    t.match(e.message, e.file, 'the message carries the file')
  }
}

t.test('the bundled seeds load', async (t) => {
  const [v] = loadSeeds([bundledSeedsDir])
  t.equal(v?.seed.framework.id, 'isp')
  t.equal(v?.seed.framework.version, '1.1')
  t.match(v?.checksum, /^[0-9a-f]{64}$/)
})

t.test('a schema violation names file, pointer and rule', async (t) => {
  const root = seedsWith('competencies.json', (c) => { c[2].activities[1].text = ''; return c })
  rejects(t, root, /competencies\.json$/, '/2/activities/1/text', /length|empty|String/i)
})

t.test('an unknown property is rejected', async (t) => {
  const root = seedsWith('principles.json', (p) => { p[0].colour = 'blue'; return p })
  rejects(t, root, /principles\.json$/, '/0/colour', /additional|Unexpected/i)
})

t.test('invalid JSON is rejected', async (t) => {
  const root = tempDir()
  cpSync(bundledSeedsDir, root, { recursive: true })
  writeFileSync(join(root, 'isp', '1.1', 'domains.json'), '[{"id": ')
  rejects(t, root, /domains\.json$/, '', /invalid JSON/)
})

t.test('a missing file is rejected', async (t) => {
  const root = tempDir()
  cpSync(bundledSeedsDir, root, { recursive: true })
  rmSync(join(root, 'isp', '1.1', 'questions.json'))
  rejects(t, root, /questions\.json$/, '', /missing/)
})

t.test('duplicate ids are rejected, naming both places', async (t) => {
  const root = seedsWith('competencies.json', (c) => { c[0].activities[1].id = c[0].activities[0].id; return c })
  rejects(t, root, /competencies\.json$/, '/0/activities/1/id', /duplicate id "co-learning-a1".*\/0\/activities\/0/)
})

t.test('duplicate ids across files are rejected', async (t) => {
  const root = seedsWith('definitions.json', (d) => { d[0].id = 'co-learning'; return d })
  rejects(t, root, /definitions\.json$/, '/0/id', /duplicate id "co-learning"/)
})

t.test('duplicate codes are rejected', async (t) => {
  const root = seedsWith('principles.json', (p) => { p[1].code = 'P1'; return p })
  rejects(t, root, /principles\.json$/, '/1/code', /duplicate code "P1"/)
})

t.test('a competency in an unknown domain is rejected', async (t) => {
  const root = seedsWith('competencies.json', (c) => { c[0].domain = 'nowhere'; return c })
  rejects(t, root, /competencies\.json$/, '/0/domain', /unknown domain "nowhere"/)
})

t.test('framework metadata must match its folder', async (t) => {
  const root = seedsWith('framework.json', (f) => ({ ...f, version: '9.9' }))
  rejects(t, root, /framework\.json$/, '/version', /must match its folder name "1\.1"/)
})

t.test('the same version from two roots is rejected', async (t) => {
  t.throws(() => loadSeeds([bundledSeedsDir, bundledSeedsDir]), /isp@1\.1 is already loaded/)
})

t.test('a missing seed folder is rejected', async (t) => {
  t.throws(() => loadSeeds([join(tempDir(), 'nope')]), /seed folder does not exist/)
})

t.test('an empty seed folder is rejected', async (t) => {
  t.throws(() => loadSeeds([tempDir()]), /no framework versions found/)
})

t.test('versions load beside each other, newest first', async (t) => {
  const loaded = loadSeeds([bundledSeedsDir, fixtureSeedsDir])
  t.same(loaded.map((v) => v.seed.framework.version), ['1.2', '1.1'])
})

t.test('uuids are RFC 4122 version 5, deterministic and distinct per kind', async (t) => {
  const a = entityUuid('isp', 'co-learning')
  t.ok(isUuid(a))
  t.equal(uuidVersion(a), 5)
  t.equal(entityUuid('isp', 'co-learning'), a, 'same input, same uuid')
  t.not(entityUuid('isp', 'brokering'), a)
  t.not(entityUuid('other', 'co-learning'), a, 'the framework is part of the name')
  t.not(frameworkUuid('isp'), versionUuid('isp', '1.1'))
  t.not(versionUuid('isp', '1.1'), versionUuid('isp', '1.2'))
})

t.test('published uuids never change', async (t) => {
  // Pinned when first published: LMSs store these. A change here breaks every integration.
  t.equal(entityUuid('isp', 'co-learning'), 'dbc811dc-f1cf-5c99-baf9-25e7c661f186')
  t.equal(entityUuid('isp', 'co-learning-a1'), '389947a9-3036-5520-80bf-5953bb230a77')
  t.equal(versionUuid('isp', '1.1'), 'cb2e3a3f-93d8-5559-836e-bd2e327c61c3')
})
