/** Accept parsing and negotiation. */
import t from 'tap'
import { negotiate, parseAccept } from '../../src/formats/negotiate.js'

const offers = ['application/json', 'application/ld+json', 'application/vnd.case+json']

t.test('parseAccept reads ranges, q-values and quoted parameters', async (t) => {
  t.same(parseAccept('application/ld+json; profile="https://schema.org/, x"; q=0.8, text/*'), [
    { type: 'application', subtype: 'ld+json', params: { profile: 'https://schema.org/, x' }, q: 0.8 },
    { type: 'text', subtype: '*', params: {}, q: 1 }
  ])
  t.same(parseAccept('garbage, TEXT/CSV;Q=2'), [{ type: 'text', subtype: 'csv', params: {}, q: 1 }], 'malformed ranges skipped, q clamped, case folded')
  t.same(parseAccept('a/b;q=x'), [{ type: 'a', subtype: 'b', params: {}, q: 0 }])
})

t.test('negotiate picks the highest q, the most specific range, then the server\'s order', async (t) => {
  t.equal(negotiate(undefined, offers)?.offer, 'application/json')
  t.equal(negotiate('', offers)?.offer, 'application/json')
  t.equal(negotiate('*/*', offers)?.offer, 'application/json')
  t.equal(negotiate('application/ld+json', offers)?.offer, 'application/ld+json')
  t.equal(negotiate('application/json;q=0.5, application/vnd.case+json', offers)?.offer, 'application/vnd.case+json')
  t.equal(negotiate('*/*;q=0.1, application/ld+json;q=0.2', offers)?.offer, 'application/ld+json')
  t.equal(negotiate('application/*;q=0.5, application/json;q=0', offers)?.offer, 'application/ld+json', 'an exact q=0 excludes the offer')
  t.equal(negotiate('text/html', offers), null)
  t.same(negotiate('application/ld+json;profile="https://schema.org/"', offers)?.range?.params, { profile: 'https://schema.org/' })
})
