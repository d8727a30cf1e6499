/** docs/operations.md as `npm run generate` writes it: the configuration table comes from ConfigSchema (src/config.ts). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { configTable } from '../src/config.js'
import { projectRoot } from '../src/paths.js'
import type { Artifact } from './artifacts.js'

const configTableMarkers = /(<!-- config-table:start[^>]*-->\n)[\s\S]*?(\n<!-- config-table:end -->)/

/** `markdown` with the text between its config-table markers replaced by the table generated from ConfigSchema. */
export function withConfigTable (markdown: string): string {
  if (!configTableMarkers.test(markdown)) throw new Error('no <!-- config-table:start --> … <!-- config-table:end --> markers')
  return markdown.replace(configTableMarkers, (_match, start: string, end: string) => `${start}${configTable()}${end}`)
}

/** The operations guide, its configuration table generated from the settings schema (src/config.ts). */
export function operationsGuide (): Artifact {
  const path = 'docs/operations.md'
  return { path, content: withConfigTable(readFileSync(join(projectRoot, path), 'utf8')) }
}
