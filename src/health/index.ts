/**
 * Health: GET /health (the frameworks and versions this instance serves), and the probes
 * GET /health/live (the process answers) and GET /health/ready (it can serve traffic: database
 * open, content loaded, not shedding load, not shutting down). The curricula store is reported
 * too, but an outage of it only degrades readiness (200, `degraded`): the framework API, most of
 * the traffic, is still served, and every replica shares that store, so failing the probe would
 * take the whole service out of rotation. The probes are never rate-limited or shed, are not
 * cached, and log only warnings so a probe every few seconds stays out of the logs.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ref } from '../web/schemas/common.js'

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

/** How long readiness waits for the curricula store before reporting it failed. */
const PING_TIMEOUT_MS = 1000

const Check = (description: string) => Type.Union([Type.Literal('pass'), Type.Literal('fail')], { description })

export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')], { description: '`ok` when every check passes; `degraded` (still 200) when only the curricula store fails: the framework API is served, /v1/curricula answers 503; `unavailable` (503) otherwise.' }),
  checks: Type.Object({
    database: Check('The content database is open and no query has failed on it (a damaged database fails this until a restart rebuilds it).'),
    content: Check('At least one framework version is loaded.'),
    load: Check('Not shedding load: event-loop delay and memory are under their limits.'),
    shutdown: Check('The process is not shutting down.'),
    curricula: Check(`The curricula store (SQLite file or PostgreSQL) answers a query within ${PING_TIMEOUT_MS} ms.`)
  }, { additionalProperties: false })
}, { $id: 'Readiness', additionalProperties: false, description: 'Whether this instance can serve traffic, check by check.' })

type Verdict = 'pass' | 'fail'
type Checks = { database: Verdict, content: Verdict, load: Verdict, shutdown: Verdict, curricula: Verdict }

/** The health answers' schemas: OpenAPI components, registered with the other transports'. */
export const healthSchemas = [Health, Liveness, Readiness]

/** Route config of the probes: exempt from rate limiting and from load shedding. */
const probeConfig = { rateLimit: false as const, pressureHandler: () => undefined }

/** The tag of the health operations in the OpenAPI document. */
export const healthTags = [{ name: 'health', description: 'Health and readiness of the service, for operators and orchestrators.' }]

const health: FastifyPluginAsyncTypebox = async (app) => {
  /** Pings the curricula store, bounded in time; a failure is logged at warn (the probe's level). */
  const curriculaCheck = async (): Promise<Verdict> => {
    if (!app.hasDecorator('curricula')) return 'pass'
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        app.curricula.ping(),
        new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS) })
      ])
      return 'pass'
    } catch (err) {
      app.log.warn({ err }, 'readiness: the curricula store does not answer')
      return 'fail'
    } finally {
      clearTimeout(timer)
    }
  }

  const checks = async (): Promise<Checks> => {
    const pass = (ok: boolean): Verdict => ok ? 'pass' : 'fail'
    const open = app.repo.db.open && app.repo.failure === null
    let loaded = false
    try {
      loaded = open && app.repo.versions().length > 0
    } catch (err) {
      app.log.error({ err }, 'readiness: reading the content failed')
    }
    return { database: pass(open), content: pass(loaded), load: pass(!app.isUnderPressure()), shutdown: pass(!app.shuttingDown()), curricula: await curriculaCheck() }
  }

  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      summary: 'Service health and loaded frameworks',
      tags: ['health'],
      response: { 200: ref(Health) }
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
      response: { 200: ref(Liveness) }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: 'ok' as const }
  })

  app.get('/health/ready', {
    config: probeConfig,
    logLevel: 'warn',
    // The first answer is what a start waits for: JSON.stringify writes the same bytes as the
    // schema's compiled serializer for this object (the schema's keys, in its order, all strings)
    // without compiling one, and Ajv validators for its unions, on that request (3% of a start's CPU).
    serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    schema: {
      operationId: 'getReadiness',
      summary: 'Readiness probe: the instance can serve traffic',
      description: '503 with Retry-After while the content database is closed, no content is loaded, the instance sheds load or it is shutting down; route traffic elsewhere meanwhile. A curricula store that does not answer is reported as `degraded` with 200: the framework API is still served.',
      tags: ['health'],
      response: { 200: ref(Readiness), 503: ref(Readiness) }
    }
  }, async (_request, reply) => {
    const result = await checks()
    const { curricula, ...serving } = result
    const ok = Object.values(serving).every((c) => c === 'pass')
    reply.header('cache-control', 'no-store')
    if (!ok) reply.code(503).header('retry-after', String(app.config.PRESSURE_RETRY_AFTER))
    return { status: !ok ? 'unavailable' as const : curricula === 'pass' ? 'ok' as const : 'degraded' as const, checks: result }
  })
}

export default health
