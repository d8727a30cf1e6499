/**
 * The LMS files through the export route: file names, ETags, caching, Content-Location for latest,
 * the id= selection and Moodle's scale parameters, the 400s and 404s, and that the bodies pass the
 * LMS oracles and are the formats' renderers' output as is.
 */
import t from 'tap'
import { canvasCsv } from '../../src/formats/lms/canvas.js'
import { moodleCsv } from '../../src/formats/lms/moodle.js'
import { openedxCsv } from '../../src/formats/lms/openedx.js'
import { buildApp } from '../helpers/app.js'
import { contract, document } from '../helpers/contract.js'
import { canvasProblems, moodleProblems, openedxCsvProblems, openedxJsonProblems } from '../helpers/lms-oracles.js'

const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)
const source = (number: string) => ({ view: app.catalog.index(app.repo.version('isp', number)!), baseUrl: app.formats.baseUrl })

for (const number of ['1.1', '1.2']) {
  t.test(`isp ${number}: the three LMS files`, async (t) => {
    const url = `/v1/frameworks/isp/${number}/export`
    const files = { moodle: moodleCsv(source(number)), canvas: canvasCsv(source(number)), openedx: openedxCsv(source(number)) }
    const etags = new Set<string>()
    for (const [format, body] of Object.entries(files)) {
      const res = await inject(`${url}?format=${format}`)
      t.equal(res.statusCode, 200, format)
      t.equal(res.headers['content-type'], 'text/csv; charset=utf-8; header=present')
      t.equal(res.headers['content-disposition'], `attachment; filename="isp-${number}-${format}.csv"`)
      t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
      t.equal(res.body, body, `${format}: the renderer's file, as is`)
      etags.add(res.headers.etag as string)
      t.equal((await inject({ url: `${url}?format=${format}`, headers: { 'if-none-match': res.headers.etag as string } })).statusCode, 304)
    }
    t.equal(etags.size, 3, 'each file has its own ETag')
    t.same(moodleProblems(files.moodle), [])
    t.same(canvasProblems(files.canvas), [])
    t.same(openedxCsvProblems(files.openedx), [])
    // Open edX JSON shares application/json with the export's JSON, so it is checked outside the contract.
    const json = await app.inject(`${url}?format=openedx-json`)
    t.equal(json.headers['content-disposition'], `attachment; filename="isp-${number}-openedx.json"`)
    t.same(openedxJsonProblems(json.body), [])
  })
}

t.test('latest names its pinned URL, query kept, with a short max-age', async (t) => {
  const res = await inject('/v1/frameworks/isp/latest/export?format=moodle&id=C01')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-location'], 'http://localhost:3000/v1/frameworks/isp/1.2/export?format=moodle&id=C01')
  t.not(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal(res.headers['content-disposition'], 'attachment; filename="isp-1.2-moodle.csv"')
})

t.test('id= selects entities, their ancestors and descendants, by code, slug id or uuid', async (t) => {
  const uuid = app.repo.entities('activity').list(app.repo.version('isp', '1.1')!).find((a) => a.code === 'C05.A01')!.uuid
  const res = await inject(`/v1/frameworks/isp/1.1/export?format=moodle&id=C01,communication-a1,${uuid.toUpperCase()}`)
  t.equal(res.statusCode, 200)
  t.same(moodleProblems(res.body), [])
  const codes = res.body.split('\r\n').map((line) => line.split(',')[1]).filter((c) => /^[DC]\d/.test(c ?? ''))
  t.ok(codes.includes('C05.A01') && codes.includes('C10.A01.S05') && codes.includes('C01.A07') && codes.includes('D2'))
  t.notOk(codes.includes('C02'), 'nothing unselected')
  const missing = await inject('/v1/frameworks/isp/1.1/export?format=canvas&id=C01,C99,nope')
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { detail: /"C99", "nope"/, errors: [{ in: 'query', name: 'id' }] })
  t.equal((await inject('/v1/frameworks/isp/1.1/export?format=csv&id=C01')).statusCode, 400, 'id= is for the LMS files')
  t.equal((await inject('/v1/frameworks/isp/1.1/export?format=openedx&id=,')).statusCode, 400)
})

t.test("Moodle's scale is configuration, named by the request", async (t) => {
  const res = await inject('/v1/frameworks/isp/1.1/export?format=moodle&scale=Novice,Practitioner,Expert&proficient=Practitioner')
  t.equal(res.statusCode, 200)
  t.match(res.body, /"Novice,Practitioner,Expert","\[\{""scaleid"":""""\},\{""id"":1,""scaledefault"":0,""proficient"":0\},\{""id"":2,""scaledefault"":1,""proficient"":1\},\{""id"":3,""scaledefault"":0,""proficient"":1\}\]"/)
  t.same(moodleProblems(res.body), [])
  for (const bad of ['scale=Only', 'scale=A,B&proficient=C', 'proficient=Expert']) {
    const r = await inject(`/v1/frameworks/isp/1.1/export?format=moodle&${bad}`)
    t.equal(r.statusCode, 400, bad)
  }
  t.equal((await inject('/v1/frameworks/isp/1.1/export?format=canvas&scale=A,B')).statusCode, 400, 'scale= is for Moodle')
})

t.test('an unknown format is a 400 naming the allowed ones', async (t) => {
  const res = await inject('/v1/frameworks/isp/1.1/export?format=blackboard')
  t.equal(res.statusCode, 400)
  t.match(JSON.stringify(res.json()), /moodle.*canvas.*openedx/)
})

t.test('OpenAPI describes the LMS files', async (t) => {
  const op = document.paths['/v1/frameworks/{framework}/{version}/export']!.get! as unknown as { parameters: Array<{ name: string, schema: { enum?: string[] } }>, responses: Record<string, { headers: Record<string, unknown>, content: Record<string, { schema: { description?: string } }> }> }
  t.same(op.parameters.find((p) => p.name === 'format')?.schema.enum, ['json', 'csv', 'moodle', 'canvas', 'openedx', 'openedx-json'])
  t.ok(op.parameters.some((p) => p.name === 'id') && op.parameters.some((p) => p.name === 'scale'))
  t.ok('Content-Disposition' in op.responses['200']!.headers)
  t.match(op.responses['200']!.content['text/csv']!.schema.description, /format=moodle.*format=canvas.*format=openedx/s)
})
