/** npm run seed: build the content database from the seeds (always rebuilds, atomically). */
import { loadConfig, seedRoots } from '../src/config.js'
import { bundledSeedsDir } from '../src/paths.js'
import { buildDatabase } from '../src/store/build.js'

try {
  const config = loadConfig()
  const started = performance.now()
  const result = buildDatabase({ roots: seedRoots(config, bundledSeedsDir), dbPath: config.DB_PATH })
  const ms = Math.round(performance.now() - started)
  process.stdout.write(`built ${config.DB_PATH} from ${result.versions.map((v) => `${v.framework}@${v.version}`).join(', ')} in ${ms} ms\n`)
} catch (err) {
  process.stderr.write(`seed failed: ${(err as Error).message}\n`)
  process.exit(1)
}
