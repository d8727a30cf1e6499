/**
 * REST API v1, mounted at /v1. Read-only views over the repository, one rendered per version,
 * every response computed once and served from memory afterwards (see web/response-cache.ts and route.ts).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { publicUrl, type Config } from '../config.js'
import { ResponseCache } from '../web/response-cache.js'
import { refuseMethods } from '../web/methods.js'
import { RestContext } from './route.js'
import { registerAlignments } from './routes/alignments.js'
import { registerEntities } from './routes/entities.js'
import { registerFrameworks } from './routes/frameworks.js'
import { registerSearch } from './routes/search.js'
import { Renderings } from './rendered.js'
import { Urls } from '../web/urls.js'

export interface RestOptions {
  config: Config
  /** A response cache to use (tests pass a small one); one is made otherwise. */
  cache?: ResponseCache
}

/** The response cache, reporting to the metrics when they are on. */
function observedCache (app: FastifyInstance): ResponseCache {
  const cache: ResponseCache = new ResponseCache({}, app.observeCache('response', () => cache.stats()))
  return cache
}

const rest: FastifyPluginAsync<RestOptions> = async (app, opts) => {
  if (!app.hasDecorator('formats')) throw new Error('register the formats plugin before the REST API: it renders JSON-LD, CSV and alignments from app.formats')
  const urls = new Urls(publicUrl(opts.config))
  const renderings = new Renderings(app.catalog, urls)
  const ctx = new RestContext(app, { urls, cache: opts.cache ?? observedCache(app), renderings, prefix: app.prefix })

  // Once listening, every version is indexed and rendered in the background, in slices between
  // requests: the first request for a large framework then finds it ready instead of stalling
  // every other request while it is built (rendered.ts, catalog/steps.ts). In-process tests
  // (inject) never listen, and build what they ask for on demand, as before.
  app.addHook('onListen', function warmUp (done) {
    setImmediate(() => {
      const started = performance.now()
      renderings.warm().then(
        () => { app.log.debug({ ms: Math.round(performance.now() - started) }, 'every version indexed and rendered') },
        (err: unknown) => { app.log.warn({ err }, 'warming the versions up failed; each will be built on its first request') }
      )
    })
    done()
  })

  registerFrameworks(app, ctx)
  registerEntities(app, ctx)
  registerAlignments(app, ctx)
  registerSearch(app, ctx)

  // The API is read-only: other methods on its paths are a 405 with Allow, not a 404.
  refuseMethods(app, '/*', ['POST', 'PUT', 'PATCH', 'DELETE'], 'The REST API is read-only: use GET or HEAD.')
}

export default rest
