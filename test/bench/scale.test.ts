/**
 * The bench's scale framework (bench/scale-seeds.ts: 99 competencies × 99 key activities, synthetic
 * text) served beside the guide: the generator writes valid, repeatable seeds, and the service
 * answers lists, search, by-id and the export of the big framework correctly. Timings are the
 * bench's business; this checks what the answers say.
 */
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import fastJson from 'fast-json-stringify'
import { Type, type TSchema } from '@sinclair/typebox'
import { SCALE_FRAMEWORK, SCALE_SEARCH_WORD, SCALE_VERSION, scaleSeed, writeScaleSeeds } from '../../bench/scale-seeds.js'
import { build } from '../../src/app.js'
import { runYielding, type Steps } from '../../src/catalog/steps.js'
import { loadConfig } from '../../src/config.js'
import { seedFiles } from '../../src/content/schema.js'
import { bundledSeedsDir } from '../../src/paths.js'
import { exportDocument, exportJson } from '../../src/rest/export.js'
import { buildDatabase } from '../../src/store/build.js'
import { Repository } from '../../src/store/repository.js'
import { tempDir } from '../helpers/app.js'

const seedsRoot = tempDir()
const dir = writeScaleSeeds(seedsRoot)
const dbPath = join(tempDir(), 'scale.db')
buildDatabase({ roots: [bundledSeedsDir, seedsRoot], dbPath })

const app = await build({ config: loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000', RATE_LIMIT_MAX: '1000000', PRESSURE_MAX_EVENT_LOOP_DELAY: '0' }) })
t.teardown(() => app.close())
await app.ready()

const V = `/v1/frameworks/${SCALE_FRAMEWORK}/${SCALE_VERSION}`
const get = async (url: string) => await app.inject({ url, headers: { accept: 'application/json' } })

t.test('the generator writes the same synthetic seeds every time, and says they are synthetic', async (t) => {
  const again = writeScaleSeeds(tempDir())
  for (const file of readdirSync(dir)) t.equal(readFileSync(join(again, file), 'utf8'), readFileSync(join(dir, file), 'utf8'), file)
  const seed = scaleSeed()
  t.equal(seed.competencies.length, 99)
  t.ok(seed.competencies.every((c) => c.activities.length === 99))
  t.match(seed.framework.title, /not guide content/)
  t.ok(seed.competencies.every((c) => c.activities.every((a) => a.text.startsWith('Synthetic '))), 'every activity says it is synthetic')
  t.throws(() => scaleSeed({ competencies: 100 }), /1 to 99/)
})

t.test('the big framework is served beside the guide', async (t) => {
  const res = await get('/v1/frameworks')
  t.equal(res.statusCode, 200)
  t.same(res.json().data.map((f: { id: string }) => f.id).sort(), ['isp', SCALE_FRAMEWORK])
})

t.test('a page of 50 activities deep in the list', async (t) => {
  const res = await get(`${V}/activities?limit=50&offset=5000`)
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.meta.total, 99 * 99)
  t.equal(body.data.length, 50)
  // 5000 = 50 × 99 + 50: the 51st competency's 51st activity.
  t.equal(body.data[0].id, 'scale-c51-a51')
  t.equal(body.data[0].competency.id, 'scale-c51')
  t.equal(body.data[49].id, 'scale-c52-a01')
  t.match(res.headers.link, /offset=5050>; rel="next"/)
  t.match(res.headers.link, /offset=9800>; rel="last"/)
  const guide = await get('/v1/frameworks/isp/1.1/activities?limit=50&offset=50')
  t.equal(guide.statusCode, 200)
  t.equal(guide.json().data.length, 50)
})

t.test('by id, in the big framework and the guide', async (t) => {
  const activity = await get(`${V}/activities/scale-c99-a99`)
  t.equal(activity.statusCode, 200)
  t.equal(activity.json().code, 'C99.A99')
  const competency = await get(`${V}/competencies/scale-c50`)
  t.equal(competency.statusCode, 200)
  t.equal(competency.json().activities.length, 99)
  t.equal((await get('/v1/frameworks/isp/1.1/competencies/co-learning')).statusCode, 200)
  t.equal((await get(`${V}/activities/scale-c99-a100`)).statusCode, 404)
})

t.test('search in the big framework', async (t) => {
  const res = await get(`/v1/search?framework=${SCALE_FRAMEWORK}&q=${SCALE_SEARCH_WORD}&limit=10`)
  t.equal(res.statusCode, 200)
  const body = res.json()
  // Every 50th of the 9,801 activities carries the word: activities 0, 50, …, 9800.
  t.equal(body.meta.total, 197)
  t.equal(body.data.length, 10)
  t.ok(body.data.every((h: { type: string }) => h.type === 'activity'))
  t.equal((await get('/v1/search?q=trust')).statusCode, 400, 'two frameworks: search must name one')
  t.equal((await get('/v1/search?framework=isp&q=trust')).statusCode, 200)
})

/** fast-json-stringify on the export schema, every component inlined: what the route's serializer gives. */
const exportSerializer = fastJson(Type.Object(Object.fromEntries(Object.entries(seedFiles).map(([file, schema]) => [file.replace('.json', ''), schema as TSchema])), { additionalProperties: false }) as object)

t.test('the export is the generated seed, in the bytes the schema serializer gives', async (t) => {
  const res = await get(`${V}/export`)
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), scaleSeed())
  const repo = new Repository(dbPath)
  t.teardown(() => repo.close())
  for (const [framework, number] of [['isp', '1.1'], [SCALE_FRAMEWORK, SCALE_VERSION]] as const) {
    const v = repo.version(framework, number)!
    const doc = exportDocument(v, app.catalog.index(v).records)
    t.equal(await exportJson(doc), exportSerializer(doc), `${framework} ${number}: JSON.stringify in slices equals the serializer`)
  }
  t.equal(res.body, exportSerializer(scaleSeed()), 'the served bytes too')
})

t.test('the export of the big framework in gzip and brotli, and its 304', async (t) => {
  const first = await app.inject({ url: `${V}/export`, headers: { 'accept-encoding': 'br' } })
  t.equal(first.headers['content-encoding'], 'br')
  const etag = first.headers.etag as string
  const again = await app.inject({ url: `${V}/export`, headers: { 'accept-encoding': 'br', 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
})

t.test('building in steps gives the event loop back between slices', async (t) => {
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 0)
  function * slow (): Steps<number> {
    for (let i = 0; i < 20; i++) {
      const until = performance.now() + 3
      while (performance.now() < until) { /* busy */ }
      yield
    }
    return 42
  }
  t.equal(await runYielding(slow(), 2), 42)
  clearInterval(timer)
  t.ok(ticks >= 5, `a timer ran ${ticks} times meanwhile`)
})
