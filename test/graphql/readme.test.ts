/**
 * The GraphQL examples of docs/graphql.md and of the README's GraphQL section run without errors,
 * and so do their curl one-liners' queries.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { entityUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { fullGuideQuery, gql, type TestContext } from '../helpers/graphql.js'

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const guide = read('docs/graphql.md')
const readme = read('README.md')
const readmeSection = readme.slice(readme.indexOf('\n## GraphQL'), readme.indexOf('\n## ', readme.indexOf('\n## GraphQL') + 1))

/** The ```graphql blocks of a text. */
const blocks = (text: string): string[] => [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!)

/** Examples within blocks: each starts at a `#` comment line. */
const examples = (texts: string[]): string[] => texts.flatMap((block) => block.split(/\n(?=#)/).map((e) => e.trim()).filter((e) => e !== ''))

/** Runs each query (with an example uuid, and `$id` bound) and expects data and no errors. */
async function runs (t: TestContext, app: Awaited<ReturnType<typeof buildApp>>, queries: string[]): Promise<void> {
  for (const example of queries) {
    const query = example.replaceAll('<uuid>', entityUuid('isp', 'co-learning-a1'))
    const res = await gql(app, query, query.includes('$id') ? { variables: { id: 'co-learning' } } : {})
    t.equal(res.body.errors, undefined, example.split('\n')[0]!)
    t.ok(res.body.data !== null && res.body.data !== undefined)
  }
}

/** The curl one-liner's JSON body, POSTed as curl would. */
async function curlOneLiner (t: TestContext, app: Awaited<ReturnType<typeof buildApp>>, text: string): Promise<void> {
  const curl = /-d '(\{"query".*\})'/.exec(text)
  t.ok(curl, 'a curl one-liner')
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: curl![1]! })
  t.match(res.json(), { data: { competency: { code: 'C01', name: 'Co-learning' } } })
}

t.test('docs/graphql.md examples', async (t) => {
  const app = await buildApp(t)
  const found = blocks(guide)
  t.equal(found[0]!.trim(), fullGuideQuery, 'the full-guide query as the issue gives it')
  const more = examples(found.slice(1))
  t.ok(more.length >= 5, `${more.length} examples`)
  await runs(t, app, [found[0]!, ...more])
  await curlOneLiner(t, app, guide)
})

t.test("the README's GraphQL examples", async (t) => {
  const app = await buildApp(t)
  const found = examples(blocks(readmeSection))
  t.ok(found.length >= 2, `${found.length} examples`)
  await runs(t, app, found)
  await curlOneLiner(t, app, readmeSection)
})
