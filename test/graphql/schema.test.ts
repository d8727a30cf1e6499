/**
 * The committed schema/schema.graphql is exactly what the running server serves, and every type,
 * field, argument and enum value in it has a description.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildClientSchema, getIntrospectionQuery, isEnumType, isInputObjectType, isInterfaceType, isObjectType, printSchema, type IntrospectionQuery } from 'graphql'
import { graphqlSchema } from '../../scripts/artifacts.js'
import { buildApp } from '../helpers/app.js'
import { gql } from '../helpers/graphql.js'

const committed = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8')

// GraphiQL 3 asks for all of these.
const introspection = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true })

t.test('schema/schema.graphql is the running schema', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, introspection)
  t.equal(res.body.errors, undefined, 'GraphiQL\'s introspection query passes every limit')
  const running = buildClientSchema(res.body.data as unknown as IntrospectionQuery)
  t.equal(committed, `${printSchema(running)}\n`, 'the committed file matches the server; run `npm run generate`')
  t.equal(graphqlSchema().content, committed, 'the generated artifact matches the committed file')
})

t.test('every type, field, argument and enum value has a description', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, introspection)
  const schema = buildClientSchema(res.body.data as unknown as IntrospectionQuery)
  t.ok((schema.description ?? '').length > 0, 'the schema itself')
  const missing: string[] = []
  const check = (name: string, description: string | null | undefined): void => {
    if (description === undefined || description === null || description.trim() === '') missing.push(name)
  }
  let fields = 0
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue
    check(type.name, type.description)
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        fields++
        check(`${type.name}.${field.name}`, field.description)
        for (const arg of 'args' in field ? field.args : []) check(`${type.name}.${field.name}(${arg.name})`, arg.description)
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description)
  }
  t.ok(fields > 150, `${fields} fields checked`)
  t.same(missing, [], 'nothing lacks a description')
})

t.test('the types the issue names are all there', async (t) => {
  const app = await buildApp(t)
  const res = await gql(app, introspection)
  const schema = buildClientSchema(res.body.data as unknown as IntrospectionQuery)
  for (const name of ['Framework', 'FrameworkVersion', 'Principle', 'Domain', 'Competency', 'Activity', 'Hint', 'Definition', 'ReflectiveQuestion', 'Dilemma', 'Resource', 'SearchHit', 'Node']) {
    t.ok(schema.getType(name), name)
  }
  const query = schema.getQueryType()!.getFields()
  t.same(Object.keys(query).sort(), ['competency', 'curricula', 'curriculum', 'framework', 'frameworks', 'node', 'nodes', 'search'])
  t.equal(query.competency!.args.find((a) => a.name === 'framework')!.defaultValue, 'isp')
  t.equal(query.competency!.args.find((a) => a.name === 'version')!.defaultValue, 'latest')
  const version = (schema.getType('FrameworkVersion') as import('graphql').GraphQLObjectType).getFields()
  for (const list of ['principles', 'domains', 'competencies', 'activities', 'hints', 'definitions', 'questions', 'dilemmas', 'resources']) {
    t.same(version[list]!.args.filter((a) => ['first', 'offset', 'q'].includes(a.name)).map((a) => a.name).sort(), ['first', 'offset', 'q'], `${list} pages and filters`)
  }
  t.ok(version.changes && version.search, 'changes and search on FrameworkVersion')
})
