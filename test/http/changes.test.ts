/** The version diff: the pure module, the word diff, and the endpoint against the fixture README. */
import t from 'tap'
import fc from 'fast-check'
import { diffVersions, longestIncreasing, type Comparable, type ComparableVersion } from '../../src/http/changes.js'
import { diffText, tokenize } from '../../src/http/text-diff.js'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'

const entity = (type: Comparable['type'], id: string, parent: string | null, text: string): Comparable =>
  ({ type, id, code: id.toUpperCase(), uuid: '00000000-0000-4000-8000-000000000000', parent, fields: { text } })
const version = (entities: Comparable[], metadata: Record<string, string | undefined> = {}): ComparableVersion => ({ entities, metadata })
const ids = (list: Array<{ id: string } | { entity: { id: string } }>) => list.map((e) => 'entity' in e ? e.entity.id : e.id)

t.test('diffVersions: added, removed, changed, keyed by id', async (t) => {
  const from = version([entity('activity', 'a1', 'c1', 'One.'), entity('activity', 'a2', 'c1', 'Two.'), entity('activity', 'a3', 'c1', 'Three.')], { title: 'T', released: '2021' })
  const to = version([entity('activity', 'a1', 'c1', 'One.'), entity('activity', 'a3', 'c1', 'Three, changed.'), entity('activity', 'a4', 'c1', 'Four.')], { title: 'T', released: '2022' })
  const d = diffVersions(from, to)
  t.same(ids(d.added), ['a4'])
  t.same(ids(d.removed), ['a2'])
  t.same(ids(d.changed), ['a3'])
  t.same(d.changed[0]!.fields.map((f) => [f.field, f.from, f.to]), [['text', 'Three.', 'Three, changed.']])
  t.same(d.moved, [], 'a removal shifts positions but moves nothing')
  t.same(d.metadata.map((f) => f.field), ['released'])
})

t.test('diffVersions: moves are changes of parent, or of order among shared siblings', async (t) => {
  const from = version(['a1', 'a2', 'a3', 'a4'].map((id) => entity('activity', id, 'c1', id)).concat(entity('activity', 'b1', 'c2', 'b1')))
  const rotated = version(['a2', 'a3', 'a4', 'a1'].map((id) => entity('activity', id, 'c1', id)).concat(entity('activity', 'b1', 'c2', 'b1')))
  const d = diffVersions(from, rotated)
  t.same(d.moved.map((m) => [m.entity.id, m.from.position, m.to.position]), [['a1', 1, 4]], 'only the rotated item moved')

  const reparented = version([...['a1', 'a2', 'a3'].map((id) => entity('activity', id, 'c1', id)), entity('activity', 'b1', 'c2', 'b1'), entity('activity', 'a4', 'c2', 'a4')])
  const r = diffVersions(from, reparented)
  t.same(r.moved.map((m) => [m.entity.id, m.from.parent, m.to.parent, m.to.position]), [['a4', 'c1', 'c2', 2]])
  t.same(r.changed, [])

  const inserted = version(['a0', 'a1', 'a2', 'a3', 'a4'].map((id) => entity('activity', id, 'c1', id)).concat(entity('activity', 'b1', 'c2', 'b1')))
  t.same(diffVersions(from, inserted).moved, [], 'an insertion moves nothing')
  t.same(diffVersions(from, from), { added: [], removed: [], changed: [], moved: [], metadata: [] }, 'a version equals itself')
})

t.test('longestIncreasing picks a longest increasing run', async (t) => {
  t.same([...longestIncreasing([2, 3, 4, 1])].sort(), [0, 1, 2])
  t.same([...longestIncreasing([])], [])
  fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), (seq) => {
    const keep = [...longestIncreasing(seq)].sort((a, b) => a - b)
    for (let i = 1; i < keep.length; i++) if (seq[keep[i - 1]!]! >= seq[keep[i]!]!) return false
    // No longer increasing subsequence exists (quadratic DP as the reference).
    const best = seq.map(() => 1)
    for (let i = 0; i < seq.length; i++) for (let j = 0; j < i; j++) if (seq[j]! < seq[i]!) best[i] = Math.max(best[i]!, best[j]! + 1)
    return keep.length === Math.max(0, ...best)
  }))
})

