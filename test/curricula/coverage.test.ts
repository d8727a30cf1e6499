/**
 * The coverage report on both stores, against a curriculum whose coverage is worked out by hand
 * below from the guide's structure (isp 1.1: D1 = C01–C05 with 33 key activities, D2 = C06–C11
 * with 43, D3 = C12–C15 with 39; C10.A01 has sub-points). Nothing expected here is computed by
 * the code under test. The curriculum (test/helpers/coverage.ts):
 *
 * IS101 Foundations:      C01 I, C01.A03 R, C02 I
 * IS201 Co-design studio: C04.A01 M, C01 R, C10.A01.S02 I
 * IS301 Capstone:         C01 M, C02.A02 R, C12 I
 * IS401 Elective:         nothing
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { exampleCurriculum } from '../helpers/coverage.js'
import { storeKinds } from '../helpers/stores.js'
import { coverageReport } from '../../src/curricula/reports/coverage.js'
import { coverageCsv, spreadsheetField } from '../../src/curricula/reports/coverage-csv.js'
import { escapeXml, heatmapSvg } from '../../src/curricula/reports/heatmap.js'
import type { Alignment, Course, Level } from '../../src/curricula/store/repository.js'
import { buildApp } from '../helpers/app.js'
import { validateComponent } from '../helpers/contract.js'

const none = null
const cell = (level: string, direct: string | null, via: Array<[string, string]> = []) => ({ level, direct, via: via.map(([code, l]) => ({ code, level: l })) })

/** Competency code → [cells for IS101, IS201, IS301, IS401], courses, highest, I, R, M. */
const expectedCompetencies: Record<string, [unknown[], string[], string | null, boolean, boolean, boolean]> = {
  C01: [[cell('R', 'I', [['C01.A03', 'R']]), cell('R', 'R'), cell('M', 'M'), none], ['IS101', 'IS201', 'IS301'], 'M', true, true, true],
  C02: [[cell('I', 'I'), none, cell('R', null, [['C02.A02', 'R']]), none], ['IS101', 'IS301'], 'R', true, true, false],
  C03: [[none, none, none, none], [], null, false, false, false],
  C04: [[none, cell('M', null, [['C04.A01', 'M']]), none, none], ['IS201'], 'M', false, false, true],
  C05: [[none, none, none, none], [], null, false, false, false],
  C06: [[none, none, none, none], [], null, false, false, false],
  C07: [[none, none, none, none], [], null, false, false, false],
  C08: [[none, none, none, none], [], null, false, false, false],
  C09: [[none, none, none, none], [], null, false, false, false],
  C10: [[none, cell('I', null, [['C10.A01.S02', 'I']]), none, none], ['IS201'], 'I', true, false, false],
  C11: [[none, none, none, none], [], null, false, false, false],
  C12: [[none, none, cell('I', 'I'), none], ['IS301'], 'I', true, false, false],
  C13: [[none, none, none, none], [], null, false, false, false],
  C14: [[none, none, none, none], [], null, false, false, false],
  C15: [[none, none, none, none], [], null, false, false, false]
}

const tally = (total: number, covered: number, introduced: number, reinforced: number, mastered: number, share: [number, number, number, number]) =>
  ({ total, covered, introduced, reinforced, mastered, share: { covered: share[0], introduced: share[1], reinforced: share[2], mastered: share[3] } })

const expectedDomains = [
  // D1: C01, C02, C04 covered; I by C01, C02; R by C01, C02; M by C01, C04. Activities C01.A03 R, C02.A02 R, C04.A01 M.
  { code: 'D1', id: 'co-creation-and-engagement', name: 'Co-creation and engagement', competencies: tally(5, 3, 2, 2, 2, [0.6, 0.4, 0.4, 0.4]), activities: tally(33, 3, 0, 2, 1, [0.0909, 0, 0.0606, 0.0303]) },
  // D2: C10 (through C10.A01.S02, I); activity C10.A01 through its sub-point.
  { code: 'D2', id: 'ongoing-improvement', competencies: tally(6, 1, 1, 0, 0, [0.1667, 0.1667, 0, 0]), activities: tally(43, 1, 1, 0, 0, [0.0233, 0.0233, 0, 0]) },
  // D3: C12 directly; an alignment to a competency covers none of its key activities.
  { code: 'D3', id: 'sustaining-change', competencies: tally(4, 1, 1, 0, 0, [0.25, 0.25, 0, 0]), activities: tally(39, 0, 0, 0, 0, [0, 0, 0, 0]) }
]

