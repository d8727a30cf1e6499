/**
 * The Fastify constructor options that bound a request's size and time (body size, path
 * parameter length, socket, header and request timeouts), and `clientErrors`: what Node's HTTP
 * parser refuses (431, 400, 408) answered as problem+json on the raw socket.
 */
import { STATUS_CODES, maxHeaderSize, type ServerOptions } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Config } from '../config.js'
import { instanceOf } from './problem.js'

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
