/**
 * Reads and validates seed folders. Nothing here touches the database: a seed set either loads
 * whole, or the first problem is thrown as a SeedError naming the file, JSON pointer and rule.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { seedFiles, type SeedFileName, type VersionSeed } from './schema.js'
import { compareVersions } from './versions.js'

export class SeedError extends Error {
  constructor (readonly file: string, readonly pointer: string, readonly rule: string) {
    super(`${file}${pointer === '' ? '' : ` at ${pointer}`}: ${rule}`)
    this.name = 'SeedError'
  }
}

/** A validated version folder. */
export interface LoadedVersion {
  dir: string
  seed: VersionSeed
  /** SHA-256 over the folder's seed files, in a fixed order. */
  checksum: string
}

if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (value) => URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value))

const checkers = Object.fromEntries(
  Object.entries(seedFiles).map(([name, schema]) => [name, TypeCompiler.Compile(schema as TSchema)])
) as Record<SeedFileName, TypeCheck<TSchema>>

const fileNames = Object.keys(seedFiles) as SeedFileName[]

function subdirectories (dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory()).sort()
}

function readSeedFile (dir: string, name: SeedFileName): { raw: Buffer, value: unknown } {
  const file = join(dir, name)
  if (!existsSync(file)) throw new SeedError(file, '', 'required seed file is missing')
  const raw = readFileSync(file)
  let value: unknown
  try {
    value = JSON.parse(raw.toString('utf8'))
  } catch (err) {
    throw new SeedError(file, '', `invalid JSON: ${(err as Error).message}`)
  }
  const first = checkers[name].Errors(value).First()
  if (first !== undefined) {
    throw new SeedError(file, first.path === '' ? '/' : first.path, `${first.message} (schema ${name.replace('.json', '.schema.json')})`)
  }
  return { raw, value }
}

interface Keyed { id: string, code: string, pointer: string, file: string }

function * keyedEntities (dir: string, seed: VersionSeed): Generator<Keyed> {
  const at = (name: SeedFileName, pointer: string, e: { id: string, code: string }): Keyed =>
    ({ id: e.id, code: e.code, pointer, file: join(dir, name) })
  for (const [i, p] of seed.principles.entries()) yield at('principles.json', `/${i}`, p)
  for (const [i, d] of seed.domains.entries()) yield at('domains.json', `/${i}`, d)
  for (const [i, c] of seed.competencies.entries()) {
    yield at('competencies.json', `/${i}`, c)
    for (const [j, a] of c.activities.entries()) {
      yield at('competencies.json', `/${i}/activities/${j}`, a)
      for (const [k, s] of (a.subpoints ?? []).entries()) yield at('competencies.json', `/${i}/activities/${j}/subpoints/${k}`, s)
    }
    yield at('competencies.json', `/${i}/hint`, c.hint)
  }
  for (const [i, d] of seed.definitions.entries()) yield at('definitions.json', `/${i}`, d)
  for (const [i, q] of seed.questions.entries()) yield at('questions.json', `/${i}`, q)
  for (const [i, d] of seed.dilemmas.dilemmas.entries()) yield at('dilemmas.json', `/dilemmas/${i}`, d)
  for (const [i, g] of seed.resources.groups.entries()) {
    for (const [j, r] of g.resources.entries()) yield at('resources.json', `/groups/${i}/resources/${j}`, r)
  }
}

function checkIntegrity (dir: string, frameworkId: string, versionName: string, seed: VersionSeed): void {
  const meta = join(dir, 'framework.json')
  if (seed.framework.id !== frameworkId) throw new SeedError(meta, '/id', `framework id "${seed.framework.id}" must match its folder name "${frameworkId}"`)
  if (seed.framework.version !== versionName) throw new SeedError(meta, '/version', `version "${seed.framework.version}" must match its folder name "${versionName}"`)

  const ids = new Map<string, Keyed>()
  const codes = new Map<string, Keyed>()
  for (const e of keyedEntities(dir, seed)) {
    const idClash = ids.get(e.id)
    if (idClash !== undefined) throw new SeedError(e.file, `${e.pointer}/id`, `duplicate id "${e.id}", already used at ${idClash.file} ${idClash.pointer}`)
    const codeClash = codes.get(e.code)
    if (codeClash !== undefined) throw new SeedError(e.file, `${e.pointer}/code`, `duplicate code "${e.code}", already used at ${codeClash.file} ${codeClash.pointer}`)
    ids.set(e.id, e)
    codes.set(e.code, e)
  }
  const domainIds = new Set(seed.domains.map((d) => d.id))
  for (const [i, c] of seed.competencies.entries()) {
    if (!domainIds.has(c.domain)) throw new SeedError(join(dir, 'competencies.json'), `/${i}/domain`, `unknown domain "${c.domain}"`)
  }
}

/** Loads and validates one version folder, `<root>/<framework>/<version>/`. */
export function loadVersion (dir: string, frameworkId: string, versionName: string): LoadedVersion {
  const hash = createHash('sha256')
  const values: Record<string, unknown> = {}
  for (const name of fileNames) {
    const { raw, value } = readSeedFile(dir, name)
    hash.update(name).update('\0').update(raw).update('\0')
    values[name.replace('.json', '')] = value
  }
  const seed = values as unknown as VersionSeed
  checkIntegrity(dir, frameworkId, versionName, seed)
  return { dir, seed, checksum: hash.digest('hex') }
}

/**
 * Loads every `<framework>/<version>/` folder under the given roots. The same framework version in
 * two roots is an error. Versions come back grouped by framework, newest first.
 */
export function loadSeeds (roots: string[]): LoadedVersion[] {
  const loaded: LoadedVersion[] = []
  const seen = new Map<string, string>()
  for (const root of roots) {
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new SeedError(root, '', 'seed folder does not exist')
    for (const frameworkId of subdirectories(root)) {
      for (const versionName of subdirectories(join(root, frameworkId))) {
        const dir = join(root, frameworkId, versionName)
        const key = `${frameworkId}@${versionName}`
        const other = seen.get(key)
        if (other !== undefined) throw new SeedError(dir, '', `${key} is already loaded from ${other}`)
        seen.set(key, dir)
        loaded.push(loadVersion(dir, frameworkId, versionName))
      }
    }
  }
  if (loaded.length === 0) throw new SeedError(roots.join(', '), '', 'no framework versions found')
  return loaded.sort((a, b) =>
    a.seed.framework.id.localeCompare(b.seed.framework.id) || compareVersions(b.seed.framework.version, a.seed.framework.version))
}

/** One checksum over a whole seed set, to decide whether a built database is current. */
export function seedSetChecksum (versions: LoadedVersion[], buildFormat: number): string {
  const hash = createHash('sha256').update(`format ${buildFormat}\n`)
  for (const v of versions) hash.update(`${v.seed.framework.id}@${v.seed.framework.version} ${v.checksum}\n`)
  return hash.digest('hex')
}
