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

/** Told of every request as its access line is written: what the metrics count (metrics.ts). */
export type CompletedObserver = (request: FastifyRequest, reply: FastifyReply, elapsedMs: number) => void

/**
 * One access-log line per request: `request completed` (or `request errored`) at `info`, with
 * the request and the response together. Fastify's default also logs `incoming request` at
 * `info`, which doubled the logging cost of every request; here that line is at `debug`, for
 * following a request that has not finished yet.
 *
 * Fastify calls requestCompleted for every request that finished (matched or not, after its
 * onResponse hooks), so the request metrics are told here too, with the duration the line
 * carries: an onResponse hook of their own would be one more step in every request's chain and
 * read the clock again, about 1 µs of a cached answer's CPU (docs/performance.md).
 */
export class AccessLog extends LogController {
  private observer: CompletedObserver | undefined

  constructor () {
    super({ requestIdLogLabel: 'requestId' })
  }

  /** Sets the one observer of completed requests (the metrics plugin, when metrics are on). */
  observe (observer: CompletedObserver): void {
    this.observer = observer
  }

  override incomingRequest (request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request')
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const responseTime = reply.elapsedTime
    if (error !== null && error !== undefined) reply.log.error({ req: request, res: reply, err: error, responseTime }, 'request errored')
    else reply.log.info({ req: request, res: reply, responseTime }, 'request completed')
    this.observer?.(request, reply, responseTime)
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

/** Blocks waiting in bufferedStdout's front buffers, handed on when the process exits. */
const waiting = new Set<{ handOn: () => void, flushSync: () => void }>()
function handOnAll (sync: boolean): void {
  for (const w of waiting) {
    try {
      w.handOn()
      if (sync) w.flushSync()
    } catch {
      // A destination closing as the process exits: nothing left to write to.
    }
  }
}
process.on('exit', () => handOnAll(true))
process.on('beforeExit', () => handOnAll(false))

/**
 * Standard output for JSON lines, written in blocks: lines collect in memory until 16 KiB are
 * waiting or a second has passed, then go out in one asynchronous write. One synchronous write
 * per line measured as a sixth of a cached response's CPU time. What is waiting is written when
 * the process exits (process.exit, an uncaught error, the end of the event loop), so a crash or
 * shutdown loses nothing; only SIGKILL can lose up to a second of lines. Past 16 MiB waiting
 * (stdout blocked) lines are dropped rather than memory growing without bound.
 *
 * The lines are gathered here and handed to sonic-boom (pino's destination) a block at a time:
 * sonic-boom 4 measures the UTF-8 length of the whole block it is filling on every line it is
 * given (`Buffer.byteLength` of its last buffer, in `write`), 1.3 to 1.5 us per access line. And
 * each asynchronous write wakes a thread of libuv's pool, which on a busy machine costs the
 * event loop more than the bytes do: 16 KiB blocks cost about 1 us per line less than 4 KiB
 * ones (docs/performance.md, "Levers for per-request overhead").
 */
export function bufferedStdout (flushEvery = 1000, blockSize = 16 * 1024): pino.DestinationStream {
  const boom = pino.destination({ dest: 1, sync: false, minLength: blockSize, maxWrite: Math.max(16384, 4 * blockSize), maxLength: 16 * 1024 * 1024 })
  let lines: string[] = []
  let length = 0
  let open = true
  const handOn = (): void => {
    if (lines.length === 0) return
    const block = lines.join('')
    lines = []
    length = 0
    if (open) boom.write(block)
  }
  const entry = { handOn, flushSync: () => { if (open) boom.flushSync() } }
  waiting.add(entry)
  boom.once('close', () => {
    open = false
    waiting.delete(entry)
  })
  const timer = setInterval(() => {
    handOn()
    if (open) boom.flush()
  }, flushEvery)
  timer.unref()
  return {
    write (line: string): void {
      lines.push(line)
      length += line.length
      if (length >= blockSize) handOn()
    },
    flush (cb?: (err?: Error) => void): void {
      handOn()
      boom.flush(cb)
    },
    flushSync (): void {
      handOn()
      boom.flushSync()
    },
    end (): void {
      handOn()
      boom.end()
    }
  } as pino.DestinationStream
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
