/** The json-server contender's database: the export of the same version, as collections json-server serves. */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { jsonServerDb, type ExportShape } from '../../bench/servers/json-db.js'
import { freePort } from '../../bench/contenders.js'
import { waitFor200 } from '../../bench/http.js'
import { projectRoot } from '../../src/paths.js'
import { buildApp, tempDir } from '../helpers/app.js'

t.test('the export becomes flat collections with parent ids, every entity once', async (t) => {
  const app = await buildApp(t)
  const exported = (await app.inject('/v1/frameworks/isp/1.1/export')).json<ExportShape>()
  const db = jsonServerDb(exported)
  t.same(Object.keys(db).sort(), ['activities', 'competencies', 'definitions', 'dilemmas', 'domains', 'hints', 'principles', 'questions', 'resources'])
  t.equal(db.competencies!.length, 15)
  t.equal(db.activities!.length, 115)
  t.equal(db.hints!.length, 15)
  t.notOk(db.competencies!.some((c) => 'activities' in c || 'hint' in c), 'competencies do not embed their children')
  const competencyIds = new Set(db.competencies!.map((c) => c.id))
  t.ok(db.activities!.every((a) => competencyIds.has(a.competencyId)), 'every activity names its competency')
  t.ok(db.hints!.every((h) => competencyIds.has(h.competencyId)), 'every hint names its competency')
  const first = exported.competencies[0]!
  t.same(db.activities!.filter((a) => a.competencyId === first.id).map(({ competencyId: _c, domainId: _d, ...a }) => a), first.activities, 'activities verbatim, in order')
  t.equal(db.resources!.length, exported.resources.groups.reduce((n, g) => n + g.resources.length, 0))
})

t.test('json-server 0.17 serves it: a competency with its activities and hint, filters, search', async (t) => {
  const app = await buildApp(t)
  const file = join(tempDir(), 'db.json')
  writeFileSync(file, JSON.stringify(jsonServerDb((await app.inject('/v1/frameworks/isp/1.1/export')).json<ExportShape>())))
  const port = await freePort()
  const child = spawn(process.execPath, [join(projectRoot, 'node_modules/json-server/lib/cli/bin.js'), file, '--port', String(port), '--host', '127.0.0.1', '--read-only', '--quiet'], { stdio: 'ignore' })
  t.teardown(() => { child.kill() })
  const base = `http://127.0.0.1:${port}`
  await waitFor200(base, { method: 'GET', path: '/competencies', headers: {} }, 30_000)
  const competency = await (await fetch(`${base}/competencies/co-learning?_embed=activities&_embed=hints`)).json() as { activities: unknown[], hints: unknown[] }
  t.equal(competency.activities.length, 7)
  t.equal(competency.hints.length, 1)
  const list = await (await fetch(`${base}/competencies?_embed=activities&_embed=hints`)).json() as Array<{ activities: unknown[] }>
  t.equal(list.reduce((n, c) => n + c.activities.length, 0), 115)
  t.equal((await (await fetch(`${base}/activities?domainId=sustaining-change`)).json() as unknown[]).length, 39)
  t.ok((await (await fetch(`${base}/activities?q=trust`)).json() as unknown[]).length > 0)
})
