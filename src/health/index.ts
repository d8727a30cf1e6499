/**
 * Health: GET /health (the frameworks and versions this instance serves), and the probes
 * GET /health/live (the process answers) and GET /health/ready (it can serve traffic: database
 * open, content loaded, not shedding load, not shutting down). The probes are never rate-limited
 * or shed, are not cached, and log only warnings so a probe every few seconds stays out of the logs.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

export const Health = Type.Object({
  status: Type.Literal('ok', { description: 'Always `ok` when the service answers.' }),
  frameworks: Type.Array(Type.Object({
    id: Type.String({ description: 'Framework id.' }),
    latest: Type.String({ description: 'The newest version number.' }),
    versions: Type.Array(Type.String(), { description: 'Loaded version numbers, newest first.' })
  }, { additionalProperties: false }), { description: 'The loaded frameworks.' })
}, { $id: 'Health', additionalProperties: false, description: 'Service health and the loaded content.' })

export const Liveness = Type.Object({
  status: Type.Literal('ok', { description: 'Always `ok` when the process answers.' })
}, { $id: 'Liveness', additionalProperties: false, description: 'The process is up.' })

const Check = (description: string) => Type.Union([Type.Literal('pass'), Type.Literal('fail')], { description })

export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')], { description: '`ok` when every check passes.' }),
  checks: Type.Object({
    database: Check('The content database is open and no query has failed on it (a damaged database fails this until a restart rebuilds it).'),
    content: Check('At least one framework version is loaded.'),
    load: Check('Not shedding load: event-loop delay and memory are under their limits.'),
    shutdown: Check('The process is not shutting down.')
  }, { additionalProperties: false })
}, { $id: 'Readiness', additionalProperties: false, description: 'Whether this instance can serve traffic, check by check.' })

type Checks = { database: 'pass' | 'fail', content: 'pass' | 'fail', load: 'pass' | 'fail', shutdown: 'pass' | 'fail' }

/** Route config of the probes: exempt from rate limiting and from load shedding. */
const probeConfig = { rateLimit: false as const, pressureHandler: () => undefined }

/** The tag of the health operations in the OpenAPI document. */
export const healthTags = [{ name: 'health', description: 'Health and readiness of the service, for operators and orchestrators.' }]

const health: FastifyPluginAsyncTypebox = async (app) => {
  const checks = (): Checks => {
    const pass = (ok: boolean): 'pass' | 'fail' => ok ? 'pass' : 'fail'
    const open = app.repo.db.open && app.repo.failure === null
    let loaded = false
    try {
      loaded = open && app.repo.versions().length > 0
    } catch (err) {
      app.log.error({ err }, 'readiness: reading the content failed')
    }
    return { database: pass(open), content: pass(loaded), load: pass(!app.isUnderPressure()), shutdown: pass(!app.shuttingDown()) }
  }

  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      summary: 'Service health and loaded frameworks',
      tags: ['health'],
      response: { 200: Health }
    }
  }, async () => ({
    status: 'ok' as const,
    frameworks: app.repo.frameworks().map((f) => ({
      id: f.id,
      latest: f.versions[0]?.number ?? '',
      versions: f.versions.map((v) => v.number)
    }))
  }))

  app.get('/health/live', {
    config: probeConfig,
    logLevel: 'warn',
    schema: {
      operationId: 'getLiveness',
      summary: 'Liveness probe: the process answers',
      description: 'Always 200 while the process can answer, even under load; restart the instance when it fails.',
      tags: ['health'],
      response: { 200: Liveness }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: 'ok' as const }
  })

  app.get('/health/ready', {
    config: probeConfig,
    logLevel: 'warn',
    schema: {
      operationId: 'getReadiness',
      summary: 'Readiness probe: the instance can serve traffic',
      description: '503 with Retry-After while the database is closed, no content is loaded, the instance sheds load or it is shutting down; route traffic elsewhere meanwhile.',
      tags: ['health'],
      response: { 200: Readiness, 503: Readiness }
    }
  }, async (_request, reply) => {
    const result = checks()
    const ok = Object.values(result).every((c) => c === 'pass')
    reply.header('cache-control', 'no-store')
    if (!ok) reply.code(503).header('retry-after', String(app.config.PRESSURE_RETRY_AFTER))
    return { status: ok ? 'ok' as const : 'unavailable' as const, checks: result }
  })
}

export default health
