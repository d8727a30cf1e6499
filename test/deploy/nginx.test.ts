/**
 * deploy/nginx/nginx.conf, run: Debian's nginx (as this process's child, in a temporary prefix,
 * on a free loopback port) in front of two real replicas. Only the addresses and paths of the
 * shipped file are changed (the upstream servers, the listen port, the cache and pid paths);
 * everything else is the file as shipped. Upstream hits are counted from the replicas' own
 * access-log lines.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'
import { tempDir } from '../helpers/app.js'
import { freePort } from '../../scripts/processes.js'
import { exited, listening, program, spawnOwned, startReplicas } from '../helpers/replicas.js'
import { startServer, type ServerProcess } from '../helpers/server-process.js'

const shipped = readFileSync(join(projectRoot, 'deploy/nginx/nginx.conf'), 'utf8')
const nginx = program(t, ['/usr/sbin/nginx'], 'nginx (Debian package `nginx`)')

interface Teardown { teardown: (fn: () => unknown) => void }

/** `text` with `from` replaced by `to`; `from` must occur exactly once (a changed file fails here, not silently). */
function replaceOnce (text: string, from: string, to: string): string {
  const parts = text.split(from)
  if (parts.length !== 2) throw new Error(`nginx.conf: expected "${from}" once, found it ${parts.length - 1} times`)
  return parts.join(to)
}

/** Runs the shipped configuration with `upstreams` as the api servers; resolves when it listens. */
async function startNginx (t: Teardown, path: string, upstreams: number[]): Promise<{ port: number, output: () => string }> {
  // Directly under the system's temporary folder: when the test runs as root nginx's workers run
  // as nobody, and must reach the cache through every folder above it.
  const dir = mkdtempSync(join(tmpdir(), 'nginx-test-'))
  chmodSync(dir, 0o755)
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  // nginx makes the last folder of each path, not its parents (the image has /var/cache/nginx).
  mkdirSync(join(dir, 'cache'), { mode: 0o755 })
  mkdirSync(join(dir, 'log'), { mode: 0o755 })
  const port = await freePort()
  let conf = replaceOnce(shipped, 'server api:3000 max_fails=1 fail_timeout=5s;',
    upstreams.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n    '))
  conf = replaceOnce(conf, 'listen 8080;', `listen 127.0.0.1:${port};`)
  conf = replaceOnce(conf, 'pid /tmp/nginx.pid;', `pid ${dir}/nginx.pid;`)
  conf = conf.replaceAll('/var/cache/nginx', join(dir, 'cache'))
  conf = replaceOnce(conf, '/var/log/nginx/access.log', join(dir, 'log', 'access.log'))
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const child = spawnOwned(t, path, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'])
  await listening(port).catch((err: Error) => { throw new Error(`${err.message}; nginx said: ${child.output()}`) })
  return { port, output: () => `${child.output()}${readFileSync(join(dir, 'log', 'access.log'), 'utf8')}` }
}

interface Answer { status: number, headers: IncomingHttpHeaders, body: Buffer }

/** A GET through nginx with exactly these headers (fetch would add its own Accept-Encoding). */
async function get (port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.setTimeout(15_000, () => req.destroy(new Error(`GET ${path} timed out`)))
    req.on('error', reject)
    req.end()
  })
}

/** `count` calls of `task(i)`, `concurrency` at a time. */
async function pool<T> (count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = []
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }))
  return results
}

