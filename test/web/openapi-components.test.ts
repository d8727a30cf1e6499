/**
 * What the OpenAPI document repeats becomes a component: schemas written out in more than one
 * place (named after the property they describe), successes with a named schema, and the
 * `required: false` @fastify/swagger writes on every optional parameter is left to OpenAPI's default.
 */
import t from 'tap'
import { hoistRepeated, shareRepeatedSchemas, sharedSchemaMinLength, type ComponentsDocument } from '../../src/web/openapi-components.js'

const lastChange = { format: 'date-time', description: 'When this record last changed (ISO 8601), long enough to be worth a component.', type: 'string' }
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
type Schemas = Record<string, { properties?: Record<string, unknown>, items?: unknown }>
const schemasOf = (doc: ComponentsDocument): Schemas => doc.components!.schemas as Schemas

t.test('a subschema written out in two places is one component, named after its property within the owners\' family', async (t) => {
  const doc = shareRepeatedSchemas({
    components: {
      schemas: {
        CASE_v1p0_CFItem: { type: 'object', properties: { lastChangeDateTime: structuredClone(lastChange), title: { type: 'string' } } },
        CASE_v1p1_CFItem: { type: 'object', properties: { lastChangeDateTime: structuredClone(lastChange), title: { type: 'string' } } }
      }
    }
  })
  const schemas = schemasOf(doc)
  t.same(schemas.CASE_LastChangeDateTime, lastChange, 'the component is the schema as it was written')
  t.same(schemas.CASE_v1p0_CFItem!.properties!.lastChangeDateTime, ref('CASE_LastChangeDateTime'))
  t.same(schemas.CASE_v1p1_CFItem!.properties!.lastChangeDateTime, ref('CASE_LastChangeDateTime'))
  t.same(schemas.CASE_v1p0_CFItem!.properties!.title, { type: 'string' }, `a schema shorter than ${sharedSchemaMinLength} characters stays in place`)
})

t.test('a subschema equal to a component refers to it, even where it is written once', async (t) => {
  const statement = { type: 'object', description: 'A paragraph or list statement.', properties: { text: { type: 'string' } } }
  const doc = shareRepeatedSchemas({
    components: {
      schemas: {
        Statement: structuredClone(statement),
        SeedCompetencies: { type: 'array', items: { type: 'object', properties: { overview: { type: 'array', items: structuredClone(statement) } } } }
      }
    },
    paths: { '/s': { get: { responses: { 200: { content: { 'application/json': { schema: structuredClone(statement) } } } } } } }
  })
  const competency = schemasOf(doc).SeedCompetencies!.items as { properties: { overview: { items: unknown } } }
  t.same(competency.properties.overview.items, ref('Statement'))
  t.same((doc.paths!['/s']!.get!.responses!['200'] as { content: Record<string, { schema: unknown }> }).content['application/json']!.schema, ref('Statement'), 'an operation\'s schema too')
  t.same(Object.keys(schemasOf(doc)), ['Statement', 'SeedCompetencies'], 'no new component')
})

t.test('where the property\'s name is taken, the component is named after its first owner and the property', async (t) => {
  const version = { description: 'The framework version this representation comes from, at some length.', type: 'string' }
  const doc = shareRepeatedSchemas({
    components: {
      schemas: {
        Version: { type: 'object', properties: { number: { type: 'string' } } },
        Principle: { type: 'object', properties: { version: structuredClone(version) } },
        Domain: { type: 'object', properties: { version: structuredClone(version) } }
      }
    }
  })
  const schemas = schemasOf(doc)
  t.same(schemas.Principle_version, version)
  t.same(schemas.Domain!.properties!.version, ref('Principle_version'))
  t.same(schemas.Version, { type: 'object', properties: { number: { type: 'string' } } }, 'the component of that name is untouched')
})

