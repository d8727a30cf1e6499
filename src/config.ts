/**
 * Configuration: every setting comes from the environment, validated at start-up against the
 * schema below. A bad value throws a ConfigError naming the variable and what is allowed.
 */
import { Type, type Static } from '@sinclair/typebox'
import envSchema from 'env-schema'
import { defaultDbPath } from './paths.js'

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
type LogLevel = typeof logLevels[number]

export const ConfigSchema = Type.Object({
  /** TCP port to listen on. */
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port to listen on.' }),
  /** Interface to bind. */
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Interface to bind; 127.0.0.1 for loopback only.' }),
  /** The content database file, built from the seeds at start-up when missing or stale. */
  DB_PATH: Type.String({ minLength: 1, default: defaultDbPath, description: 'The content database file; built from the seeds when missing or stale.' }),
  /** An extra folder of `<framework>/<version>/` seeds, loaded beside (or instead of) the bundled ones. */
  SEEDS_DIR: Type.Optional(Type.String({ minLength: 1, description: 'An extra folder of <framework>/<version>/ seeds, in the bundled format.' })),
  /** Whether the bundled seeds are loaded; false serves only SEEDS_DIR. */
  BUNDLED_SEEDS: Type.Boolean({ default: true, description: 'Load the bundled seeds; false serves SEEDS_DIR alone.' }),
  /** Base URL of this service as clients reach it, used in canonical `uri`s. */
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/[^\\s]*)?$', description: 'Base URL clients reach the service at, for canonical URIs (default http://localhost:PORT).' })),
  /** pino log level. */
  LOG_LEVEL: Type.Unsafe<LogLevel>({ type: 'string', enum: logLevels, default: 'info', description: 'Log level.' }),
  /** Allowed CORS origin(s): `*`, or a comma-separated list of origins. */
  CORS_ORIGIN: Type.String({ minLength: 1, default: '*', description: 'CORS origin: * or a comma-separated list of origins.' }),
  /** Requests allowed per client IP per window. */
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 1000, description: 'Requests allowed per client IP per window.' }),
  /** The rate-limit window, in milliseconds. */
  RATE_LIMIT_WINDOW: Type.Integer({ minimum: 1000, default: 60000, description: 'Rate-limit window in milliseconds.' }),
  /** Serve GraphiQL at /graphiql. */
  GRAPHIQL: Type.Boolean({ default: true, description: 'Serve GraphiQL at /graphiql.' }),
  /** Trust X-Forwarded-* from a reverse proxy: false, true, a hop count, or a comma-separated list of addresses/CIDRs. */
  TRUST_PROXY: Type.String({ minLength: 1, default: 'false', description: 'Trust X-Forwarded-*: false, true, a hop count or comma-separated addresses/CIDRs.' }),
  /** `production` turns off GraphQL field suggestions and other development aids. */
  NODE_ENV: Type.String({ default: 'development', description: 'production disables development aids such as GraphQL field suggestions.' })
}, { additionalProperties: true })

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Reads and validates the configuration from `env` (default: process.env). */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  try {
    return envSchema<Config>({ schema: ConfigSchema, data: env, env: false, dotenv: false })
  } catch (err) {
    const errors = (err as { errors?: Array<{ instancePath: string, message?: string, params?: { allowedValues?: unknown[] } }> }).errors
    const details = errors?.map((e) => {
      const name = e.instancePath.replace(/^\//, '')
      const allowed = e.params?.allowedValues === undefined ? '' : ` (${e.params.allowedValues.join(', ')})`
      return `${name} ${e.message ?? 'is invalid'}${allowed}`
    }).join('; ') ?? (err as Error).message
    throw new ConfigError(`invalid configuration: ${details}`)
  }
}

/** The base URL canonical URIs are built on. */
export function publicUrl (config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '')
}

/** The seed roots the configuration selects. */
export function seedRoots (config: Config, bundled: string): string[] {
  const roots = config.BUNDLED_SEEDS ? [bundled] : []
  if (config.SEEDS_DIR !== undefined) roots.push(config.SEEDS_DIR)
  if (roots.length === 0) throw new ConfigError('SEEDS_DIR must be set when BUNDLED_SEEDS is false')
  return roots
}
