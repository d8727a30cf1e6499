/**
 * Each limit rejects an attack query with a clear error: depth, aliases, tokens, estimated size,
 * list sizes, batching, body size and search length. Queries just inside the limits still run.
 */
import t from 'tap'
import { BODY_LIMIT, MAX_ALIASES, MAX_COST, MAX_DEPTH, MAX_FIRST, MAX_Q_LENGTH, MAX_TOKENS } from '../../src/graphql/limits.js'
import { buildApp } from '../helpers/app.js'
import { gql, type GraphQLResponse, type TestContext } from '../helpers/graphql.js'

function rejected (t: TestContext, res: GraphQLResponse, code: string, pattern: RegExp, limit?: string): void {
  // Request errors have no data; argument errors null the field that had the argument.
  t.notMatch(JSON.stringify(res.body.data ?? null), /"id"|"text"/, 'no content')
  const error = res.body.errors?.[0]
  t.equal(error?.extensions?.code, code, `code ${code}`)
  t.match(error?.message, pattern, 'a message that says what is wrong')
  if (limit !== undefined) t.equal(error?.extensions?.limit, limit, `names the ${limit} limit`)
  t.notMatch(res.raw, /at \w+ \(|node_modules|\.ts:\d+/, 'no stack trace')
}

/** Fields nested `depth` deep: framework > version > domains > competencies > domain > competencies … > id. */
function nested (depth: number): string {
  let inner = 'id'
  for (let level = depth - 1; level > 3; level--) inner = `${level % 2 === 0 ? 'competencies' : 'domain'} { ${inner} }`
  return `{ framework(id: "isp") { version { domains { ${inner} } } } }`
}

t.test('depth', async (t) => {
  const app = await buildApp(t)
  const ok = await gql(app, nested(MAX_DEPTH))
  t.equal(ok.body.errors, undefined, `depth ${MAX_DEPTH} runs`)
  const res = await gql(app, nested(MAX_DEPTH + 1))
  t.equal(res.status, 400)
  rejected(t, res, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`depth limit of ${MAX_DEPTH} exceeded, found ${MAX_DEPTH + 1}`), 'depth')

  const viaFragments = await gql(app, `{ framework(id: "isp") { ...F } }
    fragment F on Framework { version { domains { competencies { domain { competencies { domain { competencies { id } } } } } } } }`)
  rejected(t, viaFragments, 'GRAPHQL_VALIDATION_FAILED', /depth limit/, 'depth')
})

t.test('aliases', async (t) => {
  const app = await buildApp(t)
  const aliased = (n: number): string => `{ ${Array.from({ length: n }, (_, i) => `a${i}: frameworks { id }`).join(' ')} }`
  t.equal((await gql(app, aliased(MAX_ALIASES))).body.errors, undefined, `${MAX_ALIASES} aliases run`)
  const res = await gql(app, aliased(MAX_ALIASES + 1))
  rejected(t, res, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`Aliases limit of ${MAX_ALIASES} exceeded, found ${MAX_ALIASES + 1}`), 'aliases')
})

t.test('tokens', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, `{ frameworks { ${'id '.repeat(MAX_TOKENS)} } }`)
  t.equal(res.status, 400)
  rejected(t, res, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`more than ${MAX_TOKENS} tokens`), 'tokens')
})

t.test('estimated size: nested lists and aliases cannot multiply the response', async (t) => {
  const app = await buildApp(t)
  const chain = '{ framework(id: "isp") { version { activities { competency { activities { competency { activities { text } } } } } } } }'
  rejected(t, await gql(app, chain), 'GRAPHQL_VALIDATION_FAILED', new RegExp(`more than the limit of ${MAX_COST}`), 'cost')

  const fan = `{ framework(id: "isp") { version { ${Array.from({ length: 12 }, (_, i) => `a${i}: competencies { activities { competency { activities { text subitems } } } }`).join(' ')} } } }`
  rejected(t, await gql(app, fan), 'GRAPHQL_VALIDATION_FAILED', /could return about \d+ values/, 'cost')

  // Each fragment doubles the one below it: 2^16 copies if it were expanded.
  const levels = 16
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Competency { ...F${i + 1} a${i}: activities { id } }`).join('\n')
  const bomb = `{ framework(id: "isp") { version { competencies { ...F0 } } } }\n${fragments}\nfragment F${levels} on Competency { id }`
  rejected(t, await gql(app, bomb), 'GRAPHQL_VALIDATION_FAILED', /./)

  const everything = `{ framework(id: "isp") { version {
    principles { id name description } domains { id name description competencies { id } }
    competencies { id name overview overviewStatements { text items } domain { id } hint { text paragraphs }
      activities { id code text subitems subpoints { id code text } } }
    definitions { id term text otherNames } questions { id text subquestions } dilemmas { id text }
    resourceGroups { id title resources { id text url doi } } } } }`
  t.equal((await gql(app, everything)).body.errors, undefined, 'a whole-version export fits')
})

t.test('list sizes: first is capped at 100 (an error, not a silent clamp)', async (t) => {
  const app = await buildApp(t)
  const list = (args: string): string => `{ framework(id: "isp") { version { activities(${args}) { id } } } }`
  const page = await gql(app, list(`first: ${MAX_FIRST}`))
  t.equal((page.body.data as { framework: { version: { activities: unknown[] } } }).framework.version.activities.length, MAX_FIRST)
  rejected(t, await gql(app, list(`first: ${MAX_FIRST + 1}`)), 'BAD_USER_INPUT', /first must be between 0 and 100/)
  rejected(t, await gql(app, list('first: -1')), 'BAD_USER_INPUT', /first must be between/)
  rejected(t, await gql(app, list('offset: -5')), 'BAD_USER_INPUT', /offset must be 0 or more/)
  const viaVariable = await gql(app, 'query ($n: Int!) { framework(id: "isp") { version { activities(first: $n) { id } } } }', { variables: { n: 100000 } })
  rejected(t, viaVariable, 'BAD_USER_INPUT', /first must be between/)
  t.equal(viaVariable.body.errors?.[0]?.extensions?.argument, 'first')
  rejected(t, await gql(app, '{ search(q: "trust", first: 1000) { total } }'), 'BAD_USER_INPUT', /first must be between/)
  const huge = await gql(app, list('first: 99999999999'))
  rejected(t, huge, 'GRAPHQL_VALIDATION_FAILED', /Int cannot represent non 32-bit signed integer/)
})

t.test('batched queries are off', async (t) => {
  const app = await buildApp(t)
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: [{ query: '{ frameworks { id } }' }, { query: '{ frameworks { id } }' }] })
  t.equal(res.statusCode, 400)
  rejected(t, { status: res.statusCode, headers: res.headers, body: res.json(), raw: res.body }, 'BAD_REQUEST', /batched queries \(arrays\) are not supported/)
})

t.test('request body size', async (t) => {
  const app = await buildApp(t)
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ frameworks { id } }', variables: { pad: 'x'.repeat(BODY_LIMIT) } } })
  t.equal(res.statusCode, 413)
  rejected(t, { status: res.statusCode, headers: res.headers, body: res.json(), raw: res.body }, 'PAYLOAD_TOO_LARGE', /too large/)
})

t.test('search length', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, 'query ($q: String!) { search(q: $q) { total } }', { variables: { q: 'trust '.repeat(MAX_Q_LENGTH) } })
  rejected(t, res, 'BAD_USER_INPUT', new RegExp(`at most ${MAX_Q_LENGTH} characters`))
})
