/** API keys, the admin CLI (in process and as a real process), log redaction, CORS and rate limits on /v1/curricula. */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { generateKey, hashKey, keyPrefix, matchesHash, verifyKey } from '../../src/curricula/keys.js'
import { runAdmin, UsageError } from '../../src/curricula/admin.js'
import { projectRoot } from '../../src/paths.js'
import { tempDir } from '../helpers/app.js'
import { buildAppWithLogs } from '../helpers/logs.js'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { openTestStore } from '../helpers/stores.js'

const exec = promisify(execFile)

t.test('keys: format, hash, constant-time check', async (t) => {
  const { key, prefix, hash } = generateKey()
  t.match(key, /^ispk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  t.equal(keyPrefix(key), prefix)
  t.equal(hash, hashKey(key))
  t.notOk(hash.includes(key.slice(18)), 'the hash does not hold the secret')
  t.ok(matchesHash(key, hash))
  t.notOk(matchesHash(`${key}x`, hash))
  t.notOk(matchesHash(key, 'abcd'), 'a hash of another length')
  t.equal(keyPrefix('ispk_short'), undefined)
  t.not(generateKey().key, key)
})

t.test('admin commands: institutions, keys shown once, revocation, audit', async (t) => {
  const repo = await openTestStore(t, 'sqlite')
  if (repo === undefined) return
  const inst = await runAdmin(repo, ['institution', 'create', '--name', 'Alpha University']) as { id: string }
  const created = await runAdmin(repo, ['key', 'create', '--institution', inst.id, '--scope', 'write']) as { key: string, prefix: string, id: string }
  t.ok(await verifyKey(repo, created.key), 'the key works')
  const listed = await runAdmin(repo, ['key', 'list']) as Array<Record<string, unknown>>
  t.equal(listed.length, 1)
  t.notOk(JSON.stringify(listed).includes(created.key), 'a listing never shows the key')
  t.notOk(JSON.stringify(listed).includes(hashKey(created.key)), 'nor its hash')
  t.same((await runAdmin(repo, ['institution', 'list']) as Array<{ name: string }>).map((i) => i.name), ['Alpha University'])
  await runAdmin(repo, ['key', 'revoke', created.prefix])
  t.equal(await verifyKey(repo, created.key), undefined, 'a revoked key no longer works')
  const audit = await runAdmin(repo, ['audit', '--institution', inst.id]) as Array<{ action: string }>
  t.same(audit.map((e) => e.action), ['key.revoke', 'key.create', 'institution.create'])
  await t.rejects(runAdmin(repo, ['key', 'create', '--institution', inst.id, '--scope', 'admin']), UsageError)
  await t.rejects(runAdmin(repo, ['institution', 'create']), UsageError)
  await t.rejects(runAdmin(repo, ['key', 'revoke']), UsageError)
  await t.rejects(runAdmin(repo, ['audit', '--limit', '0']), UsageError)
  await t.rejects(runAdmin(repo, ['frobnicate']), UsageError)
})

t.test('npm run admin as a real process, on the store next to the content database', async (t) => {
  const dir = tempDir()
  const env = { PATH: process.env.PATH ?? '', DB_PATH: join(dir, 'content.db'), _TAPJS_PROCESSINFO_COVERAGE_: '0' }
  const run = (...args: string[]) => exec(process.execPath, ['--import', 'tsx', 'src/curricula/admin.ts', ...args], { cwd: projectRoot, env, timeout: 30_000 })
  const inst = JSON.parse((await run('institution', 'create', '--name', 'Beta College')).stdout) as { id: string }
  const key = JSON.parse((await run('key', 'create', '--institution', inst.id, '--scope', 'read')).stdout) as { key: string, note: string }
  t.match(key.note, /shown only now/)
  t.match((await run('key', 'list', '--institution', inst.id)).stdout, /"scope": "read"/)
  const failed = await run('key', 'create', '--institution', inst.id).catch((err: { code: number, stderr: string }) => err)
  t.match(failed, { code: 1, stderr: /--scope is required/ })
  t.match((await run('--help')).stdout, /institution create --name/)
})

t.test('keys never reach the logs', async (t) => {
  const { app, lines } = await buildAppWithLogs(t, { env: { CURRICULA_DB_PATH: join(tempDir(), 'c.db') } }, 'trace')
  const inst = await app.curricula.createInstitution('Gamma')
  const { key } = await runAdmin(app.curricula, ['key', 'create', '--institution', inst.id, '--scope', 'write']) as { key: string }
  await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(key), payload: { name: 'x', framework: 'isp', version: '1.1' } })
  await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(`${key}x`) })
  await app.inject({ method: 'GET', url: `/v1/curricula?key=${encodeURIComponent('ispk_')}`, headers: auth(key) })
  t.ok(lines.length > 3, 'requests were logged')
  const text = JSON.stringify(lines)
  t.notOk(text.includes(key.slice(5)), 'no line holds the key')
  t.notOk(text.includes(key.slice(18)), 'nor its secret')
})

t.test('CORS is off for the curricula API unless origins are named; rate limits per key', async (t) => {
  const f = await curriculaFixture(t, 'sqlite', { CURRICULA_RATE_LIMIT_MAX: '3' })
  if (f === undefined) return
  const { app, keys } = f
  const res = await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.a, { origin: 'https://lms.example.org' }) })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], undefined, 'no CORS header on the authenticated API')
  const open = await app.inject({ method: 'GET', url: '/v1/frameworks', headers: { origin: 'https://lms.example.org' } })
  t.equal(open.headers['access-control-allow-origin'], '*', 'the public API keeps its CORS')
  for (let i = 0; i < 2; i++) await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.a) })
  const limited = await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.a) })
  t.equal(limited.statusCode, 429, 'the fourth request of key A is limited')
  t.equal((await app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(keys.b) })).statusCode, 200, 'key B has its own budget')

  const g = await curriculaFixture(t, 'sqlite', { CURRICULA_CORS_ORIGINS: 'https://lms.example.org' })
  if (g === undefined) return
  const allowed = await g.app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(g.keys.a, { origin: 'https://lms.example.org' }) })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://lms.example.org')
  const other = await g.app.inject({ method: 'GET', url: '/v1/curricula', headers: auth(g.keys.a, { origin: 'https://evil.example' }) })
  t.not(other.headers['access-control-allow-origin'], 'https://evil.example')
})
