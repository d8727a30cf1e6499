/**
 * The full-guide query runs unchanged and returns the guide's whole text, checked against
 * the seed files themselves; nested queries read the catalog, built once per framework (no SQL per relation).
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { CompetencySeed, DomainSeed, PrincipleSeed } from '../../src/content/schema.js'
import { Catalog } from '../../src/catalog/catalog.js'
import { buildApp, openRepository } from '../helpers/app.js'
import { fullGuideQuery, gql } from '../helpers/graphql.js'

const seed = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../../seeds/isp/1.1/${file}`, import.meta.url), 'utf8')) as T
const principles = seed<PrincipleSeed[]>('principles.json')
const domains = seed<DomainSeed[]>('domains.json')
const competencies = seed<CompetencySeed[]>('competencies.json')

interface Guide {
  number: string
  principles: Array<Record<string, string>>
  domains: Array<{ id: string, code: string, name: string, description: string, competencies: Array<Record<string, string>> }>
  competencies: Array<{
    id: string
    code: string
    name: string
    domain: { id: string, name: string }
    overview: string
    activities: Array<{ id: string, code: string, text: string, subitems: string[] }>
    hint: { id: string, text: string }
  }>
}

/** Statements the query runs, on a fresh app so nothing is cached yet. */
async function statementsFor (app: FastifyInstance, query: string): Promise<number> {
  const before = app.repo.statements
  const res = await gql(app, query)
  if (res.body.errors !== undefined) throw new Error(JSON.stringify(res.body.errors))
  return app.repo.statements - before
}

t.test('the full-guide query returns all 6/3/15/115/15 items with the seed text', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, fullGuideQuery)
  t.equal(res.status, 200)
  t.equal(res.body.errors, undefined)
  const guide = (res.body.data as { framework: { version: Guide } }).framework.version
  t.equal(guide.number, '1.1')
  t.equal(guide.principles.length, 6)
  t.equal(guide.domains.length, 3)
  t.equal(guide.competencies.length, 15)
  t.equal(guide.competencies.flatMap((c) => c.activities).length, 115)
  t.equal(guide.competencies.map((c) => c.hint).length, 15)

  t.same(guide.principles, principles.map(({ id, code, name, description }) => ({ id, code, name, description })))
  t.same(guide.domains, domains.map(({ id, code, name, description }) => ({
    id, code, name, description,
    competencies: competencies.filter((c) => c.domain === id).map(({ id, code, name }) => ({ id, code, name }))
  })))
  for (const [i, c] of competencies.entries()) {
    const got = guide.competencies[i]!
    t.same({ id: got.id, code: got.code, name: got.name }, { id: c.id, code: c.code, name: c.name })
    t.same(got.domain, { id: c.domain, name: domains.find((d) => d.id === c.domain)!.name })
    t.same(got.activities, c.activities.map((a) => ({ id: a.id, code: a.code, text: a.text, subitems: (a.subpoints ?? []).map((s) => s.text) })))
    t.same(got.hint, { id: c.hint.id, text: c.hint.paragraphs.join('\n\n') })
    // Every statement and nested sub-point, verbatim and in order.
    let from = 0
    for (const s of c.overview) {
      for (const text of [s.text, ...(s.items ?? [])]) {
        const at = got.overview.indexOf(text, from)
        t.ok(at >= from, `${c.id} overview keeps "${text.slice(0, 40)}…" in order`)
        from = at + text.length
      }
    }
  }
})

t.test('overview Markdown: a lead-in, its statements as a list, nested sub-points as a nested list', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, '{ competency(id: "co-learning") { overview overviewStatements { text items } } }')
  const c = (res.body.data as { competency: { overview: string, overviewStatements: Array<{ text: string, items: string[] }> } }).competency
  t.equal(c.overview, [
    'Implementation support practitioners should have the competency to:',
    '',
    '- work collaboratively with systems stakeholders to learn how knowledge on implementation science can be effectively used in the local context.',
    '- actively seek to learn about the culture, history, and current priorities in the local context in order to assess the most feasible and relevant uses of implementation science.',
    '- support learning among stakeholders at the implementing site and recommend specific implementation strategies based on local context and conditions.'
  ].join('\n'))
  t.same(c.overviewStatements, competencies[0]!.overview.map((s) => ({ text: s.text, items: s.items ?? [] })))
})

t.test('nested queries read the catalog: the first builds the framework once, whatever its shape, then no SQL runs', async (t) => {
  const shaped = (first: string): string => `{ framework(id: "isp") { version(number: "latest") { number
    principles { id } domains { id competencies { id } }
    competencies${first} { id domain { id name } overview activities { id code text subitems } hint { id text } } } } }`
  const repo = openRepository(t)
  repo.versions()
  const before = repo.statements
  new Catalog(repo).history('isp')
  const build = repo.statements - before
  t.ok(build > 0)

  const one = await statementsFor(await buildApp(t), shaped('(first: 1)'))
  const app = await buildApp(t)
  const all = await statementsFor(app, shaped(''))
  t.equal(one, build, 'one competency costs building the version, once')
  t.equal(all, build, 'and fifteen cost the same')
  t.equal(await statementsFor(app, fullGuideQuery), 0, 'the issue\'s query then runs no statement')
  t.equal(await statementsFor(app, '{ framework(id: "isp") { version { competencies { id activities { id code text } } } } }'), 0, 'nor do all competencies with their activities')
  t.equal(await statementsFor(app, '{ framework(id: "isp") { version { activities(first: 100) { id competency { id domain { id } } hint: competency { hint { id } } } } } }'), 0,
    'nor activities up to their competency, its domain and hint')
})

t.test('two versions in one query: the framework\'s history is built once, for both', async (t) => {
  const repo = openRepository(t, true)
  repo.versions()
  const before = repo.statements
  new Catalog(repo).history('isp')
  const build = repo.statements - before
  const app = await buildApp(t, { fixtures: true })
  const query = `{ framework(id: "isp") {
    a: version(number: "1.1") { competencies { activities { id competency { id } } hint { id } } }
    b: version(number: "1.2") { competencies { activities { id competency { id } } hint { id } } } } }`
  t.equal(await statementsFor(app, query), build)
  t.equal(await statementsFor(app, query.replace('a:', 'c:')), 0, 'and once only')
})

t.test('the JIT-compiled query gives the same result, with the same batching', async (t) => {
  const app = await buildApp(t)
  const query = fullGuideQuery.replace('{\n  framework', 'query ($n: String!) {\n  framework').replace('version(number: "latest")', 'version(number: $n)')
  const before = app.repo.statements
  const interpreted = await gql(app, query, { variables: { n: '1.1' } })
  const first = app.repo.statements - before
  // Seen once already: mercurius compiles it now (jit: 1). Other variables, so the response cache does not answer.
  const compiled = await gql(app, query, { variables: { n: 'latest' } })
  t.equal(compiled.raw, interpreted.raw, 'the same bytes')
  t.ok(first > 0, 'the first query built the version')
  t.equal(app.repo.statements - before - first, 0, 'the compiled one reads the catalog only')
  t.equal((await gql(app, fullGuideQuery)).raw, interpreted.raw, 'and the same as the issue\'s query')
})
