/**
 * Resolvers: every field that is not a plain property of a record. Roots, version lists, lookups,
 * relations between entities, search, changes and the derived text fields, all read from the
 * catalog's VersionIndex (its records, by-id maps and children), so GraphQL keeps no model of its
 * own. Full-text search and finding a uuid are the repository's (SQLite FTS5 and the uuid table).
 */
import type { IResolvers } from 'mercurius'
import type {
  CompetencyRecord, DomainRecord, EntityRecord, EntityType, FrameworkRecord, HintRecord, ResourceRecord, SubPointRecord, VersionRecord
} from '../content/model.js'
import type { StatementSeed } from '../content/schema.js'
import { paragraphsToMarkdown, statementsToMarkdown } from '../content/markdown.js'
import type { EntityChange, VersionChanges } from '../content/changes.js'
import { CatalogNotFound, type Catalog } from '../catalog/catalog.js'
import { listFilters, type ListFilter, type VersionIndex } from '../catalog/version-index.js'
import type { ListedType, SearchHitRecord } from '../store/repository.js'
import { badInput, notFoundError } from './errors.js'
import { MAX_FIRST, MAX_NODES, MAX_Q_LENGTH } from './limits.js'
import type { Links } from './links.js'

/** Anything read from one version: entities, and the wrappers GraphQL adds (groups, hits). */
export interface Versioned { framework: string, version: string }

/** A resource group with the version it belongs to. */
export interface GroupView extends Versioned { id: string, title: string | null, note: string | null }

/** A search hit with the version it was found in. */
export type HitView = SearchHitRecord & Versioned

/** GraphQL type name of each kind of entity. */
export const typeNames: Record<EntityType, string> = {
  principle: 'Principle',
  domain: 'Domain',
  competency: 'Competency',
  activity: 'Activity',
  subpoint: 'SubPoint',
  hint: 'Hint',
  definition: 'Definition',
  question: 'ReflectiveQuestion',
  dilemma: 'Dilemma',
  resource: 'Resource'
}

interface Page { first: number, offset: number }
interface ListArgs extends Page { q?: string | null, domain?: string | null, competency?: string | null, group?: string | null }
interface SearchArgs extends Page { q: string, type?: string[] | null, domain?: string | null }

/** The kind of record a resolver got, for interfaces: entities carry `type`, versions `vkey`. */
function resolveType (obj: Record<string, unknown>): string {
  if (typeof obj.type === 'string') return typeNames[obj.type as EntityType]
  return 'vkey' in obj ? 'FrameworkVersion' : 'Framework'
}

function checkPage ({ first, offset }: Page): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) throw badInput(`first must be between 0 and ${MAX_FIRST}; page through longer lists with offset.`, 'first')
  if (!Number.isInteger(offset) || offset < 0) throw badInput('offset must be 0 or more.', 'offset')
}

function checkQuery (q: string): string {
  if (q.trim() === '') throw badInput('q must not be empty.', 'q')
  if (q.length > MAX_Q_LENGTH) throw badInput(`q must be at most ${MAX_Q_LENGTH} characters.`, 'q')
  return q
}

const label = (v: VersionRecord): string => `${v.framework}@${v.number}`
const facet = (counts: Record<string, number>) => Object.entries(counts).map(([value, count]) => ({ value, count }))

/** VersionChanges as the schema has it: entities of the listed kinds (sub-points show as their activity's `subitems`), no metadata. */
type GraphQLChanges = Omit<VersionChanges, 'metadata'>

function graphqlChanges ({ metadata: _metadata, ...changes }: VersionChanges): GraphQLChanges {
  const listed = (list: EntityChange[]): EntityChange[] => list.filter((e) => e.type !== 'subpoint')
  return { ...changes, added: listed(changes.added), removed: listed(changes.removed), changed: listed(changes.changed), moved: listed(changes.moved) }
}