for (const kind of storeKinds) {
  t.test(`${kind}: the coverage of a curriculum worked out by hand`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    const id = await exampleCurriculum(app, keys.a)
    const url = `/v1/curricula/${id}/coverage`

    const res = await app.inject({ method: 'GET', url, headers: auth(keys.aRead) })
    t.equal(res.statusCode, 200, 'a read key is enough')
    t.match(res.headers['content-type'], /^application\/json/)
    t.equal(res.headers['cache-control'], 'private, no-cache')
    const r = res.json()
    t.same(r.courses.map((c: { code: string, alignments: number }) => [c.code, c.alignments]), [['IS101', 3], ['IS201', 3], ['IS301', 3], ['IS401', 0]])
    t.same(r.columns, { from: 1, to: 4, of: 4 })
    t.equal(r.activities, false)
    t.same(r.rows.map((row: { code: string }) => row.code), Object.keys(expectedCompetencies), 'one row per competency, in guide order')
    for (const row of r.rows) {
      const [cells, courses, highest, introduced, reinforced, mastered] = expectedCompetencies[row.code]!
      t.same({ cells: row.cells, courses: row.courses, highest: row.highest, introduced: row.introduced, reinforced: row.reinforced, mastered: row.mastered },
        { cells, courses, highest, introduced, reinforced, mastered }, `row ${row.code}`)
    }
    t.equal(r.rows[0].label, 'Co-learning')
    t.match(r.domains, expectedDomains)
    t.same(r.totals, {
      // C01, C02, C04, C10, C12 covered; I: C01, C02, C10, C12; R: C01, C02; M: C01, C04.
      competencies: tally(15, 5, 4, 2, 2, [0.3333, 0.2667, 0.1333, 0.1333]),
      // C01.A03 R, C02.A02 R, C04.A01 M, C10.A01 I.
      activities: tally(115, 4, 1, 2, 1, [0.0348, 0.0087, 0.0174, 0.0087])
    })
    t.same(r.gaps.competencies.map((g: { code: string }) => g.code), ['C03', 'C05', 'C06', 'C07', 'C08', 'C09', 'C11', 'C13', 'C14', 'C15'])
    t.same(r.gaps.introducedNotMastered.map((g: { code: string }) => g.code), ['C02', 'C10', 'C12'])
    t.same(r.gaps.courses, [{ code: 'IS401', id: r.courses[3].id, label: 'Elective, optional' }])
    t.same(r.gaps.competencies[0], { code: 'C03', id: 'addressing-power-differentials', label: 'Addressing power differentials' })
    t.equal(r.gaps.activities.length, 111)
    t.same(r.gaps.activities.slice(0, 4).map((g: { code: string }) => g.code), ['C01.A01', 'C01.A02', 'C01.A04', 'C01.A05'])
    t.notOk(r.gaps.activities.some((g: { code: string }) => ['C01.A03', 'C02.A02', 'C04.A01', 'C10.A01'].includes(g.code)))
    t.same(r.gaps.unresolved, [])
    t.same(validateComponent('Coverage', r), [], 'the JSON is what openapi.yaml says')

    const withActivities = (await app.inject({ method: 'GET', url: `${url}?include=activities`, headers: auth(keys.a) })).json()
    t.equal(withActivities.rows.length, 15 + 115)
    t.same(withActivities.rows.slice(0, 3).map((row: { code: string }) => row.code), ['C01', 'C01.A01', 'C01.A02'], 'each competency, then its key activities')
    const rowOf = (code: string) => withActivities.rows.find((row: { code: string }) => row.code === code)
    t.same(rowOf('C01.A03').cells, [cell('R', 'R'), none, none, none])
    t.same(rowOf('C10.A01').cells, [none, cell('I', null, [['C10.A01.S02', 'I']]), none, none], 'a sub-point counts for its key activity')
    t.same(rowOf('C04.A01').cells, [none, cell('M', 'M'), none, none])
    t.same(rowOf('C12.A01').cells, [none, none, none, none], 'a competency\'s alignment does not cover its key activities')
    t.same(withActivities.domains, r.domains, 'the figures do not depend on the rows shown')
    t.same(validateComponent('Coverage', withActivities), [])

    const sliced = (await app.inject({ method: 'GET', url: `${url}?columns=2-3`, headers: auth(keys.a) })).json()
    t.same(sliced.courses.map((c: { code: string }) => c.code), ['IS201', 'IS301'])
    t.same(sliced.columns, { from: 2, to: 3, of: 4 })
    t.same(sliced.rows[0].cells, [cell('R', 'R'), cell('M', 'M')])
    t.same(sliced.rows[0].courses, ['IS101', 'IS201', 'IS301'], 'the courses touching a row are all of them')
    t.same(sliced.gaps, r.gaps)
  })

  t.test(`${kind}: CSV, SVG, negotiation, ETag and 304, errors, isolation`, async (t) => {
    const f = await curriculaFixture(t, kind)
    if (f === undefined) return
    const { app, keys } = f
    const id = await exampleCurriculum(app, keys.a)
    const url = `/v1/curricula/${id}/coverage`

    const csv = await app.inject({ method: 'GET', url: `${url}?format=csv`, headers: auth(keys.a) })
    t.equal(csv.statusCode, 200)
    t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8; header=present')
    const lines = csv.body.split('\r\n')
    t.equal(lines.pop(), '', 'CRLF after every record')
    t.equal(lines.length, 16, 'a header and one row per competency')
    t.equal(lines[0], 'type,code,domain,competency,label,IS101,IS201,IS301,IS401,courses,highest,introduced,reinforced,mastered,via')
    t.equal(lines[1], 'competency,C01,D1,C01,Co-learning,R,R,M,,IS101 IS201 IS301,M,yes,yes,yes,IS101: C01.A03 R')
    t.equal(lines[2], 'competency,C02,D1,C02,Brokering,I,,R,,IS101 IS301,R,yes,yes,no,IS301: C02.A02 R')
    t.equal(lines[3], 'competency,C03,D1,C03,Addressing power differentials,,,,,,,no,no,no,')
    t.equal(lines[10], 'competency,C10,D2,C10,Communication,,I,,,IS201,I,yes,no,no,IS201: C10.A01.S02 I')
    const accepted = await app.inject({ method: 'GET', url, headers: auth(keys.a, { accept: 'text/csv' }) })
    t.equal(accepted.body, csv.body, 'Accept chooses CSV too')
    const activityCsv = (await app.inject({ method: 'GET', url: `${url}?format=csv&include=activities`, headers: auth(keys.a) })).body.split('\r\n')
    t.equal(activityCsv.length, 1 + 15 + 115 + 1)
    t.match(activityCsv[4], /^activity,C01\.A03,D1,C01,"?Negotiate and build trust[^\r\n]*,R,,,,IS101,R,no,yes,no,$/)

    const svg = await app.inject({ method: 'GET', url, headers: auth(keys.a, { accept: 'image/svg+xml' }) })
    t.equal(svg.statusCode, 200)
    t.equal(svg.headers['content-type'], 'image/svg+xml; charset=utf-8')
    t.equal(XMLValidator.validate(svg.body), true, 'the SVG is well-formed XML')
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: '#text', isArray: (name) => ['g', 'rect', 'text', 'title'].includes(name) }).parse(svg.body)
    const root = doc.svg
    t.equal(root.role, 'img')
    t.equal(root['aria-labelledby'], 'cov-title cov-desc')
    t.equal(root.title[0]['#text'], 'Coverage of isp 1.1 by MSc Implementation Practice')
    t.match(root.desc['#text'], /Covered: 5 of 15 competencies \(2 mastered somewhere\) and 4 of 115 key activities\. Competencies never aligned: C03, C05, C06, C07, C08, C09, C11, C13, C14, C15\. Introduced but never mastered: C02, C10, C12\. Courses with no alignment: IS401\./)
    const texts: string[] = []
    const cells: string[] = []
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk)
      if (node === null || typeof node !== 'object') return
      const n = node as Record<string, unknown>
      for (const text of (n.text as Array<Record<string, unknown>> | undefined) ?? []) texts.push(String(text['#text'] ?? ''))
      for (const rect of (n.rect as Array<{ title?: Array<string | { '#text': string }> }> | undefined) ?? []) {
        const title = rect.title?.[0]
        if (title !== undefined) cells.push(typeof title === 'string' ? title : title['#text'])
      }
      for (const g of (n.g as unknown[] | undefined) ?? []) walk(g)
    }
    walk(root)
    t.ok(texts.includes('Legend'), 'a legend')
    for (const word of ['introduced', 'reinforced', 'mastered', '✕ never aligned']) t.ok(texts.includes(word), `the legend names ${word}`)
    t.equal(cells.length, 15 * 4, 'one labelled cell per competency × course')
    t.ok(cells.includes('C01 × IS101: reinforced (direct I; via C01.A03 R)'))
    t.ok(cells.includes('C04 × IS201: mastered (via C04.A01 M)'))
    t.ok(cells.includes('C03 × IS401: not aligned'))
    t.ok(texts.some((x) => x.startsWith('D1 Co-creation and engagement')), 'domains as bands')
    t.ok(texts.includes('Courses 1–4 of 4.'))
    const svgActivities = await app.inject({ method: 'GET', url: `${url}?format=svg&include=activities`, headers: auth(keys.a) })
    t.equal(XMLValidator.validate(svgActivities.body), true)
    t.equal((svgActivities.body.match(/<rect [^>]*><title>/g) ?? []).length, (15 + 115) * 4, 'a labelled cell per row × course with key activities')

    // ETag and 304, and a tag that changes with the curriculum only.
    const first = await app.inject({ method: 'GET', url, headers: auth(keys.a) })
    const etag = first.headers.etag as string
    t.match(etag, /^"[\w-]{22}-coverage\.json"$/)
    const again = await app.inject({ method: 'GET', url, headers: auth(keys.aRead) })
    t.equal(again.headers.etag, etag, 'the same tag for the same curriculum, whichever key reads')
    const notModified = await app.inject({ method: 'GET', url, headers: auth(keys.a, { 'if-none-match': etag }) })
    t.equal(notModified.statusCode, 304)
    t.equal(notModified.body, '')
    t.equal(notModified.headers.etag, etag)
    t.equal((await app.inject({ method: 'HEAD', url, headers: auth(keys.a, { 'if-none-match': etag }) })).statusCode, 304)
    const tags = new Set<string>()
    for (const q of ['?format=csv', '?format=svg', '?include=activities', '?columns=1-2']) {
      const res = await app.inject({ method: 'GET', url: url + q, headers: auth(keys.a) })
      tags.add(res.headers.etag as string)
      t.equal((await app.inject({ method: 'GET', url: url + q, headers: auth(keys.a, { 'if-none-match': res.headers.etag as string }) })).statusCode, 304, `304 for ${q}`)
    }
    t.equal(tags.size, 4, 'each representation has its own tag')
    t.notOk(tags.has(etag))
    const zipped = await app.inject({ method: 'GET', url: `${url}?format=svg`, headers: auth(keys.a, { 'accept-encoding': 'gzip' }) })
    t.equal(zipped.headers['content-encoding'], 'gzip')
    t.match(zipped.headers.etag, /-gz"$/)
    t.equal((await app.inject({ method: 'GET', url: `${url}?format=svg`, headers: auth(keys.a, { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag as string }) })).statusCode, 304)

    // Reading (other reports, the curriculum) changes nothing; a write does.
    await app.inject({ method: 'GET', url: `/v1/curricula/${id}/courses`, headers: auth(keys.a) })
    t.equal((await app.inject({ method: 'GET', url, headers: auth(keys.a) })).headers.etag, etag, 'reads leave the tag alone')
    const course = (await app.inject({ method: 'GET', url: `/v1/curricula/${id}/courses?limit=1`, headers: auth(keys.a) })).json().data[0]
    const added = await app.inject({ method: 'POST', url: `/v1/curricula/${id}/courses/${course.id}/alignments/C03`, headers: auth(keys.a), payload: { level: 'mastered' } })
    t.equal(added.statusCode, 201)
    const after = await app.inject({ method: 'GET', url, headers: auth(keys.a, { 'if-none-match': etag }) })
    t.equal(after.statusCode, 200, 'after a write the old tag is stale')
    t.not(after.headers.etag, etag)
    t.same(after.json().gaps.competencies.map((g: { code: string }) => g.code), ['C05', 'C06', 'C07', 'C08', 'C09', 'C11', 'C13', 'C14', 'C15'])
    const renamed = await app.inject({ method: 'PATCH', url: `/v1/curricula/${id}`, headers: auth(keys.a, { 'if-match': '*' }), payload: { name: 'Renamed' } })
    t.equal(renamed.statusCode, 200)
    t.not((await app.inject({ method: 'GET', url, headers: auth(keys.a) })).headers.etag, after.headers.etag, 'so does renaming the curriculum')

    // Errors.
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 401)
    const other = await app.inject({ method: 'GET', url, headers: auth(keys.b) })
    t.equal(other.statusCode, 404, 'another institution gets a 404')
    t.match(other.headers['content-type'], /application\/problem\+json/)
    t.equal((await app.inject({ method: 'GET', url: `${url}?format=svg`, headers: auth(keys.b) })).statusCode, 404)
    t.equal((await app.inject({ method: 'GET', url: '/v1/curricula/00000000-0000-4000-8000-000000000000/coverage', headers: auth(keys.a) })).statusCode, 404)
    for (const q of ['?format=pdf', '?include=hints', '?columns=3-2', '?columns=0-4', '?columns=9-10', '?columns=1-101&format=svg', '?columns=a', '?color=red']) {
      const res = await app.inject({ method: 'GET', url: url + q, headers: auth(keys.a) })
      t.equal(res.statusCode, 400, `${q} is a 400`)
      t.match(res.headers['content-type'], /application\/problem\+json/)
    }
    const refused = await app.inject({ method: 'GET', url, headers: auth(keys.a, { accept: 'application/pdf' }) })
    t.equal(refused.statusCode, 406)
  })
}

