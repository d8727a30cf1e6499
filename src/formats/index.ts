/** Interoperability formats: CASE provider, URI resolver (JSON-LD, CSV and OB3 are REST variants). */
import type { FastifyPluginAsync } from 'fastify'
import type { Config } from '../config.js'

const formats: FastifyPluginAsync<{ config: Config }> = async () => {}
export default formats