/** Resolvers over the catalog, with links on one base URL. */
export function resolvers (catalog: Catalog, link: Links): IResolvers {
  const repo = catalog.repo
  const frameworkById = (id: string): FrameworkRecord | undefined => catalog.frameworks().find((f) => f.id === id)

  /** The catalog's answer, or its not-found as NOT_FOUND in the same words REST uses. */
  const found = <T>(get: () => T): T => {
    try {
      return get()
    } catch (err) {
      if (err instanceof CatalogNotFound) throw notFoundError(err.message)
      throw err
    }
  }
  const framework = (id: string): FrameworkRecord => found(() => catalog.framework(id))
  const version = (frameworkId: string, number: string): VersionRecord => found(() => catalog.resolve(frameworkId, number))

  /**
   * Reads a version's index: at once when the catalog has built it, else once it is built in
   * slices that leave the event loop to other requests (as REST's renderings wait for it).
   */
  const withIndex = <T>(v: VersionRecord, read: (index: VersionIndex) => T): T | Promise<T> => {
    const ready = catalog.readyIndex(v)
    return ready !== undefined ? read(ready) : catalog.prepareIndex(v).then(read)
  }
  /** Reads the index of the version a record was read from. */
  const within = <T>(record: Versioned, read: (index: VersionIndex) => T): T | Promise<T> =>
    withIndex(catalog.resolve(record.framework, record.version), read)

  /** Checks that a filter names something in the version, so a typo is an error rather than an empty list. */
  const checkFilter = (index: VersionIndex, name: ListFilter, id: string): void => {
    if (!index.has(name, id)) throw badInput(`There is no ${name} '${id}' in ${label(index.version)}.`, name)
  }

  const list = (type: ListedType) => (v: VersionRecord, args: ListArgs) => {
    checkPage(args)
    return withIndex(v, (index): EntityRecord[] => {
      const filter: Partial<Record<ListFilter, string>> = {}
      for (const name of listFilters[type]) filter[name] = args[name] ?? undefined
      let items: readonly EntityRecord[] = index.list(type, filter)
      if (args.q !== undefined && args.q !== null) items = catalog.searchWithin(v, type, checkQuery(args.q), items, filter.domain)
      if (items.length === 0) {
        for (const name of listFilters[type]) {
          const id = filter[name]
          if (id !== undefined) checkFilter(index, name, id)
        }
      }
      return items.slice(args.offset, args.offset + args.first)
    })
  }

  const lookup = (type: ListedType) => (v: VersionRecord, { id }: { id: string }) => withIndex(v, (index): EntityRecord => {
    const found = index.byId[type].get(id)
    if (found === undefined) throw notFoundError(`There is no ${type} '${id}' in ${label(v)}.`)
    return found
  })

  const search = (v: VersionRecord, args: SearchArgs) => {
    checkPage(args)
    const result = repo.search(v, {
      q: checkQuery(args.q),
      ...(args.type === undefined || args.type === null ? {} : { types: args.type }),
      ...(args.domain === undefined || args.domain === null ? {} : { domain: args.domain }),
      limit: args.first,
      offset: args.offset
    })
    const answer = {
      total: result.total,
      hits: result.hits.map((h): HitView => ({ ...h, framework: v.framework, version: v.number })),
      facets: { types: facet(result.facets.type), domains: facet(result.facets.domain) }
    }
    const domain = args.domain ?? undefined
    if (result.total > 0 || domain === undefined) return answer
    return withIndex(v, (index) => {
      checkFilter(index, 'domain', domain)
      return answer
    })
  }

  // The catalog computes each comparison once; this view of it is made once per pair too. Both
  // versions are of one framework, so they are built together (withIndex).
  const compared = new WeakMap<VersionChanges, GraphQLChanges>()
  const changes = (to: VersionRecord, from: string) => {
    const older = version(to.framework, from)
    return withIndex(to, (): GraphQLChanges => {
      const full = catalog.changes(older, to)
      let result = compared.get(full)
      if (result === undefined) {
        result = graphqlChanges(full)
        compared.set(full, result)
      }
      return result
    })
  }

  const isUuid = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
  const node = (uuid: string): unknown => {
    if (!isUuid(uuid)) throw badInput('node(id:) takes a uuid, e.g. the `uuid` field of an entity.', 'id')
    const target = repo.findUuid(uuid)
    if (target === undefined) throw notFoundError(`Nothing has the uuid '${uuid}'.`)
    const { type, id } = target
    if (type === 'framework') return frameworkById(id)
    if (type === 'version') return target.version
    return withIndex(target.version, (index) => type === 'subpoint' ? index.subpoint(id) : index.byId[type].get(id))
  }

  /**
   * Each uuid's node, in order. An unknown one is its NOT_FOUND error in place of the node: GraphQL
   * reports it at that index (`path: ["nodes", i]`) and leaves null there, as `node` would.
   */
  const nodes = async (ids: readonly string[]): Promise<unknown[]> => {
    if (ids.length > MAX_NODES) throw badInput(`nodes(ids:) takes at most ${MAX_NODES} uuids; ask for more in several requests.`, 'ids')
    const malformed = ids.filter((id) => !isUuid(id))
    if (malformed.length > 0) throw badInput(`nodes(ids:) takes uuids (the \`uuid\` field of an entity), not ${malformed.map((m) => `'${m}'`).join(', ')}.`, 'ids')
    return await Promise.all(ids.map(async (id) => {
      try {
        return await node(id)
      } catch (err) {
        return err
      }
    }))
  }

  /** A relation to a parent entity, looked up by the id the record holds. */
  const parent = <K extends 'domain' | 'competency' | 'activity'>(type: K) =>
    (record: Versioned & { [P in K]: string }) => within(record, (index) => index.byId[type].get(record[type]))

  const entityLinks = { uri: link.uri, href: link.entityHref }
  return {
    Query: {
      frameworks: () => catalog.frameworks(),
      framework: (_: unknown, { id }: { id: string }) => framework(id),
      competency: (_: unknown, args: { framework: string, version: string, id: string }) => lookup('competency')(version(args.framework, args.version), args),
      search: (_: unknown, args: SearchArgs & { framework: string, version: string }) => search(version(args.framework, args.version), args),
      node: (_: unknown, { id }: { id: string }) => node(id),
      nodes: (_: unknown, { ids }: { ids: string[] }) => nodes(ids)
    },
    Node: { resolveType },
    Entity: { resolveType },
    Framework: {
      uri: link.uri,
      href: link.frameworkHref,
      latest: (f: FrameworkRecord) => f.versions[0],
      version: (f: FrameworkRecord, { number }: { number: string }) => version(f.id, number)
    },
    FrameworkVersion: {
      framework: (v: VersionRecord) => framework(v.framework),
      uri: link.uri,
      href: link.versionHref,
      latest: (v: VersionRecord) => v.ordinal === 0,
      title: (v: VersionRecord) => v.meta.title,
      subtitle: (v: VersionRecord) => v.meta.subtitle ?? null,
      authors: (v: VersionRecord) => v.meta.authors,
      publishers: (v: VersionRecord) => v.meta.publishers,
      citation: (v: VersionRecord) => v.meta.citation,
      language: (v: VersionRecord) => v.meta.language,
      description: (v: VersionRecord) => v.meta.description,
      development: (v: VersionRecord) => v.meta.development ?? null,
      derivedFrom: (v: VersionRecord) => v.meta.derivedFrom ?? null,
      lmsFiles: link.lmsFiles,
      principles: list('principle'),
      domains: list('domain'),
      competencies: list('competency'),
      activities: list('activity'),
      hints: list('hint'),
      definitions: list('definition'),
      questions: list('question'),
      dilemmas: list('dilemma'),
      resources: list('resource'),
      resourceGroups: (v: VersionRecord) => withIndex(v, (index) => index.resourceGroups.map((g): GroupView => ({ ...g, framework: v.framework, version: v.number }))),
      principle: lookup('principle'),
      domain: lookup('domain'),
      competency: lookup('competency'),
      activity: lookup('activity'),
      hint: lookup('hint'),
      definition: lookup('definition'),
      question: lookup('question'),
      dilemma: lookup('dilemma'),
      resource: lookup('resource'),
      changes: (v: VersionRecord, { from }: { from: string }) => changes(v, from),
      search
    },
    Principle: entityLinks,
    Domain: { ...entityLinks, competencies: (d: DomainRecord) => within(d, (index) => index.competenciesOf.get(d.id) ?? []) },
    Competency: {
      ...entityLinks,
      domain: parent('domain'),
      activities: (c: CompetencyRecord) => within(c, (index) => index.activitiesOf.get(c.id) ?? []),
      hint: (c: CompetencyRecord) => within(c, (index) => index.hintOf.get(c.id)),
      overview: (c: { overview: StatementSeed[] }) => statementsToMarkdown(c.overview),
      overviewStatements: (c: { overview: StatementSeed[] }) => c.overview
    },
    Statement: { items: (s: StatementSeed) => s.items ?? [] },
    Activity: {
      ...entityLinks,
      competency: parent('competency'),
      domain: parent('domain'),
      subitems: (a: { subpoints: Array<{ text: string }> }) => a.subpoints.map((s) => s.text)
    },
    SubPoint: { uri: link.uri, activity: (s: SubPointRecord) => within(s, (index) => index.byId.activity.get(s.activity)) },
    Hint: {
      ...entityLinks,
      competency: parent('competency'),
      domain: parent('domain'),
      text: (h: HintRecord) => paragraphsToMarkdown(h.paragraphs)
    },
    Definition: entityLinks,
    ReflectiveQuestion: entityLinks,
    Dilemma: entityLinks,
    Resource: {
      ...entityLinks,
      group: (r: ResourceRecord) => within(r, (index) => {
        const g = index.groupById.get(r.group)
        return g === undefined ? undefined : { ...g, framework: r.framework, version: r.version }
      })
    },
    ResourceGroup: { resources: (g: GroupView) => within(g, (index) => index.resourcesOf.get(g.id) ?? []) },
    SearchHit: { entity: (h: HitView) => within(h, (index) => index.byId[h.type].get(h.id)) }
  }
}
