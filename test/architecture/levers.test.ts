/**
 * The upstream behaviour each performance lever relies on (docs/performance.md, "Where each lever
 * lives"), pinned: each test states what V8, esbuild, Fastify, @fastify/rate-limit or mercurius
 * does today that a lever assumes, and fails when that changes, which is the moment to revisit the
 * lever (the comment at the top of its file says what to do). What the levers themselves do is
 * tested beside them (test/launch.test.ts, test/scripts/bundle.test.ts, test/web/compilers.test.ts,
 * test/web/http-cache.test.ts, test/graphql/result-cache.test.ts, test/graphql/errors.test.ts).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import Module from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { Script } from 'node:vm'
import rateLimit from '@fastify/rate-limit'
import { transform } from 'esbuild'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { parse } from 'graphql'
import mercurius from 'mercurius'
import t from 'tap'
import { defaultBuilders, type SerializerBuilder, type ValidatorBuilder } from '../../src/web/compilers.js'

const dir = mkdtempSync(join(tmpdir(), 'isp-levers-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

t.test('code cache (src/launch.ts): what V8 checks before it takes a cache back', async (t) => {
  const program = (n: number): string => `function twice () { return ${n} * 2 }\nglobalThis.leverResult = twice()\n`
  const run = (source: string, cachedData?: Buffer): { rejected: boolean | undefined, result: unknown } => {
    const script = new Script(source, cachedData === undefined ? {} : { cachedData })
    script.runInThisContext()
    return { rejected: script.cachedDataRejected, result: (globalThis as { leverResult?: unknown }).leverResult }
  }
  const made = new Script(program(1))
  made.runInThisContext()
  const cache = made.createCachedData()

  t.same(run(program(1), cache), { rejected: false, result: 2 }, 'the same source in the same process: taken back')
  t.same(run(program(10), cache), { rejected: true, result: 20 }, 'a source of another length: refused, and the new source runs')
  t.same(run(program(3), cache), { rejected: false, result: 2 },
    'a source of the same length: taken back, and the OLD code runs (V8 compares lengths, not contents), so the build deletes the cache and the launcher writes one only for the file it compiled')

  // Another set of V8 flags: a child process given one flag more is refused the cache made here.
  const cacheFile = join(dir, 'flags.cache')
  writeFileSync(cacheFile, cache)
  const probe = `const s = new (require('node:vm').Script)(${JSON.stringify(program(1))}, { cachedData: require('node:fs').readFileSync(${JSON.stringify(cacheFile)}) }); console.log(s.cachedDataRejected)`
  const child = (flags: string[]): string => spawnSync(process.execPath, [...flags, '-e', probe], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 10_000 }).stdout.trim()
  t.equal(child([]), 'false', 'another process with the same flags: taken back')
  t.equal(child(['--max-lazy']), 'true', 'other V8 flags: refused')
})

t.test('code cache (src/launch.ts): Node has no compile cache of its own to replace the launcher', async (t) => {
  // Node 22.1 added module.enableCompileCache(), which does what the launcher does. When this
  // fails, and package.json's engines no longer admit Node 20, the launcher can give way to it.
  t.equal(typeof (Module as { enableCompileCache?: unknown }).enableCompileCache, 'undefined', `Node ${process.version} has module.enableCompileCache()`)
})

t.test('ASCII bundle (scripts/bundle.ts): one character above U+00FF makes V8 hold a whole source as two-byte text', async (t) => {
  const n = 100_000
  // The launcher reads the bundle as readFileSync(file, 'utf8') does here. V8's serializer writes
  // a string in the representation the heap holds it in: one byte or two per character.
  const heldBytes = (text: string): number => {
    const file = join(dir, 'source.js')
    writeFileSync(file, text)
    return serialize(readFileSync(file, 'utf8')).length
  }
  const ascii = heldBytes(`${'x'.repeat(n - 1)}a`)
  t.ok(ascii < n + 16, `ASCII: one byte a character (${ascii} bytes)`)
  t.ok(heldBytes(`${'x'.repeat(n - 1)}\u00a7`) < n + 16, 'Latin-1 ("§"): still one byte a character')
  for (const c of ['\u2014', '\u1e9e', '\u201c']) {
    t.ok(heldBytes(`${'x'.repeat(n - 1)}${c}`) > 2 * n, `one "${c}" (U+${c.charCodeAt(0).toString(16).toUpperCase()}): two bytes a character for the whole text`)
  }
})

t.test("ASCII bundle (scripts/bundle.ts): esbuild's charset 'ascii' leaves comments and regular expressions as they are", async (t) => {
  const { code } = await transform("/*! kept \u2014 \u00a7 */\nexport const r = /[\u1e9e\u00df]/g, s = 'a \u2014 b'\n", { charset: 'ascii', format: 'cjs', legalComments: 'inline' })
  t.match(code, /"a \\u2014 b"/, 'strings are escaped')
  t.match(code, /\/\*! kept \u2014 \u00a7 \*\//, 'a kept comment is not: asciiOnly is still needed')
  t.match(code, /\/\[\u1e9e\u00df\]\/g/, 'nor a regular expression')
})

