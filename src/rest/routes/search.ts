/** GET /v1/search: ranked full-text search over every kind, with snippets and facets. */
import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { invalidParameter } from '../../web/problem.js'
import { commaSet, pagingProperties } from '../query.js'
import { pageLinks } from '../../web/paging.js'
import { defineGet, requestUrl, type RestContext } from '../route.js'
import { SlugParam, VersionParam, ref } from '../../web/schemas/common.js'
import { SearchResults, searchTypes, type SearchHitView, type SearchResultsView } from '../schemas/search.js'

const typeList = `^(?:${searchTypes.join('|')})(?:,(?:${searchTypes.join('|')}))*$`

const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 500,
    description: 'The query, FTS5 syntax: words (all must match), "a phrase", prefix*, OR, NOT, parentheses.',
    examples: ['trust']
  }),
  framework: Type.Optional(SlugParam('The framework to search; may be left out when the service serves one framework.', 'isp')),
  version: Type.Optional({ ...VersionParam, description: 'The version to search (default `latest`).' }),
  type: Type.Optional(Type.String({ pattern: typeList, description: `Only these kinds, comma-separated: ${searchTypes.join(', ')}.`, examples: ['activity,competency'] })),
  domain: Type.Optional(SlugParam('Only entities of this domain (a domain id).', 'sustaining-change')),
  ...pagingProperties
}, { additionalProperties: false })

export function registerSearch (app: FastifyInstance, ctx: RestContext): void {
  defineGet(app, ctx, {
    url: '/search',
    operationId: 'search',
    summary: 'Search the whole framework',
    description: 'Ranked (BM25, names weigh more than text) full-text search over principles, domains, competencies, activities, hints, definitions, questions, dilemmas and resources, with highlighted snippets and facet counts per type and domain. A query FTS5 cannot parse is a 400 that says why.',
    tags: ['search'],
    querystring: SearchQuery,
    response: ref(SearchResults),
    headers: { link: true, contentLocation: true },
    notFound: true,
    allowed: { type: searchTypes },
    build: (request) => {
      const query = request.query as { q: string, framework?: string, version?: string, type?: string, domain?: string, limit: number, offset: number }
      const frameworks = app.catalog.frameworks()
      let framework = query.framework
      if (framework === undefined) {
        if (frameworks.length !== 1) {
          throw invalidParameter('query', 'framework', 'is required when the service serves more than one framework', frameworks.map((f) => f.id))
        }
        framework = frameworks[0]!.id
      }
      const rendered = ctx.renderings.get(ctx.version(framework, query.version ?? 'latest', 'query'))
      const v = rendered.version
      if (query.domain !== undefined && !rendered.views.domain.byId.has(query.domain)) {
        throw invalidParameter('query', 'domain', `no domain "${query.domain}" in ${v.framework} ${v.number}`, rendered.views.domain.list.map((d) => d.id))
      }
      const types = [...commaSet(query.type)]
      const result = app.repo.search(v, {
        q: query.q, types, ...(query.domain === undefined ? {} : { domain: query.domain }), limit: query.limit, offset: query.offset
      })
      const data: SearchHitView[] = result.hits.map((h) => {
        const view = rendered.views[h.type].byId.get(h.id)
        if (view === undefined) throw new Error(`search index names ${h.type} ${h.id}, which ${v.framework} ${v.number} lacks`)
        return {
          type: h.type,
          id: h.id,
          code: view.code,
          uuid: view.uuid,
          uri: view.uri,
          href: view.href,
          title: h.title,
          snippet: h.snippet,
          score: -h.rank,
          ...(h.domain === null ? {} : { domain: h.domain })
        }
      })
      const pinned = query.version !== undefined && query.version !== 'latest'
      const url = requestUrl(ctx, request)
      url.searchParams.set('version', v.number)
      if (query.framework === undefined) url.searchParams.set('framework', v.framework)
      const { links, header } = pageLinks(url, result.total, query.limit, query.offset)
      const view: SearchResultsView = {
        data,
        meta: { q: query.q, framework: v.framework, version: v.number, total: result.total, limit: query.limit, offset: query.offset },
        facets: result.facets,
        links
      }
      return { view, immutable: pinned, rendered: rendered, link: header, ...(pinned ? {} : { contentLocation: url.toString() }) }
    }
  })
}
