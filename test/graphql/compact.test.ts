/** Large query texts are compacted before they are parsed or cached (src/graphql/compact.ts). */
import t from 'tap'
import { createHash } from 'node:crypto'
import { stripIgnoredCharacters } from 'graphql'
import { LARGE_QUERY, compactQuery } from '../../src/graphql/compact.js'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

const padding = (n: number): string => `# ${'c'.repeat(n)}\n`

t.test('compactQuery: small texts as sent, large ones without comments and insignificant whitespace', async (t) => {
  const small = '# a comment\n{\n  frameworks { id }\n}'
  t.equal(compactQuery(small), small, 'at most LARGE_QUERY characters: untouched')
  const large = `${padding(LARGE_QUERY)}query Q {\n  frameworks {\n    id\n  }\n}\n# ${'x'.repeat(100)}`
  t.equal(compactQuery(large), 'query Q{frameworks{id}}')
  t.equal(compactQuery(large), stripIgnoredCharacters(large))
  const strings = `${padding(LARGE_QUERY)}{ search(q: "a  #  b") { total } }`
  t.equal(compactQuery(strings), '{search(q:"a  #  b"){total}}', 'strings keep their spaces and #')
  const unlexable = `${padding(LARGE_QUERY)}{ frameworks { id } } "unterminated`
  t.equal(compactQuery(unlexable), unlexable, 'text that does not lex is left for the parser to refuse')
})

t.test('every spelling of one large document is one cached result', async (t) => {
  // Long enough for a GET to carry a large query (the default 8,192 characters cannot).
  const app = await buildApp(t, { env: { URL_MAX_LENGTH: '65536' } })
  let reads = 0
  const readyIndex = app.catalog.readyIndex.bind(app.catalog)
  app.catalog.readyIndex = (v) => { reads++; return readyIndex(v) }
  const spelled = (i: number): string => `${padding(60 * 1024)}{ framework(id: "isp") { version { competencies { id } } } } #${i}`

  const first = await gql(app, spelled(1))
  t.equal(first.status, 200)
  t.equal(first.body.errors, undefined)
  t.equal((first.body.data as { framework: { version: { competencies: unknown[] } } }).framework.version.competencies.length, 15)
  const afterFirst = reads
  t.ok(afterFirst > 0, 'the first spelling is executed')
  for (const i of [2, 3, 4]) {
    const again = await gql(app, spelled(i))
    t.equal(again.raw, first.raw, `spelling ${i}: the same answer`)
  }
  const byGet = await gql(app, `${padding(LARGE_QUERY)}{ framework(id: "isp") { version { competencies { id } } } }`, { method: 'GET' })
  t.equal(byGet.status, 200)
  t.same(byGet.body, first.body, 'by GET too')
  t.equal(reads, afterFirst, 'later spellings come from the result cache: nothing executed again')

  // A small query is not touched: its comment does not make it another key, but its text is its own.
  const small = await gql(app, '# small\n{ frameworks { id } }')
  t.equal(small.status, 200)
})

t.test('errors in a large query: codes as for any query, locations in the compacted text', async (t) => {
  const app = await buildApp(t)
  const invalid = await gql(app, `${padding(LARGE_QUERY)}{\n  frameworks {\n    nope\n  }\n}`)
  t.equal(invalid.status, 400)
  t.equal(invalid.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED')
  t.match(invalid.body.errors?.[0]?.message, /Cannot query field "nope"/)
  t.same(invalid.body.errors?.[0]?.locations, [{ line: 1, column: 13 }], 'one line: {frameworks{nope}}')

  const unlexable = await gql(app, `${padding(LARGE_QUERY)}{ frameworks { id } } "unterminated`)
  t.equal(unlexable.status, 400)
  t.equal(unlexable.body.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED')
  t.match(unlexable.body.errors?.[0]?.message, /Unterminated string/)
  t.match(unlexable.body.errors?.[0]?.locations, [{ line: 2 }], 'a parse error points into the text as sent')
})

t.test('a large automatic persisted query registers by the hash of its text as sent', async (t) => {
  const app = await buildApp(t)
  const query = `${padding(LARGE_QUERY)}query ($id: ID!) { competency(id: $id) { id name } }`
  const persisted = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } }
  const registered = await gql(app, query, { variables: { id: 'co-learning' }, extensions: persisted })
  t.equal(registered.status, 200)
  t.equal(registered.body.errors, undefined, 'the hash matches: the text was not compacted')
  const byHash = await gql(app, undefined, { method: 'GET', variables: { id: 'co-learning' }, extensions: persisted })
  t.same(byHash.body, registered.body)
})
