/**
 * Root error and not-found handlers: every error is application/problem+json (RFC 9457). Bad input
 * is a 4xx that names the parameter and what is allowed; a 5xx says nothing about internals (the
 * error is logged instead). Registered with fastify-plugin so every route gets these handlers
 * unless its own encapsulated context sets others.
 */
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import fp from 'fastify-plugin'
import { Type } from '@sinclair/typebox'
import { publicUrl } from '../config.js'
import { SearchSyntaxError } from '../store/repository.js'
import { HttpProblem, instanceOf, problem, problemTypes, type ProblemSlug } from './problem.js'
import { ProblemType, problemRef, type ProblemErrorView, type ProblemView } from './schemas/problem.js'
import { ref, slugOrCodePattern, slugPattern, versionPattern } from './schemas/common.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Closed sets of values per query parameter, named in 400s (e.g. the fields a list can return). */
    allowed?: Record<string, readonly string[]>
  }
}

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8'

const places = { querystring: 'query', params: 'path', headers: 'header', body: 'body' } as const

interface AjvError { keyword: string, instancePath: string, message?: string, params: Record<string, unknown> }

/** Lists the allowed parameter names of the route's query schema. */
function queryNames (request: FastifyRequest): string[] {
  const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined
  return Object.keys(schema?.properties ?? {})
}

/** A `pattern` the API uses, in words. */
function patternHelp (pattern: string): string {
  if (pattern === slugPattern) return 'must be a lowercase slug (a-z, 0-9 and single hyphens)'
  if (pattern === versionPattern) return 'must be a version number such as 1.1, or latest'
  if (pattern === slugOrCodePattern) return 'must be a slug id (e.g. co-learning) or a code (e.g. C01.A02)'
  if (/\{8\}-.*\{12\}/.test(pattern)) return 'must be a UUID (8-4-4-4-12 hexadecimal digits)'
  return `must match ${pattern}`
}

function describe (e: AjvError, value: unknown, allowed: readonly string[] | undefined): string {
  switch (e.keyword) {
    case 'required': return 'is required'
    case 'enum': return `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`
    case 'type': return Array.isArray(value) ? 'must be given once' : `must be ${e.params.type === 'integer' ? 'an integer' : `a ${String(e.params.type)}`}`
    case 'pattern':
      if (allowed !== undefined && typeof value === 'string') {
        const bad = value.split(',').filter((v) => !allowed.includes(v))
        return bad.length === 0 || bad.every((v) => v === '') ? 'must be a comma-separated list without empty items' : `${bad.map((v) => `"${v}"`).join(', ')} not allowed`
      }
      return patternHelp(String(e.params.pattern))
    default: return e.message ?? 'is invalid'
  }
}

/** The problem for a schema validation failure: which parameter, what is wrong, what is allowed. */
function validationProblem (err: FastifyError, request: FastifyRequest): { slug: ProblemSlug, detail: string, errors: ProblemErrorView[] } {
  const where = places[(err.validationContext ?? 'querystring') as keyof typeof places] ?? 'query'
  const source = (where === 'query' ? request.query : where === 'path' ? request.params : {}) as Record<string, unknown>
  const errors: ProblemErrorView[] = []
  let slug: ProblemSlug = 'invalid-parameter'
  for (const e of (err.validation ?? []) as AjvError[]) {
    if (e.keyword === 'additionalProperties') {
      slug = 'unknown-parameter'
      const name = String(e.params.additionalProperty)
      errors.push({ in: where, name, message: `unknown ${where} parameter`, allowed: where === 'query' ? queryNames(request) : [] })
      continue
    }
    const name = e.keyword === 'required' ? String(e.params.missingProperty) : e.instancePath.replace(/^\//, '').split('/')[0] ?? ''
    const allowed = e.keyword === 'enum'
      ? (e.params.allowedValues as unknown[]).map(String)
      : request.routeOptions.config.allowed?.[name]
    errors.push({ in: where, name, message: describe(e, source[name], allowed), ...(allowed === undefined ? {} : { allowed: [...allowed] }) })
  }
  const first = errors[0]
  const detail = first === undefined
    ? err.message
    : slug === 'unknown-parameter'
      ? `Unknown ${where} parameter "${first.name}". Allowed: ${first.allowed?.join(', ') || 'none'}.`
      : `Invalid ${where} parameter "${first.name}": ${first.message}.`
  return { slug, detail, errors }
}

/** Sends a problem as application/problem+json. */
export function sendProblem (reply: FastifyReply, body: ProblemView): FastifyReply {
  return reply.code(body.status).header('content-type', PROBLEM_JSON).send(JSON.stringify(body))
}

export default fp(async (app) => {
  const base = publicUrl(app.config)

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const instance = instanceOf(request.url)
    if (err instanceof HttpProblem) {
      const type = problemTypes[err.slug]
      reply.headers(err.headers)
      return sendProblem(reply, problem(base, err.slug, type.status, type.title, err.detail, instance, err.errors))
    }
    if (err.validation !== undefined) {
      const { slug, detail, errors } = validationProblem(err, request)
      return sendProblem(reply, problem(base, slug, 400, problemTypes[slug].title, detail, instance, errors))
    }
    if (err instanceof SearchSyntaxError) {
      const detail = `The search query in "q" is not valid: ${err.message}.`
      return sendProblem(reply, problem(base, 'search-syntax', 400, problemTypes['search-syntax'].title, detail, instance,
        [{ in: 'query', name: 'q', message: err.message }]))
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit
      return sendProblem(reply, problem(base, null, 413, STATUS_CODES[413] ?? 'Payload Too Large', `The request body is larger than the ${limit} bytes this route accepts.`, instance,
        [{ in: 'body', name: 'body', message: `at most ${limit} bytes` }]))
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    const title = STATUS_CODES[status] ?? 'Error'
    // A deliberate 5xx (load shedding, handler timeout) says why; anything else is hidden and logged.
    if (status === 500 || (status > 500 && err.statusCode === undefined)) {
      request.log.error({ err }, 'request failed')
      return sendProblem(reply, problem(base, null, status, title, `The server could not answer this request. It has been logged with request id ${request.id}; please try again later.`, instance))
    }
    return sendProblem(reply, problem(base, null, status, title, err.message, instance))
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url
    sendProblem(reply, problem(base, 'not-found', 404, problemTypes['not-found'].title,
      `No route matches ${request.method} ${path}. The API's entry point is /v1; its documentation is at /docs.`, instanceOf(request.url)))
  })

  const problemDocs: FastifyPluginAsyncTypebox = async (docs) => {
    docs.get('/problems/:slug', {
      schema: {
        operationId: 'getProblemType',
        summary: 'Documentation of a problem type',
        description: 'Every error names its kind in `type`, a URL of this route.',
        tags: ['meta'],
        params: Type.Object({
          slug: Type.String({ enum: Object.keys(problemTypes), description: 'The problem type.', examples: ['not-found'] })
        }, { additionalProperties: false }),
        response: {
          200: ref(ProblemType),
          400: { description: 'Unknown problem type.', content: { 'application/problem+json': { schema: problemRef } } }
        }
      }
    }, async (request) => {
      const slug = request.params.slug as ProblemSlug
      return { type: `${base}/problems/${slug}`, ...problemTypes[slug] }
    })
  }
  await app.register(problemDocs)
}, { name: 'errors' })
