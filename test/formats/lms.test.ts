/**
 * The LMS files: each passes its LMS's own import rules (test/helpers/lms-oracles.ts) for 1.1 and
 * the fixture 1.2, each oracle refuses a deliberately broken file, each file parses back (csv-parse)
 * to the guide's tree with its texts, codes and uuids, and 1.1 and 1.2 differ only where the content does.
 */
import t from 'tap'
import { parse } from 'csv-parse/sync'
import MarkdownIt from 'markdown-it'
import { statementsToMarkdown } from '../../src/content/markdown.js'
import type { VersionSeed } from '../../src/content/schema.js'
import { Catalog } from '../../src/catalog/catalog.js'
import { csvField } from '../../src/formats/csv.js'
import { revisionUuid } from '../../src/catalog/revisions.js'
import { canvasCsv, canvasColumns } from '../../src/formats/lms/canvas.js'
import { lmsTree, markdownToPlain, shorten, type LmsSource } from '../../src/formats/lms/common.js'
import { moodleColumns, moodleCsv, parseMoodleScale } from '../../src/formats/lms/moodle.js'
import { openedxCsv, openedxJson } from '../../src/formats/lms/openedx.js'
import { entityUuid } from '../../src/content/ids.js'
import { openRepository } from '../helpers/app.js'
import { canvasProblems, moodleProblems, openedxCsvProblems, openedxJsonProblems } from '../helpers/lms-oracles.js'
import { readSeeds } from '../helpers/seeds.js'

const base = 'http://localhost:3000'
const repo = openRepository(t, true)
const catalog = new Catalog(repo)
const source = (number: '1.1' | '1.2', select?: ReadonlySet<string>): LmsSource => ({
  view: catalog.index(repo.version('isp', number) as NonNullable<ReturnType<typeof repo.version>>), baseUrl: base, ...(select === undefined ? {} : { select })
})
const rows = (csv: string): string[][] => parse(csv, { relax_column_count: true } as never) as string[][]
const write = (table: string[][]): string => table.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
/** The file with `edit` applied to its rows (header first). */
const broken = (csv: string, edit: (table: string[][]) => void): string => {
  const table = rows(csv)
  edit(table)
  return write(table)
}

// Expectations from the seed files and an independent CommonMark renderer.
const md = new MarkdownIt('commonmark', { html: false })
interface Expected { code: string, uuid: string, parent: string, depth: number, label: string, markdown: string }
function expected (s: VersionSeed): Expected[] {
  const out: Expected[] = []
  const uuid = (id: string): string => entityUuid('isp', id)
  for (const d of s.domains) {
    out.push({ code: d.code, uuid: uuid(d.id), parent: '', depth: 1, label: d.name, markdown: d.description })
    for (const c of s.competencies.filter((x) => x.domain === d.id)) {
      out.push({ code: c.code, uuid: uuid(c.id), parent: d.code, depth: 2, label: c.name, markdown: `${statementsToMarkdown(c.overview)}\n\n**Helpful hint**\n\n${c.hint.paragraphs.join('\n\n')}` })
      for (const a of c.activities) {
        out.push({ code: a.code, uuid: uuid(a.id), parent: c.code, depth: 3, label: a.text, markdown: a.text })
        for (const p of a.subpoints ?? []) out.push({ code: p.code, uuid: uuid(p.id), parent: a.code, depth: 4, label: p.text, markdown: p.text })
      }
    }
  }
  return out
}
const counts = (list: Array<{ depth: number }>): number[] => [1, 2, 3, 4].map((d) => list.filter((x) => x.depth === d).length)

for (const number of ['1.1', '1.2'] as const) {
  t.test(`${number}: every file passes its LMS's rules`, async (t) => {
    t.same(moodleProblems(moodleCsv(source(number)), ['isp-1.0']), [])
    t.same(canvasProblems(canvasCsv(source(number))), [])
    t.same(openedxCsvProblems(openedxCsv(source(number))), [])
    t.same(openedxJsonProblems(JSON.stringify(openedxJson(source(number)))), [])
  })
}

