/**
 * The production server as one file. esbuild bundles `src/server.ts` and the packages it imports
 * into `dist/server.cjs`, and the launcher (`src/launch.ts`) into `dist/server.mjs`, which
 * `npm start`, the Docker image, `npm run load` and `npm run bench` run. Node then reads and
 * compiles one file instead of resolving, reading and linking some 850 modules one by one, which
 * was a third of a cold start; the launcher adds V8's code cache, which this script writes by
 * starting the bundled server once and stopping it.
 *
 * A few packages stay outside the bundle, loaded from node_modules as usual: better-sqlite3
 * (a native addon), pino and pino-pretty (pino's worker threads for transports load files by
 * path), and OpenTelemetry's and ioredis, which only a server with tracing on or REDIS_URL set
 * loads. The OpenAPI packages are bundled, so that V8's code cache holds them too (outside it,
 * compiling @fastify/swagger, @fastify/swagger-ui, @fastify/static and their yaml on every start
 * was a sixth of its CPU): Swagger UI finds its pages and logo through `ownFolders` below, and
 * @fastify/swagger reads its own package.json only for the document's default info.title and
 * info.version, which src/web/openapi.ts always sets. `npm run build` runs this after tsc.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { projectRoot } from '../src/paths.js'
import { IMAGE_ENV } from './processes.js'

/** Packages loaded from node_modules at run time rather than bundled. */
export const external = [
  'better-sqlite3', 'pino', 'pino-pretty',
  // Loaded only when tracing is on (src/web/tracing.ts): kept out, so a server without it parses none of their code.
  '@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/resources', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http',
  // Loaded only when REDIS_URL is set (src/web/shared-rate-limit.ts), for the same reason.
  'ioredis'
]

/**
 * Swagger UI reads its logo and serves its pages from its own folder, which it finds as
 * `__dirname`: in the bundle, that would be dist/. This points its `__dirname` back at the folder
 * in node_modules the file came from, found at run time as Node would find the package.
 */
const ownFolders: Plugin = {
  name: 'own-folders',
  setup (build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@fastify[\\/]swagger-ui[\\/](index|lib[\\/]\w+)\.js$/ }, (args) => {
      const folder = /[\\/]lib[\\/]\w+\.js$/.test(args.path) ? 'lib' : ''
      const found = `require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui')), ${JSON.stringify(folder)})`
      return { contents: readFileSync(args.path, 'utf8').replaceAll('__dirname', found), loader: 'js', resolveDir: dirname(args.path) }
    })
  }
}

/** Where `npm run build` writes the bundle and the launcher. */
export const defaultOutDir = join(projectRoot, 'dist')

/** The files of a bundle in `outDir`. */
export function bundleFiles (outDir: string): { launcher: string, server: string, cache: string } {
  return { launcher: join(outDir, 'server.mjs'), server: join(outDir, 'server.cjs'), cache: join(outDir, 'server.cjs.cache') }
}

/** The file production runs: the launcher. */
export const defaultOutfile = bundleFiles(defaultOutDir).launcher

/**
 * The bundle's text with every UTF-16 unit outside ASCII written as a `\uXXXX` escape. The escape
 * means the same in a string, a template, a regular expression or an identifier, and is harmless
 * in a comment; lines stay in place (only columns after such a character on its line move, in the
 * source map).
 *
 * Upstream behaviour relied on (pinned in test/architecture/levers.test.ts): V8 holds a string
 * with one character above U+00FF as two-byte text, all of it, so one such character in the
 * bundle doubles the memory of its source for as long as the process lives; and esbuild's charset
 * 'ascii' escapes strings but leaves comments it keeps (ip-address's "—") and regular
 * expressions (markdown-it's "ẞ") as they are (esbuild 0.28). Remove this pass when esbuild
 * escapes those too (the pinning test then fails); test/scripts/bundle.test.ts still checks the
 * bundle is ASCII.
 */
export function asciiOnly (text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * Bundles the server and its launcher into `outDir`, which must lie inside the project (the
 * server finds the project root, its seeds and node_modules by walking up from its own file).
 * Returns the number of source files in the server bundle.
 */
export async function bundleServer (outDir = defaultOutDir): Promise<number> {
  mkdirSync(outDir, { recursive: true })
  const files = bundleFiles(outDir)
  const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'error', sourcemap: 'linked' } as const
  const server = await build({
    ...common,
    entryPoints: [join(projectRoot, 'src', 'server.ts')],
    outfile: files.server,
    format: 'cjs',
    external,
    plugins: [ownFolders],
    // The sources are ES modules; in a CommonJS bundle import.meta.url is the bundle's own URL.
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
    charset: 'ascii',
    metafile: true
  })
  writeFileSync(files.server, asciiOnly(readFileSync(files.server, 'utf8')))
  // V8 would take back a cache made for another bundle of the same length (see src/launch.ts).
  rmSync(files.cache, { force: true })
  await build({ ...common, entryPoints: [join(projectRoot, 'src', 'launch.ts')], outfile: files.launcher, format: 'esm' })
  return Object.keys(server.metafile.inputs).length
}

/**
 * Writes the code cache: starts the bundled server on a free loopback port with a database of
 * its own, waits until it listens, asks it for a few representative resources (so their code is
 * compiled too), then stops it with SIGTERM; the launcher writes the cache as the process exits.
 */
export async function warmCodeCache (outDir = defaultOutDir): Promise<void> {
  const files = bundleFiles(outDir)
  const dbDir = mkdtempSync(join(tmpdir(), 'isp-bundle-'))
  const child = spawn(process.execPath, [files.launcher], {
    // Under production's heap flags: V8 takes back only a cache made under the same flags.
    env: { PATH: process.env.PATH ?? '', ...IMAGE_ENV, HOST: '127.0.0.1', PORT: '0', DB_PATH: join(dbDir, 'content.db'), LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  try {
    let base: string | undefined
    for (let waited = 0; base === undefined; waited += 50) {
      if (child.exitCode !== null || waited > 30_000) throw new Error(`the bundled server did not start: ${output}`)
      base = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const version = '/v1/frameworks/isp/latest'
    for (const path of ['/health/ready', `${version}/competencies?include=activities,hint`, `${version}/competencies/co-learning`, '/v1/search?q=trust']) {
      await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'gzip, br' } }).then(async (r) => await r.arrayBuffer())
    }
    await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ frameworks { id } }' }) }).then(async (r) => await r.arrayBuffer())
    child.kill('SIGTERM')
    const code = await exited
    if (code !== 0) throw new Error(`the bundled server exited with ${code}: ${output}`)
    if (!existsSync(files.cache)) throw new Error(`no code cache was written to ${files.cache}`)
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(dbDir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && /bundle\.[jt]s$/.test(process.argv[1])) {
  try {
    const inputs = await bundleServer()
    await warmCodeCache()
    process.stdout.write(`bundled ${inputs} files into ${bundleFiles(defaultOutDir).server}, its launcher ${defaultOutfile} and code cache\n`)
  } catch (err) {
    process.stderr.write(`bundle failed: ${(err as Error).message}\n`)
    process.exitCode = 1
  }
}
