/** The curricula store in /metrics: query durations by dialect and outcome, and the PostgreSQL pool's connections. */
import t from 'tap'
import { build } from '../../src/app.js'
import { createKey } from '../../src/curricula/keys.js'
import { testConfig } from '../helpers/app.js'
import { TOKEN, scrape, valueOf } from '../helpers/metrics.js'
import { storeKinds, storeLocation } from '../helpers/stores.js'

for (const kind of storeKinds) {
  t.test(`${kind}: queries are timed and the pool is reported`, async (t) => {
    const location = await storeLocation(t, kind)
    if (location === undefined) return
    const env: Record<string, string> = { METRICS_TOKEN: TOKEN, CURRICULA_DB_PATH: location.sqlitePath, CURRICULA_POOL_SIZE: '3' }
    if (location.databaseUrl !== undefined) env.DATABASE_URL = location.databaseUrl
    const app = await build({ config: testConfig({ env }) })
    t.teardown(() => app.close())
    await app.ready()
    const institution = await app.curricula.createInstitution('Alpha')
    const { key } = await createKey(app.curricula, institution.id, 'write')
    const before = valueOf(await scrape(app), 'isp_store_query_duration_seconds_count', { store: 'curricula', dialect: kind, outcome: 'ok' })
    const headers = { authorization: `Bearer ${key}` }
    t.equal((await app.inject({ method: 'POST', url: '/v1/curricula', headers, payload: { name: 'MSc', framework: 'isp', version: '1.1' } })).statusCode, 201)
    t.equal((await app.inject({ method: 'GET', url: '/v1/curricula', headers })).statusCode, 200)
    const s = await scrape(app)
    t.ok(valueOf(s, 'isp_store_query_duration_seconds_count', { store: 'curricula', dialect: kind, outcome: 'ok' }) > before + 2, 'the requests\' queries are counted')
    t.ok(valueOf(s, 'isp_store_query_duration_seconds_sum', { store: 'curricula', dialect: kind, outcome: 'ok' }) > 0, 'and timed')
    const pooled = s.filter((x) => x.name === 'isp_store_pool_connections')
    if (kind === 'postgres') {
      const idle = valueOf(s, 'isp_store_pool_connections', { store: 'curricula', state: 'idle' })
      const busy = valueOf(s, 'isp_store_pool_connections', { store: 'curricula', state: 'busy' })
      t.ok(idle >= 1 && idle + busy <= 3, `the pool holds ${idle} idle and ${busy} busy connections, within CURRICULA_POOL_SIZE`)
      t.equal(valueOf(s, 'isp_store_pool_waiting', { store: 'curricula' }), 0, 'nothing waits for a connection')
    } else {
      t.same(pooled, [], 'SQLite has no pool to report')
    }
  })
}
