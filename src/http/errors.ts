/** Root error and not-found handlers: every REST error is application/problem+json (RFC 9457). */
import fp from 'fastify-plugin'

export default fp(async () => {}, { name: 'errors' })
