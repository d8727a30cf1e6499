/**
 * Content negotiation: the shared mechanism, and the extension point other representations use
 * (an entry in src/http/representations.ts), exercised with a plain-text representation.
 */
import t from 'tap'
import { Type } from '@sinclair/typebox'
import { HttpProblem } from '../../src/http/problem.js'
import { jsonOffer, negotiate, type Offer } from '../../src/http/negotiation.js'
import { representations } from '../../src/http/representations.js'
import { buildApp } from '../helpers/app.js'

const ld: Offer = { format: 'jsonld', mediaType: 'application/ld+json' }
const csv: Offer = { format: 'csv', mediaType: 'text/csv' }
const offers = [jsonOffer as Offer, ld, csv]

t.test('negotiate: format wins, then Accept with q-values, then the route\'s order', async (t) => {
  const pick = (accept: string | undefined, format?: string) => negotiate(offers, accept, format).format
  t.equal(pick(undefined), 'json', 'no Accept: the first offer')
  t.equal(pick(''), 'json')
  t.equal(pick('*/*'), 'json', 'a wildcard: the first offer')
  t.equal(pick('application/ld+json'), 'jsonld')
  t.equal(pick('text/csv, application/json;q=0.9'), 'csv')
  t.equal(pick('application/json;q=0.5, text/csv;q=0.8'), 'csv', 'the higher q wins')
  t.equal(pick('application/*;q=0.2, text/*;q=0.9'), 'csv')
  t.equal(pick('application/*'), 'json', 'a tie goes to the route\'s order')
  t.equal(pick('application/ld+json;q=0.1, */*;q=0.5'), 'json', 'the most specific range sets an offer\'s q')
  t.equal(pick('TEXT/CSV'), 'csv', 'media types are case-insensitive')
  t.equal(pick('text/html', 'csv'), 'csv', 'format overrides Accept')
  t.equal(pick('text/csv', 'json'), 'json')
  t.equal(pick('application/json;q=abc, text/csv'), 'csv', 'a malformed q counts as 0')
  t.throws(() => negotiate(offers, 'text/html', undefined), HttpProblem)
  t.throws(() => negotiate(offers, 'application/json;q=0', undefined), /available as application\/json, application\/ld\+json, text\/csv/)
  try {
    negotiate(offers, 'image/png', undefined)
  } catch (err) {
    t.equal((err as HttpProblem).statusCode, 406)
    t.same((err as HttpProblem).errors?.[0]?.allowed, ['application/json', 'application/ld+json', 'text/csv'])
  }
})

// A representation registered the way src/formats will register JSON-LD or CSV.
representations.competency.push({
  format: 'txt',
  mediaType: 'text/plain',
  schema: Type.String({ description: 'The competency as one line.' }),
  render: (view, ctx) => `${view.code} ${view.name} (${ctx.snapshot.version.framework} ${ctx.snapshot.version.number})`
})

t.test('a registered representation is offered by Accept and ?format=, cached with its own ETag, and documented', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const url = '/v1/frameworks/isp/1.1/competencies/co-learning'

  const text = await app.inject({ url, headers: { accept: 'text/plain' } })
  t.equal(text.statusCode, 200)
  t.equal(text.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(text.body, 'C01 Co-learning (isp 1.1)')
  const viaFormat = await app.inject(`${url}?format=txt`)
  t.equal(viaFormat.body, text.body)
  t.equal(viaFormat.headers.etag, text.headers.etag)

  const json = await app.inject({ url, headers: { accept: 'application/json, text/plain;q=0.5' } })
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8')
  t.not(json.headers.etag, text.headers.etag, 'each representation has its own ETag')
  t.equal((await app.inject(url)).headers['content-type'], 'application/json; charset=utf-8', 'JSON stays the default')

  const revalidated = await app.inject({ url, headers: { accept: 'text/plain', 'if-none-match': text.headers.etag as string } })
  t.equal(revalidated.statusCode, 304)
  const crossed = await app.inject({ url, headers: { accept: 'application/json', 'if-none-match': text.headers.etag as string } })
  t.equal(crossed.statusCode, 200, 'the text ETag does not validate the JSON representation')

  const refused = await app.inject({ url, headers: { accept: 'text/html' } })
  t.equal(refused.statusCode, 406)
  t.same(refused.json().errors[0].allowed, ['application/json', 'text/plain'])
  const badFormat = await app.inject(`${url}?format=xml`)
  t.same(badFormat.json().errors[0].allowed, ['json', 'txt'])

  const latest = await app.inject('/v1/frameworks/isp/latest/competencies/co-learning?format=txt')
  t.equal(latest.body, 'C01 Co-learning (isp 1.2)')
  t.equal(latest.headers['content-location'], 'http://localhost:3000/v1/frameworks/isp/1.2/competencies/co-learning?format=txt')

  const doc = app.swagger() as { paths: Record<string, { get: { parameters: Array<{ name: string, schema: { enum?: string[] } }>, responses: Record<string, { content?: Record<string, unknown> }> } }> }
  const operation = doc.paths['/v1/frameworks/{framework}/{version}/competencies/{id}']!.get
  t.same(Object.keys(operation.responses['200']!.content!), ['application/json', 'text/plain'])
  t.same(operation.parameters.find((p) => p.name === 'format')?.schema.enum, ['json', 'txt'])
  const other = doc.paths['/v1/frameworks/{framework}/{version}/principles/{id}']!.get
  t.same(Object.keys(other.responses['200']!.content!), ['application/json'], 'other routes are untouched')
})
