/**
 * The curricula stores a test runs against: a fresh SQLite file, and a fresh PostgreSQL database
 * on the server named by TEST_DATABASE_URL or DATABASE_URL (else 127.0.0.1:5432 as postgres),
 * dropped after the test. Without a reachable server the PostgreSQL run is skipped with a message,
 * unless CI=true, where it fails.
 */
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'
import { closeStore, openStore } from '../../src/curricula/store/open.js'
import type { CurriculaRepository, StoreLimits } from '../../src/curricula/store/repository.js'
import { tempDir } from './app.js'

export type StoreKind = 'sqlite' | 'postgres'
export const storeKinds: StoreKind[] = ['sqlite', 'postgres']

/** The server's maintenance database URL. */
export const postgresBaseUrl = process.env.TEST_DATABASE_URL ?? (process.env.DATABASE_URL?.startsWith('postgres') === true ? process.env.DATABASE_URL : undefined) ??
  'postgres://postgres@127.0.0.1:5432/postgres'

let reachable: Promise<string | null> | undefined

/** null when PostgreSQL answers, else why not. */
export function postgresProblem (): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: postgresBaseUrl, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.query('SELECT 1')
      return null
    } catch (err) {
      return (err as Error).message
    } finally {
      await client.end().catch(() => undefined)
    }
  })()
  return reachable
}

type TestLike = Pick<Test, 'teardown' | 'skip' | 'fail'>

/** A fresh, empty PostgreSQL database's URL, dropped on teardown; undefined (test skipped or failed) when there is no server. */
export async function postgresDatabase (t: TestLike): Promise<string | undefined> {
  const problem = await postgresProblem()
  if (problem !== null) {
    const message = `PostgreSQL is not reachable at ${postgresBaseUrl.replace(/\/\/[^@]*@/, '//')} (${problem}); set TEST_DATABASE_URL to run these tests`
    if (process.env.CI === 'true') t.fail(`${message}; CI must run them`)
    else t.skip(message, () => undefined)
    return undefined
  }
  const name = `curricula_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: postgresBaseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: postgresBaseUrl })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.end()
  })
  const url = new URL(postgresBaseUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Where the store of this kind lives: a SQLite path, or a PostgreSQL URL; undefined when skipped. */
export async function storeLocation (t: TestLike, kind: StoreKind): Promise<{ sqlitePath: string, databaseUrl?: string } | undefined> {
  const sqlitePath = join(tempDir(), 'curricula.db')
  if (kind === 'sqlite') return { sqlitePath }
  const databaseUrl = await postgresDatabase(t)
  return databaseUrl === undefined ? undefined : { sqlitePath, databaseUrl }
}

/** An open, migrated store of this kind, closed on teardown; undefined when skipped. */
export async function openTestStore (t: TestLike, kind: StoreKind, limits?: StoreLimits): Promise<CurriculaRepository | undefined> {
  const location = await storeLocation(t, kind)
  if (location === undefined) return undefined
  const repo = await openStore({ ...location, ...(limits === undefined ? {} : { limits }) })
  t.teardown(() => closeStore(repo))
  return repo
}
