/**
 * Configuration: every setting comes from the environment (or the matching command-line flag,
 * e.g. `--port` for PORT), validated at start-up against the schema below. A bad value throws a
 * ConfigError naming the variable and what is allowed; the table in docs/operations.md is generated from here.
 */
import { isIP } from 'node:net'
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { defaultDbPath, projectRoot } from './paths.js'

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
type LogLevel = typeof logLevels[number]
const logFormats = ['auto', 'json', 'pretty'] as const
type LogFormat = typeof logFormats[number]

const milliseconds = (description: string, value: number, minimum = 0): ReturnType<typeof Type.Integer> =>
  Type.Integer({ minimum, maximum: 86_400_000, default: value, description })

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
  /** PostgreSQL for the curricula store; without it, a SQLite file. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'postgres://user:password@host:port/database for the curricula store; unset, a SQLite file is used.' })),
  /** The curricula SQLite file, when DATABASE_URL is not set. */
  CURRICULA_DB_PATH: Type.Optional(Type.String({ minLength: 1, description: 'The curricula SQLite file (default: curricula.db next to DB_PATH), when DATABASE_URL is not set.' })),
  /** PostgreSQL connections each process keeps for the curricula store. */
  CURRICULA_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'PostgreSQL connections per process for the curricula store (with DATABASE_URL); replicas × this must stay under the server\'s max_connections.' }),
  /** Origins allowed to call the authenticated curricula API from a browser. */
  CURRICULA_CORS_ORIGINS: Type.String({ minLength: 1, default: 'false', description: 'CORS for /v1/curricula: false (none) or a comma-separated list of origins.' }),
  /** Requests per API key per RATE_LIMIT_WINDOW on /v1/curricula. */
  CURRICULA_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600, description: 'Requests allowed per API key per window on /v1/curricula.' }),
  /** Largest CSV body of a courses import, in bytes (the other curricula writes take BODY_LIMIT). */
  CURRICULA_IMPORT_LIMIT: Type.Integer({ minimum: 1024, maximum: 5_000_000, default: 2_097_152, description: 'Largest CSV body of POST /v1/curricula/{id}/courses:import in bytes; larger bodies get 413 naming the limit. Other curricula writes take BODY_LIMIT.' }),
  /** Per-institution limit on curricula. */
  CURRICULA_MAX_CURRICULA: Type.Integer({ minimum: 1, default: 100, description: 'Curricula an institution may have.' }),
  /** Per-curriculum limit on courses. */
  CURRICULA_MAX_COURSES: Type.Integer({ minimum: 1, default: 1000, description: 'Courses a curriculum may have.' }),
  /** Per-course limit on alignments. */
  CURRICULA_MAX_ALIGNMENTS: Type.Integer({ minimum: 1, default: 200, description: 'Alignments a course may have.' }),
  /** pino log level. */
  LOG_LEVEL: Type.Unsafe<LogLevel>({ type: 'string', enum: logLevels, default: 'info', description: 'Log level.' }),
  /** Log output: JSON lines, or human-readable via pino-pretty; `auto` is pretty only when stdout is a terminal. */
  LOG_FORMAT: Type.Unsafe<LogFormat>({ type: 'string', enum: logFormats, default: 'auto', description: 'Log output: json, pretty, or auto (pretty only when stdout is a terminal).' }),
  /** Allowed CORS origin(s): `*`, `false`, or a comma-separated list of origins. */
  CORS_ORIGIN: Type.String({ minLength: 1, default: '*', description: 'CORS origin: * (any), false (no CORS headers) or a comma-separated list of origins.' }),
  /** Requests allowed per client IP per window. */
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 1000, description: 'Requests allowed per client IP per window.' }),
  /** The rate-limit window, in milliseconds. */
  RATE_LIMIT_WINDOW: Type.Integer({ minimum: 1000, default: 60000, description: 'Rate-limit window in milliseconds.' }),
  /** Redis for rate-limit counters shared by every replica; unset, each process counts alone. */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', description: 'redis://[user:password@]host:port[/db] keeps the rate-limit counters in Redis, one budget across replicas; while Redis is unreachable each process counts alone (logged). Unset: counters per process.' })),
  /** The prefix of the rate-limit keys in Redis, so deployments can share one Redis. */
  REDIS_KEY_PREFIX: Type.String({ minLength: 1, default: 'isp-competencies-api:rate-limit:', description: 'Prefix of the rate-limit keys in REDIS_URL; give each deployment sharing a Redis its own.' }),
  /** Serve GraphiQL at /graphiql. */
  GRAPHIQL: Type.Boolean({ default: true, description: 'Serve GraphiQL at /graphiql.' }),
  /** Trust X-Forwarded-* from a reverse proxy: false, true, or a comma-separated list of addresses/CIDRs. */
  TRUST_PROXY: Type.String({ minLength: 1, default: 'false', description: 'Trust X-Forwarded-* (client IP, protocol, host) from these proxies.' }),
  /** `production` turns off GraphQL field suggestions and other development aids. */
  NODE_ENV: Type.String({ default: 'development', description: 'production disables development aids such as GraphQL field suggestions.' }),
  /** Largest accepted request body. */
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 104_857_600, default: 102_400, description: 'Largest request body in bytes; larger bodies get 413.' }),
  /** Longest accepted request target (path and query string). */
  URL_MAX_LENGTH: Type.Integer({ minimum: 256, maximum: 65_536, default: 8192, description: 'Longest URL (path and query) in characters; longer ones get 414.' }),
  /** Longest accepted path parameter. */
  PARAM_MAX_LENGTH: Type.Integer({ minimum: 16, maximum: 8192, default: 256, description: 'Longest path parameter in characters; longer ones get 414.' }),
  /** Time allowed to receive a whole request (headers and body). */
  REQUEST_TIMEOUT: milliseconds('Milliseconds to receive a whole request; slower clients get 408. 0 disables.', 30_000),
  /** Time allowed to receive the request headers (slowloris); at most REQUEST_TIMEOUT. */
  HEADERS_TIMEOUT: milliseconds('Milliseconds to receive the request headers; slower clients get 408. At most REQUEST_TIMEOUT. 0 keeps Node\'s 60 s.', 10_000),
  /** Time allowed from routing to the response being sent. */
  HANDLER_TIMEOUT: milliseconds('Milliseconds from routing to response; slower requests get 503. 0 disables.', 10_000),
  /** Socket inactivity timeout. */
  CONNECTION_TIMEOUT: milliseconds('Milliseconds a socket may be inactive before it is closed. 0 disables.', 0),
  /** How long an idle keep-alive connection is kept open. */
  KEEP_ALIVE_TIMEOUT: milliseconds('Milliseconds an idle keep-alive connection stays open; keep it above your load balancer\'s idle timeout.', 72_000, 1),
  /** Time allowed for a graceful shutdown before the process exits with code 1. */
  SHUTDOWN_TIMEOUT: milliseconds('Milliseconds to finish in-flight requests after SIGTERM/SIGINT; connections still busy are cut (and logged) a quarter of it (at most 1 s) before, so the process exits 0 with the database closed.', 8000, 1),
  /** Event-loop delay above which requests are shed with 503. */
  PRESSURE_MAX_EVENT_LOOP_DELAY: milliseconds('Mean event-loop delay (ms) above which requests get 503. 0 disables.', 1000),
  /** Event-loop utilisation above which requests are shed with 503. */
  PRESSURE_MAX_EVENT_LOOP_UTILIZATION: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Event-loop utilisation (0-1) above which requests get 503. 0 disables.' }),
  /** Heap size above which requests are shed with 503. */
  PRESSURE_MAX_HEAP_BYTES: Type.Integer({ minimum: 0, default: 0, description: 'Heap used (bytes) above which requests get 503. 0 disables.' }),
  /** Resident set size above which requests are shed with 503. */
  PRESSURE_MAX_RSS_BYTES: Type.Integer({ minimum: 0, default: 0, description: 'Resident set size (bytes) above which requests get 503. 0 disables.' }),
  /** How often load is sampled. */
  PRESSURE_SAMPLE_INTERVAL: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: 'Milliseconds between load samples.' }),
  /** The Retry-After sent with a 503 under pressure. */
  PRESSURE_RETRY_AFTER: Type.Integer({ minimum: 1, maximum: 3600, default: 10, description: 'Retry-After (seconds) sent with a 503 under pressure.' }),
  /** Bearer token that GET /metrics on the main port requires; with neither this nor METRICS_PORT, metrics are off. */
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, pattern: '^[\\x21-\\x7e]+$', description: 'Serve Prometheus metrics at /metrics on the main port, to requests bearing this token (Authorization: Bearer ...). Unset with METRICS_PORT unset: no metrics.' })),
  /** A separate port serving only /metrics, bound to METRICS_HOST; preferred in Kubernetes (docs/observability.md). */
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'Serve Prometheus metrics at /metrics on this separate port (bound to METRICS_HOST) instead of the main one.' })),
  /** Interface the metrics port binds: loopback unless set, so it is never public by accident. */
  METRICS_HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface METRICS_PORT binds; set the pod IP (or 0.0.0.0 behind a firewall) for Prometheus to reach it.' }),
  /** OTLP/HTTP collector base URL; traces are off (and their code not loaded) unless set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+(/[^\\s]*)?$', description: 'OTLP/HTTP collector base URL (spans go to <url>/v1/traces); unset: no tracing.' })),
  /** The service.name resource attribute of exported spans. */
  OTEL_SERVICE_NAME: Type.String({ minLength: 1, default: 'isp-competencies-api', description: 'service.name of exported spans.' })
}, { additionalProperties: true })

