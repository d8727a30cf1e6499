/**
 * Admission of uncached GraphQL queries: at most `concurrency` execute at once, the next
 * `queue` wait their turn, and more than that are refused with a 503 and Retry-After. Execution
 * is CPU work on the one event loop: running ten near-limit queries side by side makes each take
 * ten times as long and keeps every other request (the health probes too) waiting behind them,
 * while running them one after another serves the same number per second with the event loop
 * free between them. Each query starts from a setImmediate, one per turn of the event loop, so
 * what arrived meanwhile (a health probe, a cached answer) is taken in before the next query.
 * Cached results are answered before this (src/graphql/result-cache.ts).
 */
import type { FastifyReply, FastifyRequest, onSendHookHandler, preHandlerAsyncHookHandler } from 'fastify'
import { HttpError } from '../web/http-error.js'

export interface AdmissionOptions {
  /** Queries executing at once. */
  concurrency: number
  /** Queries waiting for a turn; beyond this a query is refused with 503. */
  queue: number
}

/** One at a time: the work is synchronous, so more at once only interleaves it. */
export const defaultAdmission: AdmissionOptions = { concurrency: 1, queue: 64 }

const kSlot = Symbol('graphql admission slot')

export class Admission {
  private running = 0
  private readonly waiting: Array<() => void> = []
  /** Queries refused because the queue was full, since start. */
  refused = 0

  constructor (private readonly options: AdmissionOptions = defaultAdmission) {}

  stats (): { running: number, waiting: number, refused: number } {
    return { running: this.running, waiting: this.waiting.length, refused: this.refused }
  }

  private release (request: FastifyRequest): void {
    const held = request as unknown as Record<symbol, boolean | undefined>
    if (held[kSlot] !== true) return
    held[kSlot] = false
    const next = this.waiting.shift()
    if (next === undefined) this.running--
    // The next query starts once the event loop has taken in what arrived meanwhile (health
    // probes, cached answers).
    else setImmediate(next)
  }

  /** Route hooks: preHandler takes a turn (or waits, or refuses); onSend gives it back once the response is serialized. */
  hooks (): { preHandler: preHandlerAsyncHookHandler, onSend: onSendHookHandler<unknown> } {
    const preHandler: preHandlerAsyncHookHandler = async (request: FastifyRequest, reply: FastifyReply) => {
      if (this.running >= this.options.concurrency) {
        if (this.waiting.length >= this.options.queue) {
          this.refused++
          reply.header('retry-after', '1')
          throw new HttpError(503, 'GRAPHQL_BUSY', 'The server is busy running other GraphQL queries; retry in a second.')
        }
        await new Promise<void>((resolve) => this.waiting.push(resolve))
      } else {
        this.running++
        // A query that finds the way free still starts only after the event loop has taken in
        // what is waiting: a query runs synchronously from the socket read that brought it, and
        // libuv hands one poll phase every socket that is ready, so ten queries arriving together
        // would otherwise each take their turn (the previous one done) and run back to back in
        // one phase, the health probe's read waiting behind all ten (issue 12: p50 of 117 ms).
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
      (request as unknown as Record<symbol, boolean>)[kSlot] = true
      // Answered meanwhile (HANDLER_TIMEOUT's 503) or the client went away while it waited: pass the turn on.
      if (reply.sent || request.raw.socket.destroyed) {
        this.release(request)
        if (!reply.sent) throw new HttpError(503, 'GRAPHQL_BUSY', 'The client went away.')
        return
      }
      // A client that goes away before its answer gives its turn back too.
      reply.raw.once('close', () => this.release(request))
    }
    const onSend: onSendHookHandler<unknown> = (request, _reply, payload, done) => {
      this.release(request)
      done(null, payload)
    }
    return { preHandler, onSend }
  }
}
