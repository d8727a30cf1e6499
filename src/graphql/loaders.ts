/**
 * Mercurius loaders for every relation, so a nested query runs one SQL statement per relation and
 * version, however many parents it has. The repository reads one version per call, so each batch
 * is split by the version its parents were read from.
 */
import type { MercuriusLoaders } from 'mercurius'
import type { ActivityRecord, CompetencyRecord, DomainRecord, HintRecord, ResourceRecord, SubPointRecord, VersionRecord } from '../content/model.js'
import type { ListedType, Repository, SearchHitRecord } from '../store/repository.js'

/** Anything read from one version: entities, and the wrappers GraphQL adds (groups, hits). */
export interface Versioned { framework: string, version: string }

/** A resource group with the version it belongs to. */
export interface GroupView extends Versioned { id: string, title: string | null, note: string | null }

/** A search hit with the version it was found in. */
export type HitView = SearchHitRecord & Versioned

type Query<T> = { obj: T }

const unique = (values: readonly string[]): string[] => [...new Set(values)]

function indexBy<T> (items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]))
}

function groupBy<T> (items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [item])
    else list.push(item)
  }
  return groups
}

/**
 * A loader that splits its batch by version and, for each version, loads once for all of that
 * version's parents (`load`) and then picks each parent's result.
 */
function perVersion<P extends Versioned, R> (repo: Repository, load: (v: VersionRecord, parents: P[]) => (parent: P) => R) {
  return async (queries: Array<Query<P>>): Promise<R[]> => {
    const batches = groupBy(queries.map((q, i) => ({ parent: q.obj, i })), ({ parent }) => `${parent.framework}@${parent.version}`)
    const out = new Array<R>(queries.length)
    for (const batch of batches.values()) {
      const first = batch[0]!.parent
      const v = repo.version(first.framework, first.version)
      if (v === undefined) throw new Error(`version ${first.framework}@${first.version} is not loaded`)
      const pick = load(v, batch.map(({ parent }) => parent))
      for (const { parent, i } of batch) out[i] = pick(parent)
    }
    return out
  }
}

/** The loaders, keyed by GraphQL type and field. */
export function loaders (repo: Repository): MercuriusLoaders {
  const domains = repo.entities('domain')
  const competencies = repo.entities('competency')
  const activities = repo.entities('activity')
  const hints = repo.entities('hint')
  const resources = repo.entities('resource')

  const domainOf = perVersion<{ domain: string } & Versioned, DomainRecord | undefined>(repo, (v, parents) => {
    const byId = indexBy(domains.getMany(v, unique(parents.map((p) => p.domain))), (d) => d.id)
    return (p) => byId.get(p.domain)
  })
  const competencyOf = perVersion<{ competency: string } & Versioned, CompetencyRecord | undefined>(repo, (v, parents) => {
    const byId = indexBy(competencies.getMany(v, unique(parents.map((p) => p.competency))), (c) => c.id)
    return (p) => byId.get(p.competency)
  })

  return {
    Domain: {
      competencies: perVersion<DomainRecord, CompetencyRecord[]>(repo, (v, parents) => {
        const byDomain = groupBy(competencies.byParents(v, 'domain', unique(parents.map((d) => d.id))), (c) => c.domain)
        return (d) => byDomain.get(d.id) ?? []
      })
    },
    Competency: {
      domain: domainOf,
      activities: perVersion<CompetencyRecord, ActivityRecord[]>(repo, (v, parents) => {
        const byCompetency = groupBy(activities.byParents(v, 'competency', unique(parents.map((c) => c.id))), (a) => a.competency)
        return (c) => byCompetency.get(c.id) ?? []
      }),
      hint: perVersion<CompetencyRecord, HintRecord | undefined>(repo, (v, parents) => {
        const byCompetency = indexBy(hints.byParents(v, 'competency', unique(parents.map((c) => c.id))), (h) => h.competency)
        return (c) => byCompetency.get(c.id)
      })
    },
    Activity: { competency: competencyOf, domain: domainOf },
    Hint: { competency: competencyOf, domain: domainOf },
    SubPoint: {
      activity: perVersion<SubPointRecord, ActivityRecord | undefined>(repo, (v, parents) => {
        const byId = indexBy(activities.getMany(v, unique(parents.map((s) => s.activity))), (a) => a.id)
        return (s) => byId.get(s.activity)
      })
    },
    Resource: {
      group: perVersion<ResourceRecord, GroupView | undefined>(repo, (v) => {
        const byId = indexBy(repo.resourceGroups(v), (g) => g.id)
        return (r) => {
          const g = byId.get(r.group)
          return g === undefined ? undefined : { ...g, framework: v.framework, version: v.number }
        }
      })
    },
    ResourceGroup: {
      resources: perVersion<GroupView, ResourceRecord[]>(repo, (v, parents) => {
        const byGroup = groupBy(resources.byParents(v, 'group', unique(parents.map((g) => g.id))), (r) => r.group)
        return (g) => byGroup.get(g.id) ?? []
      })
    },
    SearchHit: {
      entity: perVersion<HitView, unknown>(repo, (v, hits) => {
        const found = new Map<string, unknown>()
        for (const [type, ofType] of groupBy(hits, (h) => h.type)) {
          for (const e of repo.entities(type as ListedType).getMany(v, unique(ofType.map((h) => h.id)))) found.set(`${type}:${e.id}`, e)
        }
        return (h) => found.get(`${h.type}:${h.id}`)
      })
    }
  }
}