/** Fastify's default compilers wrapped to count what they compile. */
function countingController (): { controller: NonNullable<FastifyServerOptions['schemaController']>, compiled: { validators: number, serializers: number }, contextGiven: boolean[] } {
  const { validator, serializer } = defaultBuilders()
  const compiled = { validators: 0, serializers: 0 }
  const contextGiven: boolean[] = []
  const buildValidator: ValidatorBuilder = (external, options) => {
    const compile = validator(external, options)
    return (route) => {
      compiled.validators++
      const validate = compile(route)
      // No schemaEnv on this wrapper: Fastify should call it with the data alone.
      const plain = (data: unknown, ...rest: unknown[]): unknown => { contextGiven.push(rest.length > 0); return validate(data) }
      return Object.assign(plain, { get errors () { return validate.errors } })
    }
  }
  const buildSerializer: SerializerBuilder = (external, options) => {
    const compile = serializer(external, options)
    return (route) => { compiled.serializers++; return compile(route) }
  }
  const controller = { compilersFactory: { buildValidator, buildSerializer } } as unknown as NonNullable<FastifyServerOptions['schemaController']>
  return { controller, compiled, contextGiven }
}

t.test('lazy compilers (src/web/compilers.ts): Fastify compiles every schema of every route at ready', async (t) => {
  const { controller, compiled, contextGiven } = countingController()
  const app = Fastify({ schemaController: controller })
  t.teardown(() => app.close())
  const schema = {
    querystring: { type: 'object', properties: { n: { type: 'integer' } } },
    response: { 200: { type: 'object', properties: { n: { type: 'integer' } } }, 404: { type: 'object', properties: { m: { type: 'string' } } } }
  }
  for (const url of ['/a', '/b', '/c']) app.get(url, { schema }, async (request) => request.query)
  await app.ready()
  // Each GET route has a HEAD twin with the same schemas: 6 routes, one querystring and two responses each.
  t.same(compiled, { validators: 6, serializers: 12 }, 'all compiled before any request, used or not')
  t.same((await app.inject('/a?n=1')).json(), { n: 1 })
  t.same(compiled, { validators: 6, serializers: 12 }, 'and nothing more per request')
  t.same(contextGiven, [false], 'a validator without schemaEnv gets the data alone: compilers.ts sets it to get the data context')
})

t.test('response cache (src/web/response-cache.ts): the rate limiter runs after a route\'s own onRequest hooks, before its preParsing hooks', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(rateLimit, { max: 1, timeWindow: 60_000 })
  app.get('/on-request', { onRequest: async (request, reply) => reply.send('early') }, async () => 'handler')
  app.get('/pre-parsing', { preParsing: async (request, reply) => reply.send('early') }, async () => 'handler')
  const statuses = async (url: string): Promise<number[]> => [(await app.inject(url)).statusCode, (await app.inject(url)).statusCode]
  t.same(await statuses('/on-request'), [200, 200], 'an answer sent from the route\'s onRequest is never counted')
  t.same(await statuses('/pre-parsing'), [200, 429], 'one sent from preParsing is counted and limited')
})

t.test('HTTP cache (src/web/http-cache.ts): Fastify measures a HEAD answer in an onSend hook after the route\'s own', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  app.get('/sized', { onSend: async () => Buffer.from('abc') }, async () => 'handler')
  app.get('/null', { onSend: async () => null }, async () => 'handler')
  app.get('/empty', { onSend: async (request, reply) => { reply.code(304); return '' } }, async () => 'handler')
  const sized = await app.inject({ method: 'HEAD', url: '/sized' })
  t.equal(sized.headers['content-length'], '3', 'the length of what the route\'s onSend returned')
  t.equal(sized.body, '')
  t.equal((await app.inject({ method: 'HEAD', url: '/null' })).statusCode, 500, 'a null payload makes it throw…')
  const empty = await app.inject({ method: 'HEAD', url: '/empty' })
  t.same([empty.statusCode, empty.headers['content-length']], [304, '0'], '…so a HEAD 304 returns an empty string')
})

