/**
 * Content negotiation: the shared mechanism, and the extension point other representations use
 * (an entry in src/rest/representations.ts), exercised with a plain-text representation.
 */
import t from 'tap'
import { Type } from '@sinclair/typebox'
import { HttpProblem } from '../../src/web/problem.js'
import { acceptShown, jsonOffer, negotiate, parseAccept, type Offer } from '../../src/web/negotiation.js'
import { representations } from '../../src/rest/representations.js'
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
  const long = `image/png, ${Array.from({ length: 400 }, (_, i) => `x-${i}/y`).join(', ')}`
  try {
    negotiate(offers, long, undefined)
    t.fail('a long Accept header that fits nothing is refused')
  } catch (err) {
    const detail = (err as HttpProblem).message
    t.ok(detail.includes(`"${long.slice(0, acceptShown)}…"`), 'a long Accept header is quoted only in part')
    t.notOk(detail.includes(long), 'not the whole of it')
  }
})

t.test('parseAccept reads ranges, q-values and quoted parameters', async (t) => {
  t.same(parseAccept('application/ld+json; profile="https://schema.org/, x"; q=0.8, text/*'), [
    { type: 'application', subtype: 'ld+json', params: { profile: 'https://schema.org/, x' }, q: 0.8 },
    { type: 'text', subtype: '*', params: {}, q: 1 }
  ])
  t.same(parseAccept('garbage, TEXT/CSV;Q=2'), [{ type: 'text', subtype: 'csv', params: {}, q: 1 }], 'malformed ranges skipped, q clamped, case folded')
  t.same(parseAccept('a/b;q=x'), [{ type: 'a', subtype: 'b', params: {}, q: 0 }])
  t.same(parseAccept('a/b; p="say \\"hi\\""'), [{ type: 'a', subtype: 'b', params: { p: 'say "hi"' }, q: 1 }], 'escapes in quoted values')
})

t.test('profiles: ?profile= and the Accept profile parameter choose among variants of one media type', async (t) => {
  const ctdl: Offer = { format: 'jsonld', mediaType: 'application/ld+json', profile: { name: 'ctdl', iri: 'https://purl.org/ctdlasn/terms/' } }
  const schemaOrg: Offer = { format: 'jsonld', mediaType: 'application/ld+json', profile: { name: 'schema.org', iri: 'https://schema.org/' } }
  const all = [jsonOffer as Offer, ctdl, schemaOrg, csv]
  const pick = (accept: string | undefined, format?: string, profile?: string) => {
    const o = negotiate(all, accept, format, profile)
    return o.profile === undefined ? o.format : `${o.format}:${o.profile.name}`
  }
  t.equal(pick('application/ld+json'), 'jsonld:ctdl', 'no profile: the first variant')
  t.equal(pick('application/ld+json; profile="https://schema.org/"'), 'jsonld:schema.org')
  t.equal(pick('application/ld+json;profile=http://schema.org'), 'jsonld:schema.org', 'http and a missing slash name the same IRI')
  t.equal(pick('application/ld+json; profile="https://example.org/a https://purl.org/ctdlasn/terms/"'), 'jsonld:ctdl', 'a list of IRIs')
  t.equal(pick('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"'), 'jsonld:ctdl', 'an unknown profile is ignored (RFC 6906)')
  t.equal(pick('application/ld+json; profile="https://schema.org/", application/json;q=0.9'), 'jsonld:schema.org')
  t.equal(pick('application/ld+json; profile="https://schema.org/";q=0.5, application/ld+json;q=0.8'), 'jsonld:ctdl', 'the more specific range sets each variant\'s q')
  t.equal(pick(undefined, 'jsonld'), 'jsonld:ctdl')
  t.equal(pick(undefined, undefined, 'schema.org'), 'jsonld:schema.org', '?profile implies its format')
  t.equal(pick('application/json', undefined, 'schema.org'), 'jsonld:schema.org', '?profile overrides Accept')
  t.equal(pick('application/ld+json; profile="https://schema.org/"', 'jsonld'), 'jsonld:schema.org', '?format keeps Accept\'s profile')
  t.equal(pick('text/html', 'jsonld', 'ctdl'), 'jsonld:ctdl', 'the query overrides an unservable Accept')
  t.throws(() => negotiate(all, 'application/ld+json; profile="https://schema.org/"', 'jsonld', 'nope'), { statusCode: 400, errors: [{ name: 'profile', allowed: ['ctdl', 'schema.org'] }] })
  t.throws(() => negotiate(all, undefined, 'csv', 'ctdl'), { statusCode: 400, errors: [{ name: 'profile', message: 'applies to the jsonld representation, not to csv' }] })
  t.throws(() => negotiate([jsonOffer as Offer], undefined, undefined, 'ctdl'), { statusCode: 400, errors: [{ name: 'profile' }] })
  t.throws(() => negotiate([jsonOffer as Offer], undefined, 'jsonld'), { statusCode: 406, errors: [{ name: 'format', allowed: ['json'] }] })
  t.equal(pick('application/ld+json; profile="https://schema.org/"', undefined, 'ctdl'), 'jsonld:ctdl', '?profile overrides Accept\'s profile')
})

// A representation registered the way JSON-LD and CSV are (src/rest/representations.ts).
representations.competency.push({
  format: 'txt',
  mediaType: 'text/plain',
  schema: Type.String({ description: 'The competency as one line.' }),
  render: (view, ctx) => `${view.code} ${view.name} (${ctx.rendered.version.framework} ${ctx.rendered.version.number})`
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
  t.same(refused.json().errors[0].allowed, ['application/json', 'application/ld+json', 'text/plain'])
  const badFormat = await app.inject(`${url}?format=xml`)
  t.same(badFormat.json().errors[0].allowed, ['json', 'jsonld', 'txt'])

  const latest = await app.inject('/v1/frameworks/isp/latest/competencies/co-learning?format=txt')
  t.equal(latest.body, 'C01 Co-learning (isp 1.2)')
  t.equal(latest.headers['content-location'], 'http://localhost:3000/v1/frameworks/isp/1.2/competencies/co-learning?format=txt')

  const doc = app.swagger() as { paths: Record<string, { get: { parameters: Array<{ name: string, schema: { enum?: string[] } }>, responses: Record<string, { content?: Record<string, unknown> }> } }> }
  const operation = doc.paths['/v1/frameworks/{framework}/{version}/competencies/{id}']!.get
  t.same(Object.keys(operation.responses['200']!.content!), ['application/json', 'application/ld+json', 'text/plain'])
  t.same(operation.parameters.find((p) => p.name === 'format')?.schema.enum, ['json', 'jsonld', 'txt'])
  const other = doc.paths['/v1/frameworks/{framework}/{version}/principles/{id}']!.get
  t.same(Object.keys(other.responses['200']!.content!), ['application/json'], 'other routes are untouched')
})