t.test('the Moodle oracle refuses broken files', async (t) => {
  const good = moodleCsv(source('1.1'))
  const cases: Array<[string, (x: string[][]) => void]> = [
    ['13 columns', (x) => { for (const r of x) r.pop() }],
    ['two framework rows', (x) => { (x[3] as string[])[12] = '1' }],
    ['no short name', (x) => { (x[5] as string[])[2] = '' }],
    ['a 101-character short name', (x) => { (x[5] as string[])[2] = 'x'.repeat(101) }],
    ['a 101-character ID number', (x) => { (x[5] as string[])[1] = 'x'.repeat(101) }],
    ['a repeated ID number', (x) => { (x[5] as string[])[1] = (x[6] as string[])[1] as string }],
    ['a missing parent', (x) => { (x[5] as string[])[0] = 'C99' }],
    ['scale configuration not JSON', (x) => { (x[1] as string[])[6] = '[{scaleid' }],
    ['no proficient item', (x) => { (x[1] as string[])[6] = '[{"scaleid":""},{"id":1,"scaledefault":1,"proficient":0}]' }],
    ['an unknown taxonomy term', (x) => { (x[1] as string[])[13] = 'domain,keyactivity' }]
  ]
  for (const [name, edit] of cases) t.not(moodleProblems(broken(good, edit)).length, 0, name)
  t.not(moodleProblems(good, ['isp-1.1']).length, 0, 'a framework ID number already on the site')
})

t.test('the Canvas oracle refuses broken files', async (t) => {
  const good = canvasCsv(source('1.1'))
  const cases: Array<[string, (x: string[][]) => void]> = [
    ['an unknown header', (x) => { (x[0] as string[])[9] = 'code' }],
    ['a vendor_guid with a space', (x) => { (x[2] as string[])[0] = 'a b' }],
    ['a parent on a later row', (x) => { x.splice(1, 0, x.splice(2, 1)[0] as string[]) }],
    ['a parent that is an outcome', (x) => { (x[4] as string[])[7] = (x[3] as string[])[0] as string }],
    ['a group with two parents', (x) => { (x[2] as string[])[7] = `${(x[1] as string[])[0]} ${(x[1] as string[])[0]}` }],
    ['ratings in increasing points', (x) => { x[0]?.push('ratings'); x[3]?.push('1', 'Low', '3', 'High') }],
    ['a 256-character title', (x) => { (x[3] as string[])[2] = 'x'.repeat(256) }],
    ['a repeated vendor_guid', (x) => { x.push([...x[3] as string[]]) }]
  ]
  for (const [name, edit] of cases) t.not(canvasProblems(broken(good, edit)).length, 0, name)
  t.same(canvasProblems(broken(good, (x) => { x[0]?.push('ratings'); x[3]?.push('3', 'High', '1', 'Low') })), [], 'decreasing ratings pass')
  t.not(canvasProblems(Buffer.concat([Buffer.from(good), Buffer.from([0xff, 0xfe])])).length, 0, 'bytes that are not UTF-8')
})

t.test('the Open edX oracle refuses broken files', async (t) => {
  const good = openedxCsv(source('1.1'))
  const cases: Array<[string, (x: string[][]) => void]> = [
    ['a child before its parent', (x) => { x.splice(1, 0, x.splice(2, 1)[0] as string[]) }],
    ['a repeated id', (x) => { (x[3] as string[])[0] = (x[2] as string[])[0] as string }],
    ['a repeated value, in another case', (x) => { (x[3] as string[])[1] = ((x[2] as string[])[1] as string).toUpperCase() }],
    ['a fourth level', (x) => { x.push(['deep', 'Deep', (x[3] as string[])[0] as string]) }],
    ['no value column', (x) => { for (const r of x) r.splice(1, 1) }]
  ]
  for (const [name, edit] of cases) t.not(openedxCsvProblems(broken(good, edit)).length, 0, name)
  t.not(openedxJsonProblems('{"taxonomy": []}').length, 0, 'JSON without tags')
  t.not(openedxJsonProblems(JSON.stringify({ tags: [{ id: 'a', value: 'A > B', parent_id: '' }] })).length, 0, 'a reserved character')
})

