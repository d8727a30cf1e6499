/**
 * What the curricula store reports, whichever database is behind it. The web layer turns each
 * into its status: not found 404, stale 412, conflict 409, limit 422, unavailable 503.
 */

/** The record does not exist, or belongs to another institution (the two are not told apart). */
export class NotFoundError extends Error {
  constructor (readonly what: string) {
    super(`${what} not found`)
    this.name = 'NotFoundError'
  }
}

/** The record has changed since the revision the client sent in If-Match. */
export class StaleError extends Error {
  constructor (readonly what: string, readonly current: number) {
    super(`${what} has changed: it is at revision ${current}`)
    this.name = 'StaleError'
  }
}

/** A uniqueness rule would break (a course code twice in a curriculum, a target twice on a course). */
export class ConflictError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConflictError'
  }
}

/** A per-institution limit would be exceeded. */
export class LimitError extends Error {
  constructor (readonly limit: string, readonly max: number, message: string) {
    super(message)
    this.name = 'LimitError'
  }
}

/** The database cannot be reached (PostgreSQL down, SQLite locked for too long); retrying later may work. */
export class UnavailableError extends Error {
  constructor (cause: unknown) {
    super('the curricula database is unavailable', { cause })
    this.name = 'UnavailableError'
  }
}

const transientSqlStates = /^(08|53|57)/

/** Whether a driver error means the database is out of reach rather than the statement wrong. */
export function isUnavailable (err: unknown): boolean {
  const e = err as { code?: unknown, message?: unknown }
  const code = typeof e.code === 'string' ? e.code : ''
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'SQLITE_BUSY', 'SQLITE_LOCKED'].includes(code)) return true
  if (/^[0-9A-Z]{5}$/.test(code)) return transientSqlStates.test(code)
  const message = typeof e.message === 'string' ? e.message : ''
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|the database system is (starting up|shutting down)/i.test(message)
}

/** Whether a driver error is a unique-constraint violation. */
export function isUniqueViolation (err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
