/**
 * The contract check: every response a REST test receives is validated against the committed
 * openapi.yaml (operation, status, headers, media type and body). Tests call `inject` from
 * `contract(t, app)` instead of `app.inject`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { parse } from 'yaml'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { projectRoot } from '../../src/paths.js'

type Json = Record<string, unknown>
interface Header { required?: boolean, schema?: Json, $ref?: string }
interface Response { headers?: Record<string, Header>, content?: Record<string, { schema?: Json }>, $ref?: string }
interface Operation { operationId?: string, responses?: Record<string, Response> }

/** The committed OpenAPI document. */
export const document = parse(readFileSync(join(projectRoot, 'openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Json>, headers?: Record<string, Header>, parameters?: Record<string, Json>, responses?: Record<string, Response> }
}

/** A header, parameter or response as written, or the component its `$ref` names. */
export function resolved<T extends { $ref?: string }> (item: T): T {
  if (item.$ref === undefined) return item
  const [, , kind, name] = item.$ref.split('/')
  const target = (document.components as unknown as Record<string, Record<string, T>>)[kind ?? '']?.[name ?? '']
  if (target === undefined) throw new Error(`unresolved ${item.$ref}`)
  return target
}

const COMPONENTS = 'https://contract.test/components'
const rewrite = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewrite)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) =>
      [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `${COMPONENTS}#/$defs/`) : rewrite(v)]))
  }
  return value
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
ajv.addSchema({ $id: COMPONENTS, $defs: rewrite(document.components.schemas) as Json })

const validators = new Map<Json, ReturnType<typeof ajv.compile>>()
/** Checks a value against a schema of the document (compiled once per schema object). */
export function validate (schema: Json, value: unknown): string[] {
  let v = validators.get(schema)
  if (v === undefined) {
    v = ajv.compile(rewrite(schema) as Json)
    validators.set(schema, v)
  }
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
}

const componentRefs = new Map<string, Json>()

/** The component schema of a name, to check a value against directly. */
export function validateComponent (name: string, value: unknown): string[] {
  // One schema object per name: validators are cached by schema identity.
  let ref = componentRefs.get(name)
  if (ref === undefined) {
    ref = { $ref: `#/components/schemas/${name}` }
    componentRefs.set(name, ref)
  }
  return validate(ref, value)
}

const templates = Object.keys(document.paths).map((template) => {
  const parts = template.split('/')
  return {
    template,
    literal: parts.filter((p) => !p.startsWith('{')).length,
    regex: new RegExp(`^${parts.map((p) => p.startsWith('{') ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/')}$`)
  }
}).sort((a, b) => b.literal - a.literal)

/** The operation a request hits, if the document has one. */
export function operationFor (method: string, url: string): { template: string, operation: Operation } | undefined {
  const path = url.split('?')[0] ?? url
  const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()
  for (const t of templates) {
    const operation = document.paths[t.template]?.[m]
    if (operation !== undefined && t.regex.test(path)) return { template: t.template, operation }
  }
  return undefined
}

/** A response; with `rawPayload` (inject) a content-coded body is decoded first, fetch decodes by itself. */
interface Received { statusCode: number, headers: Record<string, unknown>, body: string, rawPayload?: Buffer }

function decoded (res: Received): string {
  const encoding = res.headers['content-encoding']
  if (res.rawPayload === undefined || encoding === undefined) return res.body
  if (encoding === 'br') return brotliDecompressSync(res.rawPayload).toString()
  if (encoding === 'gzip') return gunzipSync(res.rawPayload).toString()
  throw new Error(`unexpected content-encoding ${String(encoding)}`)
}

/** Everything about a response that contradicts the document (empty when it conforms). */
export function violations (method: string, url: string, res: Received): string[] {
  const out: string[] = []
  const mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim()
  const found = operationFor(method, url)
  if (found === undefined) {
    // Outside the documented paths only the root handlers answer: a problem+json 404 or 405.
    if (![404, 405].includes(res.statusCode)) out.push(`undocumented path answered ${res.statusCode}`)
    if (mediaType !== 'application/problem+json') out.push(`undocumented path answered ${mediaType}`)
    else out.push(...validateComponent('Problem', JSON.parse(res.body)))
    return out
  }
  const written = found.operation.responses?.[String(res.statusCode)]
  const response = written === undefined ? undefined : resolved(written)
  if (response === undefined) return [`${found.template}: status ${res.statusCode} is not documented`]
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const h = resolved(header)
    const value = res.headers[name.toLowerCase()]
    if (value === undefined) {
      if (h.required === true) out.push(`${found.template} ${res.statusCode}: missing required header ${name}`)
      continue
    }
    if (h.schema !== undefined) out.push(...validate(h.schema, value).map((e) => `header ${name}: ${e}`))
  }
  if (response.content === undefined) {
    if (res.body !== '') out.push(`${found.template} ${res.statusCode}: body where none is documented`)
    return out
  }
  const media = response.content[mediaType]
  if (media === undefined) return [...out, `${found.template} ${res.statusCode}: media type ${mediaType} is not documented`]
  if (method.toUpperCase() !== 'HEAD' && media.schema !== undefined && mediaType.endsWith('json')) {
    let body: unknown
    try {
      body = JSON.parse(decoded(res))
    } catch {
      return [...out, `${found.template} ${res.statusCode}: body is not JSON`]
    }
    out.push(...validate(media.schema, body).map((e) => `body ${e}`))
  }
  return out
}

interface Assert { same: (found: unknown, wanted: unknown, message: string) => unknown }

/** `app.inject` that also asserts the response conforms to openapi.yaml. */
export function contract (t: Assert, app: FastifyInstance) {
  return async function inject (options: string | InjectOptions) {
    const opts: InjectOptions = typeof options === 'string' ? { url: options } : options
    const res = await app.inject(opts)
    const method = opts.method ?? 'GET'
    const url = String(opts.url ?? opts.path ?? '')
    t.same(violations(String(method), url, res), [], `contract: ${String(method)} ${url} → ${res.statusCode}`)
    return res
  }
}
