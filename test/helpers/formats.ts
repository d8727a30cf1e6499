/**
 * Helpers for the format tests: the official CASE 1.1 CFPackage schema from ../shared, a JSON-LD
 * document loader that serves only the project's own contexts, and the seeds read straight from
 * disk (expectations come from the seeds, never from the code under test).
 */
import { existsSync, readFileSync } from 'node:fs'
import { entityUuid } from '../../src/content/ids.js'
import { statementsToMarkdown } from '../../src/content/markdown.js'
import type { CompetencySeed, DomainSeed, PrincipleSeed } from '../../src/content/schema.js'

/** Where the official CFPackage schema is expected (read-only input beside the project). */
export const casePackageSchemaUrl = new URL('../../../shared/standards/case/case-v1p1-cfpackage.schema.json', import.meta.url)

/** The official CASE 1.1 CFPackage JSON Schema, or null when the file is missing. */
export function officialCasePackageSchema (url: URL = casePackageSchemaUrl): Record<string, unknown> | null {
  if (!existsSync(url)) return null
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>
}

/**
 * The official schema for the conformance tests, or why they must be skipped. A missing schema
 * fails `t` in CI (the check must run there) and is a clearly worded skip elsewhere.
 */
export function caseSchemaGate (t: { fail: (message: string) => unknown }, url: URL = casePackageSchemaUrl): { schema: Record<string, unknown>, skip: false } | { schema: null, skip: string } {
  const schema = officialCasePackageSchema(url)
  if (schema !== null) return { schema, skip: false }
  const message = `the official CASE 1.1 CFPackage schema is missing at ${url.pathname}`
  if (process.env.CI === 'true') t.fail(`${message}; CI must run the conformance check`)
  return { schema: null, skip: `${message}; conformance not checked` }
}

const contextFiles: Record<string, URL> = {
  '/contexts/ctdl-asn.jsonld': new URL('../../src/formats/contexts/ctdl-asn.json', import.meta.url),
  '/contexts/schema-org.jsonld': new URL('../../src/formats/contexts/schema-org.json', import.meta.url)
}

/** The project's context files, by the path they are served at. */
export function localContext (path: string): unknown {
  const file = contextFiles[path]
  if (file === undefined) throw new Error(`no local context ${path}`)
  return JSON.parse(readFileSync(file, 'utf8'))
}

/** A jsonld.js document loader that serves the local context files for `baseUrl` and refuses anything else. */
export function offlineDocumentLoader (baseUrl: string): (url: string) => Promise<{ contextUrl: null, document: unknown, documentUrl: string }> {
  return async (url: string) => {
    if (url.startsWith(`${baseUrl}/`)) {
      const path = url.slice(baseUrl.length)
      if (contextFiles[path] !== undefined) return { contextUrl: null, document: localContext(path), documentUrl: url }
    }
    throw new Error(`offline: refusing to load ${url}`)
  }
}

function readSeed<T> (version: string, file: string): T {
  const dir = version === '1.2' ? '../fixtures/seeds/isp/1.2/' : `../../seeds/isp/${version}/`
  return JSON.parse(readFileSync(new URL(`${dir}${file}`, import.meta.url), 'utf8')) as T
}

/** The seeds of isp@1.1, or of the fixture isp@1.2. */
export function seeds (version: '1.1' | '1.2' = '1.1'): { principles: PrincipleSeed[], domains: DomainSeed[], competencies: CompetencySeed[] } {
  return {
    principles: readSeed(version, 'principles.json'),
    domains: readSeed(version, 'domains.json'),
    competencies: readSeed(version, 'competencies.json')
  }
}

/**
 * The CSV rows seed-shaped content describes (the seeds, or the JSON export): one per principle,
 * domain, competency, key activity, sub-point and helpful hint, in guide order.
 */
export function csvRows (content: { principles: PrincipleSeed[], domains: DomainSeed[], competencies: CompetencySeed[] }, framework = 'isp'): Array<Record<string, string>> {
  const uuid = (id: string): string => entityUuid(framework, id)
  const rows: Array<Record<string, string>> = []
  content.principles.forEach((p, i) => rows.push({ code: p.code, type: 'principle', id: p.id, uuid: uuid(p.id), parent: '', order: String(i + 1), name: p.name, text: p.description }))
  content.domains.forEach((d, i) => {
    rows.push({ code: d.code, type: 'domain', id: d.id, uuid: uuid(d.id), parent: '', order: String(content.principles.length + i + 1), name: d.name, text: d.description })
    content.competencies.filter((c) => c.domain === d.id).forEach((c, j) => {
      rows.push({ code: c.code, type: 'competency', id: c.id, uuid: uuid(c.id), parent: d.id, order: String(j + 1), name: c.name, text: statementsToMarkdown(c.overview) })
      c.activities.forEach((a, k) => {
        rows.push({ code: a.code, type: 'activity', id: a.id, uuid: uuid(a.id), parent: c.id, order: String(k + 1), name: '', text: a.text })
        ;(a.subpoints ?? []).forEach((sp, m) => rows.push({ code: sp.code, type: 'subpoint', id: sp.id, uuid: uuid(sp.id), parent: a.id, order: String(m + 1), name: '', text: sp.text }))
      })
      rows.push({ code: c.hint.code, type: 'hint', id: c.hint.id, uuid: uuid(c.hint.id), parent: c.id, order: String(c.activities.length + 1), name: '', text: c.hint.paragraphs.join('\n\n') })
    })
  })
  return rows
}

/** Every string value of a `uri` property, anywhere in a JSON value. */
export function uris (value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) uris(v, out)
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'uri' && typeof v === 'string') out.push(v)
      else uris(v, out)
    }
  }
  return out
}
