/**
 * The one way into the content database. Every query is a prepared statement with bound
 * parameters; the database is opened read-only. The catalog reads each version's records through
 * this class once; full-text search and uuid lookups are answered here. No other code touches
 * SQLite for the content.
 */
import Database from 'better-sqlite3'
import type { StatementSeed } from '../content/schema.js'
import type {
  ActivityRecord, CompetencyRecord, DefinitionRecord, DilemmaRecord, DomainRecord, EntityType, FrameworkRecord,
  HintRecord, PrincipleRecord, QuestionRecord, RecordByType, ResourceRecord, SubPointRecord, VersionRecord
} from '../content/model.js'
import { frameworkUuid } from '../content/ids.js'
import { isSearchSyntax, isSqliteError } from './integrity.js'

type Row = Record<string, unknown>
type Statement = Database.Statement<unknown[], Row>

/** Raised for a full-text query that SQLite's FTS5 cannot parse. The message says why. */
export class SearchSyntaxError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'SearchSyntaxError'
  }
}

interface TableSpec<T> {
  table: string
  /** SELECT list; the table is aliased `e`. */
  columns: string
  order: string
  /** Filter name → column. */
  filters: Record<string, string>
  map: (row: Row, v: VersionRecord) => T
}

const base = (type: EntityType, row: Row, v: VersionRecord) => ({
  type,
  framework: v.framework,
  version: v.number,
  id: row.id as string,
  code: row.code as string,
  uuid: row.uuid as string,
  position: row.position as number
})

const parse = <T>(value: unknown): T => JSON.parse(value as string) as T

const SUBPOINTS = `(SELECT json_group_array(json_object('id', s.id, 'code', s.code, 'uuid', s.uuid, 'position', s.position, 'text', s.text))
  FROM (SELECT * FROM subpoints s WHERE s.vkey = e.vkey AND s.activity_id = e.id ORDER BY s.position) s) AS subpoints`

const specs: { [K in Exclude<EntityType, 'subpoint'>]: TableSpec<RecordByType[K]> } = {
  principle: {
    table: 'principles',
    columns: 'e.id, e.code, e.uuid, e.position, e.name, e.description',
    order: 'e.position',
    filters: {},
    map: (r, v): PrincipleRecord => ({ ...base('principle', r, v), type: 'principle', name: r.name as string, description: r.description as string })
  },
  domain: {
    table: 'domains',
    columns: 'e.id, e.code, e.uuid, e.position, e.name, e.description',
    order: 'e.position',
    filters: {},
    map: (r, v): DomainRecord => ({ ...base('domain', r, v), type: 'domain', name: r.name as string, description: r.description as string })
  },
  competency: {
    table: 'competencies',
    columns: 'e.id, e.code, e.uuid, e.position, e.domain_id, e.name, e.overview',
    order: 'e.position',
    filters: { domain: 'e.domain_id' },
    map: (r, v): CompetencyRecord => ({
      ...base('competency', r, v), type: 'competency', domain: r.domain_id as string, name: r.name as string, overview: parse<StatementSeed[]>(r.overview)
    })
  },
  activity: {
    table: 'activities',
    columns: `e.id, e.code, e.uuid, e.position, e.competency_id, e.domain_id, e.text, ${SUBPOINTS}`,
    order: 'e.ordinal',
    filters: { competency: 'e.competency_id', domain: 'e.domain_id' },
    map: (r, v): ActivityRecord => ({
      ...base('activity', r, v),
      type: 'activity',
      competency: r.competency_id as string,
      domain: r.domain_id as string,
      text: r.text as string,
      subpoints: parse<Array<Omit<SubPointRecord, 'type' | 'framework' | 'version' | 'activity'>>>(r.subpoints)
        .map((s) => ({ ...s, type: 'subpoint', framework: v.framework, version: v.number, activity: r.id as string }))
    })
  },
  hint: {
    table: 'hints',
    columns: 'e.id, e.code, e.uuid, e.position, e.competency_id, e.domain_id, e.paragraphs',
    order: 'e.position',
    filters: { competency: 'e.competency_id', domain: 'e.domain_id' },
    map: (r, v): HintRecord => ({
      ...base('hint', r, v), type: 'hint', competency: r.competency_id as string, domain: r.domain_id as string, paragraphs: parse<string[]>(r.paragraphs)
    })
  },
  definition: {
    table: 'definitions',
    columns: 'e.id, e.code, e.uuid, e.position, e.term, e.text, e.other_names',
    order: 'e.position',
    filters: {},
    map: (r, v): DefinitionRecord => ({
      ...base('definition', r, v), type: 'definition', term: r.term as string, text: r.text as string, otherNames: parse<string[]>(r.other_names)
    })
  },
  question: {
    table: 'questions',
    columns: 'e.id, e.code, e.uuid, e.position, e.text, e.subquestions',
    order: 'e.position',
    filters: {},
    map: (r, v): QuestionRecord => ({ ...base('question', r, v), type: 'question', text: r.text as string, subquestions: parse<string[]>(r.subquestions) })
  },
  dilemma: {
    table: 'dilemmas',
    columns: 'e.id, e.code, e.uuid, e.position, e.text',
    order: 'e.position',
    filters: {},
    map: (r, v): DilemmaRecord => ({ ...base('dilemma', r, v), type: 'dilemma', text: r.text as string })
  },
  resource: {
    table: 'resources',
    columns: 'e.id, e.code, e.uuid, e.position, e.group_id, g.title AS group_title, g.note AS group_note, e.kind, e.text, e.url, e.doi',
    order: 'e.position',
    filters: { group: 'e.group_id' },
    map: (r, v): ResourceRecord => ({
      ...base('resource', r, v),
      type: 'resource',
      group: r.group_id as string,
      groupTitle: (r.group_title as string | null) ?? null,
      groupNote: (r.group_note as string | null) ?? null,
      kind: r.kind as 'link' | 'reference',
      text: r.text as string,
      url: (r.url as string | null) ?? null,
      doi: (r.doi as string | null) ?? null
    })
  }
}

