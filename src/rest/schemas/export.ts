/**
 * The export: a whole version as one document shaped like its seed folder. Each property is one
 * seed file (its name without `.json`), validated by the same TypeBox schema as the seeds.
 */
import { Type, type TSchema } from '@sinclair/typebox'
import { seedFiles, type VersionSeed } from '../../content/schema.js'
import { ref } from '../../web/schemas/common.js'

function component<T extends TSchema> (schema: T, $id: string): T {
  return { ...schema, $id }
}

/** The seed file schemas as named components (`SeedFramework`, `SeedCompetencies`, …). */
export const seedComponents = Object.fromEntries(Object.entries(seedFiles).map(([file, schema]) => {
  const name = file.replace('.json', '')
  return [name, component(schema as TSchema, `Seed${name[0]!.toUpperCase()}${name.slice(1)}`)]
})) as { [K in keyof VersionSeed]: TSchema }

export const Export = Type.Unsafe<VersionSeed>(Type.Object(
  Object.fromEntries(Object.entries(seedComponents).map(([name, schema]) => [name, ref(schema)])),
  {
    $id: 'Export',
    additionalProperties: false,
    description: 'The whole version in the canonical seed format: each property holds what the seed file of that name (without `.json`) holds, e.g. `competencies` is `competencies.json`.'
  }
))

export type ExportView = VersionSeed
