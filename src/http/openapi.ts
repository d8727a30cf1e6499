/** The OpenAPI document (@fastify/swagger) and its interactive docs. Registered before any route. */
import fp from 'fastify-plugin'
import type { Config } from '../config.js'

export default fp<{ config: Config }>(async () => {}, { name: 'openapi' })
