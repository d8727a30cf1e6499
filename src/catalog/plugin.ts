/** Opens the content database read-only and shares the repository as `app.repo`. */
import fp from 'fastify-plugin'
import { Repository } from '../store/repository.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The only way into the content database. */
    repo: Repository
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
  if (opts.repository === undefined) {
    app.addHook('onClose', async () => {
      repo.close()
      app.log.info('content database closed')
    })
  }
}, { name: 'repository' })
