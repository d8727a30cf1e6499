/** The CFDocuments collection parameters as pure functions. */
import t from 'tap'
import { pageLinks } from '../../src/web/paging.js'
import { CaseQueryError, parseFilter, projectRow, selectedFields, sortRows } from '../../src/case/query.js'

const fields = new Set(['title', 'version', 'subject', 'link'])
const rows = [
  { title: 'Beta', version: '1.10', subject: ['math', 'science'], link: { id: 'b' } },
  { title: 'alpha', version: '1.9' },
  { title: 'Gamma', version: '2.0', subject: ['art'] }
]
const titles = (list: Array<{ title: string }>): string[] => list.map((r) => r.title)

t.test('filters', async (t) => {
  const f = (expr: string): string[] => titles(rows.filter(parseFilter(expr, fields)))
  t.same(f('title=\'ALPHA\''), ['alpha'], 'case-insensitive equality')
  t.same(f('title!=\'alpha\''), ['Beta', 'Gamma'])
  t.same(f('version>\'1.9\''), ['Beta', 'Gamma'], 'numeric-aware order')
  t.same(f('version<=\'1.9\''), ['alpha'])
  t.same(f('version>=\'2.0\''), ['Gamma'])
  t.same(f('version<\'1.10\''), ['alpha'])
  t.same(f('title~\'MM\''), ['Gamma'])
  t.same(f('subject=\'math,science\''), ['Beta'], 'a list equals only all its values')
  t.same(f('subject=\'math\''), [])
  t.same(f('subject~\'math\''), ['Beta'], 'contains matches one')
  t.same(f('link.id=\'b\''), ['Beta'], 'dot notation')
  t.same(f('title=\'it\'\'s\''), [], 'doubled quotes inside a value')
  t.same(f('title=\'alpha\' OR title=\'gamma\''), ['alpha', 'Gamma'])
  t.same(f('title~\'a\' AND version=\'2.0\''), ['Gamma'])
  t.same(f('subject!=\'x\''), ['Beta', 'alpha', 'Gamma'], 'a missing field is not equal')
  for (const bad of ['nope=\'x\'', 'title=x', 'title==\'x\'', 'title=\'x\' XOR title=\'y\'', 'title=\'x\' AND', 'title=\'a\' AND title=\'b\' OR title=\'c\'', '']) {
    t.throws(() => parseFilter(bad, fields), CaseQueryError, `rejects ${JSON.stringify(bad)}`)
  }
})

t.test('sorting', async (t) => {
  t.same(titles(sortRows(rows, 'title', 'asc', fields)), ['alpha', 'Beta', 'Gamma'], 'collation ignores case')
  t.same(titles(sortRows(rows, 'version', 'desc', fields)), ['Gamma', 'Beta', 'alpha'], '1.10 after 1.9')
  t.same(titles(sortRows(rows, 'subject', 'asc', fields)), ['Gamma', 'Beta', 'alpha'], 'missing values last')
  t.same(titles(sortRows(rows, 'nope', 'desc', fields)), ['Beta', 'alpha', 'Gamma'], 'unknown field: default order')
  t.same(titles(sortRows(rows, undefined, 'desc', fields)), ['Gamma', 'alpha', 'Beta'], 'no field: orderBy reverses the default')
})

t.test('field selection', async (t) => {
  t.equal(selectedFields(undefined, fields), null)
  t.same(selectedFields(['title,version'], fields), ['title', 'version'])
  t.same(selectedFields(['title', ' version '], fields), ['title', 'version'])
  t.equal(selectedFields(['title,nope'], fields), null, 'an unknown field: everything')
  t.throws(() => selectedFields([''], fields), CaseQueryError)
  t.throws(() => selectedFields(['title,'], fields), CaseQueryError)
  t.same(projectRow(rows[0] as Record<string, unknown>, ['version', 'subject']), { version: '1.10', subject: ['math', 'science'] })
  t.same(projectRow(rows[1] as Record<string, unknown>, ['subject']), {}, 'absent fields stay absent')
})

t.test('page links: the one rule REST uses (web/paging.ts)', async (t) => {
  const url = new URL('https://x.example/CFDocuments?sort=title&limit=10&offset=20')
  const link = (total: number, offset: number): string => pageLinks(url, total, 10, offset).header
  t.equal(link(25, 20), [
    '<https://x.example/CFDocuments?sort=title&limit=10&offset=0>; rel="first"',
    '<https://x.example/CFDocuments?sort=title&limit=10&offset=10>; rel="prev"',
    '<https://x.example/CFDocuments?sort=title&limit=10&offset=20>; rel="last"'
  ].join(', '))
  t.match(link(25, 0), /offset=10>; rel="next"/)
  t.match(link(0, 0), /offset=0>; rel="last"/, 'an empty collection')
  t.match(link(30, 5), /offset=0>; rel="prev"/, 'prev never goes below 0')
  t.match(link(25, 90), /offset=20>; rel="prev"/, 'prev past the end is clamped to the last page, as in REST')
})
