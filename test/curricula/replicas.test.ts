/**
 * Two server processes (replicas) on one PostgreSQL database: they start together and migrate
 * once; a write through one is read through the other; two concurrent PATCHes with the same
 * If-Match give one 200 and one 412, never a lost update.
 */
import t from 'tap'
import { createKey } from '../../src/curricula/keys.js'
import { closeStore, openStore } from '../../src/curricula/store/open.js'
import { testDatabase } from '../helpers/app.js'
import { startServer } from '../helpers/server-process.js'
import { storeLocation } from '../helpers/stores.js'

// Real processes start slowly on a busy machine: a few minutes for the whole file.
t.setTimeout(300_000)

const json = { 'content-type': 'application/json' }

t.test('postgres: two replicas, one database; concurrent If-Match gives one winner', async (t) => {
  const location = await storeLocation(t, 'postgres')
  if (location === undefined) return
  const env = { DB_PATH: testDatabase(), DATABASE_URL: location.databaseUrl ?? '', RATE_LIMIT_MAX: '1000000' }
  // Both start together: the migrations run once, under the lock.
  const [one, two] = await Promise.all([startServer(t, env), startServer(t, env)])
  const repo = await openStore(location)
  t.teardown(() => closeStore(repo))
  const inst = await repo.createInstitution('Alpha')
  const { key } = await createKey(repo, inst.id, 'write')
  const headers = { authorization: `Bearer ${key}`, ...json }
  const url = (s: { port: number }, path = '') => `http://127.0.0.1:${s.port}/v1/curricula${path}`
  const created = await fetch(url(one), { method: 'POST', headers, body: JSON.stringify({ name: 'Shared', framework: 'isp', version: '1.1' }) })
  const cur = await created.json() as { id: string }
  const read = await fetch(url(two, `/${cur.id}`), { headers })
  t.equal(read.status, 200, 'a write through one replica is read through the other')
  const etag = read.headers.get('etag') ?? ''
  for (let round = 0; round < 5; round++) {
    const current = (await fetch(url(one, `/${cur.id}`), { headers })).headers.get('etag') ?? etag
    const results = await Promise.all([one, two].map((s, i) => fetch(url(s, `/${cur.id}`), {
      method: 'PATCH', headers: { ...headers, 'if-match': current }, body: JSON.stringify({ name: `Round ${round} replica ${i}` })
    })))
    t.same(results.map((r) => r.status).sort(), [200, 412], `round ${round}: one success, one 412`)
  }
  const final = await (await fetch(url(two, `/${cur.id}`), { headers })).json() as { revision: number }
  t.equal(final.revision, 6, 'five successful updates, no lost one')
})