/** Access-log lines of `replicas` for `url`, after their one-second log buffer has been written. */
async function upstreamHits (replicas: ServerProcess[], url: string): Promise<Array<{ status: number }>> {
  await new Promise((resolve) => setTimeout(resolve, 1300))
  return replicas.flatMap((r) => r.logs)
    .filter((l) => l.msg === 'request completed' && (l.req as { url?: string } | undefined)?.url === url)
    .map((l) => ({ status: (l.res as { statusCode: number }).statusCode }))
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const env = {
  // Both replicas must give the same bytes for a URL: canonical URIs come from PUBLIC_URL.
  PUBLIC_URL: 'http://competencies.test',
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_MAX: '1000000000'
}

t.test('nginx in front of two replicas', { skip: nginx.skip }, async (t) => {
  const started = Date.now()
  const step = (what: string): void => { t.comment(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`) }
  const dbPath = join(tempDir(), 'content.db')
  const replicas = await startReplicas(t, 2, { ...env, DB_PATH: dbPath })
  const front = await startNginx(t, nginx.path!, replicas.map((r) => r.port))
  step('replicas and nginx started')

  await t.test('a pinned resource requested 1,000 times reaches the replicas once per representation', async (t) => {
    const url = '/v1/frameworks/isp/1.1/competencies/co-learning'
    const variants = [
      { accept: 'application/json', encoding: 'br' },
      { accept: 'application/json', encoding: 'gzip' },
      { accept: 'application/ld+json', encoding: 'br' },
      { accept: 'application/ld+json', encoding: 'identity' }
    ]
    const answers = await pool(1000, 20, async (i) => {
      const v = variants[i % variants.length]!
      const res = await get(front.port, url, { accept: v.accept, 'accept-encoding': v.encoding })
      return { v, res }
    })
    t.ok(answers.every(({ res }) => res.status === 200), 'every answer is 200')
    const wrong = answers.filter(({ v, res }) =>
      !String(res.headers['content-type']).startsWith(v.accept) ||
      (res.headers['content-encoding'] ?? 'identity') !== v.encoding)
    t.equal(wrong.length, 0, 'each answer is the representation and encoding asked for')
    t.equal(answers.filter(({ res }) => res.headers['x-cache-status'] === 'HIT').length >= 1000 - 2 * variants.length, true, 'almost all are cache hits')
    t.equal(new Set(answers.map(({ res }) => res.headers['x-request-id'])).size, 1000, 'each answer carries its own request id, hits too')
    t.notOk(answers.some(({ res }) => res.headers['x-cache-status'] === 'HIT' && res.headers['x-ratelimit-remaining'] !== undefined), 'no stored rate-limit headers on hits')
    const misses = answers.filter(({ res }) => res.headers['x-cache-status'] === 'MISS')
    t.ok(misses.length > 0 && misses.every(({ res }) => res.headers['x-ratelimit-limit'] === '1000000000'), 'answers from a replica carry its rate-limit headers')
    const hits = await upstreamHits(replicas, url)
    t.equal(hits.length, variants.length, `the replicas saw ${hits.length} requests for ${variants.length} representations`)
    t.match(answers[0]!.res.headers['cache-control'], 'immutable')
  })

  await t.test('a 304 passes through: a client revalidating with If-None-Match gets 304 and the ETag', async (t) => {
    const url = '/v1/frameworks/isp/1.1/competencies?limit=5'
    const headers = { accept: 'application/json', 'accept-encoding': 'gzip' }
    // The ETag as a replica sends it, before nginx has the resource.
    const direct = await new Promise<string>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: replicas[0]!.port, path: url, headers }, (res) => {
        res.resume()
        resolve(String(res.headers.etag))
      }).on('error', reject).end()
    })
    const first = await get(front.port, url, { ...headers, 'if-none-match': direct })
    t.equal(first.status, 304, 'not yet cached: fetched, stored and answered 304')
    t.equal(first.headers.etag, direct)
    t.equal(first.body.length, 0)
    const again = await get(front.port, url, { ...headers, 'if-none-match': direct })
    t.equal(again.status, 304, 'cached: 304 from the cache')
    t.equal(again.headers['x-cache-status'], 'HIT')
    const other = await get(front.port, url, { ...headers, 'if-none-match': '"something-else"' })
    t.equal(other.status, 200, 'another ETag gets the body')
    t.equal(other.headers.etag, direct)
  })

  await t.test('latest is revalidated with its ETag after its max-age', async (t) => {
    // The service gives `latest` max-age=300, too long to wait for here. A pass-through in front
    // of the first replica shortens it to 1 s, and records what nginx asks for and gets. nginx
    // counts in whole seconds and an entry stored during second S with max-age=1 expires at S+2:
    // 2.5 s later it has expired whatever the fraction of the second it was stored in.
    const seen: Array<{ url: string, ifNoneMatch: string | null, status: number, cacheControl: string }> = []
    const shim = createServer((req, res) => {
      const upstream = httpRequest({ host: '127.0.0.1', port: replicas[0]!.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        const cacheControl = String(answer.headers['cache-control'])
        seen.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] ?? null, status: answer.statusCode ?? 0, cacheControl })
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...(cacheControl === 'public, max-age=300' ? { 'cache-control': 'public, max-age=1' } : {}) })
        answer.pipe(res)
      })
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    })
    const shimPort = await freePort()
    await new Promise<void>((resolve) => shim.listen(shimPort, '127.0.0.1', resolve))
    t.teardown(() => { shim.closeAllConnections(); shim.close() })
    const edge = await startNginx(t, nginx.path!, [shimPort])

    const url = '/v1/frameworks/isp/latest/competencies/co-learning'
    const headers = { accept: 'application/json', 'accept-encoding': 'br' }
    const first = await get(edge.port, url, headers)
    t.equal(first.status, 200)
    t.equal(first.headers['x-cache-status'], 'MISS')
    const second = await get(edge.port, url, headers)
    t.equal(second.headers['x-cache-status'], 'HIT', 'fresh: from the cache')
    await sleep(2500)
    const third = await get(edge.port, url, headers)
    t.equal(third.status, 200)
    t.equal(third.headers['x-cache-status'], 'REVALIDATED', 'expired: revalidated, not fetched again')
    t.equal(third.headers.etag, first.headers.etag)
    t.same(third.body, first.body)
    const fourth = await get(edge.port, url, headers)
    t.equal(fourth.headers['x-cache-status'], 'HIT', 'fresh again after the revalidation')
    t.same(seen.filter((s) => s.url === url).map((s) => [s.ifNoneMatch, s.status, s.cacheControl]), [
      [null, 200, 'public, max-age=300'],
      [first.headers.etag, 304, 'public, max-age=300']
    ], 'nginx asked once for the body and once with If-None-Match; the replica answered 304')
  })

  await t.test('the write side and authenticated requests pass through, uncached', async (t) => {
    const res = await get(front.port, '/v1/curricula', { accept: 'application/json' })
    t.equal(res.status, 401, 'the curricula API answers for itself')
    t.notOk(res.headers['x-cache-status'], 'not a caching location')
    const authed = await get(front.port, '/v1/frameworks/isp/1.1', { authorization: 'Bearer whatever' })
    t.equal(authed.headers['x-cache-status'], 'BYPASS')
  })

  await t.test('stopping a replica (SIGTERM, then SIGKILL of the other) loses no request', async (t) => {
    // Distinct URLs (a GraphQL comment), so each request misses the cache and reaches a replica.
    const query = (i: number): string => `/graphql?query=${encodeURIComponent(`{ frameworks { id } } # ${i}`)}`
    let stop = false
    let sent = 0
    const failures: string[] = []
    const done = Promise.all(Array.from({ length: 4 }, async () => {
      while (!stop) {
        const i = sent++
        try {
          const res = await get(front.port, query(i), { accept: 'application/json' })
          if (res.status !== 200) failures.push(`${i}: ${res.status} ${res.body.toString().slice(0, 200)}`)
        } catch (err) {
          failures.push(`${i}: ${(err as Error).message}`)
        }
      }
    }))

    step('streaming')
    await sleep(500)
    const [a, b] = replicas as [ServerProcess, ServerProcess]
    a.child.kill('SIGTERM')
    const exit = await a.exited
    t.equal(exit.code, 0, 'the first replica shut down gracefully')
    step('first replica stopped')
    await sleep(500)
    // A new replica where the first was, so the second can go.
    const a2 = await startServer(t, { ...env, DB_PATH: dbPath, PORT: String(a.port) }).catch(() => undefined)
    t.ok(a2, 'a replica is back on the first port')
    step('first replica restarted')
    // Past fail_timeout, nginx tries the first port again and finds the new replica.
    await sleep(5500)
    const before = sent
    b.child.kill('SIGKILL')
    await exited(b.child)
    step('second replica killed')
    await sleep(1500)
    stop = true
    await done
    t.ok(sent - before > 20, `requests kept coming after the SIGKILL (${sent - before})`)
    t.same(failures.slice(0, 5), [], `none of ${sent} requests failed (${failures.length} did)`)
    if (failures.length > 0) t.comment(front.output().slice(-3000))
    a2?.child.kill('SIGTERM')
  })
})
