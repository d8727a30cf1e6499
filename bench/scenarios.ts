/**
 * The scenarios and what each contender is asked in them. Every request carries the same headers
 * a real client sends (`Accept: application/json`, `Accept-Encoding: gzip, br`); GraphQL POSTs add
 * `Content-Type: application/json`. The ceiling answers hello-world once per round as the reference.
 */
import type { ContenderName } from './contenders.js'
import type { BenchRequest } from './http.js'
import { fullGuideQuery } from '../test/helpers/graphql.js'

/** Headers every request carries, whoever answers it. */
export const CLIENT_HEADERS: Readonly<Record<string, string>> = { accept: 'application/json', 'accept-encoding': 'gzip, br' }

export interface Scenario {
  id: string
  title: string
  /** What kind of API the scenario exercises, for the targets. */
  api: 'reference' | 'rest' | 'graphql'
  /** The statuses answers may have; anything else is counted as a failure. */
  expect: number[]
  requests: Partial<Record<ContenderName, BenchRequest[]>>
  /**
   * Two contenders whose difference is small next to the noise between runs (metrics off and on):
   * each round alternates them BENCH_PAIRS times and pools their runs into one measurement each.
   */
  paired?: true
}

const V = '/v1/frameworks/isp/1.1'

export const get = (path: string, extra: Record<string, string> = {}): BenchRequest => ({ method: 'GET', path, headers: { ...CLIENT_HEADERS, ...extra } })

/** A GraphQL POST with a JSON body (with `extensions`, e.g. to register a persisted query). */
export function graphql (path: string, query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>): BenchRequest {
  return {
    method: 'POST',
    path,
    headers: { ...CLIENT_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ query, ...(variables === undefined ? {} : { variables }), ...(extensions === undefined ? {} : { extensions }) })
  }
}

/** A GraphQL GET (cacheable, so it can be revalidated). */
export function graphqlGet (path: string, query: string, variables: Record<string, unknown>, extra: Record<string, string> = {}): BenchRequest {
  return get(`${path}?${new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString()}`, extra)
}

/** One competency with what the REST detail has: domain, overview, activities, hint. */
export const COMPETENCY_QUERY = 'query Competency($id: ID!) { competency(version: "1.1", id: $id) { id code uuid uri href name overview domain { id code name } activities { id code text subitems } hint { id code text } } }'

/** The full-guide query of the GraphQL issue (and docs/graphql.md), verbatim. */
export const FULL_GUIDE_QUERY = fullGuideQuery

export const DOMAIN_ACTIVITIES_QUERY = '{ framework(id: "isp") { version(number: "1.1") { activities(domain: "sustaining-change") { id code uuid uri href text subitems competency { id code name } } } } }'

/** What REST search answers: ranked hits with their identifiers, and facets. */
export const SEARCH_QUERY = '{ search(version: "1.1", q: "trust", first: 50) { total hits { type id title snippet rank entity { ... on Entity { code uuid uri href } } } facets { types { value count } domains { value count } } } }'

/** json-server's closest equivalents of the REST resources. */
const js = {
  competency: (id: string) => `/competencies/${encodeURIComponent(id)}?_embed=activities&_embed=hints`,
  fullList: '/competencies?_embed=activities&_embed=hints',
  activity: (id: string) => `/activities/${encodeURIComponent(id)}`,
  domainActivities: '/activities?domainId=sustaining-change',
  search: '/activities?q=trust',
  principles: '/principles'
}

export interface ScenarioInputs {
  /** Competency ids of the version, in order (at least 6). */
  competencies: string[]
  /** Activity ids of the version, in order (at least 3). */
  activities: string[]
  /** Strong ETag of each contender's answer to a request, for revalidation. */
  etag: (contender: ContenderName, request: BenchRequest) => Promise<string>
}

