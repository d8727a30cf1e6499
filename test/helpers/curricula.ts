/** A test app on a curricula store of each kind, with two institutions and their keys. */
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { build } from '../../src/app.js'
import { createKey } from '../../src/curricula/keys.js'
import type { CurriculaRepository } from '../../src/curricula/store/repository.js'
import { testConfig } from './app.js'
import { openTestStore, type StoreKind } from './stores.js'

export interface CurriculaFixture {
  app: FastifyInstance
  repo: CurriculaRepository
  /** Institution A's write and read keys, institution B's write key. */
  keys: { a: string, aRead: string, b: string }
  institutions: { a: string, b: string }
}

/** Builds the app on a fresh store of this kind; undefined when the store is skipped. */
export async function curriculaFixture (t: Test, kind: StoreKind, env: Record<string, string> = {}): Promise<CurriculaFixture | undefined> {
  const repo = await openTestStore(t, kind)
  if (repo === undefined) return undefined
  const app = await build({ config: testConfig({ env }), curricula: repo })
  t.teardown(() => app.close())
  await app.ready()
  const a = await repo.createInstitution('Alpha University')
  const b = await repo.createInstitution('Beta College')
  return {
    app,
    repo,
    keys: { a: (await createKey(repo, a.id, 'write')).key, aRead: (await createKey(repo, a.id, 'read')).key, b: (await createKey(repo, b.id, 'write')).key },
    institutions: { a: a.id, b: b.id }
  }
}

/** Headers with a bearer key (and more). */
export const auth = (key: string, more: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${key}`, ...more })
