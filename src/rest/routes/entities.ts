/**
 * The entity collections of a version: a list and a detail route per kind, all built from the
 * version's rendered with the shared list conventions (rest/query.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static, type TObject } from '@sinclair/typebox'
import type { ListedType } from '../../store/repository.js'
import { invalidParameter, notFound } from '../../web/problem.js'
import {
  allowedValues, commaSet, idList, listProperties, paginate, selectNamed, sortBy, type ListConventions, type ListQuery
} from '../query.js'
import { representations, type RenderContext } from '../representations.js'
import { defineGet, pinnedUrl, type Built, type RestContext } from '../route.js'
import { SlugParam, VersionParams, ref } from '../../web/schemas/common.js'
import * as S from '../schemas/entities.js'
import type { RenderedVersion, ViewByType } from '../rendered.js'
import type { Offer } from '../../web/negotiation.js'
import { collectionOf } from '../../web/urls.js'
import { sparseFields } from '../../web/paging.js'

const EntityParams = Type.Object({
  ...VersionParams.properties,
  id: SlugParam('The entity\'s slug id.', 'co-learning')
}, { additionalProperties: false })

type Listed<K extends ListedType> = ViewByType[K]

interface Kind<K extends ListedType> {
  type: K
  /** Singular and plural, for operation ids and summaries. */
  singular: string
  plural: string
  tag: string
  item: TObject
  list: TObject
  example: string
  conventions: ListConventions
  /** Filters beyond `q` (e.g. `domain=`), validated against the version's content. */
  filter?: (items: Array<Listed<K>>, query: Record<string, string | undefined>, rendered: RenderedVersion) => Array<Listed<K>>
  /** Embeds what `include` names. */
  embed?: (item: Listed<K>, include: Set<string>, rendered: RenderedVersion) => Listed<K>
  /** The detail view (default: the list item). */
  detail?: (rendered: RenderedVersion, id: string) => Listed<K> | undefined
  listOffers?: Array<Offer<never, RenderContext>>
  detailOffers?: Array<Offer<never, RenderContext>>
}

/** The property names `fields` may name: the item's, minus those `include` embeds. */
function fieldNames (item: TObject, include: readonly string[] = []): string[] {
  return Object.keys(item.properties).filter((k) => !include.includes(k))
}

function sorts (item: TObject): string[] {
  return ['code', ...['name', 'term'].filter((k) => k in item.properties)]
}

/** A filter parameter whose value must name an entity of the version. */
function byParent<V extends object> (param: string, key: (v: V) => string, known: (rendered: RenderedVersion) => string[]) {
  return (items: V[], query: Record<string, string | undefined>, rendered: RenderedVersion): V[] => {
    const value = query[param]
    if (value === undefined) return items
    const allowed = known(rendered)
    if (!allowed.includes(value)) throw invalidParameter('query', param, `no ${param} "${value}" in ${rendered.version.framework} ${rendered.version.number}`, allowed)
    return items.filter((i) => key(i) === value)
  }
}

const domainFilter = { domain: { description: 'Only those in this domain (a domain id).', example: 'sustaining-change' } }
const domainIds = (rendered: RenderedVersion): string[] => rendered.views.domain.list.map((d) => d.id)
const competencyIds = (rendered: RenderedVersion): string[] => rendered.views.competency.list.map((c) => c.id)

