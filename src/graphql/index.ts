/**
 * GraphQL API: mercurius on /graphql (POST, and GET for cacheable queries), with JIT
 * compilation, the parsed-query cache, limits, automatic persisted queries and coded errors;
 * GraphiQL at /graphiql unless config.GRAPHIQL is false.
 */
import type { FastifyPluginAsync, FastifyRequest, preValidationAsyncHookHandler } from 'fastify'
import { GraphQLError, Kind, getOperationAST, parse, type DocumentNode } from 'graphql'
import mercurius, { type IResolvers } from 'mercurius'
import { publicUrl, type Config } from '../config.js'
import { errorFormatter } from './errors.js'
import graphiql from './graphiql.js'
import { BODY_LIMIT, MAX_TOKENS, measureFanout, validationRules } from './limits.js'
import { links } from './links.js'
import { resolvers } from './resolvers.js'
import { ResultCache } from './result-cache.js'
import { Admission } from './admission.js'
import { compactLargeQuery } from './compact.js'
import { persistedQueries, type PersistedQueries } from './persisted.js'
import { typeDefs } from './schema.js'
import { refuseMethods } from '../web/methods.js'
import { SHORT } from '../web/response-cache.js'

/** Text that is JSON rather than a GraphQL document (no executable document starts like this). */
const JSON_TEXT = /^[\s,\uFEFF]*(?:["[\d-]|\{[\s,]*["}]|(?:true|false|null)[\s,]*$)/

/**
 * mercurius (16.10) runs a query that fails to parse as GraphQL through JSON.parse and executes the
 * result as a document AST, skipping the token limit; a malformed one crashes validation. Only
 * GraphQL text is accepted here. Remove when mercurius stops reading queries as JSON (pinned in
 * test/architecture/levers.test.ts, with each workaround below).
 */
const onlyGraphQLText: preValidationAsyncHookHandler = async (request) => {
  const query = ((request.method === 'GET' ? request.query : request.body) as { query?: unknown } | null)?.query
  if (typeof query === 'number' || typeof query === 'boolean' || (typeof query === 'string' && JSON_TEXT.test(query))) {
    throw new GraphQLError('Syntax Error: the query must be a GraphQL document, not JSON.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })
  }
}

/**
 * mercurius (16.10) looks up a GET request's operation to refuse mutations over GET, and crashes
 * when there is none (an unknown `operationName`, or several operations and no name: "Cannot read
 * properties of null") or answers a mutation or subscription with an uncoded 405. Such a request
 * gets the error a POST gets (the schema has only queries). Runs after the result cache, so only
 * new queries are parsed here. Remove when mercurius checks for a missing operation and codes its error.
 */
function getOperationCheck (persisted: PersistedQueries): preValidationAsyncHookHandler {
  return async (request) => {
    if (request.method !== 'GET') return
    const { query, operationName, extensions } = request.query as { query?: unknown, operationName?: unknown, extensions?: unknown }
    if (operationName !== undefined && typeof operationName !== 'string') return
    let source = typeof query === 'string' && query !== '' ? query : undefined
    if (source === undefined && typeof extensions === 'string') {
      let hash: unknown
      try {
        hash = (JSON.parse(extensions) as { persistedQuery?: { sha256Hash?: unknown } } | null)?.persistedQuery?.sha256Hash
      } catch {
        return
      }
      if (typeof hash === 'string') source = persisted.peek(hash)
    }
    if (source === undefined) return
    let document: DocumentNode
    try {
      document = parse(source, { maxTokens: MAX_TOKENS })
    } catch {
      return
    }
    const name = operationName ?? null
    if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) return
    const operation = getOperationAST(document, name)
    if (operation?.operation === 'query') return
    const message = operation != null
      ? `Schema is not configured to execute ${operation.operation} operation.`
      : name === null ? 'Must provide operation name if query contains multiple operations.' : `Unknown operation named "${name}".`
    throw new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })
  }
}

/** Where the GraphQL endpoint is served. */
export const graphqlPath = '/graphql'

/** Cache-Control of results: the same as REST's `latest` (a query may name `latest`). */
const CACHE_CONTROL = SHORT

/**
 * Whether a serialized result has errors: in JSON text a `"errors":` outside a string can only be
 * a key, and only the top level has one (no type of the schema has an `errors` field).
 */
export const hasErrors = (body: Buffer): boolean => body.includes('"errors":')

/** More schema and resolvers from another part of the service (curricula), merged into this one's. */
export interface GraphqlExtension {
  /** SDL extending the schema (`extend type Query`, new types, a Mutation type). */
  typeDefs: string
  /** Their resolvers; `Query` is merged with the framework's. */
  resolvers: IResolvers
}

/** An authenticated request (curricula) is an institution's own: never from or into a shared cache. */
const personal = (request: FastifyRequest): boolean => request.headers.authorization !== undefined

const graphql: FastifyPluginAsync<{ config: Config, extension?: GraphqlExtension }> = async (app, { config, extension }) => {
  // Responses are computed once per query and variables (see result-cache.ts); measured, this is
  // what brings a repeated query near the cost of a static route.
  const results: ResultCache = new ResultCache({ maxBytes: 32 * 1024 * 1024, cacheControl: CACHE_CONTROL },
    app.observeCache('graphql', () => results.stats()))
  const hooks = results.hooks()
  // Uncached queries execute one at a time (see admission.ts).
  const admission = new Admission().hooks()
  const cachedPreValidation: preValidationAsyncHookHandler = async function (request, reply) {
    if (!personal(request)) await hooks.preValidation.call(this, request, reply)
  }
  const framework = resolvers(app.catalog, links(publicUrl(config)))
  // Automatic persisted queries, kept within a byte budget (see persisted.ts).
  const persisted = persistedQueries(app.observeCache('persisted', () => persisted.stats()))
  await app.register(mercurius, {
    schema: extension === undefined ? typeDefs : typeDefs + extension.typeDefs,
    resolvers: extension === undefined ? framework : { ...framework, ...extension.resolvers, Query: { ...framework.Query as object, ...extension.resolvers.Query as object } } as IResolvers,
    path: graphqlPath,
    graphiql: false,
    // Compile a query to JavaScript the second time it is seen; keep 128 parsed and validated queries.
    jit: 1,
    cache: 128,
    validationRules: validationRules(measureFanout(app.catalog)),
    graphql: { parseOptions: { maxTokens: MAX_TOKENS } },
    allowBatchedQueries: false,
    persistedQueryProvider: persisted,
    errorFormatter: errorFormatter({ production: config.NODE_ENV === 'production' }),
    additionalRouteOptions: {
      bodyLimit: BODY_LIMIT,
      ...hooks,
      preValidation: [onlyGraphQLText, compactLargeQuery, cachedPreValidation, getOperationCheck(persisted)],
      preHandler: admission.preHandler,
      // After the result cache has kept the body: ETag, Cache-Control, Vary, 304 and br/gzip as for
      // every GET; the admission turn is given back once the body is serialized.
      onSend: [hooks.onSend, admission.onSend, app.httpCache.route({ cacheControl: CACHE_CONTROL, transient: hasErrors, personal }).onSend],
      // mercurius' (16.10) response schema turns list indices in error paths into strings; results are
      // plain JSON anyway. Remove when its schema allows integers in `path`.
      serializerCompiler: () => (data) => JSON.stringify(data)
    }
  })
  refuseMethods(app, graphqlPath, ['PUT', 'PATCH', 'DELETE'], 'GraphQL queries are sent with GET or POST.')
  app.instrumentGraphQL(app.graphql)
  if (config.GRAPHIQL) await app.register(graphiql)
}

export default graphql
