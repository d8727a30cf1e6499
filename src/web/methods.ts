/**
 * Which methods a path accepts, answered the same way everywhere: `OPTIONS` is a 204 with `Allow`
 * (and a CORS preflight advertises the same list in Access-Control-Allow-Methods), and a method a
 * path refuses is a 405 with `Allow`. The list is read from the router, so a route's methods are
 * declared once, where the route is.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import { HttpProblem } from './problem.js'

const candidates = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * Methods refused by `refuseMethods`, as `METHOD url` (the route's full url: exact, or a prefix
 * ending in `/*`). The router finds a refusal like any route, so these are taken out of its answer.
 * The urls are the code's own, so the set stays as small as the app's routes.
 */
const refusals = new Set<string>()

function refused (method: string, path: string): boolean {
  for (const key of refusals) {
    const [m, url = ''] = key.split(' ')
    if (m === method && (url === path || (url.endsWith('/*') && path.startsWith(url.slice(0, -1))))) return true
  }
  return false
}

/** The methods `path` accepts, OPTIONS included; empty when no route serves it. */
export function allowedMethods (app: FastifyInstance, path: string): string[] {
  const allowed = candidates.filter((method) => app.findRoute({ method, url: path }) !== null && !refused(method, path))
  return allowed.length === 0 ? [] : [...allowed, 'OPTIONS']
}

const pathOf = (request: FastifyRequest): string => request.url.split('?')[0] ?? request.url

/** Registers `methods` on `url` as a 405 problem with `Allow` naming what the path accepts. */
export function refuseMethods (app: FastifyInstance, url: string, methods: string[], detail: string): void {
  const refuse: RouteHandlerMethod = async function refuse (request) {
    throw new HttpProblem('method-not-allowed', detail, undefined, { allow: allowedMethods(app, pathOf(request)).join(', ') })
  }
  for (const method of methods) refusals.add(`${method} ${app.prefix}${url}`)
  app.route({ method: methods, url, schema: { hide: true }, handler: refuse })
}

/** An OPTIONS handler: 204 with `Allow`, or the not-found answer when nothing is served at the path. */
export function answerOptions (app: FastifyInstance): RouteHandlerMethod {
  return async function options (request: FastifyRequest, reply: FastifyReply) {
    const allow = allowedMethods(app, pathOf(request))
    if (allow.length === 0) return reply.callNotFound()
    return reply.code(204).header('allow', allow.join(', ')).send()
  }
}

/**
 * An onSend hook for OPTIONS answers (a CORS preflight is answered before the handler): `Allow`,
 * and Access-Control-Allow-Methods narrowed to what the path accepts.
 */
export function allowHeaders (app: FastifyInstance) {
  return async function allow (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const allowed = allowedMethods(app, pathOf(request))
    if (allowed.length === 0) return payload
    reply.header('allow', allowed.join(', '))
    if (reply.hasHeader('access-control-allow-methods')) reply.header('access-control-allow-methods', allowed.join(', '))
    return payload
  }
}
