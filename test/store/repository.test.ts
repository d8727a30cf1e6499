/** The repository: lookups by list, id, parent and batch, uuid resolution, and FTS5 search. */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { SearchSyntaxError } from '../../src/store/repository.js'
import { entityUuid, frameworkUuid, versionUuid } from '../../src/content/ids.js'
import type { CompetencySeed, DomainSeed } from '../../src/content/schema.js'
import { openRepository } from '../helpers/app.js'

const seed = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../../seeds/isp/1.1/${file}`, import.meta.url), 'utf8')) as T
const competencies = seed<CompetencySeed[]>('competencies.json')
const domains = seed<DomainSeed[]>('domains.json')

t.test('lists keep guide order and carry all three identifiers', async (t) => {
  const repo = openRepository(t)
  const v = repo.version('isp', '1.1')!
  const list = repo.entities('competency').list(v)
  t.same(list.map((c) => c.id), competencies.map((c) => c.id))
  t.same(list.map((c) => c.position), competencies.map((_, i) => i + 1))
  for (const c of list) {
    t.equal(c.uuid, entityUuid('isp', c.id))
    t.equal(c.framework, 'isp')
    t.equal(c.version, '1.1')
  }
  const activities = repo.entities('activity').list(v)
  t.same(activities.map((a) => a.id), competencies.flatMap((c) => c.activities.map((a) => a.id)))
})

t.test('filters by parent', async (t) => {
  const repo = openRepository(t)
  const v = repo.version('isp', '1.1')!
  for (const d of domains) {
    const expected = competencies.filter((c) => c.domain === d.id)
    t.same(repo.entities('competency').list(v, { domain: d.id }).map((c) => c.id), expected.map((c) => c.id))
    t.equal(repo.entities('activity').list(v, { domain: d.id }).length, expected.reduce((n, c) => n + c.activities.length, 0))
  }
  const communication = competencies.find((c) => c.id === 'communication')!
  const acts = repo.entities('activity').list(v, { competency: 'communication' })
  t.same(acts.map((a) => a.text), communication.activities.map((a) => a.text))
  t.same(acts[0]?.subpoints.map((s) => s.text), communication.activities[0]?.subpoints?.map((s) => s.text), 'sub-points nested and ordered')
  t.throws(() => repo.entities('principle').list(v, { domain: 'x' }), /cannot be filtered by domain/)
})

t.test('by id is one statement', async (t) => {
  const repo = openRepository(t)
  const v = repo.version('isp', '1.1')!
  const before = repo.statements
  t.equal(repo.entities('hint').get(v, 'co-learning-hint')?.paragraphs.length, competencies[0]?.hint.paragraphs.length)
  t.equal(repo.entities('hint').get(v, 'nope'), undefined)
  t.equal(repo.statements - before, 2)
})

t.test('uuids resolve to entities, versions and frameworks', async (t) => {
  const repo = openRepository(t, true)
  t.match(repo.findUuid(entityUuid('isp', 'co-learning-a3')), { type: 'activity', id: 'co-learning-a3', version: { number: '1.2' } }, 'newest version first')
  t.match(repo.findUuid(entityUuid('isp', 'brokering-a7')), { type: 'activity', version: { number: '1.1' } }, 'removed entities resolve to the last version that has them')
  t.match(repo.findUuid(entityUuid('isp', 'communication-a1-s2')), { type: 'subpoint', id: 'communication-a1-s2' })
  t.match(repo.findUuid(versionUuid('isp', '1.1').toUpperCase()), { type: 'version', id: '1.1' })
  t.match(repo.findUuid(frameworkUuid('isp')), { type: 'framework', id: 'isp' })
  t.equal(repo.findUuid('00000000-0000-5000-8000-000000000000'), undefined)
  const v12 = repo.version('isp', '1.2')!
  t.equal(repo.findUuid(entityUuid('isp', 'brokering-a7'), v12), undefined, 'within a version')
  t.match(repo.findUuid(versionUuid('isp', '1.2'), v12), { type: 'version' })
})

t.test('search ranks, highlights, filters and counts facets', async (t) => {
  const repo = openRepository(t)
  const v = repo.version('isp', '1.1')!
  const all = repo.search(v, { q: 'trust', limit: 100, offset: 0 })
  t.ok(all.total > 3)
  t.equal(all.hits.length, all.total)
  t.same(all.hits.map((h) => h.rank), [...all.hits.map((h) => h.rank)].sort((a, b) => a - b), 'best first')
  for (const h of all.hits) t.match(h.snippet, /<mark>trust/i)
  t.equal(Object.values(all.facets.type).reduce((a, b) => a + b, 0), all.total)

  const acts = repo.search(v, { q: 'trust', types: ['activity'], limit: 100, offset: 0 })
  t.ok(acts.hits.every((h) => h.type === 'activity'))
  t.equal(acts.total, all.facets.type.activity)
  t.same(acts.facets.type, { activity: all.facets.type.activity }, 'the type facet counts only the types the filter kept')

  const sustaining = repo.search(v, { q: 'trust', domain: 'sustaining-change', limit: 100, offset: 0 })
  t.ok(sustaining.hits.every((h) => h.domain === 'sustaining-change'))

  const page = repo.search(v, { q: 'trust', limit: 2, offset: 1 })
  t.same(page.hits.map((h) => h.id), all.hits.slice(1, 3).map((h) => h.id))
})

t.test('phrase and prefix queries', async (t) => {
  const repo = openRepository(t)
  const v = repo.version('isp', '1.1')!
  const phrase = repo.search(v, { q: '"power differentials"', limit: 50, offset: 0 })
  t.ok(phrase.total > 0)
  const prefix = repo.search(v, { q: 'facilitat*', limit: 50, offset: 0 })
  const exact = repo.search(v, { q: 'facilitate', limit: 50, offset: 0 })
  t.ok(prefix.total > exact.total, 'a prefix matches more than one word form')
})

t.test('FTS syntax errors are SearchSyntaxError', async (t) => {
  const repo = openRepository(t)
  const v = repo.version('isp', '1.1')!
  for (const q of ['"unterminated', 'AND', 'trust OR', '(trust', 'nocolumn:trust', '*']) {
    t.throws(() => repo.search(v, { q, limit: 10, offset: 0 }), SearchSyntaxError, q)
  }
})
