/**
 * Error scopes: the router's own errors (malformed percent-encoding, over-long path parameters)
 * never reach a route, so `frameworkErrors` sends them to the error handler of the URL's scope:
 * the root's, or that of a transport that claimed its prefix with `scopeRouterErrors` (CASE
 * answers in imsx_StatusInfo). The limits plugin decorates `errorScopes`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { requestIdHeader } from './request-id.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * URL prefixes whose routes answer errors in a format of their own (the CASE providers'
     * imsx_StatusInfo), with that error handler; the router's errors under a prefix use it too.
     */
    errorScopes: Array<{ prefix: string, handler: FastifyInstance['errorHandler'] }>
    /** Counts a request no route handles against its client's rate limit; rejects with a 429 error past it (src/web/security.ts). */
    limitUnrouted?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

/**
 * Has an encapsulated plugin's error handler answer the router's errors under its prefix too.
 * Without the limits plugin (a plugin tested on its own) there is nothing to register with.
 */
export function scopeRouterErrors (app: FastifyInstance): void {
  if (app.hasDecorator('errorScopes')) app.errorScopes.push({ prefix: app.prefix, handler: app.errorHandler })
}

/**
 * Fastify's `frameworkErrors`: the router's errors (malformed percent-encoding, over-long path
 * parameters) never reach a route or its hooks. They get the request id, count against the
 * client's rate limit like any other request, and are answered by the error handler of the URL's
 * scope (the root's unless a prefix claimed it).
 */
export function frameworkErrors (error: Error, request: FastifyRequest, reply: FastifyReply): void {
  reply.header(requestIdHeader, request.id)
  const server = reply.server
  const scope = server.errorScopes.find(({ prefix }) => request.url.startsWith(prefix) && /^(?:[/?]|$)/.test(request.url.slice(prefix.length)))
  const handler = scope?.handler ?? server.errorHandler
  const respond = (err: Error): void => { handler.call(server, err as FastifyError, request, reply) }
  if (server.limitUnrouted === undefined) return respond(error)
  server.limitUnrouted(request, reply).then(() => respond(error), respond)
}
