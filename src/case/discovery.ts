/**
 * The CASE service discovery document (REST binding 2.5): an OpenAPI 3.0 description of this
 * provider, localized to its base URL, generated from the same operations and TypeBox schemas the
 * routes are registered with, so it always describes what is served.
 */
import { Type, type TObject, type TSchema } from '@sinclair/typebox'
import { caseRef, caseSchemaId, caseSegment, caseSchemas, type CaseVersion } from '../formats/case-schemas.js'
import { caseOperations, failureStatuses, SourcedIdParams } from '../formats/case-operations.js'

type Json = Record<string, unknown>

/** The discovery document as the OpenAPI document of this service describes it: one component for both CASE versions. */
export const DiscoveryDocument = Type.Object({}, { $id: 'CASE_DiscoveryDocument', additionalProperties: true, description: 'An OpenAPI 3.0 document.' })

/** A named schema's component name in the discovery document: its CASE name (CFItem, imsx_StatusInfo). */
const componentName = (id: string, caseVersion: CaseVersion): string => id.slice(caseSchemaId(caseVersion, '').length)

/**
 * A JSON Schema as an OpenAPI 3.0 schema object: `const` becomes a one-value `enum`, `examples`
 * becomes `example`, a `$ref` to a named schema points to its component.
 */
function openApi30 (schema: unknown, caseVersion: CaseVersion): unknown {
  if (Array.isArray(schema)) return schema.map((s) => openApi30(s, caseVersion))
  if (schema === null || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$id' || key === '$schema') continue
    if (key === '$ref') out.$ref = `#/components/schemas/${componentName(String(value), caseVersion)}`
    else if (key === 'const') out.enum = [value]
    else if (key === 'examples') out.example = (value as unknown[])[0]
    else out[key] = key === 'properties' || key === 'patternProperties'
      ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, openApi30(v, caseVersion)]))
      : openApi30(value, caseVersion)
  }
  return out
}

const json = (schema: TSchema, caseVersion: CaseVersion): unknown => openApi30(JSON.parse(JSON.stringify(schema)), caseVersion)

function parameters (where: 'path' | 'query', schema: TObject, caseVersion: CaseVersion): Json[] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = json(property, caseVersion) as Json
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
      ...(rest.type === 'array' ? { style: 'form', explode: false } : {})
    }
  })
}

/** The discovery document of a CASE version, for a service at `baseUrl`. */
export function discoveryDocument (caseVersion: CaseVersion, baseUrl: string): Json {
  const schemas = caseSchemas[caseVersion]
  const operations = caseOperations(caseVersion)
  const paths: Json = {}
  for (const op of operations) {
    const statusInfo = { 'application/json': { schema: { $ref: '#/components/schemas/imsx_StatusInfo' } } }
    paths[op.path] = {
      get: {
        operationId: op.name,
        summary: op.summary,
        description: op.description,
        tags: [op.tag],
        parameters: [
          ...(op.path.includes('{sourcedId}') ? parameters('path', SourcedIdParams, caseVersion) : []),
          ...(op.querystring === undefined ? [] : parameters('query', op.querystring as TObject, caseVersion))
        ],
        responses: {
          200: {
            description: 'The requested data.',
            content: { 'application/json': { schema: json(caseRef(op.response), caseVersion) } },
            ...(op.headers === undefined
              ? {}
              : { headers: Object.fromEntries(Object.entries(op.headers).map(([name, h]) => [name, { description: h.description, schema: json(h.schema, caseVersion) }])) })
          },
          ...Object.fromEntries(Object.entries(failureStatuses).map(([code, description]) => [code, { description, content: statusInfo }]))
        }
      }
    }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: `Competencies and Academic Standards Exchange (CASE) ${caseVersion} provider`,
      version: caseVersion,
      description: 'A read-only CASE provider for the frameworks this service holds. No authentication is required.'
    },
    servers: [{ url: `${baseUrl}/ims/case/${caseSegment(caseVersion)}`, description: 'This provider.' }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.values(schemas).map((s) => [componentName(s.$id ?? '', caseVersion), json(s, caseVersion)]))
    }
  }
}
