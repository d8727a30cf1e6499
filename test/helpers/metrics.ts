/** Reading Prometheus text, and a mixed run of requests for tests of what /metrics shows. */
import type { FastifyInstance } from 'fastify'

export interface Sample { name: string, labels: Record<string, string>, value: number }

/** The samples of a Prometheus text exposition (comments skipped). */
export function parseMetrics (text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (match === null) throw new Error(`not a sample: ${line}`)
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!
    samples.push({ name: match[1]!, labels, value: Number(match[3]) })
  }
  return samples
}

/** The value of the one sample named so whose labels include `labels`; NaN when there is none. */
export function valueOf (samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`)
  return found[0]?.value ?? Number.NaN
}

export const TOKEN = 'test-metrics-token-0123456789'

/** Scrapes /metrics on the main port with the token. */
export async function scrape (app: FastifyInstance): Promise<Sample[]> {
  const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}: ${response.body}`)
  return parseMetrics(response.body)
}

const COMPETENCY_QUERY = '{ competency(version: "1.1", id: "co-learning") { id name } }'

/**
 * REST (a miss, then a hit), GraphQL (a miss, then a hit), a search, a 404 for an unknown path
 * and one for an unknown competency, a bad parameter, and two readiness probes.
 */
export async function mixedRun (app: FastifyInstance): Promise<void> {
  const ok = async (url: string, status: number, options: { method?: 'GET' | 'POST', body?: unknown } = {}): Promise<void> => {
    const response = await app.inject({ url, method: options.method ?? 'GET', ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }) })
    if (response.statusCode !== status) throw new Error(`${url} answered ${response.statusCode}, not ${status}: ${response.body}`)
  }
  await ok('/v1/frameworks/isp/1.1/competencies/co-learning', 200)
  await ok('/v1/frameworks/isp/1.1/competencies/co-learning', 200)
  await ok('/v1/search?q=trust', 200)
  await ok('/graphql', 200, { method: 'POST', body: { query: COMPETENCY_QUERY } })
  await ok('/graphql', 200, { method: 'POST', body: { query: COMPETENCY_QUERY } })
  await ok('/no/such/path', 404)
  await ok('/v1/frameworks/isp/1.1/competencies/no-such-competency', 404)
  await ok('/v1/frameworks/isp/1.1/competencies?limit=0', 400)
  await ok('/health/ready', 200)
  await ok('/health/ready', 200)
}
