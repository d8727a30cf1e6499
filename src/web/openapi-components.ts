/**
 * Moves what the OpenAPI document repeats into its components, referenced by `$ref`: response
 * headers (by name), parameters (the most used form of each), responses (every form of a 304,
 * 4xx or 5xx that more than one operation gives, and a repeated success with a named schema) and
 * schemas (every subschema written out in more than one place). @fastify/swagger writes all of
 * them inline wherever they are used, which made the same `ETag` description, CASE refusal or
 * CASE `lastChangeDateTime` appear dozens of times, and client generators emit one type per copy.
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
  // `required: false` is what a parameter outside the path is without it: said once, by OpenAPI.
  for (const p of operations.flatMap((op) => op.parameters ?? [])) if (p.required === false) delete p.required
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

/** The component name of the schema a response's first media type is, if it is a `$ref`. */
function schemaName (response: Response): string | undefined {
  const media = Object.values((response.content ?? {}) as Record<string, { schema?: { $ref?: string } }>)[0]
  return media?.schema?.$ref?.split('/').pop()
}

/**
 * Replaces each response whose form recurs by a `$ref` to one component, named by status and
 * order of first use (`NotModified`, `Error404`, `Error404_2`, …), or a success (one with a named
 * schema) by its schema (`ActivityList`); returns the components as form (JSON) → name.
 */
function hoistRepeatedResponses (operations: Operation[]): Map<string, string> {
  const counts = new Map<string, number>()
  for (const op of operations) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      // A success is shared only under the name of its schema.
      if (Number(status) < 300 && schemaName(response) === undefined) continue
      const form = JSON.stringify(response)
      counts.set(form, (counts.get(form) ?? 0) + 1)
    }
  }
  const names = new Map<string, string>()
  const perStatus = new Map<string, number>()
  for (const op of operations) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const form = JSON.stringify(response)
      if ((counts.get(form) ?? 0) < 2 || (Number(status) < 300 && schemaName(response) === undefined)) continue
      let name = names.get(form)
      if (name === undefined) {
        const base = status === '304' ? 'NotModified' : Number(status) < 300 ? schemaName(response)! : `Error${status}`
        const n = (perStatus.get(base) ?? 0) + 1
        perStatus.set(base, n)
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

/**
 * Below this many characters of JSON a repeated subschema stays inline: a bare type with a short
 * description costs about what its `$ref` does.
 */
export const sharedSchemaMinLength = 80

type Slot = [parent: Json | unknown[], key: string | number]

/** The subschemas directly under a schema, as slots that can be replaced (a `$ref` has none). */
function subschemaSlots (schema: unknown): Slot[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return []
  const s = schema as Json
  if (s.$ref !== undefined) return []
  const slots: Slot[] = []
  for (const key of ['items', 'additionalProperties', 'not']) if (typeof s[key] === 'object' && s[key] !== null) slots.push([s, key])
  for (const key of ['properties', 'patternProperties']) {
    const map = s[key]
    if (typeof map === 'object' && map !== null) for (const name of Object.keys(map)) slots.push([map as Json, name])
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    const list = s[key]
    if (Array.isArray(list)) list.forEach((_, i) => slots.push([list, i]))
  }
  return slots
}

/** Where a subschema is used: the component it is part of ('' in an operation) and the property it describes. */
interface Use { slot: Slot, owner: string, property: string }

/** Every schema the document writes out in place (not the components themselves), with where each is used. */
function schemaUses (document: ComponentsDocument): { uses: Use[], roots: Slot[] } {
  const uses: Use[] = []
  const roots: Slot[] = []
  const descend = (slot: Slot, owner: string, property: string): void => {
    uses.push({ slot, owner, property })
    children(slot, owner, property)
  }
  // A subschema describes a property (its key), the items of one (`authors` → `Author`) or a variant of one.
  const children = (slot: Slot, owner: string, property: string): void => {
    const schema = (slot[0] as Record<string | number, unknown>)[slot[1]]
    for (const child of subschemaSlots(schema)) {
      const [parent, key] = child
      if (parent === schema) descend(child, owner, key === 'items' ? singular(property) : property)
      else descend(child, owner, Array.isArray(parent) ? property : String(key))
    }
  }
  const components = (document.components ?? {}) as Record<string, Record<string, Json> | undefined>
  for (const name of Object.keys(components.schemas ?? {})) children([components.schemas!, name], name, name)
  // An operation's own schemas are only replaced by a component they equal; their parts are shared like any other.
  const media = (content: unknown): void => {
    for (const m of Object.values((content ?? {}) as Record<string, Json>)) {
      if (m.schema !== undefined) {
        roots.push([m, 'schema'])
        children([m, 'schema'], '', '')
      }
    }
  }
  for (const item of Object.values(document.paths ?? {})) {
    for (const op of Object.values(item) as Array<Operation & { requestBody?: { content?: unknown } }>) {
      for (const r of Object.values(op.responses ?? {})) media(r.content)
      media(op.requestBody?.content)
    }
  }
  for (const r of Object.values(components.responses ?? {})) media(r.content)
  return { uses, roots }
}

const capitalized = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)

