/**
 * Opens the curricula store (see store/open.ts) and shares it as `app.curricula`, closing it with
 * the app. Tests may hand in an open store instead.
 */
import fp from 'fastify-plugin'
import { closeStore, openStore, type StoreOptions } from './store/open.js'
import type { CurriculaRepository } from './store/repository.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The curricula store: institutions, keys, curricula, courses, alignments. */
    curricula: CurriculaRepository
  }
}

export interface CurriculaStorePluginOptions {
  /** A store the caller owns; otherwise one is opened from `store` and closed with the app. */
  repository?: CurriculaRepository
  store: StoreOptions
}

export default fp<CurriculaStorePluginOptions>(async (app, opts) => {
  const repo = opts.repository ?? await openStore({
    ...opts.store,
    onPoolError: (err) => app.log.warn({ err }, 'curricula database connection lost')
  })
  app.decorate('curricula', repo)
  // Metrics (when on) see every query and the PostgreSQL pool.
  if (app.hasDecorator('observeStore')) repo.observe(app.observeStore('curricula', repo.dialect, () => repo.poolStats()))
  if (opts.repository === undefined) {
    app.addHook('onClose', async () => {
      await closeStore(repo)
      app.log.info('curricula database closed')
    })
  }
  app.log.info({ dialect: repo.dialect }, 'curricula store ready')
}, { name: 'curricula-store' })