t.test('diffText: a word diff that rebuilds both texts', async (t) => {
  t.same(diffText('Create spaces for new ideas to emerge.', 'Create spaces for new ideas to emerge. (fixture edit)'),
    [{ op: 'equal', text: 'Create spaces for new ideas to emerge.' }, { op: 'insert', text: ' (fixture edit)' }])
  t.same(diffText('the quick brown fox', 'the slow brown fox'),
    [{ op: 'equal', text: 'the ' }, { op: 'delete', text: 'quick' }, { op: 'insert', text: 'slow' }, { op: 'equal', text: ' brown fox' }])
  t.same(diffText('same', 'same'), [{ op: 'equal', text: 'same' }])
  t.same(diffText('', 'new'), [{ op: 'insert', text: 'new' }])
  t.same(tokenize('a  b\nc'), ['a', '  ', 'b', '\n', 'c'])
  const words = fc.array(fc.constantFrom('a', 'b', 'c', 'dd', ' ', '\n', 'e.'), { maxLength: 40 }).map((w) => w.join(''))
  fc.assert(fc.property(words, words, (a, b) => {
    const runs = diffText(a, b)
    const before = runs.filter((r) => r.op !== 'insert').map((r) => r.text).join('')
    const after = runs.filter((r) => r.op !== 'delete').map((r) => r.text).join('')
    const merged = runs.every((r, i) => i === 0 || runs[i - 1]!.op !== r.op)
    return before === a && after === b && merged && runs.every((r) => r.text !== '')
  }))
  const long = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ')
  const other = Array.from({ length: 3000 }, (_, i) => `v${i}`).join(' ')
  const runs = diffText(long, other)
  t.same(runs.map((r) => r.op), ['delete', 'insert'], 'beyond the edit budget: one deletion, one insertion')
})

t.test('GET changes between isp 1.1 and the fixture 1.2, as test/fixtures/seeds/README.md lists them', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const inject = contract(t, app)
  const res = await inject('/v1/frameworks/isp/1.2/changes?from=1.1')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.from, '1.1')
  t.equal(body.to, '1.2')
  const pairs = (list: Array<{ type: string, id: string }>) => list.map((e) => `${e.type}:${e.id}`)
  t.same(pairs(body.added), ['activity:co-learning-a8'])
  t.same(pairs(body.removed), ['activity:brokering-a7', 'question:question-10'])
  t.same(pairs(body.changed), ['principle:be-curious', 'activity:co-learning-a2'])
  t.same(pairs(body.moved), ['activity:co-design-a1'])
  t.same(body.summary, { added: 1, removed: 2, changed: 2, moved: 1 })

  t.equal(body.added[0].parent, 'co-learning')
  t.equal(body.added[0].href, 'http://localhost:3000/v1/frameworks/isp/1.2/activities/co-learning-a8')
  t.equal(body.removed[0].href, 'http://localhost:3000/v1/frameworks/isp/1.1/activities/brokering-a7', 'removed entities link to the version they are in')
  const principle = body.changed[0].fields
  t.same(principle.map((f: { field: string }) => f.field), ['description'])
  t.equal(principle[0].to, `${principle[0].from} (fixture edit)`)
  t.same(principle[0].diff.slice(-1), [{ op: 'insert', text: ' (fixture edit)' }])
  const activity = body.changed[1].fields[0]
  t.equal(activity.from, 'Create spaces for new ideas to emerge.')
  t.equal(activity.to, 'Create spaces for new ideas to emerge. (fixture edit)')
  t.same(body.moved[0].from, { parent: 'co-design', position: 1 })
  t.same(body.moved[0].to, { parent: 'co-design', position: 6 })
  t.same(body.metadata.map((f: { field: string }) => f.field), ['released', 'citation'])
  t.same(body.metadata[0], { field: 'released', from: '2021-09', to: '2022-01', diff: [{ op: 'delete', text: '2021-09' }, { op: 'insert', text: '2022-01' }] })

  const reverse = (await inject('/v1/frameworks/isp/1.1/changes?from=1.2')).json()
  t.same(pairs(reverse.added), ['activity:brokering-a7', 'question:question-10'])
  t.same(pairs(reverse.removed), ['activity:co-learning-a8'])
  t.same(pairs(reverse.moved), ['activity:co-design-a1'])

  const none = (await inject('/v1/frameworks/isp/1.1/changes?from=1.1')).json()
  t.same(none.summary, { added: 0, removed: 0, changed: 0, moved: 0 })
  t.same(none.metadata, [])

  const latest = await inject('/v1/frameworks/isp/latest/changes?from=1.1')
  t.equal(latest.body, res.body, 'latest resolves to 1.2')
})
