/**
 * build(options): the whole application, with no side effects on import. Plugins first (request
 * ids, shutdown awareness, limits, finite numbers, security, OpenAPI, the repository, error
 * handling), then routes: health, formats (CASE, resolver, contexts), REST, GraphQL.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { lazySchemaController } from './web/compilers.js'
import { loadConfig, trustProxy, type Config } from './config.js'
import finiteNumbers from './web/finite-numbers.js'
import limits from './web/limits.js'
import { frameworkErrors } from './web/error-scopes.js'
import { serverLimits } from './web/server-limits.js'
import { AccessLog, withLogDefaults } from './web/logging.js'
import requestId, { genReqId } from './web/request-id.js'
import security from './web/security.js'
import shutdown from './web/shutdown.js'
import telemetry from './web/telemetry.js'
import repository from './catalog/plugin.js'
import openapi, { docsPrefix } from './web/openapi.js'
import httpCache from './web/http-cache.js'
import errors from './web/error-handler.js'
import health, { healthSchemas, healthTags } from './health/index.js'
import rest from './rest/index.js'
import { restSchemas } from './rest/schemas/index.js'
import graphql from './graphql/index.js'
import { graphiqlPath } from './graphql/graphiql.js'
import formats from './formats/plugin.js'
import caseProviders, { caseRouteSchemas, caseTags } from './case/index.js'
import { caseComponents } from './formats/case-schemas.js'
import resolver, { resolverSchemas } from './resolver/index.js'
import pages, { pagePrefixes } from './pages/index.js'
import type { Repository } from './store/repository.js'
import curriculaStore from './curricula/plugin.js'
import curricula from './curricula/rest.js'
import { curriculaSchemas } from './curricula/schemas.js'
import { reportSchemas } from './curricula/reports/schemas.js'
import { coverageSchemas } from './curricula/reports/coverage-schema.js'
import { curriculaResolvers, curriculaTypeDefs } from './curricula/graphql.js'
import { coverageTypeDefs, withCoverage } from './curricula/coverage-graphql.js'
import coveragePage, { coveragePagePrefix } from './curricula/coverage-page.js'
import { curriculaStoreOptions } from './curricula/store-options.js'
import type { CurriculaRepository } from './curricula/store/repository.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated configuration this app was built with. */
    config: Config
  }
}

export interface BuildOptions {
  /** Validated configuration; defaults to the environment's. */
  config?: Config
  /** An open repository to serve from instead of opening `config.DB_PATH` (the caller closes it). */
  repository?: Repository
  /** An open curricula store to use instead of the configured one (the caller closes it). */
  curricula?: CurriculaRepository
  /** Fastify logger options; off unless given. Serializers and redaction are added. */
  logger?: FastifyServerOptions['logger']
  /** Tests: a span exporter (e.g. an InMemorySpanExporter) that turns tracing on without a collector. */
  spanExporter?: unknown
}

/** Request validation: unknown properties are errors (not dropped), query strings are coerced, defaults applied. */
export const ajvOptions = { removeAdditional: false, coerceTypes: 'array', useDefaults: true } as const

export async function build (options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? loadConfig()
  const accessLog = new AccessLog()
  const app = Fastify({
    logger: withLogDefaults(options.logger),
    logController: accessLog,
    genReqId,
    requestIdHeader: false,
    trustProxy: trustProxy(config.TRUST_PROXY),
    ...serverLimits(config),
    frameworkErrors,
    // Requests already on a connection when shutdown starts are served, not refused with a bare 503.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: ajvOptions },
    // Validators and serializers are compiled on first use, not all at start-up (see web/compilers.ts).
    schemaController: lazySchemaController()
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  await app.register(requestId)
  await app.register(shutdown)
  // Before every other hook and route, so request timing and traces cover them all.
  await app.register(telemetry, { config, accessLog, ...(options.spanExporter === undefined ? {} : { spanExporter: options.spanExporter }) })
  await app.register(limits, { config })
  await app.register(finiteNumbers)
  await app.register(security, { config, pages: [docsPrefix, graphiqlPath, ...pagePrefixes, coveragePagePrefix] })
  await app.register(httpCache)
  await app.register(openapi, { config, schemas: [...healthSchemas, ...restSchemas, ...caseComponents, ...caseRouteSchemas, ...resolverSchemas, ...curriculaSchemas, ...reportSchemas, ...coverageSchemas], tags: [...healthTags, ...caseTags] })
  await app.register(repository, { dbPath: config.DB_PATH, ...(options.repository === undefined ? {} : { repository: options.repository }) })
  await app.register(curriculaStore, { store: curriculaStoreOptions(config), ...(options.curricula === undefined ? {} : { repository: options.curricula }) })
  await app.register(errors)
  await app.register(health)
  // Before the transports, which render JSON-LD, CSV, CASE and alignments from `app.formats`.
  await app.register(formats, { config })
  await app.register(caseProviders)
  await app.register(resolver)
  await app.register(curricula, { prefix: '/v1/curricula', config })
  await app.register(rest, { prefix: '/v1', config })
  await app.register(graphql, { config, extension: { typeDefs: curriculaTypeDefs + coverageTypeDefs, resolvers: withCoverage(curriculaResolvers(app.repo, () => app.curricula), app.catalog, () => app.curricula) } })
  await app.register(pages, { config })
  await app.register(coveragePage, { config })
  return app
}