/** A bare mercurius app (none of our hooks): `items` has two entries, the second fails. */
async function bareMercurius (t: { teardown: (fn: () => unknown) => void }, options: Record<string, unknown> = {}): Promise<{ app: ReturnType<typeof Fastify>, calls: { hello: number } }> {
  const calls = { hello: 0 }
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(mercurius, {
    schema: 'type Item { name: String }\ntype Query { hello: String, items: [Item] }\ntype Mutation { touch: Int }',
    resolvers: {
      Query: { hello: () => { calls.hello++; return 'world' }, items: () => [{ name: 'a' }, { name: 'b' }] },
      Item: { name: (item: { name: string }) => { if (item.name === 'b') throw new Error('no b'); return item.name } },
      Mutation: { touch: () => 1 }
    },
    ...options
  })
  return { app, calls }
}

t.test('GraphQL result cache (src/graphql/result-cache.ts): mercurius keeps parsed queries, not results', async (t) => {
  const { app, calls } = await bareMercurius(t, { cache: 10, jit: 1 })
  for (let i = 0; i < 3; i++) t.same((await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ hello }' } })).json(), { data: { hello: 'world' } })
  t.equal(calls.hello, 3, 'every repeat runs the resolvers again')
})

t.test('GraphQL result cache (src/graphql/result-cache.ts): an answer sent from a route preValidation hook skips mercurius', async (t) => {
  const { app, calls } = await bareMercurius(t, { additionalRouteOptions: { preValidation: async (request: unknown, reply: { send: (x: unknown) => void }) => reply.send({ data: { hello: 'cached' } }) } })
  t.same((await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ hello }' } })).json(), { data: { hello: 'cached' } })
  t.equal(calls.hello, 0, 'no parsing, validation or execution')
})

t.test('mercurius workarounds (src/graphql/index.ts): what mercurius 16 does without them', async (t) => {
  const { app } = await bareMercurius(t)
  const post = async (query: string): Promise<{ data?: unknown, errors?: Array<{ path?: unknown[] }> }> => (await app.inject({ method: 'POST', url: '/graphql', payload: { query } })).json()

  t.same(await post(JSON.stringify(parse('{ hello }'))), { data: { hello: 'world' } },
    'a query that is not GraphQL is read as JSON and run as a document AST (onlyGraphQLText refuses JSON)')

  const unknownName = await app.inject({ method: 'GET', url: '/graphql', query: { query: '{ hello }', operationName: 'Other' } })
  t.match(unknownName.json(), { data: null, errors: [{ message: /Cannot read properties of null/ }] },
    'a GET naming an unknown operation crashes inside mercurius (getOperationCheck answers it as a POST would)')
  const mutation = await app.inject({ method: 'GET', url: '/graphql', query: { query: 'mutation { touch }' } })
  t.equal(mutation.statusCode, 405, 'a GET mutation gets a 405…')
  t.equal(mutation.json().errors?.[0]?.extensions?.code, undefined, '…with an uncoded error')

  const failed = await post('{ items { name } }')
  t.same(failed.errors?.[0]?.path, ['items', '1', 'name'], "the route's response schema turns list indices in error paths into strings (index.ts serializes with JSON.stringify)")

  const invalid = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ nope }' } })
  t.equal(invalid.statusCode, 400)
  t.match(invalid.json(), { errors: [{ message: /Cannot query field "nope"/ }] }, 'validation errors are answered one by one…')
  const wrapped: unknown[] = []
  const { app: formatting } = await bareMercurius(t, { errorFormatter: (execution: { errors: Array<{ originalError?: { errors?: unknown } }> }, context: unknown) => { wrapped.push(execution.errors.map((e) => Array.isArray(e.originalError?.errors))); return mercurius.defaultErrorFormatter(execution as never, context as never) } })
  await formatting.inject({ method: 'POST', url: '/graphql', payload: { query: '{ nope }' } })
  t.same(wrapped, [[true]], '…but reach the errorFormatter as one error holding them (errors.ts unwraps it)')
})
