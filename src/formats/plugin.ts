/** Shares the renderers' derived forms (version identities, CASE packages, published identifiers) as `app.formats`. */
import fp from 'fastify-plugin'
import { publicUrl, type Config } from '../config.js'
import { FormatCatalog } from './catalog.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The export formats' derived content: version views, CASE packages, published identifiers. */
    formats: FormatCatalog
  }
}

export default fp<{ config: Config }>(async (app, { config }) => {
  app.decorate('formats', new FormatCatalog(app.catalog, publicUrl(config)))
}, { name: 'formats', dependencies: ['repository'] })
