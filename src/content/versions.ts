/**
 * Version numbers compare part by part, numerically where both parts are numbers (1.10 > 1.9).
 * A pre-release (`1.2-rc.1`) sorts before its release (`1.2`).
 */
export function compareVersions (a: string, b: string): number {
  const [coreA = '', preA] = splitPre(a)
  const [coreB = '', preB] = splitPre(b)
  const core = compareParts(coreA.split('.'), coreB.split('.'))
  if (core !== 0) return core
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1
  return compareParts(preA.split('.'), preB.split('.'))
}

function splitPre (v: string): [string, string | undefined] {
  const dash = v.indexOf('-')
  return dash === -1 ? [v, undefined] : [v.slice(0, dash), v.slice(dash + 1)]
}

function compareParts (pa: string[], pb: string[]): number {
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const nx = Number(x)
    const ny = Number(y)
    const diff = Number.isInteger(nx) && Number.isInteger(ny) ? nx - ny : x.localeCompare(y)
    if (diff !== 0) return Math.sign(diff)
  }
  return 0
}