/** The entity kinds a repository serves through `entities(type)`. */
export type ListedType = keyof typeof specs
export const listedTypes = Object.keys(specs) as ListedType[]

/** Reads one kind of entity. Every method is one SQL statement. */
export class EntityReader<T> {
  private readonly cache = new Map<string, Statement>()

  constructor (private readonly repo: Repository, private readonly spec: TableSpec<T>) {}

  private statement (key: string, where: string, order = this.spec.order): Statement {
    let stmt = this.cache.get(key)
    if (stmt === undefined) {
      const join = this.spec.table === 'resources' ? 'JOIN resource_groups g ON g.vkey = e.vkey AND g.id = e.group_id' : ''
      stmt = this.repo.db.prepare(`SELECT ${this.spec.columns} FROM ${this.spec.table} e ${join} WHERE e.vkey = ? ${where} ORDER BY ${order}`)
      this.cache.set(key, stmt)
    }
    return stmt
  }

  private run (stmt: Statement, v: VersionRecord, ...params: unknown[]): T[] {
    this.repo.statements++
    return stmt.all(v.vkey, ...params).map((row) => this.spec.map(row, v))
  }

  /** Every entity of the version, in guide order, optionally filtered (e.g. `{ domain: 'sustaining-change' }`). */
  list (v: VersionRecord, filter: Record<string, string | undefined> = {}): T[] {
    const names = Object.keys(filter).filter((k) => filter[k] !== undefined).sort()
    for (const name of names) {
      if (this.spec.filters[name] === undefined) throw new Error(`${this.spec.table} cannot be filtered by ${name}`)
    }
    const where = names.map((n) => `AND ${this.spec.filters[n] as string} = ?`).join(' ')
    return this.run(this.statement(`list:${names.join(',')}`, where), v, ...names.map((n) => filter[n]))
  }

  /** One entity by its slug id. */
  get (v: VersionRecord, id: string): T | undefined {
    return this.run(this.statement('get', 'AND e.id = ?'), v, id)[0]
  }
}

export interface SearchOptions {
  q: string
  types?: readonly string[]
  domain?: string
  limit: number
  offset: number
}

export interface SearchHitRecord {
  type: ListedType
  id: string
  domain: string | null
  /** bm25 score: lower is better. */
  rank: number
  title: string
  /** Matching text with hits wrapped in `<mark>`…`</mark>`. */
  snippet: string
}

export interface SearchResult {
  total: number
  hits: SearchHitRecord[]
  facets: { type: Record<string, number>, domain: Record<string, number> }
}

export interface UuidTarget {
  version: VersionRecord
  type: EntityType | 'version' | 'framework'
  id: string
}

/** The longest list of each relation in the content, across every version (Repository.largestLists). */
export interface LargestLists {
  groupsPerVersion: number
  competenciesPerDomain: number
  statementsPerOverview: number
  itemsPerStatement: number
  activitiesPerCompetency: number
  subpointsPerActivity: number
  resourcesPerGroup: number
}

export interface RepositoryOptions {
  /** Open read-write; only the builder and tests that prove the default need this. */
  readonly?: boolean
}

