/**
 * The version diff: matched by id, word-level text diffs, moves by parent or by order among the
 * siblings both versions share. Checked against the fixture version's documented edits.
 */
import t from 'tap'
import fc from 'fast-check'
import { diffText, diffVersions, type VersionContent } from '../../src/content/changes.js'
import type { VersionRecord } from '../../src/content/model.js'
import type { Repository } from '../../src/store/repository.js'
import { openRepository } from '../helpers/app.js'

function content (repo: Repository, v: VersionRecord): VersionContent {
  return {
    principles: repo.entities('principle').list(v),
    domains: repo.entities('domain').list(v),
    competencies: repo.entities('competency').list(v),
    activities: repo.entities('activity').list(v),
    hints: repo.entities('hint').list(v),
    definitions: repo.entities('definition').list(v),
    questions: repo.entities('question').list(v),
    dilemmas: repo.entities('dilemma').list(v),
    resources: repo.entities('resource').list(v)
  }
}

t.test('diffText rebuilds both texts', async (t) => {
  t.same(diffText('Create spaces for new ideas.', 'Create safe spaces for ideas.'), [
    { op: 'equal', text: 'Create ' },
    { op: 'insert', text: 'safe ' },
    { op: 'equal', text: 'spaces for ' },
    { op: 'delete', text: 'new ' },
    { op: 'equal', text: 'ideas.' }
  ])
  t.same(diffText('same', 'same'), [{ op: 'equal', text: 'same' }])
  t.same(diffText('', 'new'), [{ op: 'insert', text: 'new' }])
  t.same(diffText('old', ''), [{ op: 'delete', text: 'old' }])
  const words = fc.array(fc.constantFrom('trust', 'build', 'the', 'and', '**bold**', 'x', ' ', '\n\n', '  '), { maxLength: 30 }).map((w) => w.join(''))
  fc.assert(fc.property(words, words, (a, b) => {
    const segments = diffText(a, b)
    const before = segments.filter((s) => s.op !== 'insert').map((s) => s.text).join('')
    const after = segments.filter((s) => s.op !== 'delete').map((s) => s.text).join('')
    return before === a && after === b && segments.every((s, i) => s.text !== '' && (i === 0 || segments[i - 1]!.op !== s.op))
  }), { numRuns: 500 })
})

t.test('isp 1.1 → 1.2: exactly the fixture\'s documented edits', async (t) => {
  const repo = openRepository(t, true)
  const from = repo.version('isp', '1.1')!
  const to = repo.version('isp', '1.2')!
  const changes = diffVersions(content(repo, from), content(repo, to), { from: '1.1', to: '1.2' })
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

  const back = diffVersions(content(repo, to), content(repo, from), { from: '1.2', to: '1.1' })
  t.same(back.added.map((c) => c.id), ['brokering-a7', 'question-10'], 'reversed: removed becomes added')
  t.same(back.removed.map((c) => c.id), ['co-learning-a8'])
  t.same(back.moved.map((c) => c.id), ['co-design-a1'])

  const same = diffVersions(content(repo, from), content(repo, from), { from: '1.1', to: '1.1' })
  t.same([same.added, same.removed, same.changed, same.moved], [[], [], [], []], 'a version against itself')
})

t.test('a new parent is a move; codes and list fields are compared', async (t) => {
  const repo = openRepository(t)
  const v = repo.version('isp', '1.1')!
  const before = content(repo, v)
  const after = structuredClone(before)
  const moved = after.activities.find((a) => a.id === 'co-learning-a1')!
  moved.competency = 'brokering'
  moved.position = 8
  after.activities.find((a) => a.id === 'communication-a1')!.subpoints.pop()
  after.definitions[0]!.code = 'DEF99'
  const changes = diffVersions(before, after, { from: 'a', to: 'b' })
  t.same(changes.moved.map((c) => [c.id, c.before, c.after]), [['co-learning-a1', { parent: 'co-learning', position: 1 }, { parent: 'brokering', position: 8 }]])
  t.same(changes.changed.map((c) => [c.id, c.fields.map((f) => f.field)]), [['communication-a1', ['subitems']], [before.definitions[0]!.id, ['code']]])
  t.match(changes.changed[0]!.fields[0]!.diff, [{ op: 'equal' }, { op: 'delete' }])
})
