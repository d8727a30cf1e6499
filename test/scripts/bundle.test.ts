/**
 * The bundled server (scripts/bundle.ts), which production runs: bundled afresh into a
 * temporary folder inside dist/ with its launcher and code cache, started with plain node, and
 * asked for one thing of each kind whose code or files a bundle could lose: REST and its
 * compressed cache, GraphQL, CASE, JSON-LD, the OpenAPI document, Swagger UI's and GraphiQL's
 * pages and assets, and a clean exit that keeps the code cache V8 accepted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { asciiOnly, bundleFiles, bundleServer, external, warmCodeCache } from '../../scripts/bundle.js'
import { HEAP_OPTIONS } from '../../src/launch.js'
import { projectRoot } from '../../src/paths.js'
import { fullGuideQuery } from '../helpers/graphql.js'
import { startServer } from '../helpers/server-process.js'

// dist/ is ignored by git and absent from a fresh clone until something builds.
mkdirSync(join(projectRoot, 'dist'), { recursive: true })
const dir = mkdtempSync(join(projectRoot, 'dist', 'bundle-test-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const files = bundleFiles(dir)

t.test('the bundle holds the server and its packages, except those read from node_modules', async (t) => {
  const inputs = await bundleServer(dir)
  t.ok(inputs > 300, `${inputs} source files bundled`)
  const code = readFileSync(files.server, 'utf8')
  t.match(code, /node_modules\/fastify\//, 'Fastify is inside')
  t.match(code, /node_modules\/mercurius\//, 'mercurius is inside')
  for (const name of external) t.notMatch(code, new RegExp(`// node_modules/${name.replace('/', '\\/')}/`), `${name} is not`)
  t.notMatch(code, /[\u0080-\uffff]/, 'ASCII only, so V8 holds the source as one-byte text')
})

t.test('asciiOnly escapes each UTF-16 unit outside ASCII, meaning the same in code and keeping lines', async (t) => {
  const text = "const s = 'a § b — c 😀 d', r = /[ẞß]/g // “comment”\nline two"
  const ascii = asciiOnly(text)
  t.notOk(/[^ -~\n]/.test(ascii), 'ASCII only')
  t.equal(ascii.split('\n').length, 2, 'lines stay in place')
  const run = (code: string): unknown => new Function(`${code.split('\n')[0]}; return [s, r.test('ẞ'), r.test('ss')]`)()
  t.same(run(ascii), run(text), 'strings and regular expressions mean what they meant')
})

t.test('warming writes the code cache', async (t) => {
  await warmCodeCache(dir)
  t.ok(statSync(files.cache).size > 100_000, 'a cache of the compiled code')
})

t.test('started as production starts it, it serves every kind of resource', async (t) => {
  const cacheBefore = readFileSync(files.cache)
  const server = await startServer(t, { DB_PATH: join(dir, 'content.db'), NODE_ENV: 'production', NODE_OPTIONS: HEAP_OPTIONS, PUBLIC_URL: 'https://competencies.example.org' }, [], files.launcher)
  const base = `http://127.0.0.1:${server.port}`
  // Every body is read in full: an unread body would leave its response in flight and hold up the shutdown at the end.
  const get = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number, headers: Headers, body: string }> => {
    const response = await fetch(`${base}${path}`, { headers })
    return { status: response.status, headers: response.headers, body: await response.text() }
  }

  t.equal((await get('/health/ready')).status, 200)
  const competency = await get('/v1/frameworks/isp/1.1/competencies/co-learning', { 'accept-encoding': 'br' })
  t.equal(competency.status, 200)
  t.equal((JSON.parse(competency.body) as { id: string }).id, 'co-learning', 'brotli body decoded')
  const graphql = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: fullGuideQuery }) })
  const guide = await graphql.json() as { data?: { framework: { version: { competencies: unknown[] } } }, errors?: unknown }
  t.equal(guide.errors, undefined)
  t.equal(guide.data?.framework.version.competencies.length, 15)
  t.equal((await get('/ims/case/v1p1/CFDocuments')).status, 200)
  const jsonld = await get('/v1/frameworks/isp/1.1/competencies/co-learning', { accept: 'application/ld+json' })
  t.equal(jsonld.status, 200)
  t.match(jsonld.headers.get('content-type'), /application\/ld\+json/)
  t.equal((await get('/openapi.json')).status, 200)
  t.match((await get('/openapi.yaml')).body, /^openapi: 3\.1\.0$/m, 'the YAML document')
  // Swagger UI is bundled but reads its logo and serves its assets from its folder in node_modules.
  const logo = await get('/docs/static/logo.svg')
  t.equal(logo.status, 200)
  t.equal(logo.body, readFileSync(join(projectRoot, 'node_modules', '@fastify', 'swagger-ui', 'static', 'logo.svg'), 'utf8'))

  const docs = await get('/docs/')
  t.equal(docs.status, 200)
  const graphiql = await get('/graphiql', { accept: 'text/html' })
  t.equal(graphiql.status, 200)
  for (const [page, html] of [['/docs/', docs.body], ['/graphiql', graphiql.body]] as const) {
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => new URL(m[1]!, `${base}${page}`).pathname)
    t.ok(assets.length >= 3, `${page} names its scripts and styles`)
    for (const asset of assets) t.equal((await get(asset)).status, 200, asset)
  }

  server.child.kill('SIGTERM')
  const { code } = await server.exited
  t.equal(code, 0, 'SIGTERM: exit 0')
  t.ok(server.logs.some((l) => l.msg === 'content database closed'))
  t.ok(readFileSync(files.cache).equals(cacheBefore), 'V8 accepted the cache, so it was not written again')
})

t.test('the cache is written under the heap flags production runs with: V8 refuses it under others', async (t) => {
  const probe = `new (require('node:vm').Script)(require('node:module').wrap(require('node:fs').readFileSync(${JSON.stringify(files.server)}, 'utf8')), { filename: ${JSON.stringify(files.server)}, cachedData: require('node:fs').readFileSync(${JSON.stringify(files.cache)}) }).cachedDataRejected`
  const { execFileSync } = await import('node:child_process')
  const rejected = (flags: string[]): string => execFileSync(process.execPath, [...flags, '-p', probe], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }).trim()
  t.equal(rejected(HEAP_OPTIONS.split(' ')), 'false', 'accepted under HEAP_OPTIONS')
  t.equal(rejected([]), 'true', 'refused without them (so they must match the image\'s)')
})

t.test('a cache V8 refuses is replaced as the process exits, and the server runs all the same', async (t) => {
  writeFileSync(files.cache, 'not a code cache')
  const server = await startServer(t, { DB_PATH: join(dir, 'content.db') }, [], files.launcher)
  const ready = await fetch(`http://127.0.0.1:${server.port}/health/ready`)
  await ready.text()
  t.equal(ready.status, 200)
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
  t.ok(statSync(files.cache).size > 100_000, 'a real cache replaced the refused one')
})

t.test('started through a symlink to the launcher, it runs all the same', async (t) => {
  const link = join(dir, 'linked-server.mjs')
  symlinkSync(files.launcher, link)
  const server = await startServer(t, { DB_PATH: join(dir, 'content.db') }, [], link)
  const ready = await fetch(`http://127.0.0.1:${server.port}/health/ready`)
  await ready.text()
  t.equal(ready.status, 200)
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0)
})

t.test('with metrics and tracing on, the bundle serves /metrics and exports spans', async (t) => {
  const { createServer } = await import('node:http')
  const received: string[] = []
  const collector = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      received.push(`${req.url ?? ''} ${body}`)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  t.teardown(() => collector.close())
  const address = collector.address()
  if (address === null || typeof address === 'string') throw new Error('no collector port')
  const token = 'bundle-metrics-token-0123456789'
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
  const server = await startServer(t, { DB_PATH: join(dir, 'content.db'), METRICS_TOKEN: token, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${address.port}` }, [], files.launcher)
  const base = `http://127.0.0.1:${server.port}`
  const competency = await fetch(`${base}/v1/frameworks/isp/1.1/competencies/co-learning`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })
  await competency.text()
  t.equal(competency.status, 200)
  const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(metrics.status, 200)
  t.match(await metrics.text(), /http_request_duration_seconds_count\{method="GET",route="\/v1\/frameworks\/:framework\/:version\/competencies\/:id",status_class="2xx"\} 1/)
  server.child.kill('SIGTERM')
  t.equal((await server.exited).code, 0, 'SIGTERM: exit 0')
  t.ok(server.logs.some((l) => l.msg === 'request completed' && l.trace_id === traceId), 'the access log carries the trace id')
  t.ok(received.some((r) => r.startsWith('/v1/traces ') && r.includes(traceId)), 'the span reached the collector')
})
