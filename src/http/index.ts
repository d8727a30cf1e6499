/** REST API v1, mounted at /v1. */
import type { FastifyPluginAsync } from 'fastify'
import type { Config } from '../config.js'

const rest: FastifyPluginAsync<{ config: Config }> = async () => {}
export default rest
