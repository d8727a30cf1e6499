/**
 * Automatic persisted queries (Apollo's protocol, as mercurius' `persistedQueryDefaults.automatic`)
 * with the registered queries kept in a ByteCache: bounded in bytes, query text and hash together,
 * like every other cache here. mercurius' own store counts entries (1024 of up to the 64 KiB body
 * limit each: 64 MiB in the worst case) and evicts the hot with the junk; here a query registered
 * once and never asked for by its hash churns probation only.
 */
import { createHash } from 'node:crypto'
import type { PersistedQueryProvider } from 'mercurius'
import { ByteCache, keyBytes } from '../web/byte-cache.js'
import { noCacheObserver, type CacheObserver } from '../web/telemetry.js'
import { BODY_LIMIT } from './limits.js'

/** Bytes the registered queries may hold: thousands of typical queries of a few KB. */
export const PERSISTED_BYTES = 8 * 1024 * 1024

interface PersistedRequest { query?: unknown, extensions?: { persistedQuery?: { version?: unknown, sha256Hash?: unknown } } }

export interface PersistedQueries extends PersistedQueryProvider {
  /** The registered query, without counting a lookup (for checks made before mercurius asks). */
  peek: (hash: string) => string | undefined
  stats: () => { entries: number, bytes: number }
}

export function persistedQueries (observer: CacheObserver = noCacheObserver, maxBytes = PERSISTED_BYTES): PersistedQueries {
  const store = new ByteCache<string>({ maxBytes, maxEntryBytes: 2 * BODY_LIMIT + 1024, maxKeyBytes: 256 }, () => { observer.evicted() })
  const ask = (request: unknown): PersistedRequest => (request ?? {}) as PersistedRequest
  return {
    // As mercurius' own: an empty query is no query.
    isPersistedQuery: (request) => { const r = ask(request); return (r.query === undefined || r.query === null || r.query === '') && r.extensions?.persistedQuery != null },
    isPersistedQueryRetry: (request) => { const r = ask(request); return typeof r.query === 'string' && r.query !== '' && r.extensions?.persistedQuery != null },
    getHash: (request) => {
      const persisted = ask(request).extensions?.persistedQuery
      // '' (falsy) tells mercurius the version is not supported.
      return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : ''
    },
    getQueryFromHash: async (hash) => {
      const query = store.get(hash)
      if (query === undefined) observer.miss()
      else observer.hit()
      return query
    },
    getHashForQuery: (query) => createHash('sha256').update(query, 'utf8').digest('hex'),
    saveQuery: async (hash, query) => { store.set(hash, query, keyBytes(query)) },
    notFoundError: 'PersistedQueryNotFound',
    notSupportedError: 'PersistedQueryNotSupported',
    mismatchError: 'provided sha does not match query',
    peek: (hash) => store.peek(hash),
    stats: () => store.stats()
  }
}
