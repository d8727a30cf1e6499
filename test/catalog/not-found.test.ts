/** One framework/version resolver: REST and GraphQL name an unknown framework or version in the same words. */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

t.test('REST and GraphQL word a not-found framework or version alike', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const cases: Array<[string, string, string]> = [
    ['/v1/frameworks/nope/latest', '{ framework(id: "nope") { id } }', 'There is no framework "nope". Known frameworks: isp.'],
    ['/v1/frameworks/isp/9.9', '{ framework(id: "isp") { version(number: "9.9") { number } } }', 'Framework "isp" has no version "9.9". Its versions: 1.2, 1.1 (or latest).'],
    ['/v1/frameworks/isp/latest/changes?from=0.1', '{ framework(id: "isp") { version { changes(from: "0.1") { from } } } }', 'Framework "isp" has no version "0.1". Its versions: 1.2, 1.1 (or latest).']
  ]
  for (const [url, query, words] of cases) {
    const rest = await app.inject(url)
    t.equal(rest.statusCode, 404, url)
    t.equal(rest.json().detail, words, `REST ${url}`)
    const graphql = await gql(app, query)
    t.equal(graphql.body.errors?.[0]?.message, words, `GraphQL ${query}`)
    t.equal(graphql.body.errors?.[0]?.extensions?.code, 'NOT_FOUND')
  }
})
