/** The GraphQL examples in the README run without errors, and its curl one-liner's query too. */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { entityUuid } from '../../src/content/ids.js'
import { buildApp } from '../helpers/app.js'
import { fullGuideQuery, gql } from '../helpers/graphql.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## GraphQL'), readme.indexOf('\n## ', readme.indexOf('## GraphQL') + 1))

t.test('README GraphQL examples', async (t) => {
  const app = await buildApp(t)
  const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!)
  t.equal(blocks[0]!.trim(), fullGuideQuery, 'the full-guide query as the issue gives it')
  const examples = blocks.slice(1).flatMap((block) => block.split(/\n(?=#)/).map((e) => e.trim()).filter((e) => e !== ''))
  t.ok(examples.length >= 5, `${examples.length} examples`)
  for (const example of [blocks[0]!, ...examples]) {
    const query = example.replace('<uuid>', entityUuid('isp', 'co-learning-a1'))
    const res = await gql(app, query, query.includes('$id') ? { variables: { id: 'co-learning' } } : {})
    t.equal(res.body.errors, undefined, example.split('\n')[0]!)
    t.ok(res.body.data !== null && res.body.data !== undefined)
  }
  const curl = /-d '(\{"query".*\})'/.exec(section)
  t.ok(curl, 'a curl one-liner')
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: curl![1]! })
  t.match(res.json(), { data: { competency: { code: 'C01', name: 'Co-learning' } } })
})
