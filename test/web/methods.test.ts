/**
 * Methods answered alike on every path (src/web/methods.ts): OPTIONS is a 204 with Allow, a CORS
 * preflight advertises only what the path accepts, a refused method is a 405 with Allow; and the
 * not-found wording of REST and GraphQL is one (the catalog's).
 */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

const app = await buildApp(t)
const origin = 'https://lms.example.edu'
const rest = '/v1/frameworks/isp/1.1/competencies/co-learning'

t.test('a preflight on a REST route advertises GET, HEAD, OPTIONS; on /graphql also POST', async (t) => {
  const preflight = (url: string, method: string) => app.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': method } })
  const onRest = await preflight(rest, 'GET')
  t.equal(onRest.statusCode, 204)
  t.equal(onRest.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS')
  t.equal(onRest.headers.allow, 'GET, HEAD, OPTIONS')
  const onGraphql = await preflight('/graphql', 'POST')
  t.equal(onGraphql.headers['access-control-allow-methods'], 'GET, HEAD, POST, OPTIONS')
  t.equal(onGraphql.headers.allow, 'GET, HEAD, POST, OPTIONS')
  t.equal((await preflight('/ims/case/v1p1/CFDocuments', 'GET')).headers.allow, 'GET, HEAD, OPTIONS', 'CASE too')
})

t.test('OPTIONS without CORS: a 204 with Allow, a 404 where nothing is served', async (t) => {
  const envs: Array<Record<string, string>> = [{}, { CORS_ORIGIN: 'false' }]
  for (const env of envs) {
    const cors = env.CORS_ORIGIN === undefined
    const a = cors ? app : await buildApp(t, { env })
    const res = await a.inject({ method: 'OPTIONS', url: `${rest}?fields=name` })
    t.equal(res.statusCode, 204, JSON.stringify(env))
    t.equal(res.headers.allow, 'GET, HEAD, OPTIONS')
    t.equal((await a.inject({ method: 'OPTIONS', url: '/graphql' })).headers.allow, 'GET, HEAD, POST, OPTIONS')
    const nowhere = await a.inject({ method: 'OPTIONS', url: '/nowhere' })
    // @fastify/cors (strictPreflight off) answers every OPTIONS as a preflight, before any route.
    t.equal(nowhere.statusCode, cors ? 204 : 404)
    t.notOk(nowhere.headers.allow, 'no Allow where nothing is served')
  }
})

t.test('PUT, PATCH and DELETE /graphql are a 405 with Allow', async (t) => {
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    const res = await app.inject({ method, url: '/graphql', payload: { query: '{ frameworks { id } }' } })
    t.equal(res.statusCode, 405, method)
    t.equal(res.headers.allow, 'GET, HEAD, POST, OPTIONS')
    t.match(res.headers['content-type'], /problem\+json/)
  }
  const post = await app.inject({ method: 'POST', url: rest })
  t.equal(post.statusCode, 405)
  t.equal(post.headers.allow, 'GET, HEAD, OPTIONS', 'REST: the same helper')
})

t.test('not found: the same sentence from REST and GraphQL', async (t) => {
  const restFramework = (await app.inject({ url: '/v1/frameworks/nope/1.1' })).json() as { detail: string }
  const gqlFramework = await gql(app, '{ framework(id: "nope") { id } }')
  t.equal(restFramework.detail, 'There is no framework "nope". Known frameworks: isp.')
  t.equal(gqlFramework.body.errors?.[0]?.message, restFramework.detail)
  const restVersion = (await app.inject({ url: '/v1/frameworks/isp/9.9' })).json() as { detail: string }
  const gqlVersion = await gql(app, '{ framework(id: "isp") { version(number: "9.9") { number } } }')
  t.equal(restVersion.detail, 'Framework "isp" has no version "9.9". Its versions: 1.1 (or latest).')
  t.equal(gqlVersion.body.errors?.[0]?.message, restVersion.detail)
})