t.test('CSV fields a spreadsheet would take for formulas are quoted out; XML text is escaped and cleaned', async (t) => {
  t.equal(spreadsheetField('=SUM(A1)'), '\'=SUM(A1)')
  t.equal(spreadsheetField('+1'), '\'+1')
  t.equal(spreadsheetField('IS101'), 'IS101')
  t.equal(spreadsheetField('a, "b"'), '"a, ""b"""')
  t.equal(escapeXml('a<b & "c" \u0001\uD800'), 'a&lt;b &amp; &quot;c&quot; ')
})

t.test('a large curriculum (200 courses × 115 key activities) renders, in pages of columns', async (t) => {
  const app = await buildApp(t)
  const v = app.repo.version('isp', '1.1')!
  const index = app.catalog.index(v)
  const at = '2026-01-01T00:00:00.000Z'
  const courses: Course[] = Array.from({ length: 200 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, curriculumId: 'c', code: `C${String(i + 1).padStart(3, '0')}`, title: `Course ${i + 1}`,
    url: null, term: null, credits: null, externalIds: {}, createdAt: at, updatedAt: at, revision: 1
  }))
  const levels: Level[] = ['introduced', 'reinforced', 'mastered']
  const alignments: Alignment[] = courses.flatMap((c, i) => Array.from({ length: 12 }, (_, k) => {
    const a = index.activities[(i * 7 + k * 11) % index.activities.length]!
    return { id: `${c.id}-${k}`, courseId: c.id, target: { uuid: a.uuid, type: 'activity' as const, id: a.id, code: a.code }, level: levels[(i + k) % 3]!, note: null, evidenceUrl: null, needsReview: false, detachedFrom: null, createdAt: at, updatedAt: at, revision: 1 }
  }))
  const snapshot = { curriculum: { id: 'c', name: 'Large', description: null, framework: 'isp', version: '1.1', createdAt: at, updatedAt: at, revision: 1 }, courses, alignments }
  const full = coverageReport(snapshot, index, { activities: true })
  t.equal(full.rows.length, 130)
  t.ok(full.rows.every((r) => r.cells.length === 200))
  t.equal(coverageCsv(full).split('\r\n').length, 1 + 130 + 1)
  const detached = { ...alignments[0]!, courseId: courses[0]!.id, target: { uuid: index.competencies[2]!.uuid, type: 'competency' as const, id: 'gone', code: 'C99' }, detachedFrom: '1.0' }
  const lone = coverageReport({ ...snapshot, courses: [courses[0]!], alignments: [detached] }, index)
  t.same(lone.gaps.unresolved, [{ course: 'C001', target: 'C99' }], 'a detached alignment is listed')
  t.equal(lone.totals.competencies.covered, 0, 'and counts nowhere')
  t.same(lone.gaps.courses.map((g) => g.code), ['C001'], 'so its course is aligned to nothing')
  t.equal(lone.courses[0]!.alignments, 1)
  for (const from of [1, 101]) {
    const svg = heatmapSvg(coverageReport(snapshot, index, { activities: true, columns: { from, to: from + 99 } }))
    t.equal(XMLValidator.validate(svg), true, `columns ${from}–${from + 99} are well-formed`)
    t.equal((svg.match(/<rect [^>]*><title>/g) ?? []).length, 130 * 100, 'a labelled cell per row × course shown')
  }
})