t.test('a shared object takes its parts with it; a part also used elsewhere is shared on its own', async (t) => {
  const name = { minLength: 1, description: 'The author\'s name as printed on the cover of the guide.', type: 'string' }
  const author = { type: 'object', description: 'One of the guide\'s authors.', properties: { name: structuredClone(name) } }
  const doc = shareRepeatedSchemas({
    components: {
      schemas: {
        Version: { type: 'object', properties: { authors: { type: 'array', description: 'In cover order.', items: structuredClone(author) } } },
        SeedFramework: { type: 'object', properties: { authors: { type: 'array', items: structuredClone(author) } } }
      }
    }
  })
  const schemas = schemasOf(doc)
  t.same(schemas.Author, author, 'the items of `authors` are an Author, with its name inside')
  t.same(schemas.Version!.properties!.authors, { type: 'array', description: 'In cover order.', items: ref('Author') })
  t.same(schemas.SeedFramework!.properties!.authors, { type: 'array', items: ref('Author') })
  t.same(Object.keys(schemas), ['Version', 'SeedFramework', 'Author'])

  const again = shareRepeatedSchemas({
    components: {
      schemas: {
        Version: { type: 'object', properties: { authors: { type: 'array', description: 'In cover order.', items: structuredClone(author) } } },
        SeedFramework: { type: 'object', properties: { authors: { type: 'array', items: structuredClone(author) } } },
        Editor: { type: 'object', properties: { name: structuredClone(name) } }
      }
    }
  })
  const more = schemasOf(again)
  t.same(more.Author, { ...author, properties: { name: ref('Name') } })
  t.same(more.Editor!.properties!.name, ref('Name'))
  t.same(more.Name, name)
})

t.test('a variant of a property is named after the property', async (t) => {
  const url = { format: 'uri', pattern: '^https?://', maxLength: 2048, description: 'Where it is.', type: 'string' }
  const doc = shareRepeatedSchemas({
    components: {
      schemas: {
        CourseCreate: { type: 'object', properties: { url: { anyOf: [structuredClone(url), { type: 'null' }], description: 'Create.' } } },
        CoursePatch: { type: 'object', properties: { url: { anyOf: [structuredClone(url), { type: 'null' }], description: 'Patch.' } } }
      }
    }
  })
  const schemas = schemasOf(doc)
  t.same(schemas.CourseUrl, url)
  t.same(schemas.CoursePatch!.properties!.url, { anyOf: [ref('CourseUrl'), { type: 'null' }], description: 'Patch.' })
})

t.test('a repeated success is a component only under the name of its schema; optional parameters lose `required: false`', async (t) => {
  const headers = { ETag: { description: 'The entity tag.', schema: { type: 'string' } } }
  const list = { description: 'OK', headers, content: { 'application/json': { schema: ref('ActivityList') } } }
  const context = { description: 'A JSON-LD context.', content: { 'application/ld+json': { schema: { type: 'object' } } } }
  const limit = { in: 'query', name: 'limit', required: false, schema: { type: 'integer' } }
  const doc: ComponentsDocument = hoistRepeated({
    paths: {
      '/a': { get: { parameters: [structuredClone(limit)], responses: { 200: structuredClone(list) } } },
      '/c/{id}/a': { get: { parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' } }], responses: { 200: structuredClone(list) } } },
      '/x': { get: { responses: { 200: structuredClone(context) } } },
      '/y': { get: { responses: { 200: structuredClone(context) } } }
    }
  })
  t.same(doc.paths!['/a']!.get!.responses!['200'], { $ref: '#/components/responses/ActivityList' })
  t.same(doc.paths!['/c/{id}/a']!.get!.responses!['200'], { $ref: '#/components/responses/ActivityList' })
  t.same((doc.components!.responses as Record<string, unknown>).ActivityList, { ...list, headers: { ETag: { $ref: '#/components/headers/ETag' } } })
  t.same(doc.paths!['/x']!.get!.responses!['200'], context, 'a success without a named schema stays in place')
  t.same(doc.paths!['/a']!.get!.parameters, [{ in: 'query', name: 'limit', schema: { type: 'integer' } }])
  t.same(doc.paths!['/c/{id}/a']!.get!.parameters![0]!.required, true, 'a path parameter is still required')
})
