/**
 * Alignment targets: a competency, key activity or sub-point of a curriculum's pinned version,
 * named by uuid, slug id or code. An unknown name gets suggestions: the codes and ids it is a
 * typo of, and the versions of the framework that do have it.
 */
import type { VersionRecord } from '../content/model.js'
import type { Repository } from '../store/repository.js'
import type { Target } from './store/repository.js'

export interface TargetIndex {
  /** By uuid (lower case), slug id and code. */
  byName: Map<string, Target>
  targets: Target[]
}

const indexes = new WeakMap<VersionRecord, TargetIndex>()

/** Every competency, key activity and sub-point of a version, indexed by each of its names. Built once per version. */
export function targetIndex (repo: Repository, v: VersionRecord): TargetIndex {
  let index = indexes.get(v)
  if (index === undefined) {
    const targets: Target[] = []
    for (const c of repo.entities('competency').list(v)) targets.push({ uuid: c.uuid, type: 'competency', id: c.id, code: c.code })
    for (const a of repo.entities('activity').list(v)) {
      targets.push({ uuid: a.uuid, type: 'activity', id: a.id, code: a.code })
      for (const s of a.subpoints) targets.push({ uuid: s.uuid, type: 'subpoint', id: s.id, code: s.code })
    }
    const byName = new Map<string, Target>()
    for (const t of targets) {
      byName.set(t.uuid.toLowerCase(), t)
      byName.set(t.id, t)
      byName.set(t.code, t)
    }
    index = { byName, targets }
    indexes.set(v, index)
  }
  return index
}

/** The target a name stands for in the version, if any. */
export function resolveTarget (repo: Repository, v: VersionRecord, name: string): Target | undefined {
  return targetIndex(repo, v).byName.get(/^[0-9a-f-]{36}$/i.test(name) ? name.toLowerCase() : name)
}

/** Levenshtein distance, stopping early past `max`. */
function distance (a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length] ?? max + 1
}

/** What an unknown target name could have meant, in words: near codes or ids, other versions that have it. */
export function suggestTargets (repo: Repository, v: VersionRecord, name: string): string[] {
  const suggestions: string[] = []
  const upper = name.toUpperCase()
  const exactOtherCase = targetIndex(repo, v).byName.get(upper) ?? targetIndex(repo, v).byName.get(name.toLowerCase())
  if (exactOtherCase !== undefined) suggestions.push(`${exactOtherCase.code} (${exactOtherCase.id})`)
  const near = targetIndex(repo, v).targets
    .map((t) => ({ t, d: Math.min(distance(name, t.code, 2), distance(name, t.id, 2)) }))
    .filter((x) => x.d <= 2 && x.t !== exactOtherCase)
    .sort((x, y) => x.d - y.d || x.t.code.localeCompare(y.t.code))
    .slice(0, 5)
  for (const { t } of near) suggestions.push(`${t.code} (${t.id})`)
  for (const other of repo.versions()) {
    if (other.framework !== v.framework || other.vkey === v.vkey) continue
    const found = resolveTarget(repo, other, name)
    if (found !== undefined) suggestions.push(`${name} is ${found.type} ${found.code} in ${other.framework} ${other.number}, not in ${v.number}`)
  }
  return suggestions
}

/**
 * The message for a target name the pinned version does not hold, with its suggestions: near codes
 * or ids to choose from, and the other versions that have it. It ends without punctuation, so
 * that problem details and row errors can close it with their own.
 */
export function unknownTargetMessage (name: string, where: string, suggestions: readonly string[]): string {
  return `"${name}" is not a competency, key activity or sub-point of ${where}${suggestions.length > 0 ? `; suggestions: ${suggestions.join('; ')}` : ''}`
}
