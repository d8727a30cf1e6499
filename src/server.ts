/**
 * The process: configuration (environment and flags), database, logger, listen, graceful
 * shutdown. On SIGTERM or SIGINT it stops accepting connections, finishes the requests in
 * flight, closes the database and exits 0; after SHUTDOWN_TIMEOUT it gives up and exits 1.
 * A bad setting stops it at once with exit code 1 and a message naming the setting.
 */
import closeWithGrace from 'close-with-grace'
import { build } from './app.js'
import { ConfigError, loadConfig, parseFlags, seedRoots, usage } from './config.js'
import { SeedError } from './content/load.js'
import { bundledSeedsDir } from './paths.js'
import { loggerOptions } from './web/logging.js'
import { ensureDatabase } from './store/build.js'
import { DatabaseStartupError, fixFor, isSqliteError } from './store/integrity.js'

async function main (): Promise<void> {
  const flags = parseFlags(process.argv.slice(2))
  if (flags.help) {
    process.stdout.write(usage())
    return
  }
  const config = loadConfig({ ...process.env, ...flags.settings })
  const built = ensureDatabase({ roots: seedRoots(config, bundledSeedsDir), dbPath: config.DB_PATH })
  const app = await build({ config, logger: loggerOptions(config) }).catch((err: unknown) => {
    throw isSqliteError(err) ? new DatabaseStartupError(config.DB_PATH, `could not be opened: ${(err as Error).message}`, fixFor(err, config.DB_PATH)) : err
  })
  if (built.removed !== undefined) app.log.warn({ db: config.DB_PATH, removed: built.removed }, 'removed the temporary files of interrupted builds')
  if (built.integrity !== undefined) app.log.warn({ db: config.DB_PATH, problem: built.integrity }, 'the content database failed its integrity check and was rebuilt from the seeds')
  if (built.stale !== undefined) app.log.warn({ db: config.DB_PATH, reason: built.stale }, 'serving a stale content database: it could not be rebuilt from the current seeds')
  app.log.info({ db: config.DB_PATH, rebuilt: built.rebuilt, versions: built.versions }, 'content database ready')

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT, logger: { error: (message: unknown) => app.log.error(message) } }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    app.stopAccepting()
    await app.close()
    app.log.info('closed')
  })
  await app.listen({ port: config.PORT, host: config.HOST })
}

main().catch((err: unknown) => {
  const operational = err instanceof ConfigError || err instanceof SeedError || typeof (err as { code?: unknown }).code === 'string'
  process.stderr.write(`${operational ? (err as Error).message : (err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
