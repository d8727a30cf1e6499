/**
 * Request ids: an incoming X-Request-Id is kept when it is short and made of safe characters
 * (so it cannot forge log lines or headers), otherwise a UUID is generated. Every response
 * carries the id in X-Request-Id, and every log line of the request has it as `requestId`.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'

/** The header a request id arrives in and is returned in. */
export const requestIdHeader = 'x-request-id'

/** What an incoming id may look like: 1 to 128 letters, digits and `._~:@/+=-`. */
export const safeRequestId = /^[\w.~:@/+=-]{1,128}$/

/** Fastify's `genReqId`: the caller's id when it is safe, else a fresh UUID. */
export function genReqId (req: Pick<IncomingMessage, 'headers'>): string {
  const incoming = req.headers[requestIdHeader]
  return typeof incoming === 'string' && safeRequestId.test(incoming) ? incoming : randomUUID()
}

export default fp(async (app) => {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(requestIdHeader, request.id)
    done()
  })
}, { name: 'request-id' })
