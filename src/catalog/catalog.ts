/**
 * The catalog: the one in-memory model of the content that every interface renders from. The
 * content database is immutable while the process runs, so each version is read once, on first
 * use, into a VersionIndex shared by REST, GraphQL, CASE, JSON-LD, CSV and the alignments.
 */
import { diffVersions, type VersionChanges } from '../content/changes.js'
import type { EntityRecord, FrameworkRecord, VersionRecord, VersionRecords } from '../content/model.js'
import { listedTypes, type LargestLists, type ListedType, type Repository } from '../store/repository.js'
import { revisionHistorySteps } from './revisions.js'
import { runNow, runYielding, type Steps } from './steps.js'
import { VersionIndex } from './version-index.js'

/** What was not found, named so that every transport words it the same way. */
export class CatalogNotFound extends Error {
  constructor (
    /** Which argument named nothing. */
    readonly argument: 'framework' | 'version',
    /** What it named. */
    readonly value: string,
    /** The values it could have named. */
    readonly allowed: string[],
    message: string
  ) {
    super(message)
    this.name = 'CatalogNotFound'
  }
}

/** The records of a version, one read per kind, yielding between kinds. */
function * readRecords (repo: Repository, v: VersionRecord): Steps<VersionRecords> {
  const records: Partial<VersionRecords> = {}
  for (const kind of listedTypes) {
    (records as Record<ListedType, unknown>)[kind] = repo.entities(kind).list(v)
    yield
  }
  return { ...records, groups: repo.resourceGroups(v) } as VersionRecords
}

export class Catalog {
  /** Each framework's versions, oldest first, built together (identities depend on history). */
  private readonly histories = new Map<string, VersionIndex[]>()
  /** Comparisons by version pair; versions never change, so each is computed once. */
  private readonly compared = new Map<string, VersionChanges>()
  /** Histories being built in slices. */
  private readonly pending = new Map<string, Promise<VersionIndex[]>>()

  constructor (readonly repo: Repository) {}

  /** Every framework with its versions. */
  frameworks (): FrameworkRecord[] {
    return this.repo.frameworks()
  }

  /** Every version of every framework, grouped by framework, newest first. */
  versions (): VersionRecord[] {
    return this.repo.versions()
  }

  /**
   * The longest list of each relation across every version, without building any (a statistic of
   * the content database: measured from the indexes, it would build every framework at start-up).
   */
  largestLists (): LargestLists {
    return this.repo.largestLists()
  }

  /** A framework by id, or a CatalogNotFound naming it and the known ones. */
  framework (id: string): FrameworkRecord {
    const frameworks = this.frameworks()
    const known = frameworks.find((f) => f.id === id)
    if (known !== undefined) return known
    const ids = frameworks.map((f) => f.id)
    throw new CatalogNotFound('framework', id, ids, `There is no framework "${id}". Known frameworks: ${ids.join(', ')}.`)
  }

  /** A version by number or `latest`, if there is one. */
  find (framework: string, number: string): VersionRecord | undefined {
    return this.repo.version(framework, number)
  }

  /** A version by number or `latest`, or a CatalogNotFound naming the framework or the version. */
  resolve (framework: string, number: string): VersionRecord {
    const v = this.find(framework, number)
    if (v !== undefined) return v
    const known = this.framework(framework)
    const numbers = known.versions.map((x) => x.number)
    throw new CatalogNotFound('version', number, [...numbers, 'latest'],
      `Framework "${framework}" has no version "${number}". Its versions: ${numbers.join(', ')} (or latest).`)
  }

  /** A framework's versions as indexes, oldest first. */
  history (framework: string): VersionIndex[] {
    return this.histories.get(framework) ?? this.keep(framework, runNow(this.historySteps(framework)))
  }

  /** Whether a framework's indexes are built. */
  built (framework: string): boolean {
    return this.histories.has(framework)
  }

  /**
   * Builds a framework's indexes without holding up other requests: in slices that leave the
   * event loop to them in between (catalog/steps.ts), joining a build already under way.
   */
  async prepare (framework: string, sliceMs?: number): Promise<VersionIndex[]> {
    const built = this.histories.get(framework)
    if (built !== undefined) return built
    let pending = this.pending.get(framework)
    if (pending === undefined) {
      pending = runYielding(this.historySteps(framework), sliceMs).then((h) => this.keep(framework, h)).finally(() => this.pending.delete(framework))
      this.pending.set(framework, pending)
    }
    return await pending
  }

  /** Keeps a framework's history, unless a request built it meanwhile (the first one stays). */
  private keep (framework: string, history: VersionIndex[]): VersionIndex[] {
    const existing = this.histories.get(framework)
    if (existing !== undefined) return existing
    this.histories.set(framework, history)
    return history
  }

  private * historySteps (framework: string): Steps<VersionIndex[]> {
    const versions = this.versions().filter((v) => v.framework === framework).reverse()
    const read: Array<{ version: VersionRecord, records: VersionRecords }> = []
    for (const version of versions) read.push({ version, records: yield * readRecords(this.repo, version) })
    const revisions = yield * revisionHistorySteps(read)
    const history: VersionIndex[] = []
    for (const [i, { version, records }] of read.entries()) {
      history.push(new VersionIndex(version, records, revisions[i]!))
      yield
    }
    return history
  }

  /** The index of one version, built at once if it is not yet (see prepareIndex). */
  index (v: VersionRecord): VersionIndex {
    const found = this.history(v.framework).find((x) => x.version.vkey === v.vkey)
    if (found === undefined) throw new Error(`unknown version ${v.framework}@${v.number}`)
    return found
  }

  /** The index of one version if its framework is built already. */
  readyIndex (v: VersionRecord): VersionIndex | undefined {
    return this.built(v.framework) ? this.index(v) : undefined
  }

  /** The index of one version, its framework built in slices first if it is not yet (prepare). */
  async prepareIndex (v: VersionRecord, sliceMs?: number): Promise<VersionIndex> {
    return this.readyIndex(v) ?? (await this.prepare(v.framework, sliceMs), this.index(v))
  }

  /** What changed from one version to another (content/changes.ts), computed once per pair. */
  changes (from: VersionRecord, to: VersionRecord): VersionChanges {
    const key = `${from.vkey}:${to.vkey}`
    let result = this.compared.get(key)
    if (result === undefined) {
      result = diffVersions(this.index(from), this.index(to))
      this.compared.set(key, result)
    }
    return result
  }

  /**
   * The items of a list that match a full-text query, best match first (the one rule REST and
   * GraphQL share). `domain` narrows the search as the list's own filter does.
   */
  searchWithin<T extends EntityRecord | { id: string }> (v: VersionRecord, type: ListedType, q: string, items: readonly T[], domain?: string): T[] {
    const total = Object.values(v.counts).reduce((n, c) => n + c, 0)
    const { hits } = this.repo.search(v, { q, types: [type], ...(domain === undefined ? {} : { domain }), limit: Math.max(total, 1), offset: 0 })
    const rank = new Map(hits.map((h, i) => [h.id, i]))
    return items.filter((i) => rank.has(i.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!)
  }
}
