/**
 * Every committed file that is generated from the code: the seed JSON Schemas, the OpenAPI
 * document and the GraphQL SDL. `npm run generate` writes them; a test fails when they drift.
 */
import { buildSchema, printSchema } from 'graphql'
import { seedFiles } from '../src/content/schema.js'
import { typeDefs } from '../src/graphql/schema.js'

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
  return { path: 'schema/schema.graphql', content: `${printSchema(buildSchema(typeDefs))}\n` }
}

/** All generated artifacts. */
export async function artifacts (): Promise<Artifact[]> {
  return [...seedSchemas(), graphqlSchema()]
}