t.test('sqlite: the requests in docs/reports.md answer as it says', async (t) => {
  const f = await curriculaFixture(t, 'sqlite')
  if (f === undefined) return
  const { app, keys } = f
  const id = await exampleCurriculum(app, keys.a)
  const doc = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8')
  const curls = [...doc.matchAll(/^curl .*$/gm)].map((m) => m[0])
  t.ok(curls.length >= 5, 'a curl for each representation and GraphQL')
  for (const line of curls) {
    // The test curriculum has four courses: its second page of columns is 2-3.
    const url = /"\$API(\/[^"]*)"/.exec(line)?.[1]?.replace('$CURRICULUM', id).replace('columns=51-100', 'columns=2-3')
    const accept = /-H "Accept: ([^"]+)"/.exec(line)?.[1]
    const body = /-d "(.*)"$/.exec(line)?.[1]
    t.ok(url, line)
    const headers = auth(keys.aRead, { ...(accept === undefined ? {} : { accept }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) })
    const res = body === undefined
      ? await app.inject({ method: 'GET', url: url!, headers })
      : await app.inject({ method: 'POST', url: url!, headers, payload: body.replace('$CURRICULUM', id).replace(/\\([\\"$`])/g, '$1') })
    t.equal(res.statusCode, 200, `${line.slice(0, 100)} answers`)
    if (body !== undefined) t.equal(res.json().errors, undefined, 'the GraphQL query is valid')
    if (accept !== undefined) t.match(res.headers['content-type'], accept)
  }
})
