/**
 * The explorer: the guide as server-rendered pages for people. `/` is the newest version's
 * contents; every page of a version lies under /explore/{framework}/{version}, and `latest`
 * redirects to the pinned page. Pages are computed once and kept (strong ETag, 304, immutable for
 * pinned versions), like the API's answers. Stylesheet and script are served from ./assets.
 */
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { VersionRecord } from '../content/model.js'
import { publicUrl, type Config } from '../config.js'
import { explorePrefix, versionPath } from '../web/page-paths.js'
import { acceptsHtml } from '../web/negotiation.js'
import { IMMUTABLE, SHORT, prepareResponse, sendCached, ResponseCache } from '../web/response-cache.js'
import { Urls } from '../web/urls.js'
import { SearchSyntaxError } from '../store/repository.js'
import embed from './embed.js'
import { html } from './html.js'
import { assetFingerprint, assetsDir, assetsPrefix, plainPage } from './layout.js'
import { SEARCH_PAGE_SIZE, changesPage, searchPage } from './search-changes.js'
import {
  competencyPage, definitionsPage, dilemmasPage, domainPage, principlePage, questionsPage, resourcesPage, versionPage, type PageContext
} from './views.js'

/** The page prefixes the security plugin gives the pages' Content-Security-Policy. */
export const pagePrefixes = ['/', explorePrefix, '/embed'] as const

const HTML = 'text/html; charset=utf-8'
const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const versionNumber = /^(?:latest|[0-9]+(?:\.[0-9]+)*(?:-[0-9A-Za-z.-]+)?)$/

/** A page that answers with a status other than 200. */
class PageError extends Error {
  constructor (readonly statusCode: number, readonly title: string, message: string) { super(message) }
}

const notFound = (what: string): PageError => new PageError(404, 'Page not found', what)

type Render = (ctx: PageContext, request: FastifyRequest) => string | undefined

const sections: Record<string, Render> = {
  definitions: (ctx) => definitionsPage(ctx),
  questions: (ctx) => questionsPage(ctx),
  dilemmas: (ctx) => dilemmasPage(ctx),
  resources: (ctx) => resourcesPage(ctx)
}

const collections: Record<string, (ctx: PageContext, id: string) => string | undefined> = {
  principles: principlePage,
  domains: domainPage,
  competencies: competencyPage
}

