/**
 * build(options): the whole application, with no side effects on import. Plugins first (request
 * ids, shutdown awareness, limits, finite numbers, security, OpenAPI, the repository, error
 * handling), then routes: health, formats (CASE, resolver, contexts), REST, GraphQL.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { lazySchemaController } from './compilers.js'
import { loadConfig, trustProxy, type Config } from './config.js'
import finiteNumbers from './plugins/finite-numbers.js'
import limits, { frameworkErrors, serverLimits } from './plugins/limits.js'
import { AccessLog, withLogDefaults } from './plugins/logging.js'
import requestId, { genReqId } from './plugins/request-id.js'
import security from './plugins/security.js'
import shutdown from './plugins/shutdown.js'
import repository from './plugins/repository.js'
import openapi, { docsPrefix } from './http/openapi.js'
import errors from './http/errors.js'
import health from './routes/health.js'
import rest from './http/index.js'
import graphql from './graphql/index.js'
import { graphiqlPath } from './graphql/graphiql.js'
import formats from './formats/index.js'
import type { Repository } from './store/repository.js'

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
  /** Fastify logger options; off unless given. Serializers and redaction are added. */
  logger?: FastifyServerOptions['logger']
}

/** Request validation: unknown properties are errors (not dropped), query strings are coerced, defaults applied. */
export const ajvOptions = { removeAdditional: false, coerceTypes: 'array', useDefaults: true } as const

export async function build (options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? loadConfig()
  const app = Fastify({
    logger: withLogDefaults(options.logger),
    logController: new AccessLog(),
    genReqId,
    requestIdHeader: false,
    trustProxy: trustProxy(config.TRUST_PROXY),
    ...serverLimits(config),
    frameworkErrors,
    // Requests already on a connection when shutdown starts are served, not refused with a bare 503.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: ajvOptions },
    // Validators and serializers are compiled on first use, not all at start-up (see compilers.ts).
    schemaController: lazySchemaController()
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  await app.register(requestId)
  await app.register(shutdown)
  await app.register(limits, { config })
  await app.register(finiteNumbers)
  await app.register(security, { config, pages: [docsPrefix, graphiqlPath] })
  await app.register(openapi, { config })
  await app.register(repository, { dbPath: config.DB_PATH, ...(options.repository === undefined ? {} : { repository: options.repository }) })
  await app.register(errors)
  await app.register(health)
  // Before REST, which renders JSON-LD, CSV and alignments from `app.formats`.
  await app.register(formats, { config })
  await app.register(rest, { prefix: '/v1', config })
  await app.register(graphql, { config })
  return app
}
