/**
 * Numeric query parameters must be finite. Ajv coerces "1e309" or "-Infinity" to an infinite
 * number without checking it again, and checks `minimum`/`maximum` on finite numbers only, so
 * `offset=1e309` passed validation and failed in the handler. Such a value is refused here, just
 * before validation, as the validation error Ajv would have given (400 naming the parameter).
 */
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

type Properties = Record<string, { type?: unknown }>

/** The numeric query parameter of a request whose value would coerce to an infinite number, if any. */
export function infiniteParameter (request: FastifyRequest): { name: string, type: 'integer' | 'number' } | undefined {
  const properties = (request.routeOptions.schema?.querystring as { properties?: Properties } | undefined)?.properties
  if (properties === undefined) return undefined
  const query = request.query as Record<string, unknown>
  for (const [name, schema] of Object.entries(properties)) {
    if (schema.type !== 'integer' && schema.type !== 'number') continue
    const values: unknown[] = Array.isArray(query[name]) ? query[name] : [query[name]]
    const infinite = values.some((v) => typeof v === 'string' && v.trim() !== '' && Math.abs(Number(v)) === Infinity)
    if (infinite) return { name, type: schema.type }
  }
  return undefined
}

export default fp(async (app) => {
  app.addHook('preValidation', async (request) => {
    const bad = infiniteParameter(request)
    if (bad === undefined) return
    const message = `must be ${bad.type}`
    throw Object.assign(new Error(`querystring/${bad.name} ${message}`), {
      statusCode: 400,
      validationContext: 'querystring',
      validation: [{ keyword: 'type', instancePath: `/${bad.name}`, schemaPath: `#/properties/${bad.name}/type`, params: { type: bad.type }, message }]
    })
  })
}, { name: 'finite-numbers' })
