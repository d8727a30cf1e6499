/**
 * Moves what operations repeat into the OpenAPI document's components, referenced by `$ref`:
 * response headers (by name), parameters (the most used form of each) and responses other than
 * 2xx (every form of a 304, 4xx or 5xx that more than one operation gives). @fastify/swagger writes all of them
 * inline in every operation, which made the same `ETag` description or CASE refusal appear dozens
 * of times, and client generators emit one type per copy.
 */

type Json = Record<string, unknown>
interface Parameter extends Json { name?: string, in?: string }
interface Response extends Json { headers?: Record<string, Json> }
interface Operation { parameters?: Parameter[], responses?: Record<string, Response> }

export interface ComponentsDocument {
  paths?: Record<string, Record<string, Operation>>
  components?: Json
}

/** The form used most often, if it is used more than once: the one worth a component. */
function mostUsed (counts: Map<string, number>): string | undefined {
  let best: [string, number] | undefined
  for (const entry of counts) if (entry[1] > 1 && (best === undefined || entry[1] > best[1])) best = entry
  return best?.[0]
}

/** Counts of each distinct form (as JSON) under each name. */
function tally (items: Iterable<[string, unknown]>): Map<string, Map<string, number>> {
  const byName = new Map<string, Map<string, number>>()
  for (const [name, value] of items) {
    const forms = byName.get(name) ?? new Map<string, number>()
    const key = JSON.stringify(value)
    forms.set(key, (forms.get(key) ?? 0) + 1)
    byName.set(name, forms)
  }
  return byName
}

/** For each name, the repeated form that becomes its component (name → JSON of the form). */
function chosen (byName: Map<string, Map<string, number>>): Map<string, string> {
  const out = new Map<string, string>()
  for (const [name, forms] of byName) {
    const form = mostUsed(forms)
    if (form !== undefined) out.set(name, form)
  }
  return out
}

/** The document with repeated parameters and response headers as `components.parameters` and `components.headers`. */
export function hoistRepeated<D extends ComponentsDocument> (document: D): D {
  const operations = Object.values(document.paths ?? {}).flatMap((item) => Object.values(item))
  const responses = operations.flatMap((op) => Object.values(op.responses ?? {}))

  // A parameter is its place and name (`id` is a path parameter and a query parameter); its
  // component is named by `name` alone, or `name-in` where two places share a name.
  const places = chosen(tally(operations.flatMap((op) => (op.parameters ?? []).map((p): [string, unknown] => [`${String(p.in)} ${String(p.name)}`, p]))))
  const sharedNames = new Set([...places.keys()].map((key) => key.split(' ')[1]).filter((name, i, all) => all.indexOf(name) !== i))
  const componentName = (place: string, name: string): string => sharedNames.has(name) ? `${name}-${place}` : name
  const parameters = new Map([...places].map(([key, form]) => {
    const [place = '', name = ''] = key.split(' ')
    return [componentName(place, name), form]
  }))
  const headers = chosen(tally(responses.flatMap((r) => Object.entries(r.headers ?? {}))))

  for (const op of operations) {
    if (op.parameters === undefined) continue
    op.parameters = op.parameters.map((p) => {
      const name = componentName(String(p.in), String(p.name))
      return parameters.get(name) === JSON.stringify(p) ? { $ref: `#/components/parameters/${name}` } : p
    })
  }
  for (const response of responses) {
    if (response.headers === undefined) continue
    response.headers = Object.fromEntries(Object.entries(response.headers).map(([name, h]) =>
      [name, headers.get(name) === JSON.stringify(h) ? { $ref: `#/components/headers/${name}` } : h]))
  }

  const shared = hoistRepeatedResponses(operations)

  const components = (document.components ?? {})
  if (shared.size > 0) components.responses = Object.fromEntries([...shared].map(([form, name]) => [name, JSON.parse(form)]))
  if (parameters.size > 0) components.parameters = Object.fromEntries([...parameters].map(([name, form]) => [name, JSON.parse(form)]))
  if (headers.size > 0) components.headers = Object.fromEntries([...headers].map(([name, form]) => [name, JSON.parse(form)]))
  document.components = components
  return document
}

/**
 * Replaces each response other than a 2xx whose form recurs by a `$ref` to one component, named
 * by status and order of first use (`NotModified`, `Error404`, `Error404_2`, …); returns the
 * components as form (JSON) → name.
 */
function hoistRepeatedResponses (operations: Operation[]): Map<string, string> {
  const counts = new Map<string, number>()
  for (const op of operations) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      if (Number(status) < 300) continue
      const form = JSON.stringify(response)
      counts.set(form, (counts.get(form) ?? 0) + 1)
    }
  }
  const names = new Map<string, string>()
  const perStatus = new Map<string, number>()
  for (const op of operations) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      if (Number(status) < 300) continue
      const form = JSON.stringify(response)
      if ((counts.get(form) ?? 0) < 2) continue
      let name = names.get(form)
      if (name === undefined) {
        const n = (perStatus.get(status) ?? 0) + 1
        perStatus.set(status, n)
        const base = status === '304' ? 'NotModified' : `Error${status}`
        name = n === 1 ? base : `${base}_${n}`
        names.set(form, name)
      }
      op.responses![status] = { $ref: `#/components/responses/${name}` }
    }
  }
  return names
}

/** An `anyOf` whose members are each one string constant (how TypeBox writes a union of literals). */
function literalStrings (anyOf: unknown): string[] | undefined {
  if (!Array.isArray(anyOf) || anyOf.length < 2) return undefined
  const values: string[] = []
  for (const m of anyOf) {
    if (typeof m !== 'object' || m === null) return undefined
    const keys = Object.keys(m)
    const { type, enum: e } = m as { type?: unknown, enum?: unknown }
    if (keys.length !== 2 || type !== 'string' || !Array.isArray(e) || e.length !== 1 || typeof e[0] !== 'string') return undefined
    values.push(e[0])
  }
  return values
}

/**
 * The document with every union of string literals written as one `enum` (`type: string, enum:
 * [a, b]` instead of an `anyOf` of one-value enums): the same values, a third of the lines.
 */
export function compactEnums<D> (document: D): D {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child)
      return
    }
    if (typeof node !== 'object' || node === null) return
    const o = node as Record<string, unknown>
    const values = literalStrings(o.anyOf)
    if (values !== undefined && o.type === undefined && o.enum === undefined) {
      delete o.anyOf
      o.type = 'string'
      o.enum = values
    }
    for (const child of Object.values(o)) walk(child)
  }
  walk(document)
  return document
}
