/** The Apollo Server contender computes exactly what the service serves, for every query the benchmark sends. */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { PUBLIC_URL, freePort } from '../../bench/contenders.js'
import { probe, waitFor200 } from '../../bench/http.js'
import { COMPETENCY_QUERY, DOMAIN_ACTIVITIES_QUERY, FULL_GUIDE_QUERY, SEARCH_QUERY, graphql } from '../../bench/scenarios.js'
import { projectRoot } from '../../src/paths.js'
import { buildApp, testDatabase } from '../helpers/app.js'

t.test('same data as the service for the benchmark queries', async (t) => {
  const app = await buildApp(t, { env: { PUBLIC_URL } })
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench/servers/apollo.ts')], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DB_PATH: testDatabase(), PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL },
    stdio: 'ignore'
  })
  t.teardown(() => { child.kill() })
  const base = `http://127.0.0.1:${port}`
  await waitFor200(base, graphql('/', '{ __typename }'), 60_000)
  const queries: Array<[string, Record<string, unknown> | undefined]> = [
    [COMPETENCY_QUERY, { id: 'co-learning' }], [FULL_GUIDE_QUERY, undefined], [DOMAIN_ACTIVITIES_QUERY, undefined], [SEARCH_QUERY, undefined]
  ]
  for (const [query, variables] of queries) {
    const apollo = JSON.parse((await probe(base, graphql('/', query, variables))).body.toString()) as { data?: unknown, errors?: unknown }
    const own = (await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } })).json<{ data?: unknown }>()
    t.notOk(apollo.errors, 'no errors')
    t.ok(own.data, 'the service answers')
    t.same(apollo.data, own.data, query.slice(0, 40))
  }
})