export class Repository {
  readonly db: Database.Database
  /** How many SQL statements have run; tests use it to prove that reads come from the catalog and caches. */
  statements = 0
  private readonly readers = new Map<ListedType, EntityReader<unknown>>()
  private readonly stmts: Record<string, Statement>
  private versionCache: VersionRecord[] | null = null
  /**
   * The first SQLite error other than a search the user mistyped: the database is damaged (or
   * gone) under a running process. Readiness fails from then on; a restart checks and rebuilds it.
   */
  failure: Error | null = null

  constructor (path: string, { readonly = true }: RepositoryOptions = {}) {
    this.db = new Database(path, { readonly, fileMustExist: true })
    this.db.pragma('query_only = ON')
    const prepare = this.db.prepare.bind(this.db)
    // Every statement reports SQLite errors to `failure` (src/store/integrity.ts tells them apart).
    this.db.prepare = ((sql: string) => this.guard(prepare(sql))) as typeof this.db.prepare
    const versionColumns = 'vkey, framework, number, uuid, ordinal, released, checksum, meta, dilemmas_introduction, dilemmas_conclusion, resources_introduction, counts'
    this.stmts = {
      versions: this.db.prepare(`SELECT ${versionColumns} FROM versions ORDER BY framework, ordinal`),
      uuid: this.db.prepare('SELECT u.vkey, u.type, u.id FROM uuids u JOIN versions v ON v.vkey = u.vkey WHERE u.uuid = ? ORDER BY v.ordinal LIMIT 1'),
      uuidInVersion: this.db.prepare('SELECT type, id FROM uuids WHERE uuid = ? AND vkey = ?'),
      groups: this.db.prepare('SELECT id, title, note FROM resource_groups WHERE vkey = ? ORDER BY position')
    }
  }

  /** Reader for one kind of entity. */
  entities<K extends ListedType> (type: K): EntityReader<RecordByType[K]> {
    let reader = this.readers.get(type)
    if (reader === undefined) {
      reader = new EntityReader(this, specs[type] as TableSpec<unknown>)
      this.readers.set(type, reader)
    }
    return reader as EntityReader<RecordByType[K]>
  }

  /** Every version of every framework, grouped by framework, newest first. Read once: the database is immutable. */
  versions (): VersionRecord[] {
    if (this.versionCache === null) {
      this.statements++
      this.versionCache = this.stmts.versions!.all().map((r) => ({
        vkey: r.vkey as number,
        framework: r.framework as string,
        number: r.number as string,
        uuid: r.uuid as string,
        ordinal: r.ordinal as number,
        released: r.released as string,
        checksum: r.checksum as string,
        meta: parse(r.meta),
        dilemmasIntroduction: r.dilemmas_introduction as string,
        dilemmasConclusion: (r.dilemmas_conclusion as string | null) ?? null,
        resourcesIntroduction: r.resources_introduction as string,
        counts: parse(r.counts)
      }))
    }
    return this.versionCache
  }

  frameworks (): FrameworkRecord[] {
    const byId = new Map<string, FrameworkRecord>()
    for (const v of this.versions()) {
      let fw = byId.get(v.framework)
      if (fw === undefined) {
        fw = { id: v.framework, uuid: frameworkUuid(v.framework), title: v.meta.title, versions: [] }
        byId.set(v.framework, fw)
      }
      fw.versions.push(v)
    }
    return [...byId.values()]
  }

  /** A version by number, or the newest for `latest`. */
  version (framework: string, number: string): VersionRecord | undefined {
    return this.versions().find((v) => v.framework === framework && (number === 'latest' ? v.ordinal === 0 : v.number === number))
  }

  /** The resource groups of a version, in order. */
  resourceGroups (v: VersionRecord): Array<{ id: string, title: string | null, note: string | null }> {
    this.statements++
    return this.stmts.groups!.all(v.vkey) as Array<{ id: string, title: string | null, note: string | null }>
  }

  /**
   * The longest list of each relation across every version, counted in SQL without reading a
   * record: what GraphQL's cost limit sizes nested lists by before any version is built.
   */
  largestLists (): LargestLists {
    this.statements++
    const most = (from: string): string => `(SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM ${from}))`
    return this.prepared('largest', `SELECT
      ${most('resource_groups GROUP BY vkey')} AS groupsPerVersion,
      ${most('competencies GROUP BY vkey, domain_id')} AS competenciesPerDomain,
      (SELECT coalesce(max(json_array_length(overview)), 0) FROM competencies) AS statementsPerOverview,
      (SELECT coalesce(max(json_array_length(s.value, '$.items')), 0) FROM competencies c, json_each(c.overview) s) AS itemsPerStatement,
      ${most('activities GROUP BY vkey, competency_id')} AS activitiesPerCompetency,
      ${most('subpoints GROUP BY vkey, activity_id')} AS subpointsPerActivity,
      ${most('resources GROUP BY vkey, group_id')} AS resourcesPerGroup`).get() as unknown as LargestLists
  }

