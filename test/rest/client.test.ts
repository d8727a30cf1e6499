/**
 * A typed client generated from openapi.yaml (openapi-typescript → test/.generated/openapi-types.ts,
 * written by `npm run test-types` from the committed, drift-tested document) drives openapi-fetch
 * against a real listening server, walking from the frameworks to a version, its domains, their
 * competencies and their activities.
 */
import t from 'tap'
import createClient from 'openapi-fetch'
import type { paths } from '../.generated/openapi-types.js'
import { buildApp } from '../helpers/app.js'
import { violations } from '../helpers/contract.js'
import { readSeeds } from '../helpers/seeds.js'

const app = await buildApp(t, { fixtures: true })
const address = await app.listen({ port: 0, host: '127.0.0.1' })
// A JSON client (and its problem+json errors): some operations also offer JSON-LD or CSV, which it does not ask for.
const client = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl: address })

// Every response the client gets is checked against the contract too.
client.use({
  async onResponse ({ request, response }) {
    const body = await response.clone().text()
    const headers = Object.fromEntries(response.headers.entries())
    const url = new URL(request.url)
    t.same(violations(request.method, `${url.pathname}${url.search}`, { statusCode: response.status, headers, body }), [], `contract: ${request.method} ${url.pathname}`)
    return response
  }
})

t.test('walk frameworks → version → domains → competencies → activities', async (t) => {
  const frameworks = await client.GET('/v1/frameworks')
  t.equal(frameworks.response.status, 200)
  const framework = frameworks.data!.data[0]!
  t.equal(framework.id, 'isp')

  const detail = await client.GET('/v1/frameworks/{framework}', { params: { path: { framework: framework.id } } })
  const pinned = detail.data!.versions.find((v) => !v.latest)!.version
  t.equal(pinned, '1.1')
  const seed = readSeeds('1.1')

  const version = await client.GET('/v1/frameworks/{framework}/{version}', { params: { path: { framework: 'isp', version: pinned } } })
  t.equal(version.data!.citation, seed.framework.citation)

  const domains = await client.GET('/v1/frameworks/{framework}/{version}/domains', { params: { path: { framework: 'isp', version: pinned } } })
  const domainIds = domains.data!.data.map((d) => d.id)
  t.same(domainIds, seed.domains.map((d) => d.id))

  let competencies = 0
  let activities = 0
  for (const domain of domainIds) {
    const list = await client.GET('/v1/frameworks/{framework}/{version}/competencies', {
      params: { path: { framework: 'isp', version: pinned }, query: { domain, fields: 'code,name' } }
    })
    t.equal(list.response.status, 200)
    for (const c of list.data!.data) {
      competencies++
      const own = await client.GET('/v1/frameworks/{framework}/{version}/competencies/{id}/activities', {
        params: { path: { framework: 'isp', version: pinned, id: c.id }, query: { limit: 100 } }
      })
      const expected = seed.competencies.find((x) => x.id === c.id)!.activities
      t.same(own.data!.data.map((a) => a.id), expected.map((a) => a.id), `${c.id}: its activities`)
      activities += own.data!.meta.total
    }
  }
  t.equal(competencies, seed.competencies.length)
  t.equal(activities, seed.competencies.reduce((n, c) => n + c.activities.length, 0))
})

t.test('typed errors and conditional requests over the network', async (t) => {
  const missing = await client.GET('/v1/frameworks/{framework}/{version}/competencies/{id}', {
    params: { path: { framework: 'isp', version: '1.1', id: 'no-such-competency' } }
  })
  t.equal(missing.response.status, 404)
  t.equal(missing.error?.title, 'Not Found')
  t.match(missing.error?.detail, /no competency "no-such-competency"/)

  const first = await fetch(`${address}/v1/frameworks/isp/1.1/competencies/co-learning`)
  const etag = first.headers.get('etag')!
  t.equal(first.status, 200)
  const again = await fetch(`${address}/v1/frameworks/isp/1.1/competencies/co-learning`, { headers: { 'if-none-match': etag } })
  t.equal(again.status, 304)
  t.equal(await again.text(), '')
})
