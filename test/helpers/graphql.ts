/** Test helper: send a GraphQL request to an app, by POST (default) or GET, and read the JSON back. */
import type { FastifyInstance } from 'fastify'
import type { OutgoingHttpHeaders } from 'node:http'
import type t from 'tap'

export interface GraphQLResponse {
  status: number
  headers: OutgoingHttpHeaders
  body: {
    data?: Record<string, unknown> | null
    errors?: Array<{ message: string, path?: Array<string | number>, locations?: unknown, extensions?: Record<string, unknown> }>
  }
  raw: string
}

export interface GraphQLRequestOptions {
  method?: 'GET' | 'POST'
  variables?: Record<string, unknown>
  extensions?: Record<string, unknown>
  headers?: Record<string, string>
}

/** The `t` a test callback gets. */
export type TestContext = Parameters<Parameters<typeof t.test>[0]>[0]

/** Sends `query` (undefined for a hash-only persisted query) and parses the response. */
export async function gql (app: FastifyInstance, query: string | undefined, { method = 'POST', variables, extensions, headers = {} }: GraphQLRequestOptions = {}): Promise<GraphQLResponse> {
  const res = method === 'GET'
    ? await app.inject({
      method,
      url: '/graphql',
      headers,
      query: {
        ...(query === undefined ? {} : { query }),
        ...(variables === undefined ? {} : { variables: JSON.stringify(variables) }),
        ...(extensions === undefined ? {} : { extensions: JSON.stringify(extensions) })
      }
    })
    : await app.inject({ method, url: '/graphql', headers, payload: { query, variables, extensions } })
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? {} : JSON.parse(res.body), raw: res.body }
}

/** The full-guide query, verbatim: it must run unchanged. */
export const fullGuideQuery = `{
  framework(id: "isp") {
    version(number: "latest") {
      number
      principles { id code name description }
      domains { id code name description competencies { id code name } }
      competencies {
        id code name
        domain { id name }
        overview
        activities { id code text subitems }
        hint { id text }
      }
    }
  }
}`
