/**
 * Shutdown that finishes what it accepted. Once the app starts closing, `app.shuttingDown()` is
 * true (readiness then fails) and every response carries `Connection: close`.
 *
 * Node's `server.close()` destroys idle keep-alive connections at once, so a client that sent a
 * request on one a moment earlier gets a reset. Instead, the listener stops accepting and the
 * connections drain: each is closed by the server after the response to its next request (which
 * says `Connection: close`), or once it has been idle for `idleGrace`; a connection still busy
 * (a body that never ends, a slowloris) when the client bound passes is cut, and logged. Then
 * Fastify closes the server, with nothing left to wait for, and the onClose hooks (the database)
 * run well within SHUTDOWN_TIMEOUT.
 */
import { Server as NetServer, type Socket } from 'node:net'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** True once the app has started closing. */
    shuttingDown: () => boolean
    /**
     * Starts shutdown: stops accepting connections and marks answers `Connection: close`. Call it
     * before `close()`: Fastify marks answers `Connection: close` as soon as it starts closing,
     * and a client that reconnects before the listener is closed is reset with the backlog.
     */
    stopAccepting: () => void
  }
}

export interface ShutdownOptions {
  /** How long a connection with no request in flight is kept open during shutdown, for requests already on their way. */
  idleGrace?: number
  /** When connections still busy are cut, from the start of shutdown; default from SHUTDOWN_TIMEOUT (clientCutoff). */
  clientTimeout?: number
}

/**
 * A connection idle this long during shutdown is closed: a request its client sent just before
 * would have arrived by then, even on a loaded machine. At most half the client cutoff.
 */
export const IDLE_GRACE_MS = 1000

/**
 * When busy clients are cut during shutdown: SHUTDOWN_TIMEOUT less a quarter of it (at most a
 * second), so that closing the database and logging fit before the process gives up.
 */
export function clientCutoff (shutdownTimeout: number): number {
  return Math.max(1, shutdownTimeout - Math.min(1000, Math.floor(shutdownTimeout / 4)))
}

/** A connection: requests in flight on it, when it last finished one, and how many bytes it had read by then. */
interface Connection { busy: number, since: number, read: number, request?: string }

export default fp<ShutdownOptions>(async (app, opts) => {
  let closing = false
  const connections = new Map<Socket, Connection>()
  app.decorate('shuttingDown', () => closing)

  app.server.on('connection', (socket: Socket) => {
    connections.set(socket, { busy: 0, since: performance.now(), read: 0 })
    socket.once('close', () => connections.delete(socket))
  })
  app.addHook('onRequest', (request, reply, done) => {
    const state = connections.get(request.raw.socket)
    if (state !== undefined) {
      state.busy++
      state.request = request.id
      reply.raw.once('close', () => {
        state.busy--
        state.since = performance.now()
        state.read = request.raw.socket.bytesRead
      })
    }
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })

  const stopAccepting = (): void => {
    // The listener first: no answer says `Connection: close` while a reconnection could still be accepted.
    if (app.server.listening) NetServer.prototype.close.call(app.server)
    closing = true
  }
  app.decorate('stopAccepting', stopAccepting)

  app.addHook('preClose', async () => {
    const listening = app.server.listening
    stopAccepting()
    if (!listening && connections.size === 0) return
    const started = performance.now()
    const timeout = opts.clientTimeout ?? clientCutoff((app as { config?: { SHUTDOWN_TIMEOUT?: number } }).config?.SHUTDOWN_TIMEOUT ?? 8000)
    const idleGrace = opts.idleGrace ?? Math.min(IDLE_GRACE_MS, timeout / 2)
    let forced = 0
    while (connections.size > 0) {
      const now = performance.now()
      for (const [socket, state] of connections) {
        if (socket.destroyed) continue
        // Idle for the grace period since shutdown began (or since its last answer, if later).
        const idle = state.busy === 0 && now - Math.max(state.since, started) >= idleGrace
        if (!idle && now - started < timeout) continue
        // Bytes read since its last answer: a request still arriving (a slowloris, a stalled client).
        const unfinished = state.busy > 0 || socket.bytesRead > state.read
        if (unfinished) {
          forced++
          app.log.warn({ remoteAddress: socket.remoteAddress, requestId: state.busy > 0 ? state.request : undefined, busy: state.busy > 0, afterMs: Math.round(now - started) },
            state.busy > 0 ? 'shutdown: closed a connection that was still busy' : 'shutdown: closed a connection with a request still arriving')
        }
        socket.destroy()
      }
      if (connections.size === 0) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    app.log.info({ forced, ms: Math.round(performance.now() - started) }, 'shutdown: connections drained')
  })
}, { name: 'shutdown' })
