/** Every route of the formats plugin is described for OpenAPI: operationId, summary, tags, response schema. */
import t from 'tap'
import Fastify, { type RouteOptions } from 'fastify'
import formats from '../../src/formats/plugin.js'
import caseProviders, { caseRouteSchemas } from '../../src/case/index.js'
import resolver, { resolverSchemas } from '../../src/resolver/index.js'
import openapi from '../../src/web/openapi.js'
import { caseComponents } from '../../src/formats/case-schemas.js'
import repository from '../../src/catalog/plugin.js'
import { openRepository, testConfig } from '../helpers/app.js'

t.test('operation ids are unique and every route is documented', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  const routes: RouteOptions[] = []
  const config = testConfig()
  // The shared schemas (Problem, for the resolver's errors) come with the OpenAPI plugin, and the CASE and resolver ones, as in the app.
  await app.register(openapi, { config, schemas: [...caseComponents, ...caseRouteSchemas, ...resolverSchemas] })
  app.addHook('onRoute', (route) => { routes.push(route) })
  await app.register(repository, { dbPath: '', repository: openRepository(t) })
  await app.register(formats, { config })
  await app.register(caseProviders)
  await app.register(resolver)
  await app.ready()
  const gets = routes.filter((r) => r.method === 'GET' || (Array.isArray(r.method) && r.method.includes('GET')))
  // CASE 1.0 and 1.1 (13 each), the resolver and two contexts; the alignments are REST routes.
  t.ok(gets.length >= 29, `${gets.length} routes`)
  const ids = new Set<string>()
  for (const route of gets) {
    const schema = (route.schema ?? {}) as { operationId?: string, summary?: string, tags?: string[], response?: Record<string, unknown> }
    t.type(schema.operationId, 'string', `${route.url} has an operationId`)
    t.type(schema.summary, 'string', `${route.url} has a summary`)
    t.ok((schema.tags ?? []).length > 0, `${route.url} is tagged`)
    t.ok(schema.response?.[200] !== undefined, `${route.url} describes its 200 response`)
    t.notOk(ids.has(schema.operationId ?? ''), `${schema.operationId ?? ''} is unique`)
    ids.add(schema.operationId ?? '')
  }
})
