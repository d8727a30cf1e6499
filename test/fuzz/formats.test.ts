/**
 * Property-based fuzzing of the CASE providers (/ims/case/v1p0, /ims/case/v1p1) and the URI
 * resolver (/uri/{uuid}), every operation their part of the OpenAPI document lists: sourcedIds and
 * uuids (published, unknown, malformed, hostile), the CFDocuments collection parameters, and
 * Accept, Accept-Encoding and If-None-Match headers. No 5xx; every CASE error is an imsx_StatusInfo
 * valid against the operation's documented failure schema, every resolver error problem+json.
 */
import t from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../helpers/app.js'
import {
  documentedOperations, errorCheckFor, fuzzParameters, fuzzRequests, healthy, isCase, restViolations, seedLine, sendCase, Tally,
  type FuzzOperation, type KnownValues
} from '../helpers/fuzz.js'

/** Every identifier the service publishes, gathered from the CASE packages and the REST lists. */
async function identifiers (app: FastifyInstance): Promise<string[]> {
  const json = async <T>(url: string): Promise<T> => (await app.inject(url)).json<T>()
  const ids = new Set<string>()
  const documents = (await json<{ CFDocuments: Array<{ identifier: string }> }>('/ims/case/v1p1/CFDocuments')).CFDocuments
  for (const { identifier } of documents) {
    ids.add(identifier)
    const pkg = await json<{
      CFItems: Array<{ identifier: string }>
      CFAssociations: Array<{ identifier: string }>
      CFDefinitions: { CFItemTypes: Array<{ identifier: string }>, CFConcepts: Array<{ identifier: string }> }
    }>(`/ims/case/v1p1/CFPackages/${identifier}`)
    for (const x of [...pkg.CFItems, ...pkg.CFAssociations, ...pkg.CFDefinitions.CFItemTypes, ...pkg.CFDefinitions.CFConcepts]) ids.add(x.identifier)
  }
  for (const list of ['questions', 'dilemmas', 'resources']) {
    for (const x of (await json<{ data: Array<{ uuid: string }> }>(`/v1/frameworks/isp/latest/${list}?limit=100`)).data) ids.add(x.uuid)
  }
  const framework = await json<{ uuid: string }>('/v1/frameworks/isp')
  ids.add(framework.uuid)
  return [...ids]
}

t.test('CASE providers and the URI resolver: random and hostile identifiers, parameters and headers', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const operations = documentedOperations(app, (template) => isCase(template) || template.startsWith('/uri/'))
  t.ok(operations.length >= 27, `the document lists the CASE and resolver operations (${operations.length})`)
  const ids = await identifiers(app)
  t.ok(ids.length > 400, `${ids.length} published identifiers to draw from`)
  const pools: Record<string, string[]> = {
    sourcedId: [...ids, '00000000-0000-0000-0000-000000000000', ids[0]!.toUpperCase()],
    uuid: [...ids, 'ffffffff-ffff-ffff-ffff-ffffffffffff', ids[1]!.toUpperCase()],
    filter: ["version='1.1'", "title~'practice' AND lastChangeDateTime>'2021'", "version='1.1' OR version='1.2'", "version!='1.1'", "title~'", "nope='x'",
      "version='1.1' AND title~'a' OR version='1.2'", "version = '1.1'", "version=1.1", "''", 'AND', "version='1.1' AND"],
    sort: ['title', 'version', 'lastChangeDateTime', 'nope', 'identifier'],
    fields: ['identifier,title,version', 'identifier', 'nope', 'identifier,,title', ''],
    profile: ['ctdl', 'schema.org']
  }
  const known: KnownValues = (_op: FuzzOperation, name: string) => pools[name] ?? []
  const tally = new Tally()
  const etags: string[] = []
  const errorCheck = errorCheckFor(operations)
  t.comment(seedLine())

  await fc.assert(fc.asyncProperty(fuzzRequests(operations, known), async (c) => {
    const { res } = await sendCase(app, c, etags)
    tally.add(res.statusCode, c.template)
    const problems = restViolations(res, c.method, errorCheck(res.raw.req.url ?? c.url))
    if (problems.length > 0) throw new Error(`${c.method} ${c.url} ${JSON.stringify(c.headers)} → ${res.statusCode}: ${problems.join('; ')}`)
  }), fuzzParameters(1500))

  t.comment(tally.summary('CASE and resolver requests'))
  for (const op of operations) t.ok(tally.byKey[op.template] !== undefined, `${op.template} was fuzzed: ${JSON.stringify(tally.byKey[op.template])}`)
  t.ok((tally.statuses[200] ?? 0) > tally.cases / 10, 'a good share of requests find something')
  t.same(await healthy(app), { status: 200, body: { status: 'ok', checks: { database: 'pass', content: 'pass', load: 'pass', shutdown: 'pass', curricula: 'pass' } } }, 'still ready')
})
