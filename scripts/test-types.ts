/**
 * npm run test-types: the TypeScript types of the committed openapi.yaml (openapi-typescript), for
 * the typed client test, written to test/.generated/ (ignored by git and lint). `npm test` runs it
 * before type-checking, so the types always match the document the drift test keeps current.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript'
import { projectRoot } from '../src/paths.js'

/** Where the generated types go, relative to the project root. */
export const testTypesPath = 'test/.generated/openapi-types.ts'

/** The types of an OpenAPI document given as YAML. */
export async function openapiTypes (yaml: string): Promise<string> {
  return COMMENT_HEADER + astToString(await openapiTS(yaml))
}

const file = join(projectRoot, testTypesPath)
mkdirSync(dirname(file), { recursive: true })
writeFileSync(file, await openapiTypes(readFileSync(join(projectRoot, 'openapi.yaml'), 'utf8')))
process.stdout.write(`wrote ${testTypesPath}\n`)