t.test('Moodle: the file parses back to the guide', async (t) => {
  const [header, framework, ...competencies] = rows(moodleCsv(source('1.1')))
  t.same(header, [...moodleColumns])
  t.match(framework, ['', 'isp-1.1', /^A Practice Guide to Supporting Implementation/, /Version 1\.1, September 2021\./, '1', 'Not yet competent,Competent'])
  t.equal(framework?.[13], 'domain,competency,practice,indicator')
  const want = expected(readSeeds('1.1'))
  t.same(counts(want), [3, 15, 115, 13])
  t.equal(competencies.length, want.length)
  const byCode = new Map(competencies.map((r) => [r[1], r]))
  for (const e of want) {
    const r = byCode.get(e.code)
    if (r === undefined) { t.fail(`${e.code} missing`); continue }
    const plain = markdownToPlain(e.label)
    const name = r[2] as string
    const fits = [...plain].length <= 100
    if (!(fits ? name === plain : name.endsWith('…') && plain.startsWith(name.slice(0, -1)) && [...name].length <= 100)) t.fail(`${e.code} short name "${name}"`)
    if (r[0] !== e.parent) t.fail(`${e.code} parent ${r[0]}`)
    if (!(r[3] as string).startsWith(md.render(e.markdown).trimEnd())) t.fail(`${e.code} description is not the text as HTML`)
    if (!(r[3] as string).includes(`${base}/uri/${e.uuid}`)) t.fail(`${e.code} description lacks its permanent URI`)
    if (r[4] !== '1') t.fail(`${e.code} description format`)
  }
  t.ok(competencies.some((r) => (r[2] as string).endsWith('…')), 'some key activities are shortened')
  t.pass(`${want.length} rows checked`)
})

t.test('Canvas: the file parses back to the guide', async (t) => {
  const table = parse(canvasCsv(source('1.1')), { columns: true } as never) as Array<Record<typeof canvasColumns[number], string>>
  const want = expected(readSeeds('1.1'))
  t.same([table.filter((r) => r.object_type === 'group').length, table.filter((r) => r.object_type === 'outcome').length], [18, 128])
  const byGuid = new Map(table.map((r) => [r.vendor_guid, r]))
  const byUuid = new Map(want.map((e) => [e.uuid, e]))
  for (const e of want) {
    const r = byGuid.get(e.uuid)
    if (r === undefined) { t.fail(`${e.code} missing`); continue }
    if (r.object_type !== (e.depth <= 2 ? 'group' : 'outcome')) t.fail(`${e.code} object_type`)
    if (e.depth > 2 && r.display_name !== e.code) t.fail(`${e.code} display_name`)
    // Outcomes hang from the competency group: a sub-point's code names its key activity.
    const parentCode = e.depth === 4 ? e.parent.split('.')[0] : e.parent
    if ((byUuid.get(r.parent_guids)?.code ?? '') !== parentCode) t.fail(`${e.code} parent`)
    if (!r.description.startsWith(md.render(e.markdown).trimEnd()) || !r.description.includes(e.code)) t.fail(`${e.code} description`)
    if (r.title !== shorten(markdownToPlain(e.label), 255)) t.fail(`${e.code} title`)
  }
  t.pass(`${want.length} rows checked`)
})

t.test('Open edX: both forms parse back to the guide down to key activities', async (t) => {
  const csv = parse(openedxCsv(source('1.1')), { columns: true } as never) as Array<{ id: string, value: string, parent_id: string }>
  t.same(csv, openedxJson(source('1.1')).tags, 'CSV and JSON hold the same tags')
  const want = expected(readSeeds('1.1')).filter((e) => e.depth <= 3)
  t.same(counts(want), [3, 15, 115, 0])
  t.same(csv.map((r) => r.id), want.map((e) => e.uuid), 'every uuid, in guide order')
  t.same(csv.map((r) => r.value), want.map((e) => `${e.code} ${markdownToPlain(e.label)}`))
  const codeOf = new Map(want.map((e) => [e.uuid, e.code]))
  t.same(csv.map((r) => codeOf.get(r.parent_id) ?? ''), want.map((e) => e.parent))
})

