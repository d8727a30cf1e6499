/**
 * Size and time limits. `serverLimits` gives the Fastify constructor options (body size, path
 * parameter length, socket timeouts); the plugin rejects over-long URLs with 414, and query strings
 * that are not percent-encoded UTF-8 with 400, before any work is done, and answers 503 to requests
 * still unanswered after HANDLER_TIMEOUT.
 * `frameworkErrors` sends the router's own errors (malformed percent-encoding, over-long path
 * parameters) through the app's error handler, with the request id, like every other error;
 * `clientErrors` answers what Node's HTTP parser refuses (431, 400, 408) as problem+json.
 */
import { STATUS_CODES, maxHeaderSize, type ServerOptions } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { instanceOf } from './problem.js'
import { requestIdHeader } from './request-id.js'

/** An error the app's error handler renders with its status code (problem+json once REST is in). */
export class HttpError extends Error {
  constructor (readonly statusCode: number, readonly code: string, message: string) {
    super(message)
    this.name = 'HttpError'
  }
}

/**
 * Node checks its request and header timeouts every `connectionsCheckingInterval` (30 s by
 * default), so a 5 s REQUEST_TIMEOUT could let a slow client stay 35 s. Check at a tenth of the
 * shorter timeout instead, from 100 ms to 1 s.
 */
export function timeoutCheckInterval (config: Pick<Config, 'REQUEST_TIMEOUT' | 'HEADERS_TIMEOUT'>): number {
  const shortest = Math.min(...[config.REQUEST_TIMEOUT, config.HEADERS_TIMEOUT].filter((t) => t > 0), 10_000)
  return Math.min(1000, Math.max(100, Math.floor(shortest / 10)))
}

/** The Fastify constructor options that bound request size and duration. */
export function serverLimits (config: Config): Pick<FastifyServerOptions, 'bodyLimit' | 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'routerOptions' | 'clientErrorHandler'> & { http: ServerOptions } {
  const headers = config.REQUEST_TIMEOUT > 0 ? Math.min(config.HEADERS_TIMEOUT, config.REQUEST_TIMEOUT) : config.HEADERS_TIMEOUT
  return {
    bodyLimit: config.BODY_LIMIT,
    // Node's http options: when timeouts are checked, and how long the headers may take.
    http: { connectionsCheckingInterval: timeoutCheckInterval(config), ...(headers > 0 ? { headersTimeout: headers } : {}) },
    requestTimeout: config.REQUEST_TIMEOUT,
    connectionTimeout: config.CONNECTION_TIMEOUT,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT,
    routerOptions: { maxParamLength: config.PARAM_MAX_LENGTH },
    clientErrorHandler: clientErrors(config)
  }
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request
 * (headers over the size limit, malformed HTTP, a request not received in time) is answered as
 * problem+json like every other error, and the connection closed. Each is logged (a 408 at warn:
 * a client too slow, or a slowloris), with the client's address.
 */
export function clientErrors (config: Config): (this: FastifyInstance | undefined, error: ConnectionError & { reason?: string }, socket: Socket) => void {
  return function clientError (this: FastifyInstance | undefined, error, socket) {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const [status, detail] = error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, `The request headers are larger than the ${maxHeaderSize} bytes accepted.`]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, `The request was not received in full within ${config.REQUEST_TIMEOUT} ms.`]
        : [400, `The request is not valid HTTP/1.1${error.reason === undefined ? '' : ` (${error.reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)})`}.`]
    // No request was parsed; the request line, when there is one, names the instance.
    const raw: unknown = error.rawPacket
    const target = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r?\n/.exec(Buffer.isBuffer(raw) ? raw.toString('latin1') : '')?.[1] ?? ''
    const body = JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status], status, detail, instance: instanceOf(target) })
    const log = this?.log
    if (log !== undefined) {
      const entry = { status, code: error.code, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, target: target.slice(0, 200) }
      if (status === 408) log.warn(entry, 'client error: request not received in time, connection closed')
      else log.info(entry, 'client error: connection closed')
    }
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
    }
    socket.destroy()
  }
}

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

/**
 * The first parameter of a query string that is not percent-encoded UTF-8 (a "%" without two hex
 * digits, or bytes that are no UTF-8 character), or undefined when every one decodes. Fastify
 * would pass such text on undecoded, so `q=%C3%28` would search for "%C3%28".
 */
export function undecodableParameter (url: string): string | undefined {
  const start = url.indexOf('?')
  if (start === -1 || !url.includes('%', start)) return undefined
  for (const part of url.slice(start + 1).split('&')) {
    try {
      decodeURIComponent(part)
    } catch {
      return part
    }
  }
  return undefined
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
  app.decorate('errorScopes', [])
  const max = config.URL_MAX_LENGTH
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.length > max) return done(new HttpError(414, 'URL_TOO_LONG', `The URL is ${request.url.length} characters long; at most ${max} are accepted.`))
    const bad = undecodableParameter(request.url)
    if (bad !== undefined) {
      const shown = bad.length > 60 ? `${bad.slice(0, 60)}…` : bad
      return done(new HttpError(400, 'BAD_QUERY_ENCODING', `The query string is not percent-encoded UTF-8 at "${shown}": encode "%" as %25 and send UTF-8 bytes.`))
    }
    done()
  })
  if (config.HANDLER_TIMEOUT > 0) handlerTimeout(app, config.HANDLER_TIMEOUT)
}, { name: 'limits' })
