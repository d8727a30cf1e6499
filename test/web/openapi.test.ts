/**
 * The contract: the committed openapi.yaml (and every other generated file) is what the code
 * generates, it is a valid OpenAPI document, every operation is described, the server serves it,
 * the docs need nothing from elsewhere, and the contract check itself catches violations.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { Validator } from '@seriousme/openapi-schema-validator'
import { projectRoot } from '../../src/paths.js'
import { artifacts } from '../../scripts/artifacts.js'
import { buildApp } from '../helpers/app.js'
import { document, resolved, violations } from '../helpers/contract.js'
import { sharedSchemaMinLength } from '../../src/web/openapi-components.js'

const committed = readFileSync(join(projectRoot, 'openapi.yaml'), 'utf8')

t.test('committed generated files are what the code generates (run `npm run generate`)', async (t) => {
  const generated = await artifacts()
  t.ok(generated.some((a) => a.path === 'openapi.yaml'))
  t.ok(generated.some((a) => a.path.startsWith('schema/')))
  for (const { path, content } of generated) {
    t.equal(readFileSync(join(projectRoot, path), 'utf8'), content, `${path} is up to date`)
  }
})

t.test('openapi.yaml is a valid OpenAPI 3.1 document', async (t) => {
  const validator = new Validator()
  const result = await validator.validate(parse(committed))
  t.same(result.errors ?? [], [], 'no validation errors')
  t.equal(result.valid, true)
  t.equal(validator.version, '3.1')
})

interface Param { name: string, in: string, example?: unknown, examples?: unknown, schema?: { examples?: unknown }, $ref?: string }
interface Op { operationId?: string, summary?: string, tags?: string[], parameters?: Param[], responses: Record<string, { content?: Record<string, { example?: unknown, examples?: unknown }> }> }

t.test('every operation has an operationId, a summary and tags; REST operations have examples', async (t) => {
  const ids = new Set<string>()
  let operations = 0
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Op>)) {
      operations++
      const name = `${method.toUpperCase()} ${path}`
      t.ok(op.operationId, `${name}: operationId`)
      t.notOk(ids.has(op.operationId!), `${name}: operationId is unique`)
      ids.add(op.operationId!)
      t.ok(op.summary, `${name}: summary`)
      t.ok((op.tags ?? []).length > 0, `${name}: tags`)
      const parameters = (op.parameters ?? []).map(resolved)
      const paramExamples = parameters.filter((p) => p.example !== undefined || p.examples !== undefined)
      const mediaExamples = Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})).filter((m) => m.example !== undefined || m.examples !== undefined)
      // Examples are checked on the REST API's operations; /health belongs to the operations side.
      if (path.startsWith('/v1') || path.startsWith('/problems')) t.ok(paramExamples.length + mediaExamples.length > 0, `${name}: examples`)
      for (const p of parameters.filter((x) => x.in === 'path')) t.ok(p.example !== undefined, `${name}: example for path parameter ${p.name}`)
    }
  }
  t.ok(operations >= 25, `${operations} operations`)
  for (const name of ['Competency', 'Activity', 'SubPoint', 'Hint', 'Domain', 'Principle', 'CompetencyList', 'Problem', 'Version', 'Changes', 'Export', 'SearchResults']) {
    t.ok(document.components.schemas[name], `components.schemas.${name}`)
  }
  const listOp = document.paths['/v1/frameworks/{framework}/{version}/competencies']!.get as unknown as Op
  t.same((listOp.parameters ?? []).map(resolved).filter((p) => p.in === 'query').map((p) => p.name).sort(),
    ['domain', 'fields', 'format', 'id', 'include', 'limit', 'offset', 'profile', 'q', 'sort'])
})

t.test('the server serves the document it is built from, and docs from its own assets', async (t) => {
  const app = await buildApp(t)
  const yaml = await app.inject('/openapi.yaml')
  t.equal(yaml.statusCode, 200)
  t.match(yaml.headers['content-type'], /^application\/yaml/)
  t.equal(yaml.body, committed)
  const json = await app.inject('/openapi.json')
  t.match(json.headers['content-type'], /^application\/json/)
  t.same(json.json(), parse(committed))

  const html = await app.inject('/docs')
  t.equal(html.statusCode, 200)
  t.match(html.headers['content-type'], /^text\/html/)
  const external = html.body.match(/(?:src|href)=["']?(?:https?:)?\/\/[^"'\s>]+/gi) ?? []
  t.same(external, [], 'no external URL in the docs page')
  const assets = [...html.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
  t.ok(assets.length >= 4, 'scripts and styles are referenced')
  for (const asset of assets) {
    const res = await app.inject(asset)
    t.equal(res.statusCode, 200, `${asset} is served locally`)
  }
  const init = await app.inject('/docs/static/swagger-initializer.js')
  t.notMatch(init.body, /validatorUrl:\s*"http/, 'no external validator')
})

t.test('the contract check catches what does not conform', async (t) => {
  const ok = { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', etag: '"x"', 'cache-control': 'public', vary: 'Accept' }, body: '' }
  const principle = {
    type: 'principle', id: 'be-empathetic', code: 'P1', uuid: '6d2f1b5e-1d2c-5d7e-9a53-5b8b7c1f2a10', framework: 'isp', version: '1.1',
    uri: 'http://localhost:3000/uri/x', href: 'http://localhost:3000/v1/frameworks/isp/1.1/principles/be-empathetic', position: 1, name: 'Be empathetic', description: 'd'
  }
  const url = '/v1/frameworks/isp/1.1/principles/be-empathetic'
  t.same(violations('GET', url, { ...ok, body: JSON.stringify(principle) }), [])
  t.match(violations('GET', url, { ...ok, body: JSON.stringify({ ...principle, name: 7 }) }), [/body \/name must be string/])
  t.match(violations('GET', url, { ...ok, body: JSON.stringify({ ...principle, extra: true }) }), [/additional properties/])
  t.match(violations('GET', url, { ...ok, headers: { 'content-type': 'application/json' }, body: JSON.stringify(principle) }), [/missing required header ETag/, /Cache-Control/, /Vary/])
  t.match(violations('GET', url, { ...ok, statusCode: 418 }), [/status 418 is not documented/])
  t.match(violations('GET', url, { ...ok, headers: { ...ok.headers, 'content-type': 'text/html' }, body: '<p>' }), [/media type text\/html is not documented/])
  t.match(violations('GET', url, { ...ok, statusCode: 304, body: 'x' }), [/body where none is documented/])
  t.match(violations('GET', '/v2/anything', { ...ok, body: '{}' }), [/undocumented path answered 200/, /undocumented path answered application\/json/])
  const list = '/v1/frameworks/isp/1.1/principles'
  t.match(violations('GET', list, { ...ok, body: JSON.stringify({ data: [principle], meta: { total: 1, limit: 50, offset: 0 }, links: {} }) }), [/missing required header Link/, /must have required property 'self'/])
})

interface Media { schema?: { $ref?: string } }
interface Described { tags?: string[], responses: Record<string, { content?: Record<string, Media>, headers?: Record<string, { $ref?: string }> }> }

t.test('tags are declared and one per operation; security is said at the root; media types are the served ones', async (t) => {
  const doc = parse(committed) as { tags: Array<{ name: string }>, security?: unknown[], paths: Record<string, Record<string, Described>> }
  const declared = new Set(doc.tags.map((tag) => tag.name))
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      t.equal(op.tags?.length, 1, `${method.toUpperCase()} ${path}: one tag`)
      for (const tag of op.tags ?? []) t.ok(declared.has(tag), `${method.toUpperCase()} ${path}: tag ${tag} is declared`)
    }
  }
  for (const tag of ['health', 'CASE 1.0', 'CASE 1.1']) t.ok(declared.has(tag), `${tag} is declared`)
  t.same(doc.security, [], 'a public API: no security requirement, at the root')
  for (const context of ['/contexts/ctdl-asn.jsonld', '/contexts/schema-org.jsonld']) {
    t.same(Object.keys(resolved(doc.paths[context]!.get!.responses['200'] as { $ref?: string, content?: Record<string, Media> }).content ?? {}), ['application/ld+json'], `${context} is JSON-LD`)
  }
  const app = await buildApp(t)
  const served = await app.inject('/contexts/ctdl-asn.jsonld')
  t.match(served.headers['content-type'], /^application\/ld\+json/, 'as served')
})

t.test('what operations repeat is a component: CASE bodies, imsx_StatusInfo, headers, parameters', async (t) => {
  t.ok(committed.length <= 300_000, `openapi.yaml is ${committed.length} bytes (at most 300,000)`)
  const doc = parse(committed) as { paths: Record<string, Record<string, Described & { parameters?: Array<{ $ref?: string }> }>>, components: { schemas: Record<string, unknown>, headers: Record<string, unknown>, parameters: Record<string, unknown> } }
  t.equal(committed.split('imsx_codeMinorFieldName:').length - 1, 2, 'imsx_StatusInfo is written out once per CASE version')
  for (const segment of ['v1p0', 'v1p1']) {
    t.ok(doc.components.schemas[`CASE_${segment}_imsx_StatusInfo`], `CASE_${segment}_imsx_StatusInfo is a component`)
    const op = doc.paths[`/ims/case/${segment}/CFItems/{sourcedId}`]!.get!
    t.same(op.responses['200']!.content!['application/json']!.schema, { $ref: `#/components/schemas/CASE_${segment}_CFItem` })
    t.same(resolved(op.responses['404'] as { $ref?: string, content?: Record<string, Media> }).content!['application/json']!.schema, { $ref: `#/components/schemas/CASE_${segment}_imsx_StatusInfo` })
  }
  for (const name of ['ETag', 'Cache-Control', 'Vary']) t.ok(doc.components.headers[name], `header ${name} is a component`)
  for (const name of ['framework', 'version', 'limit', 'offset', 'sourcedId']) t.ok(doc.components.parameters[name], `parameter ${name} is a component`)
  const list = doc.paths['/v1/frameworks/{framework}/{version}/principles']!.get!
  t.same(list.responses['200']!.headers!.ETag, { $ref: '#/components/headers/ETag' })
  t.ok(list.parameters?.some((p) => p.$ref === '#/components/parameters/version'))
  t.notMatch(committed, /anyOf:\n(\s+)- type: string\n\s+enum:\n\s+- [^\n]+\n\1- type: string\n\s+enum:\n/, 'a union of string literals is one enum, not an anyOf')
  t.same((doc.components.schemas.AlignmentImpact as { properties: { level: unknown } }).properties.level, { type: 'string', enum: ['introduced', 'reinforced', 'mastered'], description: 'Its level.' })
})

/** Every schema written out in place: the parts of each component, and each operation's schemas with their parts. */
function schemasInPlace (doc: typeof document): unknown[] {
  const out: unknown[] = []
  const parts = (schema: unknown): void => {
    if (typeof schema !== 'object' || schema === null) return
    const s = schema as Record<string, unknown>
    const children = [
      s.items, s.additionalProperties, s.not,
      ...Object.values((s.properties ?? {}) as Record<string, unknown>),
      ...[s.anyOf, s.oneOf, s.allOf].flatMap((list) => Array.isArray(list) ? list as unknown[] : [])
    ].filter((c) => typeof c === 'object' && c !== null)
    for (const child of children) {
      out.push(child)
      parts(child)
    }
  }
  for (const schema of Object.values(doc.components.schemas)) parts(schema)
  const responses = Object.values(doc.paths).flatMap((item) => Object.values(item)).flatMap((op) => [
    ...Object.values(op.responses ?? {}),
    ...((op as { requestBody?: { content?: Record<string, { schema?: unknown }> } }).requestBody === undefined ? [] : [(op as { requestBody: { content?: Record<string, { schema?: unknown }> } }).requestBody])
  ])
  for (const r of [...responses, ...Object.values(doc.components.responses ?? {})]) {
    for (const media of Object.values((r as { content?: Record<string, { schema?: unknown }> }).content ?? {})) {
      if (media.schema === undefined) continue
      out.push(media.schema)
      parts(media.schema)
    }
  }
  return out
}

