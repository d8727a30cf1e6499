/**
 * The production entry point. `npm run build` bundles this file alone into `dist/server.mjs`
 * and the server into `dist/server.cjs` (see scripts/bundle.ts); this runs the second through
 * V8's code cache, `dist/server.cjs.cache`.
 *
 * Node 20 compiles every function of a module the first time it runs, on every start. V8 can
 * serialize the code it compiled for a script and take it back on the next start, skipping the
 * parse and the compile: about a fifth of a cold start here. The cache is written when the
 * process exits, so it holds every function that ran (start-up and request handling), and only
 * when there was none or V8 refused it. `npm run build` starts and stops the server once to write
 * it; a process that cannot write next to the bundle (a read-only image) simply runs without one.
 *
 * Upstream behaviour relied on (pinned in test/architecture/levers.test.ts): V8 refuses a cache
 * made by another V8 version or under other V8 flags, or for a source of another length, and then
 * compiles the source afresh; but it compares only the source's length, so a cache made for a
 * different bundle of the same length would run that bundle's code. Hence the build deletes the
 * cache after it rewrites the bundle, and a process writes one only if the bundle was not
 * rewritten since it read it. Remove this launcher when package.json's engines require Node 22.1
 * or later: `module.enableCompileCache()` does the same and checks the source's contents.
 */
import { readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { constants, Script } from 'node:vm'

/**
 * The V8 heap flags production runs with (the Docker image's NODE_OPTIONS, `npm start`, and the
 * load, fault and benchmark runs; test/dockerfile.test.ts checks they agree), and under which
 * `npm run build` writes the code cache: V8 refuses a cache made under other flags.
 *
 * Left to itself on a large machine, V8 lets the old generation grow to four times what is live
 * before collecting it, so a flood of large requests (whose bodies outlive a scavenge or two while
 * they wait their turn) grew RSS by 160-180 MB. With a 384 MB ceiling V8 grows it far less (the
 * same flood: +56-67 MB, 10% fewer requests served), while the live heap (35-60 MB) stays far
 * below it. A smaller ceiling also shrinks the young generation, which costs cached requests a
 * quarter more CPU; `--max-semi-space-size=16` keeps it at its size on large machines. Raise the
 * ceiling with NODE_OPTIONS for a framework far larger than the guide (the process then compiles
 * without the code cache, about a fifth slower to start).
 */
export const HEAP_OPTIONS = '--max-old-space-size=384 --max-semi-space-size=16'

/** What happened to the code cache on this start. */
export type CodeCacheState = 'used' | 'absent' | 'rejected'

/**
 * Writes the code V8 has compiled for `script` so far, through a temporary file and a rename,
 * unless `file` was written since it was read (`read`: its modification time then), as when it
 * was rebuilt while this process ran.
 */
function writeCache (script: Script, cacheFile: string, file: string, read: number): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`
  try {
    if (statSync(file).mtimeMs !== read) return
    writeFileSync(temporary, script.createCachedData())
    renameSync(temporary, cacheFile)
  } catch {
    // Not writable here (a read-only file system, another user's folder): run without one.
    rmSync(temporary, { force: true })
  }
}

/**
 * Runs a CommonJS file as `require` would, compiled with its code cache when V8 accepts it.
 * When there is no cache or V8 refused it, one is written as the process exits.
 */
export function runWithCodeCache (file: string, cacheFile = `${file}.cache`): CodeCacheState {
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const read = statSync(file).mtimeMs
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  })
  const state: CodeCacheState = cachedData === undefined ? 'absent' : script.cachedDataRejected === true ? 'rejected' : 'used'
  if (state !== 'used') process.once('exit', () => writeCache(script, cacheFile, file, read))
  const module = { exports: {} }
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void
  wrapper(module.exports, createRequire(file), module, file, dirname(file))
  return state
}

// Run as the entry point (through a symlink too, as Node resolves this module's own path).
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runWithCodeCache(join(dirname(fileURLToPath(import.meta.url)), 'server.cjs'))
}
