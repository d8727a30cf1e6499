/**
 * GraphQL API: mercurius on /graphql (POST, and GET for cacheable queries), with loaders, JIT
 * compilation, the parsed-query cache, limits, automatic persisted queries and coded errors;
 * GraphiQL at /graphiql unless config.GRAPHIQL is false.
 */
import type { FastifyPluginAsync, preValidationAsyncHookHandler } from 'fastify'
import { GraphQLError, Kind, getOperationAST, parse, type DocumentNode } from 'graphql'
import mercurius, { type IResolvers, type PersistedQueryProvider } from 'mercurius'
import { publicUrl, type Config } from '../config.js'
import { errorFormatter } from './errors.js'
import graphiql from './graphiql.js'
import { BODY_LIMIT, MAX_TOKENS, measureFanout, validationRules } from './limits.js'
import { links } from './links.js'
import { loaders } from './loaders.js'
import { resolvers } from './resolvers.js'
import { ResultCache } from './result-cache.js'
import { typeDefs } from './schema.js'

/** Text that is JSON rather than a GraphQL document (no executable document starts like this). */
const JSON_TEXT = /^[\s,\uFEFF]*(?:["[\d-]|\{[\s,]*["}]|(?:true|false|null)[\s,]*$)/

/**
 * mercurius runs a query that fails to parse as GraphQL through JSON.parse and executes the result
 * as a document AST, skipping the token limit; a malformed one crashes validation. Only GraphQL
 * text is accepted here.
 */
const onlyGraphQLText: preValidationAsyncHookHandler = async (request) => {
  const query = ((request.method === 'GET' ? request.query : request.body) as { query?: unknown } | null)?.query
  if (typeof query === 'number' || typeof query === 'boolean' || (typeof query === 'string' && JSON_TEXT.test(query))) {
    throw new GraphQLError('Syntax Error: the query must be a GraphQL document, not JSON.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })
  }
}

/**
 * mercurius looks up a GET request's operation to refuse mutations over GET, and crashes when
 * there is none (an unknown `operationName`, or several operations and no name) or answers a
 * mutation or subscription with an uncoded error. Such a request gets the error a POST gets (the
 * schema has only queries). Runs after the result cache, so only new queries are parsed here.
 */
function getOperationCheck (persisted: PersistedQueryProvider): preValidationAsyncHookHandler {
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
      if (typeof hash === 'string') source = await persisted.getQueryFromHash(hash)
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

/** More schema and resolvers from another part of the service (curricula), merged into this one's. */
export interface GraphqlExtension {
  /** SDL extending the schema (`extend type Query`, new types, a Mutation type). */
  typeDefs: string
  /** Their resolvers; `Query` is merged with the framework's. */
  resolvers: IResolvers
}

const graphql: FastifyPluginAsync<{ config: Config, extension?: GraphqlExtension }> = async (app, { config, extension }) => {
  // Responses are computed once per query and variables (see result-cache.ts); measured, this is
  // what brings a repeated query near the cost of a static route.
  const results = new ResultCache({ maxEntries: 2048, maxBytes: 32 * 1024 * 1024, cacheControl: 'public, max-age=300' })
  const hooks = results.hooks()
  // Answers to authenticated requests (curricula) are an institution's own: never from or into the shared cache.
  const cachedPreValidation: preValidationAsyncHookHandler = async function (request, reply) {
    if (request.headers.authorization === undefined) await hooks.preValidation.call(this, request, reply)
  }
  const framework = resolvers(app.catalog, links(publicUrl(config)))
  const persisted = mercurius.persistedQueryDefaults.automatic(1024)
  await app.register(mercurius, {
    schema: extension === undefined ? typeDefs : typeDefs + extension.typeDefs,
    resolvers: extension === undefined ? framework : { ...framework, ...extension.resolvers, Query: { ...framework.Query as object, ...extension.resolvers.Query as object } } as IResolvers,
    loaders: loaders(app.repo),
    path: '/graphql',
    graphiql: false,
    // Compile a query to JavaScript the second time it is seen; keep 1024 parsed and validated queries.
    jit: 1,
    cache: 1024,
    validationRules: validationRules(measureFanout(app.repo)),
    graphql: { parseOptions: { maxTokens: MAX_TOKENS } },
    allowBatchedQueries: false,
    persistedQueryProvider: persisted,
    errorFormatter: errorFormatter({ production: config.NODE_ENV === 'production' }),
    additionalRouteOptions: {
      bodyLimit: BODY_LIMIT,
      ...hooks,
      preValidation: [onlyGraphQLText, cachedPreValidation, getOperationCheck(persisted)],
      // mercurius' response schema would turn list indices in error paths into strings; results are plain JSON anyway.
      serializerCompiler: () => (data) => JSON.stringify(data)
    }
  })
  if (config.GRAPHIQL) await app.register(graphiql)
}

export default graphql
