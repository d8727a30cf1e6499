/**
 * Shutdown awareness. Once the app starts closing, `app.shuttingDown()` is true (readiness then
 * fails) and every response carries `Connection: close`: Node stops accepting new connections
 * and closes idle ones, but a keep-alive connection whose request was already in flight would
 * otherwise stay open after its response and hold the process until the shutdown timeout.
 */
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** True once the app has started closing. */
    shuttingDown: () => boolean
  }
}

export default fp(async (app) => {
  let closing = false
  app.decorate('shuttingDown', () => closing)
  app.addHook('preClose', (done) => {
    closing = true
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
}, { name: 'shutdown' })
