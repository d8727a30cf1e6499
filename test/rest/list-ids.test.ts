/**
 * "Fetch what you stored": every list takes `id=` (slug ids, codes, uuids or published
 * identifiers, any case), answers in the order asked, and names every unknown id in a 404, as the
 * export's `id=` does. Filters, `q`, `sort`, `fields` and paging still apply.
 */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { contract, document, resolved } from '../helpers/contract.js'

const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)

type Item = { id: string, code: string, uuid: string }
interface ListBody { data: Item[], meta: { total: number, limit: number, offset: number }, links: Record<string, string> }

const base = '/v1/frameworks/isp/1.1'
const list = async (url: string): Promise<ListBody> => {
  const res = await inject(url)
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`)
  return res.json<ListBody>()
}
const ids = (body: ListBody): string[] => body.data.map((i) => i.id)

const all = (await list(`${base}/competencies`)).data
const byId = new Map(all.map((c) => [c.id, c]))
const c = (id: string): Item => byId.get(id)!

t.test('slug ids, codes and uuids, in the order asked, each once', async (t) => {
  const [a, b, d] = [all[4]!, all[0]!, all[9]!]
  const body = await list(`${base}/competencies?id=${a.code},${b.id},${d.uuid},${b.code}`)
  t.same(ids(body), [a.id, b.id, d.id], 'order kept; a repeat (by another name) counts once')
  t.equal(body.meta.total, 3)
  t.same(ids(await list(`${base}/competencies?id=${a.code.toLowerCase()},${d.uuid.toUpperCase()}`)), [a.id, d.id], 'any case')
  t.same(ids(await list(`${base}/competencies?id=${encodeURIComponent(` ${a.id} , ${b.id} `)}`)), [a.id, b.id], 'spaces around names are dropped')
  const full = await inject(`${base}/competencies`)
  const chosen = await inject(`${base}/competencies?id=${a.id}`)
  t.not(chosen.headers.etag, full.headers.etag, 'a selection has its own ETag')
  t.equal((await inject({ url: `${base}/competencies?id=${a.id}`, headers: { 'if-none-match': chosen.headers.etag as string } })).statusCode, 304)
})

t.test('unknown ids: a 404 naming every one, like the export', async (t) => {
  const res = await inject(`${base}/competencies?id=co-learning,nope,C99,${c('co-learning').uuid.replace(/^./, '0')}`)
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const problem = res.json<{ detail: string, errors: Array<{ in: string, name: string, message: string }> }>()
  t.match(problem.detail, /no competency "nope", "C99", "0[0-9a-f-]+" in isp 1\.1/)
  t.notMatch(problem.detail, /co-learning/, 'known ids are not named')
  t.same(problem.errors.map((e) => [e.in, e.name]), [['query', 'id']])
  t.match(problem.errors[0]!.message, /nope, C99/)
  const domain = (await list(`${base}/domains`)).data[0]!
  t.equal((await inject(`${base}/competencies?id=${domain.id}`)).statusCode, 404, 'an id of another kind is unknown to this list')
  const exported = await inject(`${base}/export?format=canvas&id=nope`)
  t.equal(exported.statusCode, 404, 'the export answers the same way')
})

t.test('bad values are 400s', async (t) => {
  for (const value of ['', ',', ' , ']) {
    const res = await inject(`${base}/competencies?id=${encodeURIComponent(value)}`)
    t.equal(res.statusCode, 400, `id=${JSON.stringify(value)}`)
    t.equal(res.json<{ errors: Array<{ name: string }> }>().errors[0]!.name, 'id')
  }
  t.equal((await inject(`${base}/competencies?id=${'a,'.repeat(2001)}`)).statusCode, 400, 'longer than 4000 characters')
})

t.test('the other list parameters still apply', async (t) => {
  const chosen = ['facilitation', 'co-learning', 'communication']
  const q = `id=${chosen.join(',')}`
  t.same(ids(await list(`${base}/competencies?${q}&sort=code`)), [...chosen].sort((x, y) => c(x).code.localeCompare(c(y).code)), 'sort reorders')
  const domainOf = (await list(`${base}/competencies?id=facilitation&include=activities`)).data[0] as unknown as { domain: { id: string } }
  const inDomain = await list(`${base}/competencies?${q}&domain=${domainOf.domain.id}`)
  t.ok(ids(inDomain).includes('facilitation'))
  t.ok(ids(inDomain).every((id) => chosen.includes(id)), 'a filter narrows the chosen set')
  const searched = ids(await list(`${base}/competencies?id=${[...all].reverse().map((x) => x.id).join(',')}&q=trust`))
  const matches = new Set(ids(await list(`${base}/competencies?q=trust`)))
  t.ok(searched.length > 0 && searched.length < all.length)
  t.same(searched, [...all].reverse().map((x) => x.id).filter((id) => matches.has(id)), 'q narrows; the asked order is kept')
  const fields = await list(`${base}/competencies?${q}&fields=code`)
  t.same(fields.data[0], { type: 'competency', id: 'facilitation', code: c('facilitation').code })
  const page = await list(`${base}/competencies?${q}&limit=1&offset=1`)
  t.same(ids(page), ['co-learning'])
  t.equal(page.meta.total, 3)
  t.match(decodeURIComponent(page.links.next!), /id=facilitation,co-learning,communication/, 'page links keep the selection')
})

t.test('every list and the activities of a competency take id=', async (t) => {
  const collections = ['principles', 'domains', 'competencies', 'activities', 'hints', 'definitions', 'questions', 'dilemmas', 'resources']
  for (const collection of collections) {
    const items = (await list(`${base}/${collection}?limit=3`)).data
    const asked = [items[2]!.uuid, items[0]!.code]
    t.same(ids(await list(`${base}/${collection}?id=${asked.join(',')}`)), [items[2]!.id, items[0]!.id], collection)
    const parameters = (document.paths[`/v1/frameworks/{framework}/{version}/${collection}`]?.get as { parameters?: Array<{ name?: string, $ref?: string }> } | undefined)?.parameters ?? []
    t.ok(parameters.some((p) => resolved(p).name === 'id'), `openapi.yaml describes id= on ${collection}`)
  }
  const own = (await list(`${base}/competencies/co-learning/activities`)).data
  t.same(ids(await list(`${base}/competencies/co-learning/activities?id=${own[2]!.code},${own[0]!.id}`)), [own[2]!.id, own[0]!.id])
  const other = (await list(`${base}/competencies/facilitation/activities?limit=1`)).data[0]!
  const res = await inject(`${base}/competencies/co-learning/activities?id=${other.id}`)
  t.equal(res.statusCode, 404, 'an activity of another competency is not in this list')
  t.match(res.json<{ detail: string }>().detail, other.id)
})

t.test('latest names the pinned URL with the selection', async (t) => {
  const res = await inject('/v1/frameworks/isp/latest/competencies?id=co-learning')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-location'], /\/v1\/frameworks\/isp\/1\.2\/competencies\?id=co-learning/)
})

t.test('a published identifier (CASE, JSON-LD, LMS files) names its entity too', async (t) => {
  const v = app.repo.version('isp', '1.2')!
  const index = app.catalog.index(v)
  const changed = index.competencies.find((x) => index.revisionOf(x.uuid).identifier !== x.uuid) ??
    index.activities.find((x) => index.revisionOf(x.uuid).identifier !== x.uuid)
  if (changed === undefined) throw new Error('the fixture version 1.2 changes the text of a competency or an activity')
  const collection = changed.type === 'competency' ? 'competencies' : 'activities'
  const identifier = index.revisionOf(changed.uuid).identifier
  t.same(ids(await list(`/v1/frameworks/isp/1.2/${collection}?id=${identifier}`)), [changed.id])
  t.same(ids(await list(`/v1/frameworks/isp/1.2/${collection}?id=${changed.uuid}`)), [changed.id], 'and so does the entity uuid')
})
