/**
 * Conformance: every CFPackage the server produces (isp@1.1 and the fixture isp@1.2, from both the
 * CASE 1.1 and the CASE 1.0 endpoints) validates against the official 1EdTech CASE 1.1 CFPackage
 * JSON Schema, and the 1.0 output carries none of the fields CASE 1.1 added.
 */
import t, { type Test } from 'tap'
import Ajv2019 from 'ajv/dist/2019.js'
import addFormats from 'ajv-formats'
import { buildApp } from '../helpers/app.js'
import { caseSchemaGate } from '../helpers/formats.js'

interface Doc { identifier: string, version: string }

async function servedPackages (t: Test, segment: 'v1p0' | 'v1p1'): Promise<Array<{ version: string, body: unknown }>> {
  const app = await buildApp(t, { fixtures: true })
  const list = await app.inject({ url: `/ims/case/${segment}/CFDocuments` })
  t.equal(list.statusCode, 200)
  const docs = (list.json() as { CFDocuments: Doc[] }).CFDocuments
  t.same(docs.map((d) => d.version).sort(), ['1.1', '1.2'], 'both versions are listed')
  const out = []
  for (const doc of docs) {
    const res = await app.inject({ url: `/ims/case/${segment}/CFPackages/${doc.identifier}` })
    t.equal(res.statusCode, 200, `${segment} package of ${doc.version}`)
    out.push({ version: doc.version, body: res.json() })
  }
  return out
}

const gate = caseSchemaGate(t)

t.test('every CFPackage validates against the official CASE 1.1 schema', { skip: gate.skip }, async (t) => {
  const schema = gate.schema as Record<string, unknown>
  const ajv = new Ajv2019.default({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const validate = ajv.compile(schema)
  for (const segment of ['v1p1', 'v1p0'] as const) {
    for (const { version, body } of await servedPackages(t, segment)) {
      const valid = validate(body)
      t.ok(valid, `${segment} CFPackage of isp@${version} is valid`, { errors: validate.errors?.slice(0, 5) })
    }
  }
})

t.test('the schema check can fail: a package with a malformed link is rejected', { skip: gate.skip }, async (t) => {
  const schema = gate.schema as Record<string, unknown>
  const ajv = new Ajv2019.default({ strict: false })
  addFormats.default(ajv)
  const validate = ajv.compile(schema)
  const [first] = await servedPackages(t, 'v1p1')
  const pkg = structuredClone(first?.body) as { CFItems: Array<Record<string, unknown>> }
  ;(pkg.CFItems[0] as Record<string, unknown>).licenseURI = { title: 'x', identifier: 'not-a-uuid', uri: 'http://x' }
  t.notOk(validate(pkg), 'an item with a malformed LinkURI is invalid')
})

const only11 = {
  document: ['frameworkType', 'caseVersion', 'extensions'],
  item: ['subject', 'subjectURI', 'extensions'],
  association: ['notes', 'extensions'],
  link: ['targetType']
}

/** Paths of the 1.1-only fields in a package, walking every object and knowing which class it is. */
function elevenOnly (pkg: Record<string, unknown>): string[] {
  const found: string[] = []
  const check = (obj: unknown, names: readonly string[], path: string): void => {
    if (obj === null || typeof obj !== 'object') return
    for (const name of names) if (name in obj) found.push(`${path}/${name}`)
  }
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}/${i}`))
    if (value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      if (key === 'extensions') found.push(`${path}/${key}`)
      if (key === 'originNodeURI' || key === 'destinationNodeURI') check(child, only11.link, `${path}/${key}`)
      walk(child, `${path}/${key}`)
    }
  }
  check(pkg.CFDocument, only11.document, '/CFDocument')
  for (const [i, item] of ((pkg.CFItems ?? []) as unknown[]).entries()) check(item, only11.item, `/CFItems/${i}`)
  for (const [i, a] of ((pkg.CFAssociations ?? []) as unknown[]).entries()) check(a, only11.association, `/CFAssociations/${i}`)
  walk(pkg, '')
  return found
}

t.test('the CASE 1.0 packages have none of the 1.1-only fields', async (t) => {
  for (const { version, body } of await servedPackages(t, 'v1p0')) {
    t.same(elevenOnly(body as Record<string, unknown>), [], `v1p0 isp@${version}`)
  }
  const eleven = await servedPackages(t, 'v1p1')
  const found = eleven.flatMap(({ body }) => elevenOnly(body as Record<string, unknown>))
  t.ok(found.some((p) => p.endsWith('/caseVersion')) && found.some((p) => p.endsWith('/targetType')) && found.some((p) => p.endsWith('/notes')),
    'the walk does find them in the 1.1 packages')
})

t.test('a missing schema fails in CI and is a worded skip elsewhere', async (t) => {
  const missing = new URL('../formats/no-such-schema.json', import.meta.url)
  const before = process.env.CI
  t.teardown(() => {
    if (before === undefined) delete process.env.CI
    else process.env.CI = before
  })
  const failures: string[] = []
  const fake = { fail: (message: string) => failures.push(message) }
  process.env.CI = 'true'
  t.match(caseSchemaGate(fake, missing), { schema: null, skip: /missing/ })
  t.equal(failures.length, 1, 'CI: the suite fails')
  process.env.CI = 'false'
  t.match(caseSchemaGate(fake, missing), { schema: null, skip: /conformance not checked/ })
  t.equal(failures.length, 1, 'elsewhere: a skip, not a failure')
})
