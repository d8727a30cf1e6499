/** RFC 9457 problem details: the body of every REST error. */
import { Type, type Static } from '@sinclair/typebox'
import { ref } from './common.js'

export const ProblemError = Type.Object({
  in: Type.Union([Type.Literal('query'), Type.Literal('path'), Type.Literal('header'), Type.Literal('body')], { description: 'Where the offending input is.' }),
  name: Type.String({ description: 'The parameter or header (or body pointer).', examples: ['limit'] }),
  message: Type.String({ description: 'What is wrong with it.' }),
  allowed: Type.Optional(Type.Array(Type.String(), { description: 'The values (or parameter names) that are allowed here.' }))
}, { $id: 'ProblemError', additionalProperties: false, description: 'One problem with the request\'s input.' })

export const Problem = Type.Object({
  type: Type.String({ format: 'uri-reference', description: 'Identifies the kind of problem; `{PUBLIC_URL}/problems/{slug}` documents it, `about:blank` means just the status.' }),
  title: Type.String({ description: 'A short summary of the kind of problem.' }),
  status: Type.Integer({ minimum: 400, maximum: 599, description: 'The HTTP status code.' }),
  detail: Type.String({ description: 'What went wrong with this request.' }),
  instance: Type.String({ format: 'uri-reference', description: 'The request path (and query) that failed.' }),
  errors: Type.Optional(Type.Array(ref(ProblemError), { description: 'Details per offending input.' }))
}, {
  $id: 'Problem',
  additionalProperties: false,
  description: 'An error, as application/problem+json (RFC 9457).',
  examples: [{
    type: 'http://localhost:3000/problems/not-found',
    title: 'Not Found',
    status: 404,
    detail: 'There is no competency "co-teaching" in isp 1.1.',
    instance: '/v1/frameworks/isp/1.1/competencies/co-teaching',
    errors: [{ in: 'path', name: 'id', message: 'no competency "co-teaching" in isp 1.1' }]
  }]
})

export const ProblemType = Type.Object({
  type: Type.String({ format: 'uri', description: 'The problem type URI.' }),
  title: Type.String({ description: 'Its title.' }),
  status: Type.Integer({ description: 'The HTTP status it comes with.' }),
  description: Type.String({ description: 'When it happens and what to do.' })
}, { $id: 'ProblemType', additionalProperties: false, description: 'Documentation of one problem type.' })

export type ProblemView = Static<typeof Problem>
export type ProblemErrorView = Static<typeof ProblemError>

/** Reference for route response maps. */
export const problemRef = ref(Problem)

/** An OpenAPI response of problem+json with this description, for a route's `schema.response`. */
export function problemResponse (description: string): { description: string, content: { 'application/problem+json': { schema: typeof problemRef } } } {
  return { description, content: { 'application/problem+json': { schema: problemRef } } }
}