/** Every scenario, with each contender's requests (ETags are read from the running servers). */
export async function scenarios ({ competencies, activities, etag }: ScenarioInputs): Promise<Scenario[]> {
  const detail = (id: string): BenchRequest => get(`${V}/competencies/${encodeURIComponent(id)}`)
  const serviceRevalidate = async (id: string): Promise<BenchRequest> => get(detail(id).path, { 'if-none-match': await etag('service', detail(id)) })
  const jsonRevalidate = async (id: string): Promise<BenchRequest> => get(js.competency(id), { 'if-none-match': await etag('json-server', get(js.competency(id))) })
  const gqlGet = graphqlGet('/graphql', COMPETENCY_QUERY, { id: 'co-learning' })

  // A client's day: mostly single competencies and activities (different ones), revalidations,
  // now and then a whole list, a filter, a search, GraphQL; json-server gets its closest equivalent of each.
  const mixService: BenchRequest[] = [
    ...competencies.slice(0, 6).map(detail),
    ...activities.slice(0, 3).map((id) => get(`${V}/activities/${encodeURIComponent(id)}`)),
    ...await Promise.all(competencies.slice(6, 9).map(serviceRevalidate)),
    get(`${V}/competencies?include=activities,hint`),
    get(`${V}/activities?domain=sustaining-change`),
    get('/v1/search?q=trust'),
    get(`/v1/frameworks/isp/latest/competencies/${encodeURIComponent(competencies[9]!)}`),
    get(`${V}/principles`),
    graphql('/graphql', COMPETENCY_QUERY, { id: competencies[10] }),
    graphql('/graphql', COMPETENCY_QUERY, { id: competencies[11] }),
    graphql('/graphql', FULL_GUIDE_QUERY)
  ]
  const mixJson: BenchRequest[] = [
    ...competencies.slice(0, 6).map((id) => get(js.competency(id))),
    ...activities.slice(0, 3).map((id) => get(js.activity(id))),
    ...await Promise.all(competencies.slice(6, 9).map(jsonRevalidate)),
    get(js.fullList),
    get(js.domainActivities),
    get(js.search),
    get(js.competency(competencies[9]!)),
    get(js.principles),
    get(js.competency(competencies[10]!)),
    get(js.competency(competencies[11]!)),
    get(js.fullList)
  ]

  return [
    { id: 'hello', title: 'hello world (the ceiling)', api: 'reference', expect: [200], requests: { ceiling: [get('/')] } },
    {
      id: 'rest-competency',
      title: 'REST competency by id',
      api: 'rest',
      expect: [200],
      requests: { service: [detail('co-learning')], 'json-server': [get(js.competency('co-learning'))] }
    },
    {
      id: 'graphql-competency',
      title: 'GraphQL competency by id',
      api: 'graphql',
      expect: [200],
      requests: { service: [graphql('/graphql', COMPETENCY_QUERY, { id: 'co-learning' })], apollo: [graphql('/', COMPETENCY_QUERY, { id: 'co-learning' })] }
    },
    {
      id: 'rest-full-list',
      title: 'REST all competencies, include=activities,hint',
      api: 'rest',
      expect: [200],
      requests: { service: [get(`${V}/competencies?include=activities,hint`)], 'json-server': [get(js.fullList)] }
    },
    {
      id: 'graphql-full-guide',
      title: 'GraphQL full-guide query',
      api: 'graphql',
      expect: [200],
      requests: { service: [graphql('/graphql', FULL_GUIDE_QUERY)], apollo: [graphql('/', FULL_GUIDE_QUERY)] }
    },
    {
      id: 'rest-domain-activities',
      title: 'REST activities filtered by domain',
      api: 'rest',
      expect: [200],
      requests: { service: [get(`${V}/activities?domain=sustaining-change`)], 'json-server': [get(js.domainActivities)] }
    },
    {
      id: 'graphql-domain-activities',
      title: 'GraphQL activities filtered by domain',
      api: 'graphql',
      expect: [200],
      requests: { service: [graphql('/graphql', DOMAIN_ACTIVITIES_QUERY)], apollo: [graphql('/', DOMAIN_ACTIVITIES_QUERY)] }
    },
    {
      id: 'rest-search',
      title: 'REST search q=trust',
      api: 'rest',
      expect: [200],
      requests: { service: [get('/v1/search?q=trust')], 'json-server': [get(js.search)] }
    },
    {
      id: 'graphql-search',
      title: 'GraphQL search q=trust',
      api: 'graphql',
      expect: [200],
      requests: { service: [graphql('/graphql', SEARCH_QUERY)], apollo: [graphql('/', SEARCH_QUERY)] }
    },
    {
      id: 'rest-304',
      title: 'REST 304 revalidation (If-None-Match)',
      api: 'rest',
      expect: [304],
      requests: { service: [await serviceRevalidate('co-learning')], 'json-server': [await jsonRevalidate('co-learning')] }
    },
    {
      id: 'graphql-304',
      title: 'GraphQL GET 304 revalidation',
      api: 'graphql',
      expect: [304],
      requests: { service: [get(gqlGet.path, { 'if-none-match': await etag('service', gqlGet) })] }
    },
    // The same cached answers from twin processes, metrics off and on: what metrics cost per request.
    {
      id: 'metrics-rest-competency',
      title: 'REST competency by id, metrics off and on',
      api: 'rest',
      expect: [200],
      requests: { 'service-twin': [detail('co-learning')], 'service-metrics': [detail('co-learning')] },
      paired: true
    },
    {
      id: 'metrics-graphql-competency',
      title: 'GraphQL competency by id, metrics off and on',
      api: 'graphql',
      expect: [200],
      requests: { 'service-twin': [graphql('/graphql', COMPETENCY_QUERY, { id: 'co-learning' })], 'service-metrics': [graphql('/graphql', COMPETENCY_QUERY, { id: 'co-learning' })] },
      paired: true
    },
    {
      id: 'mixed',
      title: 'mixed profile (REST and GraphQL)',
      api: 'rest',
      expect: [200, 304],
      requests: { service: mixService, 'json-server': mixJson }
    }
  ]
}
