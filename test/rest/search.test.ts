/** Full-text search: ranking, snippets, facets, phrases, prefixes, filters, paging and syntax errors. */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { readSeeds } from '../helpers/seeds.js'

const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)
const seed = readSeeds('1.1')
const activities = seed.competencies.flatMap((c) => c.activities.map((a) => ({ ...a, domain: c.domain, words: [a.text, ...(a.subpoints ?? []).map((s) => s.text)].join(' ') })))
const search = async (query: string) => {
  const res = await inject(`/v1/search?${query}`)
  t.equal(res.statusCode, 200, query)
  return res.json()
}
interface Hit { type: string, id: string, code: string, title: string, snippet: string, score: number, domain?: string, href: string }

t.test('hits are ranked, carry their identity and a highlighted snippet', async (t) => {
  const body = await search('q=trust&version=1.1&limit=100')
  t.ok(body.meta.total > 0)
  t.equal(body.data.length, body.meta.total)
  const scores = body.data.map((h: Hit) => h.score)
  t.same(scores, [...scores].sort((a, b) => b - a), 'best first')
  for (const hit of body.data as Hit[]) {
    // The snippet is cut from the text; a hit matched by its title alone (e.g. the term "Interpersonal trust") has no mark.
    if (/\btrust/i.test(hit.title)) t.match(`${hit.title} ${hit.snippet}`, /trust/i)
    else t.match(hit.snippet, /<mark>trust\w*<\/mark>/i, `${hit.type} ${hit.id}: snippet highlights the match`)
    t.equal(hit.href.startsWith('http://localhost:3000/v1/frameworks/isp/1.1/'), true)
  }
  const a = (body.data as Hit[]).find((h) => h.type === 'activity')!
  t.equal(a.code, activities.find((x) => x.id === a.id)?.code, 'codes come with hits')
})

t.test('ranking: more occurrences in less text rank higher (BM25)', async (t) => {
  const tokens = (text: string) => text.match(/[\p{L}\p{N}]+/gu) ?? []
  const stats = new Map(activities.map((a) => {
    const words = tokens(a.words)
    return [a.id, { tf: words.filter((w) => /^trust(s|ed|ing)?$/i.test(w)).length, length: words.length }]
  }))
  const body = await search('q=trust&version=1.1&type=activity&limit=100')
  const rank = new Map((body.data as Hit[]).map((h, i) => [h.id, i]))
  let pairs = 0
  for (const [x, sx] of stats) {
    for (const [y, sy] of stats) {
      if (sx.tf === 0 || sy.tf === 0 || !(sx.tf >= sy.tf && sx.length < sy.length)) continue
      pairs++
      t.ok(rank.get(x)! < rank.get(y)!, `${x} (${sx.tf} in ${sx.length} words) above ${y} (${sy.tf} in ${sy.length} words)`)
    }
  }
  t.ok(pairs > 0, 'the seeds give pairs to compare')
})

t.test('a name match outranks mentions in text', async (t) => {
  for (const c of seed.competencies.filter((x) => ['facilitation', 'developing-teams', 'brokering'].includes(x.id))) {
    const body = await search(`q=${encodeURIComponent(c.name)}&version=1.1&type=competency,activity`)
    t.same([body.data[0].type, body.data[0].id], ['competency', c.id], c.name)
  }
})

