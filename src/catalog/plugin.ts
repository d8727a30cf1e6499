/** Opens the content database read-only and shares it as `app.repo`, and the catalog built on it as `app.catalog`. */
import fp from 'fastify-plugin'
import { Repository } from '../store/repository.js'
import { Catalog } from './catalog.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The only way into the content database. */
    repo: Repository
    /** The content as every interface renders it: one index per version, built once. */
    catalog: Catalog
  }
}

export interface RepositoryPluginOptions {
  /** A repository the caller owns (tests); otherwise `dbPath` is opened and closed with the app. */
  repository?: Repository
  dbPath: string
}

export default fp<RepositoryPluginOptions>(async (app, opts) => {
  const repo = opts.repository ?? new Repository(opts.dbPath)
  app.decorate('repo', repo)
  app.decorate('catalog', new Catalog(repo))
  if (opts.repository === undefined) {
    app.addHook('onClose', async () => {
      repo.close()
      app.log.info('content database closed')
    })
  }
}, { name: 'repository' })
