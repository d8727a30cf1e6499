/** npm run generate: write every generated artifact (see artifacts.ts). */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { projectRoot } from '../src/paths.js'
import { artifacts } from './artifacts.js'

for (const { path, content } of await artifacts()) {
  const file = join(projectRoot, path)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content)
  process.stdout.write(`wrote ${path}\n`)
}
