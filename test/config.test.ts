/** Configuration: parsing, validation messages, flags, and the table in docs/operations.md generated from the schema. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import {
  allowedValues, ConfigError, ConfigSchema, configTable, corsOrigin, flagName, loadConfig, parseFlags, settingKeywords, settingNames, trustProxy, usage
} from '../src/config.js'
import { projectRoot } from '../src/paths.js'
import { operationsGuide, withConfigTable } from '../scripts/operations-guide.js'

/** The ConfigError message loadConfig throws for `env`. */
function failure (env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`)
}

t.test('values are parsed from strings, as the environment gives them', async (t) => {
  const config = loadConfig({ PORT: '8080', GRAPHIQL: 'false', RATE_LIMIT_MAX: '5', PRESSURE_MAX_EVENT_LOOP_UTILIZATION: '0.9', LOG_FORMAT: 'json' })
  t.equal(config.PORT, 8080)
  t.equal(config.GRAPHIQL, false)
  t.equal(config.RATE_LIMIT_MAX, 5)
  t.equal(config.PRESSURE_MAX_EVENT_LOOP_UTILIZATION, 0.9)
  t.equal(config.LOG_FORMAT, 'json')
})

t.test('an empty variable counts as unset; unrelated variables are not carried into the config', async (t) => {
  const config = loadConfig({ PORT: '', CORS_ORIGIN: '', HOME: '/root', SECRET_TOKEN: 'x' })
  t.equal(config.PORT, 3000)
  t.equal(config.CORS_ORIGIN, '*')
  t.notOk('HOME' in config)
  t.notOk('SECRET_TOKEN' in config)
})

t.test('a bad value names the variable, what is allowed and what it got', async (t) => {
  t.equal(failure({ PORT: 'http' }), 'invalid configuration: PORT must be an integer from 0 to 65535, got "http"')
  t.match(failure({ PORT: '65536' }), /PORT must be an integer from 0 to 65535, got "65536"/)
  t.match(failure({ PORT: '3000.5' }), /PORT must be an integer/)
  t.match(failure({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/)
  t.match(failure({ LOG_FORMAT: 'xml' }), /LOG_FORMAT must be one of auto, json, pretty/)
  t.match(failure({ GRAPHIQL: 'yes' }), /GRAPHIQL must be true or false, got "yes"/)
  t.match(failure({ BUNDLED_SEEDS: '0' }), /BUNDLED_SEEDS must be true or false/)
  t.match(failure({ RATE_LIMIT_WINDOW: '10' }), /RATE_LIMIT_WINDOW must be an integer of at least 1000, got "10"/)
  t.match(failure({ PUBLIC_URL: 'ftp://example.org' }), /PUBLIC_URL must be an http\(s\) URL/)
  t.match(failure({ PRESSURE_MAX_EVENT_LOOP_UTILIZATION: '1.5' }), /PRESSURE_MAX_EVENT_LOOP_UTILIZATION must be a number from 0 to 1/)
  t.match(failure({ BODY_LIMIT: '10' }), /BODY_LIMIT must be an integer from 1024/)
})

t.test('every bad value is reported at once', async (t) => {
  const message = failure({ PORT: 'x', LOG_LEVEL: 'y', HOST: '0.0.0.0' })
  t.match(message, /PORT must be/)
  t.match(message, /LOG_LEVEL must be/)
  t.notMatch(message, /HOST/)
})

t.test('strings are read as Ajv\'s coerceTypes read them, which the messages were written for', async (t) => {
  t.equal(loadConfig({ PORT: ' 12 ' }).PORT, 12)
  t.equal(loadConfig({ PORT: '0x10' }).PORT, 16)
  t.equal(loadConfig({ PORT: '1e3' }).PORT, 1000)
  t.equal(loadConfig({ PORT: '  ' }).PORT, 0)
  t.equal(loadConfig({ PORT: '3000.0' }).PORT, 3000)
  t.equal(loadConfig({ BUNDLED_SEEDS: 'false' }).BUNDLED_SEEDS, false)
  t.match(failure({ GRAPHIQL: 'TRUE' }), /GRAPHIQL must be true or false/)
  t.match(failure({ METRICS_TOKEN: '\u00e9'.repeat(20) }), /METRICS_TOKEN must be .*got \[redacted\]/)
  // ±Infinity passes the range checks and is refused after them, alone, when nothing else is wrong.
  t.equal(failure({ PORT: 'x', PRESSURE_MAX_HEAP_BYTES: '1e400' }), 'invalid configuration: PORT must be an integer from 0 to 65535, got "x"')
  t.equal(failure({ KEEP_ALIVE_TIMEOUT: '-Infinity' }), 'invalid configuration: KEEP_ALIVE_TIMEOUT must be an integer from 1 to 86400000, got "-Infinity"')
  // Given settings come first, then the defaults, each in the schema's order.
  t.same(Object.keys(loadConfig({ LOG_LEVEL: 'warn', PORT: '1' })).slice(0, 3), ['PORT', 'LOG_LEVEL', 'HOST'])
})

t.test('the schema uses only the keywords loadConfig checks', async (t) => {
  const known: readonly string[] = settingKeywords
  for (const name of settingNames) {
    t.same(Object.keys(ConfigSchema.properties[name]).filter((k) => !known.includes(k)), [], name)
  }
})

t.test('a long bad value is shortened in the message', async (t) => {
  const message = failure({ PORT: '9'.repeat(500) })
  t.ok(message.length < 200, message)
})

t.test('TRUST_PROXY: booleans, addresses and CIDRs; no hop counts', async (t) => {
  t.equal(trustProxy('false'), false)
  t.equal(trustProxy('TRUE'), true)
  t.same(trustProxy('10.0.0.0/8, 127.0.0.1,::1/128,loopback'), ['10.0.0.0/8', '127.0.0.1', '::1/128', 'loopback'])
  for (const bad of ['maybe', '1', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '300.1.1.1', 'yes', '1.2.3.4,']) {
    t.throws(() => trustProxy(bad), ConfigError, bad)
  }
  t.match(failure({ TRUST_PROXY: 'maybe' }), /TRUST_PROXY must be false, true, or comma-separated IP addresses\/CIDRs.*got "maybe"/)
})

t.test('CORS_ORIGIN: *, false, or origins without a path', async (t) => {
  t.equal(corsOrigin('*'), '*')
  t.equal(corsOrigin('false'), false)
  t.same(corsOrigin('https://app.example.org, http://localhost:5173'), ['https://app.example.org', 'http://localhost:5173'])
  for (const bad of ['https://app.example.org/', 'app.example.org', 'ftp://example.org', 'https://a.org/path', '*,https://a.org']) {
    t.throws(() => corsOrigin(bad), ConfigError, bad)
  }
  t.match(failure({ CORS_ORIGIN: 'example.org' }), /CORS_ORIGIN must be .*got "example.org"/)
})

t.test('flags: --name value and --name=value, one per setting; unknown flags are errors', async (t) => {
  t.same(parseFlags(['--port', '8080', '--db-path=/tmp/x.db', '--trust-proxy', '1']), { help: false, settings: { PORT: '8080', DB_PATH: '/tmp/x.db', TRUST_PROXY: '1' } })
  t.same(parseFlags(['--help']), { help: true, settings: {} })
  t.same(parseFlags(['-h']).help, true)
  t.throws(() => parseFlags(['--prot', '8080']), { name: 'ConfigError', message: /--prot.*--help/ })
  t.throws(() => parseFlags(['serve']), ConfigError, 'no positional arguments')
  t.throws(() => parseFlags(['--port']), ConfigError, 'a flag needs its value')
  for (const name of settingNames) t.same(parseFlags([flagName(name), 'v']).settings, { [name]: 'v' }, `${flagName(name)} sets ${name}`)
})

t.test('every setting is documented: description, allowed values, --help', async (t) => {
  const help = usage()
  for (const name of settingNames) {
    const schema = ConfigSchema.properties[name] as { description?: string }
    t.ok(schema.description !== undefined && schema.description.length > 5, `${name} has a description`)
    t.ok(allowedValues(name).length > 3, `${name} says what it allows`)
    t.match(help, flagName(name), `--help lists ${flagName(name)}`)
  }
})

t.test('the configuration table in docs/operations.md is the one generated from the schema', async (t) => {
  const guide = readFileSync(join(projectRoot, 'docs/operations.md'), 'utf8')
  const match = /<!-- config-table:start[^>]*-->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(guide)
  t.ok(match, 'docs/operations.md has the config-table markers under ## Configuration')
  t.equal(match?.[1], configTable(), 'docs/operations.md is out of date: run `npm run generate`')
  for (const name of settingNames) t.match(match?.[1] ?? '', `| \`${name}\` |`, `${name} is in the table`)
})

t.test('npm run generate rewrites the table between the markers, and only that', async (t) => {
  const stale = 'before\n<!-- config-table:start (x) -->\n| old | table |\n<!-- config-table:end -->\nafter $1 $&\n'
  t.equal(withConfigTable(stale), `before\n<!-- config-table:start (x) -->\n${configTable()}\n<!-- config-table:end -->\nafter $1 $&\n`)
  t.equal(operationsGuide().content, readFileSync(join(projectRoot, 'docs/operations.md'), 'utf8'), 'the committed guide is up to date')
  t.throws(() => withConfigTable('no markers here'), /markers/, 'a guide that lost its markers is an error, not a silent no-op')
})