  /**
   * What a uuid names: an entity (in the newest version that has it), a version, or a framework.
   * With `within`, only that version is searched.
   */
  findUuid (uuid: string, within?: VersionRecord): UuidTarget | undefined {
    const key = uuid.toLowerCase()
    for (const v of this.versions()) {
      if (within !== undefined && v.vkey !== within.vkey) continue
      if (v.uuid === key) return { version: v, type: 'version', id: v.number }
      if (within === undefined && frameworkUuid(v.framework) === key && v.ordinal === 0) return { version: v, type: 'framework', id: v.framework }
    }
    this.statements++
    if (within !== undefined) {
      const row = this.stmts.uuidInVersion!.get(key, within.vkey) as { type: EntityType, id: string } | undefined
      return row === undefined ? undefined : { version: within, type: row.type, id: row.id }
    }
    const row = this.stmts.uuid!.get(key) as { vkey: number, type: EntityType, id: string } | undefined
    if (row === undefined) return undefined
    const version = this.versions().find((v) => v.vkey === row.vkey)
    return version === undefined ? undefined : { version, type: row.type, id: row.id }
  }

  /** Ranked full-text search (FTS5 syntax: phrases in quotes, `prefix*`, AND/OR/NOT) with facet counts. */
  search (v: VersionRecord, { q, types, domain, limit, offset }: SearchOptions): SearchResult {
    const typeList = types !== undefined && types.length > 0 ? JSON.stringify(types) : null
    const params = { vkey: v.vkey, q, types: typeList, domain: domain ?? null, limit, offset }
    const where = `search_index MATCH @q AND vkey = @vkey
      AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
      AND (@domain IS NULL OR domain_id = @domain)`
    try {
      // The indexed title of a text without a name is its code (it ranks names above mentions); a
      // hit's title is then the text's first line, verbatim.
      const hits = this.prepared('search:hits', `SELECT type, entity_id AS id, domain_id AS domain, bm25(search_index, 0, 0, 0, 0, 10.0, 1.0) AS rank,
          CASE WHEN type IN ('principle', 'domain', 'competency', 'definition') THEN title ELSE substr(body, 1, instr(body || char(10), char(10)) - 1) END AS title,
          snippet(search_index, -1, '<mark>', '</mark>', '…', 16) AS snippet
        FROM search_index WHERE ${where} ORDER BY rank LIMIT @limit OFFSET @offset`).all(params) as unknown as SearchHitRecord[]
      const total = (this.prepared('search:total', `SELECT count(*) AS n FROM search_index WHERE ${where}`).get(params) as { n: number }).n
      const typeFacets = this.prepared('search:types', `SELECT type AS k, count(*) AS n FROM search_index
        WHERE ${where} GROUP BY type`).all(params) as Array<{ k: string, n: number }>
      const domainFacets = this.prepared('search:domains', `SELECT domain_id AS k, count(*) AS n FROM search_index
        WHERE search_index MATCH @q AND vkey = @vkey AND domain_id IS NOT NULL
        AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types))) GROUP BY domain_id`).all(params) as Array<{ k: string, n: number }>
      this.statements += 4
      return {
        total,
        hits,
        facets: {
          type: Object.fromEntries(typeFacets.map((f) => [f.k, f.n])),
          domain: Object.fromEntries(domainFacets.map((f) => [f.k, f.n]))
        }
      }
    } catch (err) {
      // The SQL is fixed and only `q` varies; still, only FTS5's own complaints are the client's fault.
      if (isSearchSyntax(err)) throw new SearchSyntaxError((err as Error).message)
      throw err
    }
  }

  private guard<S extends Database.Statement> (stmt: S): S {
    for (const method of ['all', 'get', 'iterate', 'run'] as const) {
      const original = (stmt[method] as (...args: unknown[]) => unknown).bind(stmt)
      Object.defineProperty(stmt, method, {
        writable: true,
        configurable: true,
        value: (...args: unknown[]) => {
          try {
            return original(...args)
          } catch (err) {
            if (this.failure === null && isSqliteError(err) && !isSearchSyntax(err)) this.failure = err as Error
            throw err
          }
        }
      })
    }
    return stmt
  }

  private readonly extra = new Map<string, Statement>()
  private prepared (key: string, sql: string): Statement {
    let stmt = this.extra.get(key)
    if (stmt === undefined) {
      stmt = this.db.prepare(sql)
      this.extra.set(key, stmt)
    }
    return stmt
  }

  close (): void {
    this.db.close()
  }
}
