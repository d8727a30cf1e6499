/** The query conventions every list shares: paging and Link, include, fields, sort, filters and q. */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { readSeeds } from '../helpers/seeds.js'

const BASE = 'http://localhost:3000'
const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)
const seed = readSeeds('1.1')
const at = '/v1/frameworks/isp/1.1'
const activities = seed.competencies.flatMap((c) => c.activities.map((a) => ({ ...a, competency: c.id, domain: c.domain })))

/** Parses a Link header into rel → URL. */
function links (header: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of String(header ?? '').split(/,\s*(?=<)/)) {
    const m = /^<([^>]+)>;\s*rel="([^"]+)"$/.exec(part.trim())
    if (m !== null) out[m[2]!] = m[1]!
  }
  return out
}

const page = (offset: number, limit = 20) => `${BASE}${at}/activities?limit=${limit}&offset=${offset}`

t.test('pagination: meta.total, data and Link first/prev/next/last', async (t) => {
  const total = activities.length
  const lastOffset = Math.floor((total - 1) / 20) * 20

  const first = await inject(`${at}/activities?limit=20`)
  t.equal(first.json().meta.total, total)
  t.same(first.json().data.map((a: { id: string }) => a.id), activities.slice(0, 20).map((a) => a.id))
  t.same(links(first.headers.link), { first: page(0), next: page(20), last: page(lastOffset) })
  t.same(first.json().links, { self: page(0), first: page(0), next: page(20), last: page(lastOffset) })

  const middle = await inject(`${at}/activities?limit=20&offset=40`)
  t.same(middle.json().data.map((a: { id: string }) => a.id), activities.slice(40, 60).map((a) => a.id))
  t.same(links(middle.headers.link), { first: page(0), prev: page(20), next: page(60), last: page(lastOffset) })

  const last = await inject(`${at}/activities?limit=20&offset=${lastOffset}`)
  t.equal(last.json().data.length, total - lastOffset)
  t.same(links(last.headers.link), { first: page(0), prev: page(lastOffset - 20), last: page(lastOffset) })

  const beyond = await inject(`${at}/activities?limit=20&offset=1000`)
  t.same(beyond.json().data, [])
  t.equal(beyond.json().meta.total, total)
  t.equal(links(beyond.headers.link).prev, page(lastOffset), 'prev from beyond the end is the last page')

  const defaults = await inject(`${at}/activities`)
  t.equal(defaults.json().meta.limit, 50)
  t.equal(defaults.json().meta.offset, 0)
  t.equal(defaults.json().data.length, 50)
})

t.test('Link keeps the other parameters and follows them to the end', async (t) => {
  let url: string | undefined = `${at}/activities?domain=sustaining-change&limit=7&fields=code`
  const seen: string[] = []
  while (url !== undefined) {
    const res = await inject(url.replace(BASE, ''))
    const body = res.json()
    seen.push(...body.data.map((a: { id: string }) => a.id))
    t.same(Object.keys(body.data[0]).sort(), ['code', 'id', 'type'])
    url = links(res.headers.link).next
    if (url !== undefined) t.match(url, /domain=sustaining-change/)
  }
  t.same(seen, activities.filter((a) => a.domain === 'sustaining-change').map((a) => a.id))
})

t.test('include embeds activities and hints in competency lists', async (t) => {
  const res = await inject(`${at}/competencies?include=activities,hint`)
  const body = res.json()
  t.equal(body.data.length, seed.competencies.length)
  for (const [i, c] of seed.competencies.entries()) {
    t.same(body.data[i].activities.map((a: { id: string, text: string }) => [a.id, a.text]), c.activities.map((a) => [a.id, a.text]))
    t.same(body.data[i].hint.paragraphs, c.hint.paragraphs)
  }
  const onlyHint = (await inject(`${at}/competencies?include=hint`)).json()
  t.ok(onlyHint.data.every((c: Record<string, unknown>) => 'hint' in c && !('activities' in c)))
  const plain = (await inject(`${at}/competencies`)).json()
  t.ok(plain.data.every((c: Record<string, unknown>) => !('hint' in c) && !('activities' in c)))

  const domains = (await inject(`${at}/domains?include=competencies`)).json()
  for (const d of domains.data) {
    t.same(d.competencies.map((c: { id: string }) => c.id), seed.competencies.filter((c) => c.domain === d.id).map((c) => c.id))
  }
})

