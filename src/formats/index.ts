/**
 * Interoperability formats: the CASE 1.0 and 1.1 providers (/ims/case/v1p0, /ims/case/v1p1, each
 * with its own imsx_StatusInfo error handling), the URI resolver (/uri/{uuid}) and the JSON-LD
 * contexts (/contexts/…). Shares the derived forms as `app.formats`, from which the REST API
 * serves JSON-LD, CSV and the OB3 alignments (src/http/representations.ts, routes/alignments.ts).
 */
import fp from 'fastify-plugin'
import { Type } from '@sinclair/typebox'
import { publicUrl, type Config } from '../config.js'
import { FormatCatalog } from './catalog.js'
import caseRoutes from './case-routes.js'
import { caseSegment, caseVersions } from './case-schemas.js'
import { JSON_LD, jsonLdProfiles, type JsonLdProfile } from './jsonld.js'
import resolver from './resolver.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The export formats' derived content: version views, CASE packages, published identifiers. */
    formats: FormatCatalog
  }
}

export default fp<{ config: Config }>(async (app, { config }) => {
  const catalog = new FormatCatalog(app.repo, publicUrl(config))
  app.decorate('formats', catalog)

  for (const caseVersion of caseVersions) {
    await app.register(caseRoutes, { prefix: `/ims/case/${caseSegment(caseVersion)}`, caseVersion, catalog })
  }
  await app.register(resolver, { catalog })

  const contextOperations = { ctdl: 'getCtdlAsnContext', 'schema.org': 'getSchemaOrgContext' } as const
  for (const [key, profile] of Object.entries(jsonLdProfiles) as Array<[JsonLdProfile, typeof jsonLdProfiles[JsonLdProfile]]>) {
    const body = JSON.stringify(profile.context)
    app.get(profile.contextPath, {
      schema: {
        operationId: contextOperations[key],
        summary: `The JSON-LD context of the ${profile.iri} profile`,
        tags: ['formats'],
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'A JSON-LD context.' }) }
      }
    }, async (_request, reply) => reply.type(JSON_LD).header('Cache-Control', 'public, max-age=86400').send(body))
  }
}, { name: 'formats', dependencies: ['repository', 'openapi'] })