const kinds = [
  {
    type: 'principle', singular: 'principle', plural: 'principles', tag: 'principles', item: S.Principle, list: S.PrincipleList, example: 'be-empathetic',
    conventions: { searchType: 'principle', fields: fieldNames(S.Principle), sort: sorts(S.Principle) }
  } satisfies Kind<'principle'>,
  {
    type: 'domain', singular: 'domain', plural: 'domains', tag: 'domains', item: S.Domain, list: S.DomainList, example: 'co-creation-and-engagement',
    conventions: { searchType: 'domain', fields: fieldNames(S.Domain, ['competencies']), include: ['competencies'], sort: sorts(S.Domain) },
    embed: (d, include, rendered) => include.has('competencies') ? { ...d, competencies: rendered.competenciesOf.get(d.id) ?? [] } : d,
    detail: (rendered, id) => rendered.domainDetail(id)
  } satisfies Kind<'domain'>,
  {
    type: 'competency', singular: 'competency', plural: 'competencies', tag: 'competencies', item: S.Competency, list: S.CompetencyList, example: 'co-learning',
    conventions: {
      searchType: 'competency', fields: fieldNames(S.Competency, ['activities', 'hint']), include: ['activities', 'hint'], sort: sorts(S.Competency), filters: domainFilter
    },
    filter: byParent<S.CompetencyView>('domain', (c) => c.domain.id, domainIds),
    embed: (c, include, rendered) => {
      const hint = include.has('hint') ? rendered.hintOf.get(c.id) : undefined
      return {
        ...c,
        ...(include.has('activities') ? { activities: rendered.activitiesOf.get(c.id) ?? [] } : {}),
        ...(hint === undefined ? {} : { hint })
      }
    },
    detail: (rendered, id) => rendered.competencyDetail(id),
    listOffers: representations.competencies as Array<Offer<never, RenderContext>>,
    detailOffers: representations.competency as Array<Offer<never, RenderContext>>
  } satisfies Kind<'competency'>,
  {
    type: 'activity', singular: 'activity', plural: 'activities', tag: 'activities', item: S.Activity, list: S.ActivityList, example: 'co-learning-a1',
    conventions: {
      searchType: 'activity',
      fields: fieldNames(S.Activity),
      sort: sorts(S.Activity),
      filters: { ...domainFilter, competency: { description: 'Only those of this competency (a competency id).', example: 'co-learning' } }
    },
    filter: (items, query, rendered) => byParent<S.ActivityView>('competency', (a) => a.competency.id, competencyIds)(
      byParent<S.ActivityView>('domain', (a) => a.domain.id, domainIds)(items, query, rendered), query, rendered)
  } satisfies Kind<'activity'>,
  {
    type: 'hint', singular: 'hint', plural: 'hints', tag: 'hints', item: S.Hint, list: S.HintList, example: 'co-learning-hint',
    conventions: { searchType: 'hint', fields: fieldNames(S.Hint), sort: sorts(S.Hint), filters: domainFilter },
    filter: byParent<S.HintView>('domain', (h) => h.domain.id, domainIds)
  } satisfies Kind<'hint'>,
  {
    type: 'definition', singular: 'definition', plural: 'definitions', tag: 'glossary', item: S.Definition, list: S.DefinitionList, example: 'implementation',
    conventions: { searchType: 'definition', fields: fieldNames(S.Definition), sort: sorts(S.Definition) }
  } satisfies Kind<'definition'>,
  {
    type: 'question', singular: 'question', plural: 'questions', tag: 'glossary', item: S.Question, list: S.QuestionList, example: 'question-1',
    conventions: { searchType: 'question', fields: fieldNames(S.Question), sort: sorts(S.Question) }
  } satisfies Kind<'question'>,
  {
    type: 'dilemma', singular: 'dilemma', plural: 'dilemmas', tag: 'glossary', item: S.Dilemma, list: S.DilemmaList, example: 'dilemma-1',
    conventions: { searchType: 'dilemma', fields: fieldNames(S.Dilemma), sort: sorts(S.Dilemma) }
  } satisfies Kind<'dilemma'>,
  {
    type: 'resource', singular: 'resource', plural: 'resources', tag: 'glossary', item: S.Resource, list: S.ResourceList, example: 'collaborative-for-implementation-practice',
    conventions: { searchType: 'resource', fields: fieldNames(S.Resource), sort: sorts(S.Resource) }
  } satisfies Kind<'resource'>
] as const

const capital = (s: string): string => s[0]!.toUpperCase() + s.slice(1)

/**
 * The items `id=` names (slug ids, codes, uuids or published identifiers), in the order asked; a
 * 404 naming every name the list does not hold, as the export's `id=` does.
 */
function chooseNamed<K extends ListedType> (kind: Kind<K>, rendered: RenderedVersion, items: Array<Listed<K>>, value: string): Array<Listed<K>> {
  const names = idList(value)
  if (names.length === 0) throw invalidParameter('query', 'id', 'names no entity')
  const published = (uuid: string): string | undefined => rendered.index.revisions.get(uuid)?.identifier
  const { items: chosen, missing } = selectNamed(items, names, (i) => [i.id, i.code, i.uuid, published(i.uuid)])
  if (missing.length > 0) {
    const where = `${rendered.version.framework} ${rendered.version.number}`
    const list = missing.map((m) => `"${m}"`).join(', ')
    throw notFound(`There is no ${kind.singular} ${list} in ${where}.`, [{ in: 'query', name: 'id', message: `unknown ${kind.singular}: ${missing.join(', ')}` }])
  }
  return chosen
}

/** Filters, searches, sorts, pages and shapes a list, as every list does. */
function listBuild<K extends ListedType> (
  ctx: RestContext, request: FastifyRequest, pattern: string, kind: Kind<K>, rendered: RenderedVersion, start: Array<Listed<K>>
): Built<unknown> {
  const query = request.query as ListQuery & Record<string, string | undefined>
  const chosen = query.id === undefined ? start : chooseNamed(kind, rendered, start, query.id)
  let items = kind.filter === undefined ? chosen : kind.filter(chosen, query, rendered)
  if (query.q !== undefined) {
    const matches = ctx.app.catalog.searchWithin(rendered.version, kind.type, query.q, items)
    // A chosen set keeps the order asked for; `q` only narrows it.
    items = query.id === undefined ? matches : items.filter((i) => matches.includes(i))
  }
  if (query.sort !== undefined) items = sortBy(items, query.sort)
  const params = request.params as { version: string }
  const { body, link } = paginate(items, query, pinnedUrl(ctx, request, pattern, rendered.version.number),
    { framework: rendered.version.framework, version: rendered.version.number })
  const include = commaSet(query.include)
  const fields = query.fields === undefined ? null : commaSet(query.fields)
  const data = body.data.map((item) => {
    const embedded = kind.embed === undefined || include.size === 0 ? item : kind.embed(item, include, rendered)
    return fields === null ? embedded : sparseFields(embedded, fields, include)
  })
  return { view: { ...body, data }, immutable: params.version !== 'latest', rendered: rendered, link }
}

