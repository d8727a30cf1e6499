/**
 * The version diff REST and GraphQL both serve: matched by id, a word diff per field, moves by
 * parent or by order among the siblings both versions share. Checked against the fixture
 * version's documented edits (test/fixtures/seeds/README.md) and against edited copies of 1.1.
 */
import t from 'tap'
import fc from 'fast-check'
import { diffVersions, fieldsOf, longestIncreasing, ownText, type ComparedVersion } from '../../src/content/changes.js'
import type { ActivityRecord } from '../../src/content/model.js'
import { Catalog } from '../../src/catalog/catalog.js'
import type { Repository } from '../../src/store/repository.js'
import { openRepository } from '../helpers/app.js'

function content (repo: Repository, number: string): ComparedVersion {
  const version = repo.version('isp', number)!
  return { version, records: new Catalog(repo).index(version).records }
}

/** An editable copy of a version, labelled as another version number. */
function copy (c: ComparedVersion, number: string): ComparedVersion {
  return { version: { ...structuredClone(c.version), number }, records: structuredClone(c.records) }
}

const activitiesOf = (c: ComparedVersion, competency: string): ActivityRecord[] => c.records.activity.filter((a) => a.competency === competency)

/** Puts a competency's activities in the order of `ids`, renumbering their positions as the repository would. */
function reorder (c: ComparedVersion, competency: string, ids: string[]): void {
  const others = c.records.activity.filter((a) => a.competency !== competency)
  const mine = ids.map((id, i) => ({ ...c.records.activity.find((a) => a.id === id)!, position: i + 1 }))
  c.records.activity = [...others, ...mine]
}

const rows = (list: Array<{ type: string, id: string }>) => list.map((e) => `${e.type}:${e.id}`)

t.test('isp 1.1 → 1.2: exactly the fixture\'s documented edits', async (t) => {
  const repo = openRepository(t, true)
  const [v11, v12] = [content(repo, '1.1'), content(repo, '1.2')]
  const changes = diffVersions(v11, v12)
  t.equal(changes.from, '1.1')
  t.equal(changes.to, '1.2')
  t.same(changes.added.map((c) => [c.type, c.id, c.code, c.before, c.after]), [['activity', 'co-learning-a8', 'C01.A08', null, { parent: 'co-learning', position: 8 }]])
  t.same(changes.removed.map((c) => [c.type, c.id, c.after]), [['activity', 'brokering-a7', null], ['question', 'question-10', null]])
  t.same(changes.moved.map((c) => [c.type, c.id, c.before, c.after]), [['activity', 'co-design-a1', { parent: 'co-design', position: 1 }, { parent: 'co-design', position: 6 }]])
  t.same(changes.changed.map((c) => [c.type, c.id, c.fields.map((f) => f.field)]), [['principle', 'be-curious', ['description']], ['activity', 'co-learning-a2', ['text']]])
  const text = changes.changed[1]!.fields[0]!
  t.equal(text.before, 'Create spaces for new ideas to emerge.')
  t.equal(text.after, 'Create spaces for new ideas to emerge. (fixture edit)')
  t.same(text.diff, [{ op: 'equal', text: 'Create spaces for new ideas to emerge.' }, { op: 'insert', text: ' (fixture edit)' }])
  t.same(changes.metadata.map((f) => f.field), ['released', 'citation'], 'framework.json: the release and the citation')
  t.same(changes.metadata[0], { field: 'released', before: '2021-09', after: '2022-01', diff: [{ op: 'delete', text: '2021-09' }, { op: 'insert', text: '2022-01' }] })

  const back = diffVersions(v12, v11)
  t.same(rows(back.added), ['activity:brokering-a7', 'question:question-10'], 'reversed: removed becomes added')
  t.same(rows(back.removed), ['activity:co-learning-a8'])
  t.same(rows(back.moved), ['activity:co-design-a1'])

  const same = diffVersions(v11, v11)
  t.same([same.added, same.removed, same.changed, same.moved, same.metadata], [[], [], [], [], []], 'a version against itself')
})

