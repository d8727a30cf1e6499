/** The process: configuration, database, logger, listen, graceful shutdown. */
import closeWithGrace from 'close-with-grace'
import { build } from './app.js'
import { ConfigError, loadConfig, seedRoots } from './config.js'
import { SeedError } from './content/load.js'
import { bundledSeedsDir } from './paths.js'
import { ensureDatabase } from './store/build.js'

async function main (): Promise<void> {
  const config = loadConfig()
  const built = ensureDatabase({ roots: seedRoots(config, bundledSeedsDir), dbPath: config.DB_PATH })
  const app = await build({ config, logger: { level: config.LOG_LEVEL } })
  app.log.info({ db: config.DB_PATH, rebuilt: built.rebuilt, versions: built.versions }, 'content database ready')

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ port: config.PORT, host: config.HOST })
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof SeedError) {
    process.stderr.write(`${err.message}\n`)
  } else {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
  }
  process.exit(1)
})