function registerKind<K extends ListedType> (app: FastifyInstance, ctx: RestContext, kind: Kind<K>): void {
  const collection = collectionOf[kind.type]
  const listPattern = `/frameworks/:framework/:version/${collection}`
  const listQuery = Type.Object(listProperties(kind.conventions), { additionalProperties: false })
  defineGet(app, ctx, {
    url: listPattern,
    operationId: `list${capital(kind.plural)}`,
    summary: `List the ${kind.plural} of a version`,
    description: `Guide order by default, or the order of \`id\` (a chosen set of entities). Paged (\`limit\`, \`offset\`, \`Link\`), searchable (\`q\`), sortable (\`sort\`), with sparse fieldsets (\`fields\`)${kind.conventions.include === undefined ? '' : ` and embedding (\`include=${kind.conventions.include.join(',')}\`)`}.`,
    tags: [kind.tag],
    params: VersionParams,
    querystring: listQuery,
    response: ref(kind.list),
    offers: kind.listOffers as Array<Offer<unknown, RenderContext>> | undefined,
    headers: { link: true, contentLocation: true },
    allowed: allowedValues(kind.conventions),
    build: (request) => {
      const rendered = ctx.rendered(request.params.framework, request.params.version)
      return listBuild(ctx, request, listPattern, kind, rendered, rendered.views[kind.type].list as Array<Listed<K>>)
    }
  })

  defineGet(app, ctx, {
    url: `${listPattern}/:id`,
    operationId: `get${capital(kind.singular)}`,
    summary: `Get a ${kind.singular} by id`,
    ...(kind.type === 'competency' ? { description: 'The whole competency: its domain, overview (nested, and as Markdown), key activities in order with their sub-points, and its helpful hint.' } : {}),
    tags: [kind.tag],
    params: Type.Object({ ...EntityParams.properties, id: SlugParam(`The ${kind.singular}'s slug id.`, kind.example) }, { additionalProperties: false }),
    response: ref(kind.item),
    offers: kind.detailOffers as Array<Offer<unknown, RenderContext>> | undefined,
    headers: { contentLocation: true },
    build: (request) => {
      const { framework, version, id } = request.params as Static<typeof EntityParams>
      const rendered = ctx.rendered(framework, version)
      const view = kind.detail === undefined ? rendered.views[kind.type].byId.get(id) : kind.detail(rendered, id)
      if (view === undefined) {
        const where = `${rendered.version.framework} ${rendered.version.number}`
        throw notFound(`There is no ${kind.singular} "${id}" in ${where}.`, [{ in: 'path', name: 'id', message: `no ${kind.singular} "${id}" in ${where}` }])
      }
      return { view, immutable: version !== 'latest', rendered: rendered }
    }
  })
}

/** The activities of one competency: a list with the same conventions as every list. */
function registerCompetencyActivities (app: FastifyInstance, ctx: RestContext): void {
  // Like the activities list, without its filters: the competency is in the path.
  const { filter: _filter, ...activities } = kinds.find((k) => k.type === 'activity')!
  const conventions: ListConventions = { searchType: 'activity', fields: activities.conventions.fields, sort: activities.conventions.sort }
  const kind: Kind<'activity'> = { ...activities, conventions }
  const pattern = '/frameworks/:framework/:version/competencies/:id/activities'
  defineGet(app, ctx, {
    url: pattern,
    operationId: 'listCompetencyActivities',
    summary: 'List the key activities of a competency',
    description: 'In the guide\'s order, with the same paging, `q`, `fields`, `sort` and `id` as every list.',
    tags: ['competencies'],
    params: Type.Object({ ...EntityParams.properties, id: SlugParam('The competency\'s slug id.', 'co-learning') }, { additionalProperties: false }),
    querystring: Type.Object(listProperties(conventions), { additionalProperties: false }),
    response: ref(S.ActivityList),
    headers: { link: true, contentLocation: true },
    allowed: allowedValues(conventions),
    build: (request) => {
      const { framework, version, id } = request.params as Static<typeof EntityParams>
      const rendered = ctx.rendered(framework, version)
      if (!rendered.views.competency.byId.has(id)) {
        const where = `${rendered.version.framework} ${rendered.version.number}`
        throw notFound(`There is no competency "${id}" in ${where}.`, [{ in: 'path', name: 'id', message: `no competency "${id}" in ${where}` }])
      }
      return listBuild(ctx, request, pattern, kind, rendered, rendered.activitiesOf.get(id) ?? [])
    }
  })
}

/** Registers every entity route of a version. */
export function registerEntities (app: FastifyInstance, ctx: RestContext): void {
  for (const kind of kinds) registerKind(app, ctx, kind as unknown as Kind<ListedType>)
  registerCompetencyActivities(app, ctx)
}
