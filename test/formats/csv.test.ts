/** CSV export: RFC 4180 quoting, and a round trip through a real CSV parser compared with the seeds. */
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { Catalog } from '../../src/catalog/catalog.js'
import { csvColumns, csvField, exportCsv } from '../../src/formats/csv.js'
import { openRepository } from '../helpers/app.js'
import { csvRows, seeds } from '../helpers/formats.js'

function content (fixtures = false, number = '1.1') {
  const repo = openRepository(t, fixtures)
  return new Catalog(repo).index(repo.version('isp', number) as NonNullable<ReturnType<typeof repo.version>>)
}

t.test('fields are quoted only when they must be, quotes doubled', async (t) => {
  t.equal(csvField('plain text'), 'plain text')
  t.equal(csvField('a, b'), '"a, b"')
  t.equal(csvField('say "hi"'), '"say ""hi"""')
  t.equal(csvField('line\nbreak'), '"line\nbreak"')
  t.equal(csvField('cr\rhere'), '"cr\rhere"')
  t.equal(csvField(''), '')
})

t.test('the export parses back to the seeds, row for row', async (t) => {
  const csv = exportCsv(content())
  t.ok(csv.endsWith('\r\n'), 'CRLF line ends')
  t.notOk(csv.startsWith('\uFEFF'), 'no byte-order mark by default')
  const rows = parse(csv, { columns: true, relax_quotes: false, strict: true } as never) as Array<Record<string, string>>
  t.same(Object.keys(rows[0] ?? {}), [...csvColumns])
  const s = seeds('1.1')
  const expected = csvRows(s)
  t.equal(rows.length, expected.length)
  t.same(rows, expected)
  for (const c of s.competencies) {
    const text = rows.find((r) => r.id === c.id)?.text ?? ''
    for (const statement of c.overview) {
      t.ok(text.includes(statement.text), `${c.code} overview keeps "${statement.text.slice(0, 30)}…"`)
      for (const item of statement.items ?? []) t.ok(text.includes(item), `${c.code} keeps a nested item`)
    }
  }
  t.ok(rows.some((r) => (r.text ?? '').includes('\n')), 'multi-line text survives the round trip')
  t.ok(rows.some((r) => (r.text ?? '').includes(',')), 'and so do commas')
})

t.test('the fixture version: the moved, added and removed activities', async (t) => {
  const rows = parse(exportCsv(content(true, '1.2')), { columns: true } as never) as Array<Record<string, string>>
  t.notOk(rows.some((r) => r.id === 'brokering-a7'))
  t.match(rows.find((r) => r.id === 'co-learning-a8'), { parent: 'co-learning', order: '8', text: 'Fixture-only activity added in 1.2.' })
  const codesign = seeds('1.2').competencies.find((c) => c.id === 'co-design')
  t.match(rows.find((r) => r.id === 'co-design-a1'), { parent: 'co-design', order: String(codesign?.activities.length) })
})

t.test('a byte-order mark on request', async (t) => {
  const csv = exportCsv(content(), { bom: true })
  t.ok(csv.startsWith('\uFEFFcode,type,'))
  const rows = parse(csv, { columns: true, bom: true } as never) as Array<Record<string, string>>
  t.equal(rows[0]?.code, 'P1')
})