/** The name of one item of a list property: `authors` → `Author`, `overview` → `OverviewItem`. */
function singular (property: string): string {
  return /[^s]s$/.test(property) ? property.slice(0, -1) : `${property}Item`
}

/**
 * What the owners' names share, up to their last `_` (`CASE_v1p0_CFItem`, `CASE_v1p1_CFItem` →
 * `CASE_`) or, without one, up to a word (`Course`, `CoursePatch` → `Course`; `SeedDomains`,
 * `SeedHints` → `Seed`).
 */
function family (owners: string[]): string {
  const prefix = owners.reduce((a, b) => {
    let i = 0
    while (i < a.length && a[i] === b[i]) i++
    return a.slice(0, i)
  })
  if (prefix.includes('_')) return prefix.slice(0, prefix.lastIndexOf('_') + 1)
  return owners.every((o) => o.length === prefix.length || /[A-Z]/.test(o.charAt(prefix.length))) ? prefix : ''
}

/**
 * A name for a schema shared by `uses`: after the property it describes most often, within the
 * family of its owners (`CASE_LastChangeDateTime`, `Uuid`); where that name is taken, after the
 * first owner and the property (`Principle_version`, as `Version` is a component).
 */
function sharedName (uses: Use[], taken: Set<string>): string {
  const counts = new Map<string, number>()
  for (const u of uses) counts.set(u.property, (counts.get(u.property) ?? 0) + 1)
  const property = [...counts].sort((a, b) => b[1] - a[1])[0]![0]
  const owners = uses.map((u) => u.owner).filter((o) => o !== '')
  const base = `${owners.length === 0 ? '' : family(owners)}${capitalized(property)}`
  if (!taken.has(base)) return base
  let name = `${owners[0] ?? 'Operation'}_${property}`
  for (let n = 2; taken.has(name); n++) name = `${owners[0] ?? 'Operation'}_${property}_${n}`
  return name
}

/** Every schema object within a schema, itself included. */
function within (schema: unknown, out: Set<unknown>): Set<unknown> {
  out.add(schema)
  for (const [parent, key] of subschemaSlots(schema)) within((parent as Record<string | number, unknown>)[key], out)
  return out
}

/**
 * The document with every schema it wrote out in more than one place (and at least
 * `sharedSchemaMinLength` characters long) as one component referenced by `$ref`: a subschema
 * identical to a component becomes a reference to it (the seed `Statement` in the export's
 * competencies), and any other repeated one a new component (the CASE `lastChangeDateTime`,
 * the identity every entity carries). Largest first, so a shared object takes its parts with
 * it: the first copy becomes the component, and what the other copies held is gone.
 */
export function shareRepeatedSchemas<D extends ComponentsDocument> (document: D): D {
  const components = (document.components ??= {}) as { schemas?: Record<string, Json> }
  const schemas = (components.schemas ??= {})
  const byForm = new Map(Object.entries(schemas).map(([name, schema]) => [JSON.stringify(schema), name]))
  const taken = new Set(Object.keys(schemas))
  const at = ([parent, key]: Slot): unknown => (parent as Record<string | number, unknown>)[key]
  const refer = ([parent, key]: Slot, name: string): void => { (parent as Record<string | number, unknown>)[key] = { $ref: `#/components/schemas/${name}` } }
  // What a `$ref` replaced, the copy of a component or of a shared schema, is gone with its parts.
  const gone = new Set<unknown>()
  const sameAsComponent = (roots: Slot[]): void => {
    for (const root of roots) {
      const name = byForm.get(JSON.stringify(at(root)))
      if (name === undefined) continue
      within(at(root), gone)
      refer(root, name)
    }
  }

  const { uses, roots } = schemaUses(document)
  sameAsComponent(roots)
  const groups = new Map<string, Use[]>()
  for (const use of uses) {
    const schema = at(use.slot) as Json
    if (schema.$ref !== undefined) continue
    const form = JSON.stringify(schema)
    if (form.length >= sharedSchemaMinLength || byForm.has(form)) groups.set(form, [...(groups.get(form) ?? []), use])
  }
  for (const [form, all] of [...groups].sort((a, b) => b[0].length - a[0].length)) {
    const live = all.filter((use) => !gone.has(at(use.slot)))
    let name = byForm.get(form)
    if (name === undefined) {
      if (live.length < 2) continue
      name = sharedName(live, taken)
      taken.add(name)
      byForm.set(form, name)
      const first = live.shift()!
      schemas[name] = at(first.slot) as Json
      refer(first.slot, name)
    }
    for (const use of live) {
      within(at(use.slot), gone)
      refer(use.slot, name)
    }
  }
  // An operation's schema may equal a schema shared only now.
  sameAsComponent(roots)
  return document
}
