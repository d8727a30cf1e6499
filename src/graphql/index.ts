/** GraphQL API: mercurius at /graphql, GraphiQL at /graphiql. */
import type { FastifyPluginAsync } from 'fastify'
import type { Config } from '../config.js'

const graphql: FastifyPluginAsync<{ config: Config }> = async () => {}
export default graphql
