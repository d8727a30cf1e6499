/**
 * Bare Fastify sending the same bytes: for each request the harness recorded from the service
 * (method and URL), the same status, Content-Type, Content-Encoding, ETag and body bytes, from one
 * catch-all route, no plugins, no logger. The reference for a cached answer: what Fastify
 * itself costs to send exactly what the service sends, without the production stack.
 * Run as `node --import tsx bench/servers/same-bytes.ts` with PORT, HOST and ANSWERS (a JSON file
 * of recorded answers) in the environment.
 */
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

export interface RecordedAnswer {
  method: 'GET' | 'POST'
  url: string
  /** The request's If-None-Match, when it sent one: the same URL may be a 200 or a 304. */
  ifNoneMatch?: string
  status: number
  headers: Record<string, string>
  /** The body as sent, base64. */
  body: string
}

const answers = new Map((JSON.parse(readFileSync(process.env.ANSWERS ?? '', 'utf8')) as RecordedAnswer[])
  .map((a) => [`${a.method} ${a.url} ${a.ifNoneMatch ?? ''}`, { ...a, bytes: Buffer.from(a.body, 'base64') }]))

const app = Fastify({ logger: false })
// GraphQL POST bodies are JSON; they are read (as a real route must) but not used.
app.route({
  method: ['GET', 'POST'],
  url: '*',
  handler: async (request, reply) => {
    const answer = answers.get(`${request.method} ${request.url} ${request.headers['if-none-match'] ?? ''}`)
    if (answer === undefined) return await reply.code(404).send()
    return await reply.code(answer.status).headers(answer.headers).send(answer.status === 304 ? undefined : answer.bytes)
  }
})

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' })

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void app.close() })
