/** Items grouped by a key, each group in the items' order; the one grouping helper of the codebase. */
export function groupBy<T> (items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = out.get(k)
    if (group === undefined) out.set(k, [item])
    else group.push(item)
  }
  return out
}
