/**
 * Property-based fuzzing of every REST route in the app's OpenAPI document (the CASE provider and
 * the URI resolver have their own file): path parameters (known ids, near misses, traversal, bad
 * percent-encoding, unicode, over-long), query parameters (known names with good and bad values,
 * unknown names, repeats, empty values) and Accept, Accept-Encoding and If-None-Match headers.
 * No response may be a 5xx; every error is problem+json valid against openapi.yaml's Problem;
 * the app is still ready afterwards.
 */
import t from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../helpers/app.js'
import { documentedOperations, errorCheckFor, fuzzParameters, fuzzRequests, healthy, isCase, restViolations, revalidate, seedLine, sendCase, Tally, type FuzzOperation, type KnownValues } from '../helpers/fuzz.js'

/** Formats routes with their own error shape or their own fuzz file. */
const elsewhere = (template: string): boolean => isCase(template) || template.startsWith('/uri/')

/** Known-good parameter values, read from the API itself: framework ids, version numbers, each list's ids and codes. */
async function knownValues (app: FastifyInstance): Promise<KnownValues> {
  const get = async <T>(url: string): Promise<T> => {
    const res = await app.inject(url)
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    return res.json<T>()
  }
  const frameworks = (await get<{ data: Array<{ id: string }> }>('/v1/frameworks')).data.map((f) => f.id)
  const framework = frameworks[0]!
  const versions = (await get<{ versions: Array<{ version: string }> }>(`/v1/frameworks/${framework}`)).versions.map((v) => v.version)
  const list = async (path: string): Promise<string[]> => {
    const items = (await get<{ data: Array<{ id: string, code?: string }> }>(`/v1/frameworks/${framework}/latest/${path}?limit=100`)).data
    return items.flatMap((i) => i.code === undefined ? [i.id] : [i.id, i.code])
  }
  const idsByList = new Map<string, string[]>()
  const pools: Record<string, string[]> = {
    framework: [...frameworks, 'nope'],
    version: [...versions, 'latest', '9.9'],
    from: [...versions, 'latest', '0.1'],
    domain: [...(await list('domains')), 'nope'],
    competency: [...(await list('competencies')), 'nope'],
    q: ['trust', 'team', '"build trust"', 'facilit*', 'trust OR team', 'trust NOT team', '(trust OR team) AND learning']
  }
  const idLists: Array<[string, string[]]> = []
  // The framework's lists; the curricula routes (authenticated) are not a source of known ids.
  for (const op of documentedOperations(app, (template) => /\/\{id\}/.test(template) && !template.startsWith('/v1/curricula'))) {
    const collection = /\/([a-z]+)\/\{id\}/.exec(op.template)?.[1]
    if (collection !== undefined && !idsByList.has(collection)) idsByList.set(collection, await list(collection))
  }
  for (const [collection, ids] of idsByList) idLists.push([collection, ids])
  return (op: FuzzOperation, name: string) => {
    if (name === 'id') {
      const collection = /\/([a-z]+)\/\{id\}/.exec(op.template)?.[1]
      return idLists.find(([c]) => c === collection)?.[1] ?? []
    }
    return pools[name] ?? []
  }
}

t.test('REST routes: random and hostile paths, queries and headers', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const operations = documentedOperations(app, (template) => !elsewhere(template))
  t.ok(operations.length >= 25, `the document lists the REST operations (${operations.length})`)
  const known = await knownValues(app)
  const tally = new Tally()
  const etags: string[] = []
  // A path such as /v1/../ims/case/… lands in a CASE provider, which answers imsx_StatusInfo.
  const errorCheck = errorCheckFor(documentedOperations(app, isCase))
  t.comment(seedLine())

  await fc.assert(fc.asyncProperty(fuzzRequests(operations, known), async (c) => {
    const { res, headers } = await sendCase(app, c, etags)
    tally.add(res.statusCode, c.template)
    const problems = [...restViolations(res, c.method, errorCheck(res.raw.req.url ?? c.url)), ...await revalidate(app, c, headers, res, tally)]
    if (problems.length > 0) throw new Error(`${c.method} ${c.url} ${JSON.stringify(c.headers)} → ${res.statusCode}: ${problems.join('; ')}`)
  }), fuzzParameters(3000))

  t.comment(tally.summary('REST requests'))
  for (const op of operations) {
    const counts = tally.byKey[op.template] ?? {}
    t.ok(Object.keys(counts).length > 0, `${op.template} was fuzzed: ${JSON.stringify(counts)}`)
  }
  t.ok((tally.statuses[200] ?? 0) > tally.cases / 10, 'a good share of requests are valid, so the handlers run, not only validation')
  t.ok((tally.statuses[304] ?? 0) > 0, 'revalidations happened')
  t.same(await healthy(app), { status: 200, body: { status: 'ok', checks: { database: 'pass', content: 'pass', load: 'pass', shutdown: 'pass', curricula: 'pass' } } }, 'still ready')
})