export type Config = Static<typeof ConfigSchema>
export type SettingName = keyof Config

/** What each string setting accepts, in words (numbers, booleans and enums are described from the schema). */
const allowedStrings: Partial<Record<SettingName, string>> = {
  HOST: 'a hostname or IP address',
  DB_PATH: 'a file path',
  SEEDS_DIR: 'a folder path',
  PUBLIC_URL: 'an http(s) URL such as https://api.example.org',
  CORS_ORIGIN: '*, false, or comma-separated origins such as https://app.example.org',
  DATABASE_URL: 'a postgres:// or postgresql:// URL',
  REDIS_URL: 'a redis:// or rediss:// URL',
  REDIS_KEY_PREFIX: 'a non-empty string',
  CURRICULA_DB_PATH: 'a file path',
  CURRICULA_CORS_ORIGINS: 'false, or comma-separated origins such as https://app.example.org',
  TRUST_PROXY: 'false, true, or comma-separated IP addresses/CIDRs (or loopback, linklocal, uniquelocal)',
  NODE_ENV: 'any text; production disables development aids',
  METRICS_TOKEN: 'at least 16 printable ASCII characters, no spaces',
  METRICS_HOST: 'a hostname or IP address',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'an http(s) URL such as http://otel-collector:4318',
  OTEL_SERVICE_NAME: 'a non-empty string'
}

