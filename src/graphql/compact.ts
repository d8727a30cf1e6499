/**
 * Large query texts compacted before anything parses or caches them.
 *
 * mercurius keeps parsed and validated queries in a cache keyed by their text (`cache` in
 * index.ts, counted in entries, not bytes), and the result cache keys by the text too. A big
 * query sent in ever new spellings (a 60 KB comment ending in a counter) would be parsed,
 * validated and stored again each time: in a flood, tens of megabytes a second of query text
 * passing through the old generation. Above LARGE_QUERY characters the text is replaced by the
 * same document without comments and insignificant whitespace (graphql-js'
 * `stripIgnoredCharacters`), so every spelling of one document is one key. The price, for such
 * queries only: error `locations` refer to the compacted text, one line long. Text that does not
 * lex is left as sent, for the parser's own error; a registration of an automatic persisted
 * query is left as sent too, since its hash is of the text as sent.
 */
import type { preValidationAsyncHookHandler } from 'fastify'
import { stripIgnoredCharacters } from 'graphql'

/** Query texts longer than this (in UTF-16 code units, as the result cache counts its keys: 16 KiB) are compacted. */
export const LARGE_QUERY = 8 * 1024

/** The text to parse and cache: `query` itself when it is small, or when it does not lex. */
export function compactQuery (query: string): string {
  if (query.length <= LARGE_QUERY) return query
  try {
    return stripIgnoredCharacters(query)
  } catch {
    return query
  }
}

interface QueryFields { query?: unknown, extensions?: unknown }

/** Runs before the result cache and mercurius, on GET (the query string) and POST (the JSON body). */
export const compactLargeQuery: preValidationAsyncHookHandler = async (request) => {
  const fields = (request.method === 'GET' ? request.query : request.body) as QueryFields | null
  if (fields === null || typeof fields !== 'object' || typeof fields.query !== 'string' || fields.query.length <= LARGE_QUERY) return
  if (registersPersistedQuery(fields.extensions)) return
  fields.query = compactQuery(fields.query)
}

/** Whether `extensions` (an object in a POST body, JSON text in a GET) names a persisted query hash. */
function registersPersistedQuery (extensions: unknown): boolean {
  if (typeof extensions === 'string') return extensions.includes('persistedQuery')
  return typeof extensions === 'object' && extensions !== null && 'persistedQuery' in extensions
}
