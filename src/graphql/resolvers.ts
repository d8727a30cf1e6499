/**
 * Resolvers: every field that is not a plain property of the record the repository returns.
 * Relations between entities are loaders (loaders.ts); these resolve roots, version lists,
 * lookups, search, changes and the derived text fields.
 */
import type { IResolvers } from 'mercurius'
import type { EntityRecord, EntityType, FrameworkRecord, VersionRecord } from '../content/model.js'
import type { StatementSeed } from '../content/schema.js'
import { paragraphsToMarkdown, statementsToMarkdown } from '../content/markdown.js'
import type { EntityChange, VersionChanges } from '../content/changes.js'
import { CatalogNotFound, type Catalog } from '../catalog/catalog.js'
import type { ListedType } from '../store/repository.js'
import { badInput, notFoundError } from './errors.js'
import { MAX_FIRST, MAX_NODES, MAX_Q_LENGTH } from './limits.js'
import type { Links } from './links.js'
import type { HitView } from './loaders.js'

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

/** The filters each version list accepts, as repository filter names. */
const listFilters: Record<ListedType, Array<'domain' | 'competency' | 'group'>> = {
  principle: [],
  domain: [],
  competency: ['domain'],
  activity: ['domain', 'competency'],
  hint: ['domain', 'competency'],
  definition: [],
  question: [],
  dilemma: [],
  resource: ['group']
}

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

/** VersionChanges as the schema has it: entities of the listed kinds (sub-points show as their activity's `subitems`), no metadata. */
type GraphQLChanges = Omit<VersionChanges, 'metadata'>

function graphqlChanges ({ metadata: _metadata, ...changes }: VersionChanges): GraphQLChanges {
  const listed = (list: EntityChange[]): EntityChange[] => list.filter((e) => e.type !== 'subpoint')
  return { ...changes, added: listed(changes.added), removed: listed(changes.removed), changed: listed(changes.changed), moved: listed(changes.moved) }
}

/** Resolvers over the catalog and its repository, with links on one base URL. */
export function resolvers (catalog: Catalog, link: Links): IResolvers {
  const repo = catalog.repo
  const frameworkById = (id: string): FrameworkRecord | undefined => repo.frameworks().find((f) => f.id === id)

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

  /** Checks that a filter names something in the version, so a typo is an error rather than an empty list. */
  const checkFilter = (v: VersionRecord, name: 'domain' | 'competency' | 'group', id: string): void => {
    const exists = name === 'group' ? repo.resourceGroups(v).some((g) => g.id === id) : repo.entities(name).get(v, id) !== undefined
    if (!exists) throw badInput(`There is no ${name} '${id}' in ${label(v)}.`, name)
  }

  const list = (type: ListedType) => (v: VersionRecord, args: ListArgs): EntityRecord[] => {
    checkPage(args)
    const filter: Record<string, string | undefined> = {}
    for (const name of listFilters[type]) filter[name] = args[name] ?? undefined
    let items: EntityRecord[] = repo.entities(type).list(v, filter)
    if (args.q !== undefined && args.q !== null) items = catalog.searchWithin(v, type, checkQuery(args.q), items, filter.domain)
    if (items.length === 0) {
      for (const name of listFilters[type]) if (filter[name] !== undefined) checkFilter(v, name, filter[name])
    }
    return items.slice(args.offset, args.offset + args.first)
  }

  const lookup = (type: ListedType) => (v: VersionRecord, { id }: { id: string }): EntityRecord => {
    const found = repo.entities(type).get(v, id)
    if (found === undefined) throw notFoundError(`There is no ${type} '${id}' in ${label(v)}.`)
    return found
  }

  const search = (v: VersionRecord, args: SearchArgs) => {
    checkPage(args)
    const result = repo.search(v, {
      q: checkQuery(args.q),
      ...(args.type === undefined || args.type === null ? {} : { types: args.type }),
      ...(args.domain === undefined || args.domain === null ? {} : { domain: args.domain }),
      limit: args.first,
      offset: args.offset
    })
    if (result.total === 0 && args.domain !== undefined && args.domain !== null) checkFilter(v, 'domain', args.domain)
    const facet = (counts: Record<string, number>) => Object.entries(counts).map(([value, count]) => ({ value, count }))
    return {
      total: result.total,
      hits: result.hits.map((h): HitView => ({ ...h, framework: v.framework, version: v.number })),
      facets: { types: facet(result.facets.type), domains: facet(result.facets.domain) }
    }
  }

  // The catalog computes each comparison once; this view of it is made once per pair too.
  const compared = new WeakMap<VersionChanges, GraphQLChanges>()
  const changes = (to: VersionRecord, from: string): GraphQLChanges => {
    const full = catalog.changes(version(to.framework, from), to)
    let result = compared.get(full)
    if (result === undefined) {
      result = graphqlChanges(full)
      compared.set(full, result)
    }
    return result
  }

  const isUuid = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
  const node = (uuid: string): unknown => {
    if (!isUuid(uuid)) throw badInput('node(id:) takes a uuid, e.g. the `uuid` field of an entity.', 'id')
    const target = repo.findUuid(uuid)
    if (target === undefined) throw notFoundError(`Nothing has the uuid '${uuid}'.`)
    if (target.type === 'framework') return frameworkById(target.id)
    if (target.type === 'version') return target.version
    if (target.type === 'subpoint') {
      return repo.entities('activity').list(target.version).flatMap((a) => a.subpoints).find((s) => s.id === target.id)
    }
    return repo.entities(target.type).get(target.version, target.id)
  }

  /**
   * Each uuid's node, in order. An unknown one is its NOT_FOUND error in place of the node: GraphQL
   * reports it at that index (`path: ["nodes", i]`) and leaves null there, as `node` would.
   */
  const nodes = (ids: readonly string[]): unknown[] => {
    if (ids.length > MAX_NODES) throw badInput(`nodes(ids:) takes at most ${MAX_NODES} uuids; ask for more in several requests.`, 'ids')
    const malformed = ids.filter((id) => !isUuid(id))
    if (malformed.length > 0) throw badInput(`nodes(ids:) takes uuids (the \`uuid\` field of an entity), not ${malformed.map((m) => `'${m}'`).join(', ')}.`, 'ids')
    return ids.map((id) => {
      try {
        return node(id)
      } catch (err) {
        return err
      }
    })
  }

  const entityLinks = { uri: link.uri, href: link.entityHref }
  return {
    Query: {
      frameworks: () => repo.frameworks(),
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
      resourceGroups: (v: VersionRecord) => repo.resourceGroups(v).map((g) => ({ ...g, framework: v.framework, version: v.number })),
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
    Domain: entityLinks,
    Competency: {
      ...entityLinks,
      overview: (c: { overview: StatementSeed[] }) => statementsToMarkdown(c.overview),
      overviewStatements: (c: { overview: StatementSeed[] }) => c.overview
    },
    Statement: { items: (s: StatementSeed) => s.items ?? [] },
    Activity: {
      ...entityLinks,
      subitems: (a: { subpoints: Array<{ text: string }> }) => a.subpoints.map((s) => s.text)
    },
    SubPoint: { uri: link.uri },
    Hint: { ...entityLinks, text: (h: { paragraphs: string[] }) => paragraphsToMarkdown(h.paragraphs) },
    Definition: entityLinks,
    ReflectiveQuestion: entityLinks,
    Dilemma: entityLinks,
    Resource: entityLinks
  }
}
