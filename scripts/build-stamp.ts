/**
 * Whether the build in dist/ is the build of the sources as they are, so `npm start` builds only
 * when something changed (a fresh clone, a pull, an edit) instead of recompiling and re-bundling
 * on every start. The build writes a stamp (a SHA-256 of every input's path and bytes) into dist/
 * when it is done; `npm start` runs this script's check, compiled (dist/scripts/build-stamp.js),
 * with plain node: exit 0 when the stamp matches the inputs and the bundle is there, 1 otherwise
 * (and when this file has not been compiled yet, node's own failure does the same).
 * Contents, not mtimes: a checkout or a copy changes mtimes without changing the build.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { projectRoot } from '../src/paths.js'
import { bundleFiles, defaultOutDir } from './bundle.js'

/** What the build is made from: the sources, the scripts, the dependency lock and the compiler settings. */
export const buildInputs = ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']

/** Where the stamp is written, beside the bundle. */
export const stampFile = (outDir = defaultOutDir): string => join(outDir, 'build-stamp.json')

function files (path: string): string[] {
  if (!existsSync(path)) return []
  try {
    return readdirSync(path, { withFileTypes: true })
      .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
      .flatMap((entry) => entry.isDirectory() ? files(join(path, entry.name)) : entry.isFile() ? [join(path, entry.name)] : [])
  } catch {
    return [path]
  }
}

/** A SHA-256 over the relative path and bytes of every build input under `root`. */
export function inputsHash (root = projectRoot): string {
  const hash = createHash('sha256')
  for (const input of buildInputs) {
    for (const file of files(join(root, input))) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0')
    }
  }
  return hash.digest('hex')
}

/** Records that the build in `outDir` is of the inputs as they are now. */
export function writeStamp (root = projectRoot, outDir = defaultOutDir): void {
  writeFileSync(stampFile(outDir), `${JSON.stringify({ inputs: inputsHash(root) })}\n`)
}

/** Whether `outDir` holds a bundle built from the inputs as they are now. */
export function isFresh (root = projectRoot, outDir = defaultOutDir): boolean {
  const { launcher, server } = bundleFiles(outDir)
  if (!existsSync(launcher) || !existsSync(server) || !existsSync(stampFile(outDir))) return false
  try {
    return (JSON.parse(readFileSync(stampFile(outDir), 'utf8')) as { inputs?: unknown }).inputs === inputsHash(root)
  } catch {
    return false
  }
}

if (process.argv[1] !== undefined && /build-stamp\.[jt]s$/.test(process.argv[1])) {
  if (process.argv[2] === '--write') writeStamp()
  else if (!isFresh()) {
    process.stdout.write('sources changed since the last build: building\n')
    process.exitCode = 1
  }
}