export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const properties = ConfigSchema.properties as Record<SettingName, TSchema>
/** Every setting's name, in the order the schema (and docs/operations.md) lists them. */
export const settingNames = Object.keys(properties) as SettingName[]

/** What a setting accepts, in words, e.g. `an integer from 0 to 65535`. */
export function allowedValues (name: SettingName): string {
  const s = properties[name] as { type?: string, enum?: readonly string[], minimum?: number, maximum?: number }
  if (s.enum !== undefined) return `one of ${s.enum.join(', ')}`
  if (s.type === 'boolean') return 'true or false'
  if (s.type === 'integer' || s.type === 'number') {
    const kind = s.type === 'integer' ? 'an integer' : 'a number'
    if (s.minimum !== undefined && s.maximum !== undefined) return `${kind} from ${s.minimum} to ${s.maximum}`
    if (s.minimum !== undefined) return `${kind} of at least ${s.minimum}`
    return kind
  }
  return allowedStrings[name] ?? 'a non-empty string'
}

/** The command-line flag for a setting: PORT → --port, DB_PATH → --db-path. */
export function flagName (name: SettingName): string {
  return `--${name.toLowerCase().replaceAll('_', '-')}`
}

/** Parses command-line flags (`--port 8080`, `--port=8080`) into settings; `--help` is reported, not handled. */
export function parseFlags (argv: string[]): { help: boolean, settings: Record<string, string> } {
  const options = Object.fromEntries(settingNames.map((name) => [flagName(name).slice(2), { type: 'string' as const }]))
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; run with --help for the settings`)
  }
  const settings: Record<string, string> = {}
  for (const name of settingNames) {
    const value = parsed.values[flagName(name).slice(2)]
    if (typeof value === 'string') settings[name] = value
  }
  return { help: parsed.values.help === true, settings }
}

/**
 * The Fastify `trustProxy` value TRUST_PROXY stands for; throws a ConfigError when it is not valid.
 * No hop counts: Fastify refuses them, as a count cannot tell a proxy from a client.
 */
export function trustProxy (value: string): boolean | string[] {
  const v = value.trim().toLowerCase()
  if (v === 'false') return false
  if (v === 'true') return true
  const entries = v.split(',').map((s) => s.trim())
  for (const entry of entries) {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) continue
    const [address = '', bits, ...rest] = entry.split('/')
    const family = isIP(address)
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32))
    if (family === 0 || !validBits || rest.length > 0) {
      throw new ConfigError(`invalid configuration: TRUST_PROXY must be ${allowedValues('TRUST_PROXY')}, got ${shown(value)}`)
    }
  }
  return entries
}

/** The @fastify/cors `origin` CORS_ORIGIN stands for; throws a ConfigError when it is not valid. */
export function corsOrigin (value: string): '*' | false | string[] {
  const v = value.trim()
  if (v === '*') return '*'
  if (v.toLowerCase() === 'false') return false
  const origins = v.split(',').map((s) => s.trim())
  for (const origin of origins) {
    let url: URL | undefined
    try {
      url = new URL(origin)
    } catch {
      url = undefined
    }
    if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
      throw new ConfigError(`invalid configuration: CORS_ORIGIN must be ${allowedValues('CORS_ORIGIN')} (scheme://host[:port], no path), got ${shown(value)}`)
    }
  }
  return origins
}

