/**
 * The curricula store in the benchmark: alignment writes per second (PUT of a course's whole set,
 * each one transaction with its audit entry, `If-Match: *`) and a curriculum read (a page of 50
 * courses), on the SQLite store and on PostgreSQL, in the same run, against the production
 * server (dist/server.mjs) on loopback. PostgreSQL is skipped, and says so, where none answers.
 *
 * Run alone: `node --import tsx bench/curricula.ts` (after `npm run build`); `npm run bench` runs it
 * with the rest and puts its table in the report.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { createKey } from '../src/curricula/keys.js'
import { closeStore, openStore } from '../src/curricula/store/open.js'
import { IMAGE_ENV, freePort, launchServer, listeningPort, stopServer } from '../scripts/processes.js'

const root = fileURLToPath(new URL('..', import.meta.url))

export interface CurriculaResult {
  store: 'sqlite' | 'postgres'
  /** Whole-set alignment writes answered 200 per second. */
  writesPerSecond: number
  /** p50 and p99 of a write, in ms. */
  writeLatency: { p50: number, p99: number }
  /** Reads of a page of 50 courses per second. */
  readsPerSecond: number
  readLatency: { p50: number, p99: number }
  /** Answers other than 200, across both runs (should be 0). */
  errors: number
  /** Why the store was not measured, when it was not. */
  skipped?: string
}

const COURSES = 50
const TARGETS = ['C01', 'C02.A01', 'C03', 'C04.A02', 'C05']

