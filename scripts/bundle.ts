/**
 * The production server as one file. esbuild bundles `src/server.ts` and the packages it imports
 * into `dist/server.mjs`, which `npm start`, the Docker image, `npm run load` and `npm run bench`
 * run. Node then reads and compiles one file instead of resolving, reading and linking some
 * thousand modules one by one, which was a third of a cold start.
 *
 * A few packages stay outside the bundle, loaded from node_modules as usual: better-sqlite3
 * (a native addon), and those that read their own files at run time relative to their own folder
 * (Swagger UI's pages and @fastify/static serving them, pino's worker threads for transports,
 * @fastify/swagger reading its package.json). `npm run build` runs this after tsc.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { projectRoot } from '../src/paths.js'

/** Packages loaded from node_modules at run time rather than bundled. */
export const external = ['better-sqlite3', '@fastify/swagger-ui', '@fastify/static', '@fastify/swagger', 'pino', 'pino-pretty']

/** Where `npm run build` writes the bundle. */
export const defaultOutfile = join(projectRoot, 'dist', 'server.mjs')

/**
 * Bundles the server into `outfile`, which must lie inside the project (the server finds the
 * project root, its seeds and node_modules by walking up from its own file). Returns the number
 * of source files bundled.
 */
export async function bundleServer (outfile = defaultOutfile): Promise<number> {
  mkdirSync(dirname(outfile), { recursive: true })
  const result = await build({
    entryPoints: [join(projectRoot, 'src', 'server.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    // CommonJS packages inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error'
  })
  return Object.keys(result.metafile.inputs).length
}

if (process.argv[1] !== undefined && /bundle\.[jt]s$/.test(process.argv[1])) {
  try {
    const inputs = await bundleServer()
    process.stdout.write(`bundled ${inputs} files into ${defaultOutfile}\n`)
  } catch (err) {
    process.stderr.write(`bundle failed: ${(err as Error).message}\n`)
    process.exitCode = 1
  }
}
