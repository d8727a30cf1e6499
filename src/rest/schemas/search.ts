/** Full-text search results. */
import { Type, type Static } from '@sinclair/typebox'
import { Href, PageLinks, ref } from '../../web/schemas/common.js'

/** The entity kinds search covers, and the `type` filter accepts. */
export const searchTypes = ['principle', 'domain', 'competency', 'activity', 'hint', 'definition', 'question', 'dilemma', 'resource'] as const

export const SearchHit = Type.Object({
  type: Type.Union(searchTypes.map((t) => Type.Literal(t)), { description: 'The kind of entity matched.' }),
  id: Type.String({ description: 'Its slug id.', examples: ['co-learning-a3'] }),
  code: Type.String({ description: 'Its short code.', examples: ['C01.A03'] }),
  uuid: Type.String({ format: 'uuid', description: 'Its UUIDv5.' }),
  uri: Href('Its canonical URI.'),
  href: Href('This API\'s URL for it, in the searched version.'),
  title: Type.String({ description: 'Its name or term, or else the first line of its text, verbatim.' }),
  snippet: Type.String({ description: 'The best-matching passage, with matches wrapped in `<mark>`…`</mark>` and cuts shown as `…`.' }),
  score: Type.Number({ description: 'Relevance (negated BM25, higher is better); hits are sorted by it.' }),
  domain: Type.Optional(Type.String({ description: 'The domain it belongs to, for competencies, activities, hints and domains.' }))
}, { $id: 'SearchHit', additionalProperties: false, description: 'One ranked search hit.' })

const Counts = (what: string) => Type.Record(Type.String(), Type.Integer({ minimum: 1 }), { description: `Matches per ${what}, over all pages.` })

export const SearchResults = Type.Object({
  data: Type.Array(ref(SearchHit), { description: 'Hits of this page, best first.' }),
  meta: Type.Object({
    q: Type.String({ description: 'The query as given.' }),
    framework: Type.String({ description: 'The framework searched.' }),
    version: Type.String({ description: 'The version searched (pinned).' }),
    total: Type.Integer({ minimum: 0, description: 'How many hits, over all pages.' }),
    limit: Type.Integer({ minimum: 1, maximum: 100, description: 'Page size.' }),
    offset: Type.Integer({ minimum: 0, description: 'Hits before this page.' })
  }, { additionalProperties: false, description: 'The search and its paging facts.' }),
  facets: Type.Object({
    type: Counts('type (within the `type` filter)'),
    domain: Counts('domain (ignoring the `domain` filter)')
  }, { additionalProperties: false, description: 'Facet counts.' }),
  links: ref(PageLinks)
}, { $id: 'SearchResults', additionalProperties: false, description: 'Ranked full-text search results with snippets and facet counts.' })

export type SearchHitView = Static<typeof SearchHit>
export type SearchResultsView = Static<typeof SearchResults>