const pages: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const baseUrl = publicUrl(config)
  const urls = new Urls(baseUrl)
  const cache = new ResponseCache({ maxBytes: 16 * 1024 * 1024, maxAliasesPerEntry: 1 })
  const hidden = { hide: true }

  await app.register(fastifyStatic, {
    root: join(assetsDir, 'explorer'),
    prefix: `${assetsPrefix}/`,
    wildcard: false,
    decorateReply: false,
    maxAge: 3600_000
  })
  // An asset asked for by its fingerprinted URL (layout.ts assetUrl) never changes: a year, immutable.
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith(`${assetsPrefix}/`) || reply.statusCode !== 200) return
    const { pathname, searchParams } = new URL(request.url, 'http://x')
    const name = pathname.slice(assetsPrefix.length + 1)
    if (/^[a-z-]+\.(?:css|js)$/.test(name) && searchParams.get('v') === assetFingerprint(name)) {
      reply.header('cache-control', 'public, max-age=31536000, immutable')
    }
  })

  const versionsOf = (framework: string): VersionRecord[] => app.catalog.versions().filter((v) => v.framework === framework)

  function version (framework: string, number: string): VersionRecord {
    if (!slug.test(framework) || !versionNumber.test(number)) throw notFound(`There is no page at this address.`)
    const v = app.catalog.find(framework, number)
    if (v === undefined) throw notFound(`There is no version ${number} of ${framework}.`)
    return v
  }

  /** What a page of a version is rendered from; its index is built in slices first if it is not yet. */
  async function context (v: VersionRecord): Promise<PageContext> {
    return { index: await app.catalog.prepareIndex(v), versions: versionsOf(v.framework), baseUrl, urls }
  }

  /** Sends a page computed once per URL: ETag, 304, and a year's caching for pinned versions. */
  async function send (request: FastifyRequest, reply: FastifyReply, pinned: boolean, render: () => Promise<string | undefined>, status = 200): Promise<FastifyReply> {
    const key = request.url
    let entry = status === 200 ? cache.find(key) : undefined
    if (entry === undefined) {
      const body = await render()
      if (body === undefined) throw notFound('There is no page at this address.')
      entry = await prepareResponse({ body: Buffer.from(body), contentType: HTML, caching: { 'cache-control': pinned ? IMMUTABLE : SHORT, vary: 'Accept-Encoding' }, extra: {}, digest: false })
      if (status === 200) cache.store(key, entry)
    }
    reply.code(status)
    return sendCached(request, reply, entry)
  }

  /** `latest` in a page's address: a redirect to the pinned page (query kept). */
  function pinnedRedirect (request: FastifyRequest, reply: FastifyReply, v: VersionRecord, rest: string): FastifyReply {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
    return reply.header('cache-control', SHORT).redirect(versionPath(v.framework, v.number, rest) + query, 302)
  }

  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    // A page's error is a page for browsers; a program that does not take HTML gets the API's problem+json.
    if (!acceptsHtml(request.headers.accept)) throw err
    const status = err instanceof PageError ? err.statusCode : (err.statusCode ?? 500)
    if (status >= 500) request.log.error({ err }, 'page failed')
    const title = err instanceof PageError ? err.title : status === 429 ? 'Too many requests' : status >= 500 ? 'Something went wrong' : 'Bad request'
    const message = status >= 500 ? 'The page could not be shown. Please try again later.' : err.message
    return reply.code(status).type(HTML).header('cache-control', 'no-store')
      .send(plainPage(title, html`<h1>${title}</h1><p>${message}</p><p><a href="/">Go to the home page</a></p>`))
  })

  app.get('/', { schema: hidden }, async (request, reply) => {
    const framework = app.catalog.frameworks()[0]
    if (framework === undefined) throw notFound('This service holds no framework.')
    const v = version(framework.id, 'latest')
    return await send(request, reply, false, async () => versionPage(await context(v), true))
  })

  app.get(explorePrefix, { schema: hidden }, async (_request, reply) => reply.redirect('/', 302))

  app.get(`${explorePrefix}/:framework`, { schema: hidden }, async (request, reply) => {
    const { framework } = request.params as { framework: string }
    return reply.header('cache-control', SHORT).redirect(versionPath(framework, version(framework, 'latest').number), 302)
  })

  // The version switcher's form: the same page in another version (its contents if the page is not there).
  app.get(`${explorePrefix}/:framework/switch`, { schema: hidden }, async (request, reply) => {
    const { framework } = request.params as { framework: string }
    const { version: number = 'latest', page = '' } = request.query as { version?: string, page?: string }
    const v = version(framework, number)
    const rest = /^(?:\/[a-z]+(?:\/[a-z0-9-]+)?)?$/.test(page) ? page : ''
    return reply.redirect(versionPath(v.framework, v.number, rest), 303)
  })

  app.get(`${explorePrefix}/:framework/:version`, { schema: hidden }, async (request, reply) => {
    const p = request.params as { framework: string, version: string }
    const v = version(p.framework, p.version)
    if (p.version === 'latest') return pinnedRedirect(request, reply, v, '')
    return await send(request, reply, true, async () => versionPage(await context(v)))
  })

  app.get(`${explorePrefix}/:framework/:version/:section`, { schema: hidden }, async (request, reply) => {
    const p = request.params as { framework: string, version: string, section: string }
    const v = version(p.framework, p.version)
    if (p.version === 'latest') return pinnedRedirect(request, reply, v, `/${p.section}`)
    if (p.section === 'search') return await search(request, reply, v)
    if (p.section === 'changes') return await changes(request, reply, v)
    const render = sections[p.section]
    if (render === undefined) throw notFound('There is no page at this address.')
    return await send(request, reply, true, async () => render(await context(v), request))
  })

  app.get(`${explorePrefix}/:framework/:version/:collection/:id`, { schema: hidden }, async (request, reply) => {
    const p = request.params as { framework: string, version: string, collection: string, id: string }
    const v = version(p.framework, p.version)
    if (!slug.test(p.id)) throw notFound('There is no page at this address.')
    if (p.version === 'latest') return pinnedRedirect(request, reply, v, `/${p.collection}/${p.id}`)
    // Key activities and hints are shown on their competency's page.
    if (p.collection === 'activities' || p.collection === 'hints') {
      const index = await app.catalog.prepareIndex(v)
      const found = p.collection === 'activities' ? index.byId.activity.get(p.id) : index.byId.hint.get(p.id)
      if (found === undefined) throw notFound(`There is no ${p.collection === 'activities' ? 'key activity' : 'hint'} ${p.id} in version ${v.number}.`)
      return reply.header('cache-control', IMMUTABLE).redirect(versionPath(v.framework, v.number, `/competencies/${found.competency}#${found.code}`), 301)
    }
    const render = collections[p.collection]
    if (render === undefined) throw notFound('There is no page at this address.')
    return await send(request, reply, true, async () => render(await context(v), p.id))
  })

  async function search (request: FastifyRequest, reply: FastifyReply, v: VersionRecord): Promise<FastifyReply> {
    const query = request.query as { q?: unknown, offset?: unknown }
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 500) : ''
    const offset = typeof query.offset === 'string' && /^[0-9]{1,6}$/.test(query.offset) ? Number(query.offset) : 0
    const ctx = await context(v)
    if (q === '') return await send(request, reply, true, async () => searchPage(ctx, { q, offset }))
    try {
      const result = app.repo.search(v, { q, limit: SEARCH_PAGE_SIZE, offset })
      return await send(request, reply, true, async () => searchPage(ctx, { q, offset, result }))
    } catch (err) {
      if (!(err instanceof SearchSyntaxError)) throw err
      return await send(request, reply, true, async () => searchPage(ctx, { q, offset, error: err.message }), 400)
    }
  }

  async function changes (request: FastifyRequest, reply: FastifyReply, v: VersionRecord): Promise<FastifyReply> {
    const others = versionsOf(v.framework).filter((x) => x.vkey !== v.vkey)
    const asked = (request.query as { from?: unknown }).from
    const from = typeof asked === 'string'
      ? others.find((x) => x.number === asked)
      : others.find((x) => x.ordinal === v.ordinal + 1) ?? others[0]
    if (from === undefined) throw notFound(typeof asked === 'string' ? `There is no other version ${asked} to compare with.` : 'This framework has only one version.')
    return await send(request, reply, true, async () => changesPage(await context(v), from, app.catalog.changes(from, v)))
  }

  await app.register(embed, { config })
}

export default pages
