/** The discovery document, the frameworks, their versions, a version's changes and its export. */
import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { exportDocument, exportJson } from '../export.js'
import type { VersionRecord } from '../../content/model.js'
import { selectEntities } from '../../formats/lms/common.js'
import { parseMoodleScale } from '../../formats/lms/moodle.js'
import { invalidParameter, notFound } from '../../web/problem.js'
import { idList, pagingProperties, paginate, type ListQuery } from '../query.js'
import { lmsFormats, representations, type RenderContext } from '../representations.js'
import type { Offer } from '../../web/negotiation.js'
import { defineGet, pinnedUrl, requestUrl, type RestContext } from '../route.js'
import { FrameworkParams, VersionParam, VersionParams, ref } from '../../web/schemas/common.js'
import { Changes } from '../schemas/changes.js'
import { Export } from '../schemas/export.js'
import { Discovery, Framework, FrameworkList, Version } from '../schemas/frameworks.js'
import { changesView, frameworkView, versionView } from '../views.js'
import { docsPrefix } from '../../web/openapi.js'

/** 400 for `id=`, `scale=` or `proficient=` outside the formats they apply to or with a bad value; 404 naming unknown ids. */
function checkLmsQuery (app: FastifyInstance, version: VersionRecord, query: Record<string, string | undefined>): void {
  const format = query.format ?? 'json'
  const lms = (lmsFormats as readonly string[]).includes(format)
  for (const name of ['id', 'scale', 'proficient'] as const) {
    if (query[name] === undefined) continue
    if (name === 'id' ? !lms : format !== 'moodle') {
      throw invalidParameter('query', name, `applies to ${name === 'id' ? lmsFormats.map((f) => `format=${f}`).join(', ') : 'format=moodle'} only`)
    }
  }
  if (format === 'moodle') {
    const scale = parseMoodleScale(query.scale, query.proficient)
    if ('invalid' in scale) throw invalidParameter('query', scale.invalid, scale.message)
  }
  if (query.id === undefined) return
  const ids = idList(query.id)
  if (ids.length === 0) throw invalidParameter('query', 'id', 'names no entity')
  // Only with `id=`: selecting walks the whole version's tree, a tenth of a second on a large framework.
  const { missing } = selectEntities(app.catalog.index(version), ids)
  if (missing.length > 0) {
    throw notFound(`Version ${version.number} of ${version.framework} has no domain, competency, key activity or sub-point ${missing.map((m) => `"${m}"`).join(', ')}.`,
      [{ in: 'query', name: 'id', message: `unknown: ${missing.join(', ')}` }])
  }
}