function shown (value: unknown): string {
  const text = JSON.stringify(String(value))
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text
}

function invalid (names: SettingName[], data: Record<string, string>): ConfigError {
  // A secret is never echoed, not even a bad one.
  const value = (name: SettingName): string => name === 'METRICS_TOKEN' || name === 'REDIS_URL' ? '[redacted]' : shown(data[name])
  return new ConfigError(`invalid configuration: ${names.map((name) => `${name} must be ${allowedValues(name)}, got ${value(name)}`).join('; ')}`)
}

/** The keywords ConfigSchema's settings use; `valid` reads no others (a test checks there are none). */
export const settingKeywords = ['type', 'minimum', 'maximum', 'minLength', 'pattern', 'enum', 'default', 'description'] as const

/**
 * Coerces a setting's string to its schema's type and checks it against its keywords, as Ajv
 * (through env-schema, with `coerceTypes`) did before, which the ConfigError messages depend on:
 * a number is any string `+text` reads as one (so `' 12 '`, `0x10`, `1e3`, and a blank string
 * as 0), an integer one without a fraction; ±Infinity passes the range checks (as it did in Ajv;
 * loadConfig refuses it after); a boolean is only `true` or `false`; minLength counts code
 * points and patterns are Unicode. Interpreting these few keywords saves building an Ajv
 * instance, its meta-schema and a validator on every start (7% of its CPU). Returns the
 * coerced value, or `invalidValue`.
 */
