/**
 * Logging: pino JSON lines (human-readable through pino-pretty only when asked or when stdout is
 * a terminal). Requests are logged by method, URL, host, client IP and user agent; bodies never,
 * and credentials are redacted should anything log headers.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import pino from 'pino'
import type { Config } from '../config.js'

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>

/** Paths pino censors wherever they appear in a log line. */
export const redactPaths = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]',
  'headers.authorization', 'headers.cookie', 'headers["proxy-authorization"]',
  'res.headers["set-cookie"]'
]

/** What a request and a response look like in the logs. */
export const serializers = {
  req (request: FastifyRequest) {
    return {
      method: request.method,
      url: request.url,
      host: request.host,
      remoteAddress: request.ip,
      userAgent: request.headers['user-agent']
    }
  },
  res (reply: { statusCode: number }) {
    return { statusCode: reply.statusCode }
  }
}

/** Adds the serializers and redaction to logger options (`true` means default options). */
export function withLogDefaults (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false
  const options: LoggerOptions = logger === true ? {} : logger
  return { redact: { paths: redactPaths, censor: '[redacted]' }, ...options, serializers: { ...serializers, ...options.serializers } }
}

/** Whether logs are human-readable: LOG_FORMAT=pretty, or auto on a terminal. */
export function prettyLogs (format: Config['LOG_FORMAT'], isTTY: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTTY)
}

/**
 * The server process's logger options. JSON lines are written to stdout synchronously, as Node
 * writes to pipes and files on Linux anyway: nothing is lost if the process dies, and measured,
 * it costs less CPU per request than pino's default asynchronous writes of one line at a time.
 */
export function loggerOptions (config: Config, isTTY = process.stdout.isTTY === true): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    ...(prettyLogs(config.LOG_FORMAT, isTTY)
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : { stream: pino.destination({ dest: 1, sync: true }) })
  }
}