t.test('1.1 and 1.2 differ only where the content differs', async (t) => {
  const normalise = (csv: string, number: string): string => csv.replaceAll(`(version ${number})`, '(version N)').replaceAll(`isp-${number}`, 'isp-N')
  const keyed = (csv: string, key: number): Map<string, string> => new Map(rows(csv).slice(1).map((r) => [r[key] as string, r.join('\u0001')]))
  const diff = (a: Map<string, string>, b: Map<string, string>): string[] =>
    [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort()
  const moodle = diff(keyed(normalise(moodleCsv(source('1.1')), '1.1'), 1), keyed(normalise(moodleCsv(source('1.2')), '1.2'), 1))
  t.same(moodle, ['C01.A02', 'C01.A08', 'C02.A07', 'isp-N'], 'Moodle: the changed, added and removed activities and the framework row (its citation)')
  const canvas = diff(keyed(normalise(canvasCsv(source('1.1')), '1.1'), 0), keyed(normalise(canvasCsv(source('1.2')), '1.2'), 0))
  const a2 = entityUuid('isp', 'co-learning-a2')
  t.same(canvas, [a2, revisionUuid(a2, '1.2'), entityUuid('isp', 'co-learning-a8'), entityUuid('isp', 'brokering-a7')].sort(),
    'Canvas: an unchanged entity keeps its vendor_guid; a changed text gets its new CASE identifier')
  const order = (csv: string): string[] => rows(csv).slice(1).map((r) => r[1] as string)
  const codesign = order(moodleCsv(source('1.2'))).filter((c) => c.startsWith('C04.A'))
  t.equal(codesign[codesign.length - 1], 'C04.A01', 'the moved activity is last in 1.2')
})

t.test('a selection keeps the selected entities, their ancestors and their descendants', async (t) => {
  const tree = lmsTree(source('1.1', new Set([entityUuid('isp', 'communication-a1'), entityUuid('isp', 'co-learning')])))
  const codes = tree.map((n) => n.record.code)
  t.same(codes.filter((c) => !c.startsWith('C01.')), ['D1', 'C01', 'D2', 'C10', 'C10.A01', 'C10.A01.S01', 'C10.A01.S02', 'C10.A01.S03', 'C10.A01.S04', 'C10.A01.S05'])
  t.equal(codes.filter((c) => c.startsWith('C01.A')).length, 7)
  t.same(moodleProblems(moodleCsv(source('1.1', new Set([entityUuid('isp', 'communication-a1')])))), [])
})

t.test('text helpers', async (t) => {
  t.equal(shorten('short', 10), 'short')
  t.equal(shorten('one two three four', 12), 'one two…')
  t.ok([...shorten('x'.repeat(300), 100)].length <= 100)
  t.equal(markdownToPlain('Support **two types of relationships**: the *between*'), 'Support two types of relationships: the between')
  t.same(parseMoodleScale(undefined, undefined), { items: ['Not yet competent', 'Competent'], proficient: 'Competent' })
  t.same(parseMoodleScale('Novice, Practitioner ,Expert', 'Practitioner'), { items: ['Novice', 'Practitioner', 'Expert'], proficient: 'Practitioner' })
  t.match(parseMoodleScale('Only', undefined), { invalid: 'scale' })
  t.match(parseMoodleScale('A,A', undefined), { invalid: 'scale' })
  t.match(parseMoodleScale('A,B', 'C'), { invalid: 'proficient' })
  t.match(parseMoodleScale(undefined, 'Expert'), { invalid: 'proficient' })
  t.same(parseMoodleScale(undefined, 'Not yet competent'), { items: ['Not yet competent', 'Competent'], proficient: 'Not yet competent' })
})
