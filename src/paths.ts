/** Paths inside the project, the same whether running from `src/` (TypeScript) or `dist/src/`. */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot (from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error(`package.json not found above ${from}`)
    dir = up
  }
  return dir
}

/** The project root: the folder holding package.json. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)))

/** The seed folder shipped with the service. */
export const bundledSeedsDir = join(projectRoot, 'seeds')

/** Where the content database is built unless DB_PATH says otherwise. */
export const defaultDbPath = join(projectRoot, 'data', 'content.db')