t.test('a schema used in more than one place is a component referenced by $ref', async (t) => {
  const components = new Map(Object.entries(document.components.schemas).map(([name, schema]) => [JSON.stringify(schema), name]))
  const seen = new Map<string, number>()
  const copies: string[] = []
  for (const schema of schemasInPlace(document)) {
    const form = JSON.stringify(schema)
    if (form.startsWith('{"$ref":')) continue
    if (components.has(form)) copies.push(`${components.get(form) ?? ''}: ${form.slice(0, 100)}`)
    if (form.length >= sharedSchemaMinLength) seen.set(form, (seen.get(form) ?? 0) + 1)
  }
  t.same(copies, [], 'no component is written out in place')
  const repeated = [...seen].filter(([, n]) => n > 1).map(([form, n]) => `${n}× ${form.slice(0, 100)}`)
  t.same(repeated, [], 'no schema is written out twice')
  const schemas = document.components.schemas as Record<string, { properties: Record<string, unknown> }>
  for (const name of ['CASE_v1p0_CFItem', 'CASE_v1p1_CFItem', 'CASE_v1p0_CFAssociation', 'CASE_v1p1_CFDocument']) {
    t.same(schemas[name]!.properties.lastChangeDateTime, { $ref: '#/components/schemas/CASE_LastChangeDateTime' }, `${name}: one lastChangeDateTime for both CASE versions`)
  }
  for (const name of ['Principle', 'Competency', 'Resource']) t.same(schemas[name]!.properties.uuid, { $ref: '#/components/schemas/Uuid' }, `${name}: the entity uuid`)
  const competency = (schemas.SeedCompetencies as unknown as { items: { properties: { overview: { items: unknown } } } }).items
  t.same(competency.properties.overview.items, { $ref: '#/components/schemas/Statement' }, 'the seed statement is the Statement component')
})
