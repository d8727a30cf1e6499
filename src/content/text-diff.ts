/**
 * A word-level text diff (Myers' O(ND) algorithm over words and the whitespace between them).
 * Pure: changes.ts uses it to show how a field's text changed between versions.
 */

export interface DiffRun {
  op: 'equal' | 'delete' | 'insert'
  text: string
}

/** One token of an edit script. */
type Edit = [DiffRun['op'], string]

/** Beyond this many edits the middle of a diff is reported as one deletion and one insertion. */
const MAX_EDITS = 400

/** Splits text into words and whitespace runs; joining the tokens gives the text back. */
export function tokenize (text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? []
}

function push (runs: DiffRun[], op: DiffRun['op'], text: string): void {
  if (text === '') return
  const last = runs[runs.length - 1]
  if (last !== undefined && last.op === op) last.text += text
  else runs.push({ op, text })
}

/** The shortest edit script between two token lists, or null if it needs more than MAX_EDITS edits. */
function myers (a: string[], b: string[]): Edit[] | null {
  const n = a.length
  const m = b.length
  const max = Math.min(n + m, MAX_EDITS)
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  // trace[d] holds v[-d..d] as it was before step d (only those diagonals are read back).
  const trace: Int32Array[] = []
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2))
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) { x++; y++ }
      v[offset + k] = x
      if (x >= n && y >= m) return backtrack(a, b, trace, d)
    }
  }
  return null
}

function backtrack (a: string[], b: string[], trace: Int32Array[], depth: number): Edit[] {
  const ops: Edit[] = []
  let x = a.length
  let y = b.length
  for (let d = depth; d >= 0; d--) {
    const saved = trace[d]!
    const at = (k: number): number => saved[k + d + 1]!
    const k = x - y
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1
    const prevX = d === 0 ? 0 : at(prevK)
    const prevY = d === 0 ? 0 : prevX - prevK
    while (x > prevX && y > prevY) {
      ops.push(['equal', a[x - 1]!])
      x--
      y--
    }
    if (d > 0) {
      if (x === prevX) ops.push(['insert', b[prevY]!])
      else ops.push(['delete', a[prevX]!])
    }
    x = prevX
    y = prevY
  }
  return ops.reverse()
}

/** The word-level diff turning `from` into `to`, as runs of equal, deleted and inserted text. */
export function diffText (from: string, to: string): DiffRun[] {
  const a = tokenize(from)
  const b = tokenize(to)
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB-- }

  const middleA = a.slice(start, endA)
  const middleB = b.slice(start, endB)
  const script = myers(middleA, middleB) ?? [
    ...middleA.map((x): Edit => ['delete', x]),
    ...middleB.map((x): Edit => ['insert', x])
  ]
  const ops: Edit[] = [
    ...a.slice(0, start).map((x): Edit => ['equal', x]),
    ...script,
    ...a.slice(endA).map((x): Edit => ['equal', x])
  ]
  const runs: DiffRun[] = []
  for (const [op, text] of slideToWords(ops)) push(runs, op, text)
  return runs
}

const isSpace = (token: string): boolean => /^\s/.test(token)

/**
 * Of the equally short scripts, prefers the one whose edits start at a word: a run of insertions
 * (or deletions) that starts with whitespace, followed by that same whitespace unchanged, is
 * shifted right by one token (` new` + ` ` becomes ` ` + `new `), as a reader would mark it.
 */
function slideToWords (ops: Edit[]): Edit[] {
  const out = ops.slice()
  let i = 0
  while (i < out.length) {
    const op = out[i]![0]
    if (op === 'equal') {
      i++
      continue
    }
    let end = i
    while (end < out.length && out[end]![0] === op) end++
    const next = out[end]
    if (next !== undefined && next[0] === 'equal' && next[1] === out[i]![1] && isSpace(next[1])) {
      out[end] = [op, next[1]]
      out[i] = ['equal', next[1]]
      i++
      continue
    }
    i = end
  }
  return out
}