t.test('facets count hits per type and domain over all pages', async (t) => {
  const body = await search('q=trust&version=1.1&limit=1')
  const byType = body.facets.type as Record<string, number>
  t.equal(Object.values(byType).reduce((n, c) => n + c, 0), body.meta.total)
  const expected = activities.filter((a) => /\btrust(s|ed|ing)?\b/i.test(a.words))
  t.equal(byType.activity, expected.length, 'activity facet counts the activities mentioning trust')
  const byDomain = body.facets.domain as Record<string, number>
  for (const domain of ['co-creation-and-engagement', 'ongoing-improvement', 'sustaining-change']) {
    t.ok((byDomain[domain] ?? 0) >= expected.filter((a) => a.domain === domain).length, `${domain} facet`)
  }

  const activitiesOnly = await search('q=trust&version=1.1&type=activity&limit=100')
  t.equal(activitiesOnly.meta.total, expected.length)
  t.same(activitiesOnly.data.map((h: Hit) => h.id).sort(), expected.map((a) => a.id).sort())
  t.same(activitiesOnly.facets.type, { activity: expected.length }, 'the type facet counts only the types the filter kept')
  const two = await search('q=trust&version=1.1&type=activity,competency&limit=1')
  t.same(Object.keys(two.facets.type).sort(), Object.keys(byType).filter((k) => k === 'activity' || k === 'competency').sort())

  const inDomain = await search('q=trust&version=1.1&type=activity&domain=sustaining-change&limit=100')
  t.same(inDomain.data.map((h: Hit) => h.id).sort(), expected.filter((a) => a.domain === 'sustaining-change').map((a) => a.id).sort())
  t.ok(inDomain.data.every((h: Hit) => h.domain === 'sustaining-change'))
  t.same(inDomain.facets.domain, activitiesOnly.facets.domain, 'the domain facet ignores the domain filter')
})

t.test('a hit\'s title is its name or term, or the first line of its text, never only its code', async (t) => {
  const body = await search('q=trust&version=1.1&limit=100')
  t.ok(body.data.length > 5)
  for (const hit of body.data as Hit[]) {
    t.not(hit.title, hit.code, `${hit.type} ${hit.id}`)
    t.ok(hit.title.length > 3)
  }
  const activity = (body.data as Hit[]).find((h) => h.type === 'activity')!
  const view = (await app.inject({ url: `/v1/frameworks/isp/1.1/activities/${activity.id}` })).json() as { text: string }
  t.equal(activity.title, view.text.split('\n')[0], 'an activity: its text, verbatim')
})

t.test('phrases and prefixes', async (t) => {
  const words = await search('q=build trust&version=1.1&type=activity&limit=100')
  const phrase = await search(`q=${encodeURIComponent('"build trust"')}&version=1.1&type=activity&limit=100`)
  const adjacent = activities.filter((a) => /\bbuild(s|ing)? trust/i.test(a.words))
  t.same(phrase.data.map((h: Hit) => h.id).sort(), adjacent.map((a) => a.id).sort(), 'a phrase matches adjacent words only')
  t.ok(words.meta.total >= phrase.meta.total)

  // Prefixes match the indexed, Porter-stemmed words: lead* finds lead, leading, leader and leadership.
  const prefix = await search('q=lead*&version=1.1&type=activity&limit=100')
  const stems = activities.filter((a) => /\blead\w*/i.test(a.words))
  t.same(prefix.data.map((h: Hit) => h.id).sort(), stems.map((a) => a.id).sort(), 'lead* matches every word starting with lead')
  const exact = await search('q=leadership&version=1.1&type=activity&limit=100')
  t.ok(prefix.meta.total > exact.meta.total, 'more than the word alone')
})

t.test('search defaults to the latest version and pages with links', async (t) => {
  const latest = await search('q=fixture')
  t.equal(latest.meta.version, '1.2')
  t.ok(latest.meta.total > 0, 'the fixture edits are found in 1.2')
  const old = await search('q=fixture&version=1.1')
  t.equal(old.meta.total, 0, '1.1 has no fixture text')
  t.same(old.data, [])

  const p1 = await search('q=implementation&version=1.1&limit=5')
  const p2 = await search('q=implementation&version=1.1&limit=5&offset=5')
  t.equal(p1.links.next, p2.links.self)
  t.equal(p2.links.prev, p1.links.self)
  const overlap = p1.data.filter((h: Hit) => p2.data.some((x: Hit) => x.id === h.id && x.type === h.type))
  t.same(overlap, [], 'pages do not overlap')
})
