/**
 * Reliability with real server processes, on both stores: a server killed with SIGKILL in the
 * middle of a burst of writes loses none it acknowledged.
 */
import t from 'tap'
import { createKey } from '../../src/curricula/keys.js'
import { closeStore, openStore } from '../../src/curricula/store/open.js'
import { testDatabase } from '../helpers/app.js'
import { startServer } from '../helpers/server-process.js'
import { storeKinds, storeLocation } from '../helpers/stores.js'

// Real processes start slowly on a busy machine: a few minutes for the whole file.
t.setTimeout(300_000)

const json = { 'content-type': 'application/json' }

for (const kind of storeKinds) {
  t.test(`${kind}: SIGKILL during a burst of writes loses no acknowledged write`, async (t) => {
    const location = await storeLocation(t, kind)
    if (location === undefined) return
    const repo = await openStore(location)
    const inst = await repo.createInstitution('Alpha')
    const { key } = await createKey(repo, inst.id, 'write')
    await closeStore(repo)
    const env = { DB_PATH: testDatabase(), CURRICULA_DB_PATH: location.sqlitePath, ...(location.databaseUrl === undefined ? {} : { DATABASE_URL: location.databaseUrl }), RATE_LIMIT_MAX: '1000000', CURRICULA_RATE_LIMIT_MAX: '1000000' }
    const headers = { authorization: `Bearer ${key}`, ...json }

    const first = await startServer(t, env)
    const base = `http://127.0.0.1:${first.port}/v1/curricula`
    const cur = await (await fetch(base, { method: 'POST', headers, body: JSON.stringify({ name: 'Burst', framework: 'isp', version: '1.1' }) })).json() as { id: string }
    const acknowledged: string[] = []
    let n = 0
    let stop = false
    const writer = async (): Promise<void> => {
      while (!stop) {
        const code = `C${n++}`
        try {
          const res = await fetch(`${base}/${cur.id}/courses`, { method: 'POST', headers, body: JSON.stringify({ code, title: `Course ${code}` }), signal: AbortSignal.timeout(10_000) })
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id)
        } catch {
          return
        }
      }
    }
    const writers = Array.from({ length: 4 }, writer)
    const deadline = Date.now() + 90_000
    while (acknowledged.length < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    first.child.kill('SIGKILL')
    stop = true
    await Promise.all(writers)
    t.equal((await first.exited).signal, 'SIGKILL')
    t.ok(acknowledged.length >= 40, `${acknowledged.length} writes acknowledged before the kill`)

    const second = await startServer(t, env)
    const after = `http://127.0.0.1:${second.port}/v1/curricula/${cur.id}/courses`
    const missing: string[] = []
    for (const id of acknowledged) {
      const res = await fetch(`${after}/${id}`, { headers })
      if (res.status !== 200) missing.push(id)
    }
    t.same(missing, [], 'every acknowledged course is there after the restart')
    second.child.kill('SIGTERM')
    await second.exited
  })
}