t.test('added, removed and changed, keyed by id; sub-points are entities of their own', async (t) => {
  const repo = openRepository(t)
  const v11 = content(repo, '1.1')
  const next = copy(v11, '2.0')
  const [a1, a2, a3] = activitiesOf(next, 'co-learning') as [ActivityRecord, ActivityRecord, ActivityRecord]
  next.records.activity = next.records.activity.filter((a) => a !== a2)
  a3.text = `${a3.text} Changed.`
  const added: ActivityRecord = { ...structuredClone(a1), id: 'co-learning-a99', code: 'C01.A99', uuid: '00000000-0000-4000-8000-000000000099', position: 99 }
  next.records.activity.push(added)
  const withSubpoints = next.records.activity.find((a) => a.id === 'communication-a1')!
  const dropped = withSubpoints.subpoints.pop()!
  withSubpoints.subpoints[0]!.text = 'A new sub-point text.'
  next.records.definition[0]!.code = 'DEF99'
  const subtitle = next.version.meta.subtitle
  delete next.version.meta.subtitle

  const d = diffVersions(v11, next)
  t.same(rows(d.added), ['activity:co-learning-a99'])
  t.same(rows(d.removed), [`activity:${a2.id}`, `subpoint:${dropped.id}`], 'in guide order: the activity, then the sub-point')
  t.same(d.changed.map((c) => [c.type, c.id, c.fields.map((f) => f.field)]), [
    ['activity', a3.id, ['text']],
    ['activity', 'communication-a1', ['subitems']],
    ['subpoint', 'communication-a1-s1', ['text']],
    ['definition', next.records.definition[0]!.id, ['code']]
  ], 'a sub-point edit changes the sub-point and its activity\'s subitems; codes are compared')
  t.same(d.changed[0]!.fields[0]!.diff.slice(-1), [{ op: 'insert', text: ' Changed.' }])
  t.match(d.changed[1]!.fields[0]!, { before: /^- /, after: /^- A new sub-point text\./ }, 'lists are compared as Markdown lists')
  t.same(d.moved, [], 'a removal shifts positions but moves nothing')
  t.same(d.metadata.map((f) => [f.field, f.before, f.after]), [['subtitle', subtitle, null]], 'metadata the newer version has none of')
  t.same(d.removed[1]!.before, { parent: 'communication-a1', position: withSubpoints.subpoints.length + 1 })
})

t.test('moves: a new parent, or another order among the siblings both versions share', async (t) => {
  const repo = openRepository(t)
  const v11 = content(repo, '1.1')
  const ids = activitiesOf(v11, 'co-learning').map((a) => a.id)

  const rotated = copy(v11, '2.0')
  reorder(rotated, 'co-learning', [...ids.slice(1), ids[0]!])
  const r = diffVersions(v11, rotated)
  t.same(r.moved.map((m) => [m.id, m.before, m.after]), [[ids[0], { parent: 'co-learning', position: 1 }, { parent: 'co-learning', position: ids.length }]], 'only the rotated activity moved')
  t.same(r.changed, [], 'a move is not a change of text')

  const inserted = copy(v11, '2.0')
  const first = activitiesOf(inserted, 'co-learning')[0]!
  reorder(inserted, 'co-learning', ids)
  inserted.records.activity.push({ ...structuredClone(first), id: 'co-learning-a0', code: 'C01.A00', position: 0 })
  t.same(diffVersions(v11, inserted).moved, [], 'an insertion at the front moves nothing')

  const reparented = copy(v11, '2.0')
  const moving = reparented.records.activity.find((a) => a.id === 'co-learning-a1')!
  moving.competency = 'brokering'
  moving.position = 8
  const p = diffVersions(v11, reparented)
  t.same(p.moved.map((c) => [c.id, c.before, c.after]), [['co-learning-a1', { parent: 'co-learning', position: 1 }, { parent: 'brokering', position: 8 }]],
    'positions count the siblings in the repository\'s order')
  t.same(p.changed, [])
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

t.test('an entity\'s own text: its code and words, not its children\'s', async (t) => {
  const repo = openRepository(t)
  const activity = content(repo, '1.1').records.activity.find((a) => a.subpoints.length > 0)!
  const edited = structuredClone(activity)
  edited.subpoints[0]!.text = 'Another sub-point.'
  t.not(fieldsOf(edited).subitems, fieldsOf(activity).subitems, 'the diff sees the sub-point edit on the activity')
  t.equal(ownText(edited), ownText(activity), 'but the activity\'s own text is the same')
  t.not(ownText({ ...activity, code: 'C99.A01' }), ownText(activity), 'a new code is a new text')
  t.equal(ownText({ ...activity, position: 99 }), ownText(activity), 'a new place is not')
})
