/** The word diff: minimal, rebuilds both texts, edits start at words, bounded work on long texts. */
import t from 'tap'
import fc from 'fast-check'
import { diffText, tokenize, type DiffRun } from '../../src/content/text-diff.js'

/** Both texts back from a diff, and whether its runs are merged and non-empty. */
function check (runs: DiffRun[], a: string, b: string): boolean {
  const before = runs.filter((r) => r.op !== 'insert').map((r) => r.text).join('')
  const after = runs.filter((r) => r.op !== 'delete').map((r) => r.text).join('')
  return before === a && after === b && runs.every((r, i) => r.text !== '' && (i === 0 || runs[i - 1]!.op !== r.op))
}

t.test('word diffs as a reader would mark them', async (t) => {
  t.same(diffText('Create spaces for new ideas.', 'Create safe spaces for ideas.'), [
    { op: 'equal', text: 'Create ' },
    { op: 'insert', text: 'safe ' },
    { op: 'equal', text: 'spaces for ' },
    { op: 'delete', text: 'new ' },
    { op: 'equal', text: 'ideas.' }
  ], 'edits start at a word, not at the space before it')
  t.same(diffText('Create spaces for new ideas to emerge.', 'Create spaces for new ideas to emerge. (fixture edit)'),
    [{ op: 'equal', text: 'Create spaces for new ideas to emerge.' }, { op: 'insert', text: ' (fixture edit)' }], 'an appended sentence keeps its leading space')
  t.same(diffText('the quick brown fox', 'the slow brown fox'),
    [{ op: 'equal', text: 'the ' }, { op: 'delete', text: 'quick' }, { op: 'insert', text: 'slow' }, { op: 'equal', text: ' brown fox' }])
  t.same(diffText('same', 'same'), [{ op: 'equal', text: 'same' }])
  t.same(diffText('', 'new'), [{ op: 'insert', text: 'new' }])
  t.same(diffText('old', ''), [{ op: 'delete', text: 'old' }])
  t.same(diffText('', ''), [])
  t.same(tokenize('a  b\nc'), ['a', '  ', 'b', '\n', 'c'])
})

t.test('every diff rebuilds both texts, with merged non-empty runs', async (t) => {
  const words = (tokens: string[]) => fc.array(fc.constantFrom(...tokens), { maxLength: 40 }).map((w) => w.join(''))
  for (const tokens of [['a', 'b', 'c', 'dd', ' ', '\n', 'e.'], ['trust', 'build', 'the', 'and', '**bold**', 'x', ' ', '\n\n', '  ']]) {
    fc.assert(fc.property(words(tokens), words(tokens), (a, b) => check(diffText(a, b), a, b)), { numRuns: 500 })
  }
  t.pass('500 random pairs of each vocabulary')
})

t.test('the diff is minimal: it keeps a longest common sequence of tokens', async (t) => {
  const lcsLength = (a: string[], b: string[]): number => {
    const row = new Array<number>(b.length + 1).fill(0)
    for (const x of a) {
      let diagonal = 0
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!
        row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!)
        diagonal = above
      }
    }
    return row[b.length]!
  }
  const words = fc.array(fc.constantFrom('a', 'b', 'c', ' ', '\n'), { maxLength: 30 }).map((w) => w.join(''))
  fc.assert(fc.property(words, words, (a, b) => {
    const kept = diffText(a, b).filter((r) => r.op === 'equal').flatMap((r) => tokenize(r.text)).length
    return kept === lcsLength(tokenize(a), tokenize(b))
  }), { numRuns: 300 })
  t.pass('equal tokens = LCS length')
})

t.test('beyond the edit budget: one deletion, one insertion', async (t) => {
  const long = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ')
  const other = Array.from({ length: 3000 }, (_, i) => `v${i}`).join(' ')
  t.same(diffText(long, other).map((r) => r.op), ['delete', 'insert'])
  const edited = long.replace('w1500', 'changed')
  t.same(diffText(long, edited).map((r) => r.op), ['equal', 'delete', 'insert', 'equal'], 'a small edit in a long text is still found')
})
