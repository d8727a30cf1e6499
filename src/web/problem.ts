/**
 * Problem details (RFC 9457). Route code throws `HttpProblem`; the root error handler (error-handler.ts)
 * turns it, and every other error, into an application/problem+json response.
 */
import type { ProblemErrorView, ProblemView } from './schemas/problem.js'

/** The problem types this service uses, documented at `/problems/{slug}`. */
export const problemTypes = {
  'not-found': {
    status: 404,
    title: 'Not Found',
    description: 'No route matches the path, or the framework, version or entity it names does not exist. `detail` and `errors` say which; ids are case-sensitive slugs.'
  },
  'invalid-parameter': {
    status: 400,
    title: 'Invalid Parameter',
    description: 'A path or query parameter has a value that is not allowed. `errors` names the parameter, what is wrong and, where the set is closed, the allowed values.'
  },
  'unknown-parameter': {
    status: 400,
    title: 'Unknown Parameter',
    description: 'The request has a query parameter this operation does not take (often a typo). `errors[].allowed` lists the parameters it does take.'
  },
  'search-syntax': {
    status: 400,
    title: 'Invalid Search Query',
    description: 'The full-text query in `q` is not valid FTS5 syntax, e.g. an unbalanced quote or a dangling operator. Quote phrases ("like this"), use `word*` for prefixes and AND, OR, NOT in capitals.'
  },
  'not-acceptable': {
    status: 406,
    title: 'Not Acceptable',
    description: 'The `Accept` header names no media type this resource is offered in. `errors[].allowed` lists them; `?format=` picks one explicitly.'
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    description: 'The curricula API needs an API key: send `Authorization: Bearer <key>`. The key is missing, malformed, unknown or revoked; operators issue keys with `npm run admin -- key create`.'
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description: 'The API key may not do this: a `read` key cannot write. Ask an operator for a `write` key.'
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    description: 'The write would break a uniqueness rule: a course code twice in a curriculum, or a second alignment of a course to the same target.'
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition Failed',
    description: 'The `If-Match` ETag is not the record\'s current one: it changed since you read it. GET it again, reapply your change and retry with the new ETag.'
  },
  'precondition-required': {
    status: 428,
    title: 'Precondition Required',
    description: 'PATCH, PUT and DELETE on curricula need `If-Match` with the ETag you last read, so that no change is lost to a concurrent one.'
  },
  'unknown-target': {
    status: 422,
    title: 'Unknown Alignment Target',
    description: 'An alignment names a target that is not a competency, key activity or sub-point of the curriculum\'s pinned version. `errors` names it and lists what it could have meant.'
  },
  'invalid-record': {
    status: 422,
    title: 'Invalid Record',
    description: 'The request is well-formed but cannot be applied: an unknown framework or version, a CSV row that does not parse, or an `Idempotency-Key` reused with another body. `errors` names the row, column or field.'
  },
  'limit-exceeded': {
    status: 422,
    title: 'Limit Exceeded',
    description: 'The write would pass a per-institution limit (curricula, courses per curriculum, alignments per course). `detail` names the limit.'
  },
  unavailable: {
    status: 503,
    title: 'Service Unavailable',
    description: 'The curricula database cannot be reached just now. Retry after the `Retry-After` seconds; the framework API is not affected.'
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method Not Allowed',
    description: 'The REST API is read-only: use GET (or HEAD).'
  }
} as const

export type ProblemSlug = keyof typeof problemTypes

/** An error the client caused, with the problem type and details to report. */
export class HttpProblem extends Error {
  readonly statusCode: number

  constructor (readonly slug: ProblemSlug, readonly detail: string, readonly errors?: ProblemErrorView[], readonly headers: Record<string, string> = {}) {
    super(detail)
    this.name = 'HttpProblem'
    this.statusCode = problemTypes[slug].status
  }
}

/** A 404 naming what was not found. */
export function notFound (detail: string, errors?: ProblemErrorView[]): HttpProblem {
  return new HttpProblem('not-found', detail, errors)
}

/** A 400 for one bad parameter. */
export function invalidParameter (where: ProblemErrorView['in'], name: string, message: string, allowed?: readonly string[]): HttpProblem {
  return new HttpProblem('invalid-parameter', `Invalid ${where === 'path' ? 'path' : 'query'} parameter "${name}": ${message}.`, [
    { in: where, name, message, ...(allowed === undefined ? {} : { allowed: [...allowed] }) }
  ])
}

/**
 * What the path and query of a URI reference cannot hold (RFC 3986: pchar, "/" and "?"): any other
 * character, and a "%" that does not start an escape. `[`, `]` and `#` are delimiters, not data.
 */
const notUriChar = /[^A-Za-z0-9\-._~:/?@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})/gu

/** The `instance` of a request: its path and query as a valid URI reference. */
export function instanceOf (url: string): string {
  // A lone surrogate (possible in an injected URL) cannot be encoded; it stands for U+FFFD.
  return url.replace(notUriChar, (c) => encodeURIComponent(/\p{Cs}/u.test(c) ? '\uFFFD' : c))
}

/** Builds the problem body. */
export function problem (typeBase: string, slug: ProblemSlug | null, status: number, title: string, detail: string, instance: string, errors?: ProblemErrorView[]): ProblemView {
  return {
    type: slug === null ? 'about:blank' : `${typeBase}/problems/${slug}`,
    title,
    status,
    detail,
    instance,
    ...(errors === undefined || errors.length === 0 ? {} : { errors })
  }
}
