/**
 * Size and time limits. `serverLimits` gives the Fastify constructor options (body size, path
 * parameter length, socket timeouts); the plugin rejects over-long URLs with 414 before any work
 * is done, and answers 503 to requests still unanswered after HANDLER_TIMEOUT.
 * `frameworkErrors` sends the router's own errors (malformed percent-encoding, over-long path
 * parameters) through the app's error handler, with the request id, like every other error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { requestIdHeader } from './request-id.js'

/** An error the app's error handler renders with its status code (problem+json once REST is in). */
export class HttpError extends Error {
  constructor (readonly statusCode: number, readonly code: string, message: string) {
    super(message)
    this.name = 'HttpError'
  }
}

/** The Fastify constructor options that bound request size and duration. */
export function serverLimits (config: Config): Pick<FastifyServerOptions, 'bodyLimit' | 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'routerOptions'> {
  return {
    bodyLimit: config.BODY_LIMIT,
    requestTimeout: config.REQUEST_TIMEOUT,
    connectionTimeout: config.CONNECTION_TIMEOUT,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT,
    routerOptions: { maxParamLength: config.PARAM_MAX_LENGTH }
  }
}

/** Fastify's `frameworkErrors`: router errors go to the app's (root) error handler, with the request id. */
export function frameworkErrors (error: Error, request: FastifyRequest, reply: FastifyReply): void {
  reply.header(requestIdHeader, request.id)
  reply.server.errorHandler.call(reply.server, error, request, reply)
}

/** How often requests in flight are checked against HANDLER_TIMEOUT: a quarter of it, from 10 ms to 1 s. */
export function sweepInterval (timeout: number): number {
  return Math.min(1000, Math.max(10, Math.floor(timeout / 4)))
}

/**
 * HANDLER_TIMEOUT: requests in flight are kept in arrival order with their deadlines, and one
 * timer answers those past it with a 503 (up to one sweep interval late). Fastify's own
 * handlerTimeout gives every request an AbortController and a timer, and aborts the controller
 * with a fresh DOMException when a request with a body closes: measured, a third of the CPU of
 * a cached GraphQL POST.
 */
function handlerTimeout (app: FastifyInstance, timeout: number): void {
  const inFlight = new Map<FastifyReply, number>()
  // The timer keeps the process alive only while a request waits for an answer.
  const settled = (): void => { if (inFlight.size === 0) sweep.unref() }
  const sweep = setInterval(() => {
    const now = performance.now()
    for (const [reply, deadline] of inFlight) {
      if (deadline > now) break
      inFlight.delete(reply)
      // Fastify's error handling cuts off a response whose headers are already out.
      if (!reply.sent && !reply.raw.destroyed) reply.send(new HttpError(503, 'HANDLER_TIMEOUT', `The request timed out after ${timeout} ms.`))
    }
    settled()
  }, sweepInterval(timeout))
  sweep.unref()
  app.addHook('onRequest', (_request, reply, done) => {
    if (inFlight.size === 0) sweep.ref()
    inFlight.set(reply, performance.now() + timeout)
    done()
  })
  // A request the client gave up on gets no onResponse: it stays until its deadline, then goes
  // (its response is destroyed by then, so nothing is sent).
  app.addHook('onResponse', (_request, reply, done) => {
    inFlight.delete(reply)
    settled()
    done()
  })
  app.addHook('onClose', (_instance, done) => {
    clearInterval(sweep)
    done()
  })
}

export default fp<{ config: Config }>(async (app, { config }) => {
  const max = config.URL_MAX_LENGTH
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.length > max) done(new HttpError(414, 'URL_TOO_LONG', `The URL is ${request.url.length} characters long; at most ${max} are accepted.`))
    else done()
  })
  if (config.HANDLER_TIMEOUT > 0) handlerTimeout(app, config.HANDLER_TIMEOUT)
}, { name: 'limits' })
