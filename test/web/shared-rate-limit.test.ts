/**
 * One rate limit across replicas (src/web/shared-rate-limit.ts): two real server processes and a
 * redis-server of the test's own on a free port. With Redis up they share one budget; with it
 * gone each counts alone, says so once in its log, and never answers 5xx; with it back they share
 * again. The machine's own Redis (6379) is never touched.
 */
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { freePort } from '../../scripts/processes.js'
import { exited, listening, program, spawnOwned, startReplicas } from '../helpers/replicas.js'
import type { ServerProcess } from '../helpers/server-process.js'

const MAX = 10

async function get (replica: ServerProcess): Promise<{ status: number, remaining: string | null }> {
  const res = await fetch(`http://127.0.0.1:${replica.port}/v1/frameworks`)
  await res.arrayBuffer()
  return { status: res.status, remaining: res.headers.get('x-ratelimit-remaining') }
}

/** `n` requests to each replica in turn: a, b, a, b, … */
async function alternate (replicas: ServerProcess[], n: number): Promise<Array<{ status: number, remaining: string | null }>> {
  const results = []
  for (let i = 0; i < n; i++) results.push(await get(replicas[i % replicas.length]!))
  return results
}

const statuses = (results: Array<{ status: number }>): Record<number, number> =>
  results.reduce<Record<number, number>>((counts, r) => ({ ...counts, [r.status]: (counts[r.status] ?? 0) + 1 }), {})

const redisServer = program(t, ['/usr/bin/redis-server', '/usr/local/bin/redis-server'], 'redis-server')

t.test('two replicas and one Redis: one budget; Redis down: per process, a warning, no 5xx; Redis back: one budget again', { skip: redisServer.skip }, async (t) => {
  const path = redisServer.path!
  const port = await freePort()
  const startRedis = async (): Promise<ReturnType<typeof spawnOwned>> => {
    const redis = spawnOwned(t, path, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'])
    await listening(port)
    return redis
  }
  let redis = await startRedis()
  const replicas = await startReplicas(t, 2, {
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
    RATE_LIMIT_MAX: String(MAX),
    RATE_LIMIT_WINDOW: '60000'
  })

  const shared = await alternate(replicas, 14)
  t.same(statuses(shared), { 200: MAX, 429: 4 }, 'ten requests in all, whichever replica answered them')
  t.same(shared.slice(0, MAX).map((r) => r.remaining), Array.from({ length: MAX }, (_, i) => String(MAX - 1 - i)), 'each request counts down the same budget')

  redis.kill('SIGKILL')
  await exited(redis)
  const alone = await alternate(replicas, 2 * MAX + 4)
  t.notOk(alone.some((r) => r.status >= 500), 'no 5xx while Redis is down')
  t.same(statuses(alone), { 200: 2 * MAX, 429: 4 }, 'each replica allows its own budget')
  for (const replica of replicas) {
    const warning = await replica.waitForLog((l) => /Redis is unreachable/.test(l.msg ?? ''), 'the fall-back warning')
    t.equal(warning.level, 40, 'logged as a warning')
    t.equal(replica.logs.filter((l) => /Redis is unreachable/.test(l.msg ?? '')).length, 1, 'once, not per request')
  }

  redis = await startRedis()
  // ioredis reconnects within a second; until then requests are still counted locally.
  const deadline = Date.now() + 10_000
  let back = false
  while (!back && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    back = replicas.every((r) => r.logs.some((l) => /Redis is back/.test(l.msg ?? '')) || r.child.exitCode !== null)
    if (!back) await Promise.all(replicas.map(get))
  }
  t.ok(back, 'both replicas went back to the shared counters')
  const again = await alternate(replicas, 2)
  t.ok(again.every((r) => r.status !== 500), 'no 5xx after Redis is back')
  t.equal(Number(again[1]!.remaining) < Number(again[0]!.remaining), true, 'the replicas count one budget again')
  redis.kill('SIGKILL')
})
