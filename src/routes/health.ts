/** GET /health: the frameworks and versions this instance serves. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

export const Health = Type.Object({
  status: Type.Literal('ok', { description: 'Always `ok` when the service answers.' }),
  frameworks: Type.Array(Type.Object({
    id: Type.String({ description: 'Framework id.' }),
    latest: Type.String({ description: 'The newest version number.' }),
    versions: Type.Array(Type.String(), { description: 'Loaded version numbers, newest first.' })
  }, { additionalProperties: false }), { description: 'The loaded frameworks.' })
}, { $id: 'Health', additionalProperties: false, description: 'Service health and the loaded content.' })

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      summary: 'Service health and loaded frameworks',
      tags: ['health'],
      response: { 200: Health }
    }
  }, async () => ({
    status: 'ok' as const,
    frameworks: app.repo.frameworks().map((f) => ({
      id: f.id,
      latest: f.versions[0]?.number ?? '',
      versions: f.versions.map((v) => v.number)
    }))
  }))
}

export default health
