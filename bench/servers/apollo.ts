/**
 * Apollo Server (standalone) on the service's own GraphQL schema and data: the same SDL, the same
 * root and field resolvers (which read the catalog) over the same SQLite database, and relations
 * resolved the straightforward way, one repository call per parent. No in-memory relations, no
 * JIT, no result cache: what most teams would build. Run as `node --import tsx bench/servers/apollo.ts` with
 * DB_PATH, PORT, HOST and PUBLIC_URL in the environment.
 */
import { ApolloServer } from '@apollo/server'
import { startStandaloneServer } from '@apollo/server/standalone'
import type { ActivityRecord, CompetencyRecord, DomainRecord, HintRecord, ResourceRecord, SubPointRecord, VersionRecord } from '../../src/content/model.js'
import { links } from '../../src/graphql/links.js'
import type { HitView, Versioned } from '../../src/graphql/resolvers.js'
import { resolvers } from '../../src/graphql/resolvers.js'
import { typeDefs } from '../../src/graphql/schema.js'
import { Repository, type ListedType } from '../../src/store/repository.js'
import { Catalog } from '../../src/catalog/catalog.js'

type ResolverMap = Record<string, Record<string, unknown>>

/** Apollo spells an interface's type resolver `__resolveType`; mercurius spells it `resolveType`. */
function forApollo (map: ResolverMap): ResolverMap {
  const out: ResolverMap = {}
  for (const [type, fields] of Object.entries(map)) {
    const { resolveType, ...rest } = fields
    out[type] = resolveType === undefined ? rest : { ...rest, __resolveType: resolveType }
  }
  return out
}

/** Relations, one repository call per parent (the N+1 pattern the service's version index avoids). */
function relations (repo: Repository): ResolverMap {
  const version = (p: Versioned): VersionRecord => {
    const v = repo.version(p.framework, p.version)
    if (v === undefined) throw new Error(`version ${p.framework}@${p.version} is not loaded`)
    return v
  }
  const domainOf = (p: { domain: string } & Versioned) => repo.entities('domain').get(version(p), p.domain)
  const competencyOf = (p: { competency: string } & Versioned) => repo.entities('competency').get(version(p), p.competency)
  return {
    Domain: { competencies: (d: DomainRecord) => repo.entities('competency').list(version(d), { domain: d.id }) },
    Competency: {
      domain: domainOf,
      activities: (c: CompetencyRecord) => repo.entities('activity').list(version(c), { competency: c.id }),
      hint: (c: CompetencyRecord) => repo.entities('hint').list(version(c), { competency: c.id })[0]
    },
    Activity: { competency: (a: ActivityRecord) => competencyOf(a), domain: (a: ActivityRecord) => domainOf(a) },
    Hint: { competency: (h: HintRecord) => competencyOf(h), domain: (h: HintRecord) => domainOf(h) },
    SubPoint: { activity: (s: SubPointRecord) => repo.entities('activity').get(version(s), s.activity) },
    Resource: {
      group: (r: ResourceRecord) => {
        const g = repo.resourceGroups(version(r)).find((x) => x.id === r.group)
        return g === undefined ? undefined : { ...g, framework: r.framework, version: r.version }
      }
    },
    ResourceGroup: {
      resources: (g: { id: string } & Versioned) => repo.entities('resource').list(version(g), { group: g.id })
    },
    SearchHit: { entity: (h: HitView) => repo.entities(h.type as ListedType).get(version(h), h.id) }
  }
}

const repo = new Repository(process.env.DB_PATH ?? 'data/content.db')
const base = (process.env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '')
const own = forApollo(resolvers(new Catalog(repo), links(base)) as unknown as ResolverMap)
const merged: ResolverMap = { ...own }
for (const [type, fields] of Object.entries(relations(repo))) merged[type] = { ...own[type], ...fields }

const server = new ApolloServer({ typeDefs, resolvers: merged })
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' }
})
process.stdout.write(`apollo listening at ${url}\n`)
