/** Start-up of the real server process: bad settings stop it at once; flags win over the environment. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../helpers/app.js'
import { runServer, startServer } from '../helpers/server-process.js'

t.test('a bad setting: exit code 1, a message naming it and what is allowed, nothing started', async (t) => {
  const cases: Array<{ env: Record<string, string>, args?: string[], message: RegExp }> = [
    { env: { PORT: 'http' }, message: /^invalid configuration: PORT must be an integer from 0 to 65535, got "http"\n$/ },
    { env: {}, args: ['--port', 'http'], message: /^invalid configuration: PORT must be an integer from 0 to 65535, got "http"\n$/ },
    { env: { LOG_LEVEL: 'loud' }, message: /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/ },
    { env: { TRUST_PROXY: 'maybe' }, message: /TRUST_PROXY must be false, true, or comma-separated IP addresses/ },
    { env: { CORS_ORIGIN: 'example.org' }, message: /CORS_ORIGIN must be/ },
    { env: {}, args: ['--prot', '3000'], message: /Unknown option '--prot'.*--help/ }
  ]
  await Promise.all(cases.map(async ({ env, args = [], message }) => {
    const dbPath = join(tempDir(), 'content.db')
    const run = await runServer({ DB_PATH: dbPath, HOST: '127.0.0.1', PORT: '0', ...env }, args)
    const label = JSON.stringify({ env, args })
    t.equal(run.code, 1, `${label}: exit code 1`)
    t.match(run.stderr, message, `${label}: says what is wrong`)
    t.notMatch(run.stderr, /\n\s+at /, `${label}: no stack trace`)
    t.notMatch(run.stdout, /Server listening/, `${label}: never listens`)
    t.notOk(existsSync(dbPath), `${label}: stops before building the database`)
  }))
})

t.test('--help lists every setting and exits 0', async (t) => {
  const run = await runServer({}, ['--help'])
  t.equal(run.code, 0)
  t.match(run.stdout, /--port\s+PORT:/)
  t.match(run.stdout, /--rate-limit-max\s+RATE_LIMIT_MAX:/)
})

t.test('a flag wins over the environment; logs are JSON when stdout is not a terminal', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db'), PORT: 'not-a-port', LOG_FORMAT: 'auto' }, ['--port', '0'])
  t.ok(server.port > 0, 'listening on the port the flag chose')
  t.ok(server.logs.length > 0 && server.logs.every((l) => typeof l.level === 'number' && typeof l.time === 'number'), 'JSON lines (the helper parses each one)')
  const response = await fetch(`http://127.0.0.1:${server.port}/health/live`)
  t.equal(response.status, 200)
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
})
