/** Schema compilers that compile on first use: same results as Fastify's own, compiled once, only when needed. */
import { createRequire } from 'node:module'
import Fastify from 'fastify'
import t from 'tap'
import { defaultBuilders, lazySchemaController, lazySerializers, lazyValidators } from '../../src/web/compilers.js'

const route = { method: 'GET', url: '/x', httpStatus: '200' }

/** A builder that counts how many times its compiler runs. */
function counting<R, F> (build: (external: unknown, options?: unknown) => (route: R) => F) {
  const counter = { compiled: 0, built: 0 }
  const builder = (external: unknown, options?: unknown) => {
    counter.built++
    const compile = build(external, options)
    return (r: R) => { counter.compiled++; return compile(r) }
  }
  return { builder, counter }
}
const schema = { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false }

t.test('the compilers are the very copies fastify itself loads, not a second install', async (t) => {
  const ours = createRequire(import.meta.url)
  const fastifys = createRequire(ours.resolve('fastify'))
  for (const name of ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler']) t.equal(ours.resolve(name), fastifys.resolve(name), name)
})

t.test('a serializer is compiled on its first call, once, and serializes as the eager one does', async (t) => {
  const { serializer } = defaultBuilders()
  const { builder, counter } = counting(serializer)
  const serialize = lazySerializers(builder)({}, {})({ ...route, schema })
  t.equal(counter.compiled, 0, 'nothing compiled before the first call')
  t.equal(counter.built, 0, 'no compiler built before the first call')
  const eager = serializer({}, {})({ ...route, schema })
  t.equal(serialize({ a: 1, b: 'dropped' }), eager({ a: 1, b: 'dropped' }))
  t.equal(serialize({ a: 2 }), '{"a":2}')
  t.equal(counter.compiled, 1, 'compiled once')
})

t.test('a validator is compiled on its first call, once, reports errors and applies defaults and coercion', async (t) => {
  const { validator } = defaultBuilders()
  const { builder, counter } = counting(validator)
  const forRoutes = lazyValidators(builder)({}, { customOptions: { coerceTypes: 'array', useDefaults: true } })
  const validate = forRoutes({ ...route, schema })
  const other = forRoutes({ ...route, url: '/y', schema })
  t.equal(counter.compiled, 0, 'nothing compiled before the first call')
  t.equal(counter.built, 0, 'no Ajv instance built before the first call')
  t.equal(validate({ a: 'x' }), false)
  t.match(validate.errors, [{ instancePath: '/a', keyword: 'type' }], 'the errors of the call just made')
  const data = { a: '3' }
  t.equal(validate(data), true)
  t.same(data, { a: 3 }, 'coerced in place')
  t.equal(validate.errors, null, 'no errors after a valid call')
  t.equal(counter.compiled, 1, 'compiled once')
  t.equal(other({ a: 1 }), true)
  t.same([counter.built, counter.compiled], [1, 2], 'one Ajv instance for every route')
})

t.test('in an app: querystring coercion and defaults, validation errors and response serialization work as before', async (t) => {
  const app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', useDefaults: true, removeAdditional: false } }, schemaController: lazySchemaController() })
  t.teardown(() => app.close())
  app.get('/', {
    schema: {
      querystring: { type: 'object', properties: { n: { type: 'integer', default: 7 }, tags: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
      response: { 200: { type: 'object', properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } } }
    }
  }, async (request) => ({ ...(request.query as object), secret: 'not in the schema' }))
  t.same((await app.inject('/?n=3&tags=a')).json(), { n: 3, tags: ['a'] })
  t.same((await app.inject('/')).json(), { n: 7 }, 'default applied')
  const bad = await app.inject('/?n=x')
  t.equal(bad.statusCode, 400)
  t.match(bad.json().message, /querystring\/n must be integer/)
  t.equal((await app.inject('/?other=1')).statusCode, 400, 'unknown parameters refused')
})
