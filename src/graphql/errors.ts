/**
 * GraphQL errors. Every error a client sees carries `extensions.code`; unexpected errors become a
 * generic INTERNAL_SERVER_ERROR (logged, never shown), and field suggestions ("Did you mean …?")
 * are removed in production so the schema cannot be guessed field by field.
 */
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql'
import type { MercuriusContext } from 'mercurius'
import { HttpError } from '../web/http-error.js'
import { SearchSyntaxError } from '../store/repository.js'

/** An error meant for the client: its message is shown as is, with its code. */
export class ApiError extends Error {
  constructor (message: string, readonly code: string, readonly details: Record<string, unknown> = {}) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Nothing has this id or number. */
export function notFoundError (message: string): ApiError {
  return new ApiError(message, 'NOT_FOUND')
}

/** An argument is out of range or malformed. */
export function badInput (message: string, argument?: string): ApiError {
  return new ApiError(message, 'BAD_USER_INPUT', argument === undefined ? {} : { argument })
}

const SEARCH_HELP = 'Invalid search query: use words, "quoted phrases", prefix*, AND, OR and NOT, and close every quote and parenthesis.'

interface Classified { message: string, code: string, status: number, extensions?: Record<string, unknown> }

const persisted: Record<string, Classified> = {
  PersistedQueryNotFound: { message: 'PersistedQueryNotFound', code: 'PERSISTED_QUERY_NOT_FOUND', status: 400 },
  PersistedQueryNotSupported: { message: 'PersistedQueryNotSupported', code: 'PERSISTED_QUERY_NOT_SUPPORTED', status: 400 },
  'provided sha does not match query': { message: 'The persisted query hash does not match the query.', code: 'BAD_REQUEST', status: 400 }
}

/** Codes of the HTTP-level refusals that reach GraphQL as errors with a status. */
const httpLimits: Record<number, string> = { 414: 'URL_TOO_LONG', 429: 'RATE_LIMITED', 503: 'SERVICE_UNAVAILABLE' }

/** What a client may see of one error, and the HTTP status it calls for. */
function classify (error: GraphQLError): Classified {
  const original = error.originalError as (Error & { code?: string, statusCode?: number, validation?: unknown, extensions?: Record<string, unknown> }) | undefined
  if (original === undefined || original === null || original instanceof GraphQLError) {
    // GraphQL's own errors (syntax, validation, variable coercion) and the limits' (which carry a code).
    const { message } = error
    const extensions = typeof error.extensions?.code === 'string' ? error.extensions : original?.extensions
    if (typeof extensions?.code === 'string') return { message, code: extensions.code, status: 400, extensions }
    const tokens = /^Syntax Error: Document contains more that (\d+) tokens/.exec(message)
    if (tokens !== null) {
      return { message: `The query has more than ${tokens[1]} tokens, the most this server parses.`, code: 'GRAPHQL_VALIDATION_FAILED', status: 400, extensions: { limit: 'tokens' } }
    }
    if (message.startsWith('Syntax Error')) return { message, code: 'GRAPHQL_PARSE_FAILED', status: 400 }
    if (message.startsWith('Variable "$')) return { message, code: 'BAD_USER_INPUT', status: 400 }
    return { message, code: 'GRAPHQL_VALIDATION_FAILED', status: 400 }
  }
  if (original instanceof ApiError) return { message: original.message, code: original.code, status: 200, extensions: original.details }
  if (original instanceof SearchSyntaxError) return { message: SEARCH_HELP, code: 'SEARCH_SYNTAX_ERROR', status: 200 }
  // The request-level limits (rate limit, URL length) say what happened and which status it calls for.
  // A malformed request (e.g. a query string that is not UTF-8) is the GraphQL code BAD_REQUEST.
  if (original instanceof HttpError) {
    return { message: original.message, code: httpLimits[original.statusCode] ?? (original.statusCode === 400 ? 'BAD_REQUEST' : original.code), status: original.statusCode }
  }
  const status = original.statusCode ?? 500
  const code = original.code ?? ''
  // Limits enforced before GraphQL runs (URL length, rate limit, load shedding) keep their status and say why.
  const limit = httpLimits[status]
  if (limit !== undefined && original.statusCode !== undefined) return { message: original.message, code: limit, status }
  if (status >= 400 && status < 500) {
    const known = persisted[original.message]
    if (known !== undefined) return known
    if (code.startsWith('MER_ERR_GQL_PERSISTED_QUERY') && original.message === 'Unknown query') {
      return { message: 'The request has no query: send `query`, or `extensions.persistedQuery` with a registered sha256Hash.', code: 'BAD_REQUEST', status: 400 }
    }
    if (original instanceof SyntaxError && code === 'MER_ERR_GQL_VALIDATION') {
      return { message: 'The `variables` and `extensions` parameters must be JSON objects.', code: 'BAD_REQUEST', status: 400 }
    }
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { message: 'The request body is too large.', code: 'PAYLOAD_TOO_LARGE', status: 413 }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { message: 'Send the request as application/json (or application/graphql).', code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 }
    if (original.message === 'body must be object') {
      return { message: 'The body must be one JSON object such as {"query": "…", "variables": {…}}; batched queries (arrays) are not supported.', code: 'BAD_REQUEST', status: 400 }
    }
    // Request-shape errors (JSON syntax, body/querystring schema, query-string encoding) from Fastify, mercurius and our limits describe the request only.
    if (code.startsWith('FST_') || original.validation !== undefined || original instanceof HttpError) return { message: original.message, code: 'BAD_REQUEST', status }
  }
  return { message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR', status: 500 }
}

/** mercurius (16.10) hands validation failures to the errorFormatter as one error holding the real ones (pinned in test/architecture/levers.test.ts); unwrap them. */
function flatten (errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors
    if (Array.isArray(inner)) {
      return inner.map((e) => e instanceof GraphQLError ? e : new GraphQLError((e as Error).message, { originalError: e as Error }))
    }
    return [error]
  })
}

const SUGGESTION = /\s*Did you mean .+\?$/

/** Builds the mercurius errorFormatter: codes on every error, nothing internal, suggestions off in production. */
export function errorFormatter ({ production }: { production: boolean }) {
  return (execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>, context: MercuriusContext): { statusCode: number, response: FormattedExecutionResult } => {
    const log = context.reply?.log ?? context.app.log
    let status = 200
    const errors: GraphQLFormattedError[] = flatten(execution.errors).map((error) => {
      const c = classify(error)
      if (c.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.originalError ?? error, path: error.path }, 'GraphQL resolver failed')
      status = Math.max(status, c.status)
      const message = production ? c.message.replace(SUGGESTION, '') : c.message
      const formatted: GraphQLFormattedError = {
        message,
        ...(error.locations === undefined ? {} : { locations: error.locations }),
        ...(error.path === undefined ? {} : { path: error.path }),
        extensions: { ...c.extensions, code: c.code }
      }
      return formatted
    })
    // With data, the request itself was fine (GraphQL over HTTP): 200, errors beside partial data.
    const hasData = execution.data !== undefined && execution.data !== null
    const statusCode = hasData ? 200 : status === 500 ? 200 : status
    // No `data` at all when the request failed before execution (GraphQL spec, "Response").
    const response: FormattedExecutionResult = execution.data === undefined ? { errors } : { data: execution.data, errors }
    return { statusCode, response }
  }
}