export function registerFrameworks (app: FastifyInstance, ctx: RestContext): void {
  const { urls } = ctx

  defineGet(app, ctx, {
    url: '/',
    operationId: 'getDiscovery',
    summary: 'The API entry point',
    description: 'Links to the frameworks, search, the OpenAPI document, the docs and GraphQL.',
    tags: ['discovery'],
    response: ref(Discovery),
    build: () => ({
      immutable: false,
      view: {
        title: 'Practice Guide to Supporting Implementation: competencies API, REST v1',
        links: {
          self: urls.absolute('/v1'),
          frameworks: urls.absolute('/v1/frameworks'),
          search: urls.absolute('/v1/search'),
          openapi: urls.absolute('/openapi.json'),
          openapiYaml: urls.absolute('/openapi.yaml'),
          docs: urls.absolute(docsPrefix),
          graphql: urls.absolute('/graphql'),
          health: urls.absolute('/health')
        },
        frameworks: app.catalog.frameworks().map((f) => ({
          id: f.id,
          title: f.title,
          href: urls.framework(f.id),
          latest: urls.version(f.id, f.versions[0]?.number ?? '')
        }))
      }
    })
  })

  defineGet(app, ctx, {
    url: '/frameworks',
    operationId: 'listFrameworks',
    summary: 'List the frameworks',
    description: 'Each with its versions, newest first, and which one `latest` means.',
    tags: ['frameworks'],
    querystring: Type.Object(pagingProperties, { additionalProperties: false }),
    response: ref(FrameworkList),
    headers: { link: true },
    build: (request) => {
      const items = app.catalog.frameworks().map((f) => frameworkView(urls, f))
      const { body, link } = paginate(items, request.query as ListQuery, requestUrl(ctx, request))
      return { view: body, immutable: false, link }
    }
  })

  defineGet(app, ctx, {
    url: '/frameworks/:framework',
    operationId: 'getFramework',
    summary: 'Get a framework and its versions',
    tags: ['frameworks'],
    params: FrameworkParams,
    response: ref(Framework),
    build: (request) => {
      const f = app.catalog.frameworks().find((x) => x.id === request.params.framework)
      if (f === undefined) {
        const known = app.catalog.frameworks().map((x) => x.id)
        throw notFound(`There is no framework "${request.params.framework}". Known frameworks: ${known.join(', ')}.`,
          [{ in: 'path', name: 'framework', message: `no framework "${request.params.framework}"`, allowed: known }])
      }
      return { view: frameworkView(urls, f), immutable: false }
    }
  })

  defineGet(app, ctx, {
    url: '/frameworks/:framework/:version',
    operationId: 'getVersion',
    summary: 'Get a version: metadata, citation, counts and checksum',
    tags: ['frameworks'],
    params: VersionParams,
    response: ref(Version),
    offers: representations.version as Array<Offer<unknown, RenderContext>>,
    headers: { contentLocation: true },
    build: (request) => {
      const rendered = ctx.rendered(request.params.framework, request.params.version)
      const v = rendered.version
      const previous = app.catalog.versions().find((x) => x.framework === v.framework && x.ordinal === v.ordinal + 1)
      return { view: versionView(urls, v, previous), immutable: request.params.version !== 'latest', rendered: rendered }
    }
  })

  const changesPattern = '/frameworks/:framework/:version/changes'
  defineGet(app, ctx, {
    url: changesPattern,
    operationId: 'getChanges',
    summary: 'What changed from another version to this one',
    description: 'Added, removed, changed (a word diff per field) and moved entities, keyed by stable id, and changes to the version\'s metadata.',
    tags: ['frameworks'],
    params: VersionParams,
    querystring: Type.Object({
      from: { ...VersionParam, description: 'The version to compare from (usually an older one), or `latest`.', examples: ['1.1'] }
    }, { additionalProperties: false }),
    response: ref(Changes),
    headers: { contentLocation: true },
    build: (request) => {
      const { framework, version } = request.params
      const fromParam = (request.query as { from: string }).from
      const to = ctx.version(framework, version)
      const from = ctx.version(framework, fromParam, 'query', 'from')
      const diff = ctx.app.catalog.changes(from, to)
      const view = changesView(urls, framework, diff)
      const pinned = version !== 'latest' && fromParam !== 'latest'
      const contentLocation = pinned ? undefined : pinnedUrl(ctx, request, changesPattern, diff.to)
      contentLocation?.searchParams.set('from', diff.from)
      return { view, immutable: pinned, rendered: ctx.renderings.get(to), ...(contentLocation === undefined ? {} : { contentLocation: contentLocation.toString() }) }
    }
  })

  defineGet(app, ctx, {
    url: '/frameworks/:framework/:version/export',
    operationId: 'getExport',
    summary: 'The whole version as one canonical document',
    description: 'Shaped like the seed folder: one property per seed file (`framework`, `principles`, `domains`, `competencies`, `definitions`, `questions`, `dilemmas`, `resources`), each validated by the seed JSON Schema of that name in `schema/`. `Content-Digest` carries its SHA-256.',
    tags: ['frameworks'],
    params: VersionParams,
    querystring: Type.Object({
      id: Type.Optional(Type.String({ maxLength: 4000, description: 'LMS files only: comma-separated slug ids, codes or uuids of domains, competencies, key activities or sub-points; the file then holds those, their ancestors and their descendants. An unknown one is a 404 naming it.', examples: ['C01,C05'] })),
      scale: Type.Optional(Type.String({ maxLength: 1000, description: '`format=moodle` only: the scale\'s items, lowest first, separated by commas (Moodle\'s scale values). Default `Not yet competent,Competent`, Moodle\'s default competence scale.', examples: ['Not yet competent,Competent'] })),
      proficient: Type.Optional(Type.String({ maxLength: 200, description: '`format=moodle` only: the lowest item of the scale that counts as proficient, also the default rating. Default: the last item.', examples: ['Competent'] }))
    }, { additionalProperties: false }),
    response: ref(Export),
    offers: representations.export as Array<Offer<unknown, RenderContext>>,
    headers: { contentLocation: true, digest: true, disposition: true },
    build: (request) => {
      const rendered = ctx.rendered(request.params.framework, request.params.version)
      checkLmsQuery(app, rendered.version, request.query as Record<string, string | undefined>)
      const view = exportDocument(rendered.version, rendered.records)
      return {
        view,
        immutable: request.params.version !== 'latest',
        rendered,
        filename: `${rendered.version.framework}-${rendered.version.number}`,
        json: async () => await exportJson(view)
      }
    }
  })
}
