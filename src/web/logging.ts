/**
 * Logging: pino JSON lines (human-readable through pino-pretty only when asked or when stdout is
 * a terminal). Requests are logged by method, URL, host, client IP and user agent; bodies never,
 * and credentials are redacted should anything log headers.
 */
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import pino from 'pino'
import type { Config } from '../config.js'

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>

/** Paths pino censors wherever they appear in a log line. */
export const redactPaths = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]',
  'headers.authorization', 'headers.cookie', 'headers["proxy-authorization"]',
  'res.headers["set-cookie"]'
]

/**
 * The paths to censor under logger options' serializers. pino serializes `req` and `res` before
 * it redacts them, and the serializers below keep no headers, so their paths can match nothing:
 * they are left out unless the options bring a serializer of their own for that key. Each key
 * with a redaction path costs a selective clone and restore on every line that has it, and the
 * access line has both: about 3 µs of a cached answer's CPU (docs/performance.md).
 */
export function activeRedactPaths (own: Partial<Record<string, unknown>> = {}): string[] {
  return redactPaths.filter((path) => {
    const key = path.split('.')[0]!
    return !(key === 'req' || key === 'res') || own[key] !== undefined
  })
}

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

/**
 * One access-log line per request: `request completed` (or `request errored`) at `info`, with
 * the request and the response together. Fastify's default also logs `incoming request` at
 * `info`, which doubled the logging cost of every request; here that line is at `debug`, for
 * following a request that has not finished yet.
 */
export class AccessLog extends LogController {
  constructor () {
    super({ requestIdLogLabel: 'requestId' })
  }

  override incomingRequest (request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request')
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error !== null && error !== undefined) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
  }
}

/** Adds the serializers and redaction to logger options (`true` means default options). */
export function withLogDefaults (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false
  const options: LoggerOptions = logger === true ? {} : logger
  return { redact: { paths: activeRedactPaths(options.serializers), censor: '[redacted]' }, ...options, serializers: { ...serializers, ...options.serializers } }
}

/** Whether logs are human-readable: LOG_FORMAT=pretty, or auto on a terminal. */
export function prettyLogs (format: Config['LOG_FORMAT'], isTTY: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTTY)
}

/**
 * Standard output for JSON lines, written in blocks: lines collect in memory until 4 KiB are
 * waiting or a second has passed, then go out in one asynchronous write. One synchronous write
 * per line measured as a sixth of a cached response's CPU time. pino flushes what is waiting
 * when the process exits, so a crash or shutdown loses nothing; only SIGKILL can lose up to a
 * second of lines. Past 16 MiB waiting (stdout blocked) lines are dropped rather than memory
 * growing without bound.
 */
export function bufferedStdout (flushEvery = 1000): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096, maxLength: 16 * 1024 * 1024 })
  let open = true
  stream.once('close', () => { open = false })
  const timer = setInterval(() => {
    if (open) stream.flush()
  }, flushEvery)
  timer.unref()
  return stream
}

/** The server process's logger options: pretty on a terminal (or when asked), else JSON lines through bufferedStdout. */
export function loggerOptions (config: Config, isTTY = process.stdout.isTTY === true): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    ...(prettyLogs(config.LOG_FORMAT, isTTY)
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : { stream: bufferedStdout() })
  }
}