async function postgresUrl (): Promise<{ url: string, drop: () => Promise<void> } | string> {
  const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `isp_bench_${process.pid}`
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 })
  try {
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${name}`)
    await admin.query(`CREATE DATABASE ${name}`)
  } catch (err) {
    return `PostgreSQL is not reachable at ${base.replace(/\/\/[^@]*@/, '//')} (${(err as Error).message})`
  } finally {
    await admin.end().catch(() => undefined)
  }
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    }
  }
}

const latency = (r: autocannon.Result): { p50: number, p99: number } => ({ p50: r.latency.p50, p99: r.latency.p99 })
const non200 = (r: autocannon.Result): number => r.non2xx + r.errors + r.timeouts

/** One store: a key and a curriculum of 50 courses made through the API, then the two loads. */
async function measureStore (store: 'sqlite' | 'postgres', dbPath: string, seconds: number, connections: number): Promise<CurriculaResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'isp-bench-curricula-'))
  let pgDb: { url: string, drop: () => Promise<void> } | undefined
  try {
    const env: Record<string, string> = {
      // The image's heap flags: under any others V8 refuses dist/'s code cache and the launcher rewrites it.
      ...IMAGE_ENV, HOST: '127.0.0.1', PORT: String(await freePort()), DB_PATH: dbPath, LOG_LEVEL: 'warn',
      CURRICULA_DB_PATH: join(scratch, 'curricula.db'), CURRICULA_RATE_LIMIT_MAX: '1000000000', RATE_LIMIT_MAX: '1000000000'
    }
    if (store === 'postgres') {
      const found = await postgresUrl()
      if (typeof found === 'string') return { store, writesPerSecond: 0, writeLatency: { p50: 0, p99: 0 }, readsPerSecond: 0, readLatency: { p50: 0, p99: 0 }, errors: 0, skipped: found }
      pgDb = found
      env.DATABASE_URL = found.url
    }
    // The institution and its key, made as an operator would (the CLI's code), before the server opens the store.
    const repo = await openStore({ sqlitePath: env.CURRICULA_DB_PATH!, databaseUrl: env.DATABASE_URL })
    const institution = await repo.createInstitution('Bench University')
    const { key } = await createKey(repo, institution.id, 'write')
    await closeStore(repo)

    const server = launchServer(env, { entry: join(root, 'dist/server.mjs') })
    try {
      await listeningPort(server, 60_000).catch(async () => {
        // LOG_LEVEL=warn hides the listening line: wait for readiness instead.
        for (let i = 0; i < 600; i++) {
          if (await fetch(`http://127.0.0.1:${env.PORT!}/health/ready`).then((r) => r.ok, () => false)) return
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        throw new Error(`the server did not start: ${server.stderr()}`)
      })
      const base = `http://127.0.0.1:${env.PORT!}`
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
      const created = await fetch(`${base}/v1/curricula`, { method: 'POST', headers, body: JSON.stringify({ name: 'Bench programme', framework: 'isp', version: '1.1' }) })
      if (created.status !== 201) throw new Error(`creating the curriculum answered ${created.status}: ${await created.text()}`)
      const curriculum = (await created.json() as { id: string }).id
      const csv = ['code,title', ...Array.from({ length: COURSES }, (_, i) => `B${String(i).padStart(3, '0')},Bench course ${i}`)].join('\n')
      const imported = await fetch(`${base}/v1/curricula/${curriculum}/courses:import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: csv })
      if (imported.status !== 200) throw new Error(`importing the courses answered ${imported.status}: ${await imported.text()}`)
      const courses = (await imported.json() as { created: Array<{ id: string }> }).created.map((c) => c.id)

      const levels = ['introduced', 'reinforced', 'mastered']
      const writes = courses.map((id, i) => ({
        method: 'PUT' as const,
        path: `/v1/curricula/${curriculum}/courses/${id}/alignments`,
        headers: { ...headers, 'if-match': '*' },
        body: JSON.stringify(TARGETS.slice(0, 1 + (i % TARGETS.length)).map((target, j) => ({ target, level: levels[(i + j) % 3] })))
      }))
      // Each connection writes its own courses: writers racing on one course would lose with 412 (as they should), not measure the store.
      let next = 0
      const written = await autocannon({
        url: base,
        connections,
        duration: seconds,
        requests: writes,
        setupClient: (client: { setRequests: (r: typeof writes) => void }) => {
          const mine = writes.filter((_, i) => i % connections === next % connections)
          next++
          client.setRequests(mine.length > 0 ? mine : writes)
        }
      } as autocannon.Options)
      const statuses = (r: autocannon.Result): string => JSON.stringify((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
      if (non200(written) > 0) process.stderr.write(`curricula bench (${store}) writes answered ${statuses(written)}\n`)
      const read = await autocannon({ url: base, connections, duration: seconds, requests: [{ method: 'GET', path: `/v1/curricula/${curriculum}/courses?limit=50`, headers }] })
      return {
        store,
        writesPerSecond: written['2xx'] / seconds,
        writeLatency: latency(written),
        readsPerSecond: read['2xx'] / seconds,
        readLatency: latency(read),
        errors: non200(written) + non200(read)
      }
    } finally {
      await stopServer(server)
    }
  } finally {
    await pgDb?.drop()
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Both stores, one after the other, with the same content database and settings. */
export async function curriculaBench (dbPath: string, seconds: number, connections: number): Promise<CurriculaResult[]> {
  return [await measureStore('sqlite', dbPath, seconds, connections), await measureStore('postgres', dbPath, seconds, connections)]
}

/** The report's table. */
export function curriculaTable (results: readonly CurriculaResult[]): string {
  const rows = results.map((r) => r.skipped !== undefined
    ? `| ${r.store} | skipped: ${r.skipped} | | | | |`
    : `| ${r.store} | ${Math.round(r.writesPerSecond)} | ${r.writeLatency.p50} / ${r.writeLatency.p99} | ${Math.round(r.readsPerSecond)} | ${r.readLatency.p50} / ${r.readLatency.p99} | ${r.errors} |`)
  return [
    '| curricula store | alignment writes/s (whole set of 1–5, `If-Match: *`) | write p50 / p99 ms | reads/s (a page of 50 courses) | read p50 / p99 ms | non-200 |',
    '|---|---|---|---|---|---|',
    ...rows
  ].join('\n')
}

if (process.argv[1] !== undefined && /bench\/curricula\.[jt]s$/.test(process.argv[1])) {
  const dbPath = process.env.BENCH_DB_PATH ?? join(root, 'data', 'content.db')
  const seconds = Number(process.env.BENCH_DURATION ?? 5)
  curriculaBench(dbPath, seconds, Number(process.env.BENCH_CONNECTIONS ?? 10)).then((results) => {
    process.stdout.write(`${curriculaTable(results)}\n`)
  }, (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  })
}
