/**
 * Linked-data resolution: every published identifier at /uri/{uuid} (uri.ts) and the JSON-LD
 * contexts that documents name (/contexts/…).
 */
import fp from 'fastify-plugin'
import { Type } from '@sinclair/typebox'
import { JSON_LD, jsonLdProfiles, type JsonLdProfile } from '../formats/jsonld.js'
import { ref } from '../web/schemas/common.js'
import uri from './uri.js'

/** A JSON-LD context, as the OpenAPI document names it (one component for every context). */
export const JsonLdContext = Type.Object({}, { $id: 'JsonLdContext', additionalProperties: true, description: 'A JSON-LD context.' })

/** The component schemas of the resolver's routes. */
export const resolverSchemas = [JsonLdContext]

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
          200: { description: JsonLdContext.description, content: { [JSON_LD]: { schema: ref(JsonLdContext) } } }
        }
      }
    }, async (_request, reply) => reply.type(JSON_LD).send(body))
  }
}, { name: 'resolver', dependencies: ['formats', 'openapi', 'http-cache'] })
