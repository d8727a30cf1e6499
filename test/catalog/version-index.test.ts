/**
 * The lookups transports read from a VersionIndex instead of the repository answer what the
 * repository's SQL answers: the same records in the same order, for every filter.
 */
import t from 'tap'
import type { SubPointRecord } from '../../src/content/model.js'
import { Catalog } from '../../src/catalog/catalog.js'
import { groupBy } from '../../src/catalog/group-by.js'
import { listFilters, type ListFilter } from '../../src/catalog/version-index.js'
import { listedTypes } from '../../src/store/repository.js'
import { openRepository } from '../helpers/app.js'

t.test('filtered lists are the repository\'s, record for record and in order', async (t) => {
  const repo = openRepository(t, true)
  const catalog = new Catalog(repo)
  for (const v of catalog.versions()) {
    const index = catalog.index(v)
    const parents: Record<ListFilter, string[]> = {
      domain: [...index.byId.domain.keys(), 'nope', 'Sustaining-Change'],
      competency: [...index.byId.competency.keys(), 'nope'],
      group: [...index.groupById.keys(), 'nope']
    }
    for (const type of listedTypes) {
      t.same(index.list(type), repo.entities(type).list(v), `${v.number} ${type}`)
      const names: readonly ListFilter[] = listFilters[type]
      for (const name of names) {
        for (const id of parents[name]) {
          t.same(index.list(type, { [name]: id }), repo.entities(type).list(v, { [name]: id }), `${v.number} ${type} ${name}=${id}`)
        }
      }
      if (names.length === 2) {
        // Both filters, matching and not: every domain with every competency.
        for (const domain of parents.domain) {
          for (const competency of parents.competency) {
            const filter = { domain, competency }
            t.same(index.list(type, filter), repo.entities(type).list(v, filter))
          }
        }
      }
      t.same(index.list(type, { domain: undefined }), index.list(type), 'an unset filter is ignored, as the repository ignores it')
    }
    t.throws(() => index.list('principle', { domain: 'x' }), /principle cannot be filtered by domain/, 'a filter the kind has not is a programming error')
  }
})

t.test('lookups: parents, groups and sub-points by id', async (t) => {
  const repo = openRepository(t)
  const catalog = new Catalog(repo)
  const v = catalog.resolve('isp', 'latest')
  const index = catalog.index(v)
  t.same([...index.groupById.values()], repo.resourceGroups(v))
  t.ok(index.has('domain', 'sustaining-change'))
  t.notOk(index.has('domain', 'co-learning'), 'a competency is not a domain')
  t.ok(index.has('competency', 'co-learning'))
  t.ok(index.has('group', [...index.groupById.keys()][0]!))
  t.notOk(index.has('group', 'nope'))
  for (const group of index.resourceGroups) t.same(index.resourcesOf.get(group.id), repo.entities('resource').list(v, { group: group.id }))
  const subpoints: SubPointRecord[] = index.activities.flatMap((a) => a.subpoints)
  t.ok(subpoints.length > 0)
  for (const s of subpoints) t.equal(index.subpoint(s.id), s)
  t.equal(index.subpoint('nope'), undefined)
})

t.test('the largest lists, counted in SQL, are those of the built indexes', async (t) => {
  const repo = openRepository(t, true)
  const catalog = new Catalog(repo)
  const indexes = catalog.frameworks().flatMap((f) => catalog.history(f.id))
  const most = (sizes: number[]): number => Math.max(0, ...sizes)
  const largestGroup = <T>(items: T[], key: (item: T) => string): number => most([...groupBy(items, key).values()].map((g) => g.length))
  t.same(catalog.largestLists(), {
    groupsPerVersion: most(indexes.map((i) => i.resourceGroups.length)),
    competenciesPerDomain: most(indexes.map((i) => largestGroup(i.competencies, (c) => c.domain))),
    statementsPerOverview: most(indexes.flatMap((i) => i.competencies.map((c) => c.overview.length))),
    itemsPerStatement: most(indexes.flatMap((i) => i.competencies.flatMap((c) => c.overview.map((s) => s.items?.length ?? 0)))),
    activitiesPerCompetency: most(indexes.map((i) => largestGroup(i.activities, (a) => a.competency))),
    subpointsPerActivity: most(indexes.flatMap((i) => i.activities.map((a) => a.subpoints.length))),
    resourcesPerGroup: most(indexes.map((i) => largestGroup(i.resources, (r) => r.group)))
  })
})

t.test('prepareIndex builds a framework in slices once; readyIndex answers only when it is built', async (t) => {
  const repo = openRepository(t)
  const catalog = new Catalog(repo)
  const v = catalog.resolve('isp', 'latest')
  t.equal(catalog.readyIndex(v), undefined, 'nothing is built on construction')
  const [a, b] = await Promise.all([catalog.prepareIndex(v, 0), catalog.prepareIndex(v, 0)])
  t.equal(a, b, 'two requests share one build')
  t.equal(catalog.readyIndex(v), a)
  t.equal(catalog.index(v), a)
})
