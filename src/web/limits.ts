/**
 * Request limits as a plugin: over-long URLs get 414 and query strings that are not
 * percent-encoded UTF-8 get 400, before any work is done; requests still unanswered after
 * HANDLER_TIMEOUT get 503. The constructor options live in server-limits.ts, the router's error
 * scopes in error-scopes.ts and the error class in http-error.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { HttpError } from './http-error.js'

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
