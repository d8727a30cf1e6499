/**
 * Authentication for /v1/curricula: `Authorization: Bearer <key>`. No key, a malformed, unknown
 * or revoked one is a 401 with `WWW-Authenticate`; a read key writing is a 403. The key's
 * `lastUsedAt` is kept, at most once a minute per key so reads stay reads.
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { HttpProblem } from '../web/problem.js'
import { keyPrefix, verifyKey } from './keys.js'
import type { Actor, ApiKeyRecord, CurriculaRepository } from './store/repository.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key the request was authenticated with (curricula routes only). */
    apiKey?: ApiKeyRecord
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const TOUCH_EVERY = 60_000

const bearer = (request: FastifyRequest): string | undefined => /^Bearer[ ]+([^\s]+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]

const challenge = (error?: string): Record<string, string> =>
  ({ 'www-authenticate': `Bearer realm="curricula"${error === undefined ? '' : `, error="${error}"`}` })

/** The onRequest hook that authenticates and authorises a curricula request. */
export function authenticate (repo: CurriculaRepository): onRequestAsyncHookHandler {
  const touched = new Map<string, number>()
  return async (request) => {
    const key = bearer(request)
    if (key === undefined) {
      throw new HttpProblem('unauthorized', 'This API needs an API key: send Authorization: Bearer <key>.', [{ in: 'header', name: 'Authorization', message: 'is required' }], challenge())
    }
    const record = await verifyKey(repo, key)
    if (record === undefined) {
      throw new HttpProblem('unauthorized', 'The API key is not valid (malformed, unknown or revoked).', [{ in: 'header', name: 'Authorization', message: 'is not a valid key' }], challenge('invalid_token'))
    }
    if (!READ_METHODS.has(request.method) && record.scope !== 'write') {
      throw new HttpProblem('forbidden', 'This API key may only read; writing needs a key with scope write.', [{ in: 'header', name: 'Authorization', message: 'has scope read' }], challenge('insufficient_scope'))
    }
    request.apiKey = record
    const now = Date.now()
    if ((touched.get(record.id) ?? 0) < now - TOUCH_EVERY) {
      touched.set(record.id, now)
      await repo.touchKey(record.id)
    }
  }
}

/** Who is writing: the authenticated key's institution and the key. */
export function actorOf (request: FastifyRequest): Actor {
  const key = request.apiKey
  if (key === undefined) throw new Error('curricula route reached without authentication')
  return { institutionId: key.institutionId, keyId: key.id }
}

/** Route rate limit: per API key (by its public prefix), else per client address. */
export function keyRateLimit (config: Config): { max: number, timeWindow: number, keyGenerator: (request: FastifyRequest) => string } {
  return {
    max: config.CURRICULA_RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW,
    keyGenerator: (request) => {
      const prefix = keyPrefix(bearer(request) ?? '')
      return prefix === undefined ? `ip:${request.ip}` : `key:${prefix}`
    }
  }
}