t.test('fields gives sparse items; include survives it', async (t) => {
  const body = (await inject(`${at}/competencies?fields=code,name`)).json()
  t.same(body.data, seed.competencies.map((c) => ({ type: 'competency', id: c.id, code: c.code, name: c.name })))
  const withHint = (await inject(`${at}/competencies?fields=name&include=hint&limit=1`)).json()
  t.same(Object.keys(withHint.data[0]).sort(), ['hint', 'id', 'name', 'type'])
  const principles = (await inject(`${at}/principles?fields=description`)).json()
  t.same(principles.data, seed.principles.map((p) => ({ type: 'principle', id: p.id, description: p.description })))
})

t.test('sort by code or name, ascending or descending; guide order by default', async (t) => {
  const names = seed.competencies.map((c) => c.name)
  const byName = (await inject(`${at}/competencies?sort=name&fields=name`)).json().data.map((c: { name: string }) => c.name)
  t.same(byName, [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())))
  t.equal(byName[0], 'Addressing power differentials')
  const byNameDesc = (await inject(`${at}/competencies?sort=-name&fields=name`)).json().data.map((c: { name: string }) => c.name)
  t.same(byNameDesc, [...byName].reverse())
  const byCodeDesc = (await inject(`${at}/principles?sort=-code`)).json().data.map((p: { code: string }) => p.code)
  t.same(byCodeDesc, seed.principles.map((p) => p.code).reverse())
  const guide = (await inject(`${at}/principles`)).json().data.map((p: { code: string }) => p.code)
  t.same(guide, seed.principles.map((p) => p.code))
  const terms = (await inject(`${at}/definitions?sort=term&fields=term`)).json().data.map((d: { term: string }) => d.term)
  t.same(terms, seed.definitions.map((d) => d.term).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())))
})

t.test('filters: domain on competencies, activities and hints; competency on activities', async (t) => {
  const domain = 'ongoing-improvement'
  const competencies = (await inject(`${at}/competencies?domain=${domain}`)).json()
  t.same(competencies.data.map((c: { id: string }) => c.id), seed.competencies.filter((c) => c.domain === domain).map((c) => c.id))
  const acts = (await inject(`${at}/activities?domain=${domain}&limit=100`)).json()
  t.same(acts.data.map((a: { id: string }) => a.id), activities.filter((a) => a.domain === domain).map((a) => a.id))
  const hints = (await inject(`${at}/hints?domain=${domain}`)).json()
  t.same(hints.data.map((h: { id: string }) => h.id), seed.competencies.filter((c) => c.domain === domain).map((c) => c.hint.id))
  const ofOne = (await inject(`${at}/activities?competency=facilitation`)).json()
  t.same(ofOne.data.map((a: { id: string }) => a.id), activities.filter((a) => a.competency === 'facilitation').map((a) => a.id))
  const none = (await inject(`${at}/activities?competency=facilitation&domain=sustaining-change`)).json()
  t.equal(none.meta.total, 0, 'filters combine')
})

t.test('q filters any list through full-text search, best match first', async (t) => {
  const res = (await inject(`${at}/activities?q=trust&limit=100`)).json()
  const mentions = activities.filter((a) => /\btrust(s|ed|ing)?\b/i.test([a.text, ...(a.subpoints ?? []).map((s) => s.text)].join(' ')))
  t.same(res.data.map((a: { id: string }) => a.id).sort(), mentions.map((a) => a.id).sort())
  t.equal(res.meta.total, mentions.length)

  const named = (await inject(`${at}/competencies?q=facilitation&fields=name`)).json()
  t.equal(named.data[0].id, 'facilitation', 'the competency named Facilitation ranks first')
  const sorted = (await inject(`${at}/activities?q=trust&sort=code&fields=code`)).json()
  const codes = sorted.data.map((a: { code: string }) => a.code)
  t.same(codes, [...codes].sort(), 'sort overrides rank')

  const principles = (await inject(`${at}/principles?q=curious`)).json()
  t.same(principles.data.map((p: { id: string }) => p.id), seed.principles.filter((p) => /curious/i.test(`${p.name} ${p.description}`)).map((p) => p.id))
})
