/**
 * Every committed file that is generated from the code: the seed JSON Schemas, the OpenAPI
 * document, the GraphQL SDL and the configuration table in docs/operations.md. `npm run generate`
 * writes them; a test fails when they drift. (The client types of the document are not
 * committed: test-types.ts writes them at test time.)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { buildSchema, printSchema } from 'graphql'
import { seedFiles } from '../src/content/schema.js'
import { typeDefs } from '../src/graphql/schema.js'
import { curriculaTypeDefs } from '../src/curricula/graphql.js'
import { coverageTypeDefs } from '../src/curricula/coverage-graphql.js'
import { bundledSeedsDir } from '../src/paths.js'
import { buildDatabase } from '../src/store/build.js'
import { operationsGuide } from './operations-guide.js'

export interface Artifact {
  /** Path relative to the project root. */
  path: string
  content: string
}

/** The JSON Schema (2020-12) of each seed file, from the TypeBox definitions. */
export function seedSchemas (): Artifact[] {
  return Object.entries(seedFiles).map(([file, schema]) => {
    const name = file.replace('.json', '.schema.json')
    const { $id: _id, ...rest } = schema as unknown as Record<string, unknown>
    const document = { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: name, ...rest }
    return { path: `schema/${name}`, content: `${JSON.stringify(document, null, 2)}\n` }
  })
}

/** The GraphQL schema as SDL, printed from the schema the server runs. */
export function graphqlSchema (): Artifact {
  return { path: 'schema/schema.graphql', content: `${printSchema(buildSchema(typeDefs + curriculaTypeDefs + coverageTypeDefs))}\n` }
}

/**
 * The OpenAPI document as the app serves it, built with a fixed configuration (not the caller's
 * environment) on a scratch database of the bundled seeds, so the output depends on code only.
 */
export async function openapiDocument (): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'isp-openapi-'))
  try {
    const dbPath = join(dir, 'content.db')
    buildDatabase({ roots: [bundledSeedsDir], dbPath })
    const app = await build({ config: loadConfig({ DB_PATH: dbPath, LOG_LEVEL: 'silent' }) })
    try {
      await app.ready()
      return app.swagger({ yaml: true })
    } finally {
      await app.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** All generated artifacts. */
export async function artifacts (): Promise<Artifact[]> {
  return [
    ...seedSchemas(),
    graphqlSchema(),
    operationsGuide(),
    { path: 'openapi.yaml', content: await openapiDocument() }
  ]
}
