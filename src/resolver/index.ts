/**
 * Linked-data resolution: every published identifier at /uri/{uuid} (uri.ts) and the JSON-LD
 * contexts that documents name (/contexts/…).
 */
import fp from 'fastify-plugin'
import { Type } from '@sinclair/typebox'
import { JSON_LD, jsonLdProfiles, type JsonLdProfile } from '../formats/jsonld.js'
import uri from './uri.js'

const contextOperations = { ctdl: 'getCtdlAsnContext', 'schema.org': 'getSchemaOrgContext' } as const

export default fp(async (app) => {
  await app.register(uri, { catalog: app.formats })
  for (const [key, profile] of Object.entries(jsonLdProfiles) as Array<[JsonLdProfile, typeof jsonLdProfiles[JsonLdProfile]]>) {
    const body = JSON.stringify(profile.context)
    app.get(profile.contextPath, {
      ...app.httpCache.route({ cacheControl: 'public, max-age=86400', byUrl: true }),
      schema: {
        operationId: contextOperations[key],
        summary: `The JSON-LD context of the ${profile.iri} profile`,
        tags: ['formats'],
        response: {
          200: { description: 'A JSON-LD context.', content: { [JSON_LD]: { schema: Type.Object({}, { additionalProperties: true, description: 'A JSON-LD context.' }) } } }
        }
      }
    }, async (_request, reply) => reply.type(JSON_LD).send(body))
  }
}, { name: 'resolver', dependencies: ['formats', 'openapi', 'http-cache'] })
