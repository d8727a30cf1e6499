/**
 * The ceiling: a bare Fastify 5 server answering {"hello":"world"} through a response schema
 * (fast-json-stringify), no logger and no plugins. No Fastify route on this machine can beat it.
 * Run as `node --import tsx bench/servers/ceiling.ts`, with PORT (and HOST) in the environment.
 */
import Fastify from 'fastify'

const app = Fastify({ logger: false })

app.get('/', {
  schema: {
    response: { 200: { type: 'object', properties: { hello: { type: 'string' } }, required: ['hello'] } }
  }
}, async () => ({ hello: 'world' }))

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' })

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void app.close() })