const invalidValue = Symbol('invalid')
function valid (schema: SettingSchema, text: string): unknown {
  let value: string | number | boolean = text
  if (schema.type === 'number' || schema.type === 'integer') {
    const n = Number(text)
    if (Number.isNaN(n) || (schema.type === 'integer' && n % 1 !== 0 && Number.isFinite(n))) return invalidValue
    value = n
    if (!Number.isFinite(n)) return value
    if ((schema.minimum !== undefined && n < schema.minimum) || (schema.maximum !== undefined && n > schema.maximum)) return invalidValue
  } else if (schema.type === 'boolean') {
    if (text !== 'true' && text !== 'false') return invalidValue
    value = text === 'true'
  } else {
    if (schema.minLength !== undefined && [...text].length < schema.minLength) return invalidValue
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(text)) return invalidValue
    if (schema.enum !== undefined && !schema.enum.includes(text)) return invalidValue
  }
  return value
}

interface SettingSchema { type?: string, minimum?: number, maximum?: number, minLength?: number, pattern?: string, enum?: readonly string[], default?: unknown }

/** Reads and validates the configuration from `env` (default: process.env). Empty values count as unset. */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const data: Record<string, string> = {}
  for (const name of settingNames) {
    const value = env[name]
    if (value !== undefined && value !== '') data[name] = value
  }
  // Given settings first, then the defaults of the others, in the schema's order (as Ajv's useDefaults did).
  const config: Record<string, unknown> = { ...data }
  for (const name of settingNames) {
    const value = (properties[name] as SettingSchema).default
    if (!(name in config) && value !== undefined) config[name] = value
  }
  const names: SettingName[] = []
  for (const name of settingNames) {
    const text = data[name]
    if (text === undefined) continue
    const value = valid(properties[name] as SettingSchema, text)
    if (value === invalidValue) names.push(name)
    else config[name] = value
  }
  if (names.length > 0) throw invalid(names, data)
  return checked(config as Config, data)
}

/** The checks beyond the schema's keywords. */
function checked (config: Config, data: Record<string, string>): Config {
  // A 400-digit number reads as Infinity, which the schema's checks let through.
  const infinite = settingNames.filter((name) => typeof config[name] === 'number' && !Number.isFinite(config[name]))
  if (infinite.length > 0) throw invalid(infinite, data)
  trustProxy(config.TRUST_PROXY)
  corsOrigin(config.CORS_ORIGIN)
  if (config.CURRICULA_CORS_ORIGINS.trim() === '*') throw new ConfigError('invalid configuration: CURRICULA_CORS_ORIGINS must name origins (or be false): the curricula API is authenticated')
  corsOrigin(config.CURRICULA_CORS_ORIGINS)
  return config
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

function defaultText (name: SettingName): string {
  const value = (properties[name] as { default?: unknown }).default
  if (value === undefined) return '—'
  if (name === 'DB_PATH') return `\`${relative(projectRoot, String(value))}\``
  return `\`${String(value)}\``
}

const markdown = (text: string): string => text.replace(/[|*<>]/g, (c) => `\\${c}`)

/** The table of settings in docs/operations.md (`npm run generate`): variable, flag, default, allowed values, description. */
export function configTable (): string {
  const rows = settingNames.map((name) => {
    const description = String((properties[name] as { description?: string }).description ?? '')
    return `| \`${name}\` | \`${flagName(name)}\` | ${defaultText(name)} | ${markdown(allowedValues(name))} | ${markdown(description)} |`
  })
  return ['| Variable | Flag | Default | Allowed | What it does |', '|---|---|---|---|---|', ...rows].join('\n')
}

/** `--help`: how to run the server and every setting. */
export function usage (): string {
  const lines = settingNames.map((name) => {
    const description = String((properties[name] as { description?: string }).description ?? '')
    return `  ${flagName(name).padEnd(40)} ${name}: ${description} (${allowedValues(name)}; default ${defaultText(name).replaceAll('`', '')})`
  })
  return ['Usage: node dist/server.mjs [--setting value ...]', '', 'Every setting can also be given as an environment variable; flags win.', '', ...lines, ''].join('\n')
}
