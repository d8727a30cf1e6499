/**
 * The coverage page for people: /curricula/coverage shows a form for a curriculum's id and a read
 * key; posting it shows the heatmap (in pages of 50 courses), the figures per domain and the gaps,
 * in the explorer's frame. The key travels only in the POST body (or, for tools, in
 * `Authorization: Bearer` on a GET): never in a URL, which access logs keep, and bodies are never
 * logged. The answer is `no-store`. Works without JavaScript; the explorer's CSP applies.
 *
 * The page imports the explorer's frame and escaping templates (pages/layout.ts, pages/html.ts),
 * the one exception eslint.config.js makes to "a transport never imports another": the page needs
 * the curricula store, keys and reports, which the explorer may not import.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import type { VersionRecord } from '../content/model.js'
import { html, raw, type Html } from '../pages/html.js'
import { page } from '../pages/layout.js'
import { versionPath } from '../web/page-paths.js'
import { keyRateLimit } from './auth.js'
import { reportOf } from './coverage-rest.js'
import { verifyKey } from './keys.js'
import { type CoverageReport, type Tally, levelOf } from './reports/coverage.js'
import { HEATMAP_PAGE, heatmapSvg } from './reports/heatmap.js'
import { NotFoundError, UnavailableError } from './store/errors.js'

/** Where the page lives (the security plugin gives it the pages' Content-Security-Policy). */
export const coveragePagePrefix = '/curricula'
export const coveragePagePath = `${coveragePagePrefix}/coverage`

const HTML = 'text/html; charset=utf-8'
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface FormValues { curriculum: string, activities: boolean }

/** A page that answers with another status, and says why above the form. */
class PageProblem extends Error {
  constructor (readonly statusCode: number, message: string, readonly headers: Record<string, string> = {}) { super(message) }
}

function form (values: FormValues, error?: string): Html {
  return html`${error !== undefined && html`<div class="error-summary" role="alert"><h2>The report could not be shown</h2><p>${error}</p></div>`}
<form class="course-form" action="${coveragePagePath}" method="post">
<p><label for="curriculum">Curriculum id</label>
<input type="text" id="curriculum" name="curriculum" value="${values.curriculum}" required pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" spellcheck="false" autocomplete="off" aria-describedby="curriculum-hint">
<span id="curriculum-hint" class="subtitle">The UUID the API gives the curriculum (its <code>id</code>).</span></p>
<p><label for="key">API key</label>
<input type="password" id="key" name="key" required autocomplete="off" aria-describedby="key-hint">
<span id="key-hint" class="subtitle">A read key of your institution is enough. It is sent in the form's body, never in the address.</span></p>
<p><input type="checkbox" id="activities" name="activities" value="1"${values.activities && html` checked`}> <label for="activities" class="inline">Show key activities too</label></p>
<p><button type="submit">Show coverage</button></p>
</form>`
}

const percent = (share: number): string => `${Math.round(share * 100)}%`
const figure = (t: Tally & { share: { covered: number } }): string => `${t.covered} of ${t.total} (${percent(t.share.covered)})`

function figuresTable (r: CoverageReport): Html {
  const row = (label: Html | string, c: CoverageReport['totals']['competencies'], a: CoverageReport['totals']['activities'], total = false): Html => html`<tr${total && html` class="total"`}>
<th scope="row">${label}</th><td>${figure(c)}</td><td>${c.introduced}</td><td>${c.reinforced}</td><td>${c.mastered}</td><td>${figure(a)}</td><td>${a.introduced}</td><td>${a.reinforced}</td><td>${a.mastered}</td></tr>`
  return html`<div class="table-scroll" role="region" aria-labelledby="figures-caption" tabindex="0"><table class="figures">
<caption id="figures-caption">Competencies and key activities covered per domain, and how many reach each level somewhere</caption>
<thead><tr><th scope="col" rowspan="2">Domain</th><th scope="colgroup" colspan="4">Competencies</th><th scope="colgroup" colspan="4">Key activities</th></tr>
<tr><th scope="col">covered</th><th scope="col">I</th><th scope="col">R</th><th scope="col">M</th><th scope="col">covered</th><th scope="col">I</th><th scope="col">R</th><th scope="col">M</th></tr></thead>
<tbody>${r.domains.map((d) => row(`${d.code} ${d.name}`, d.competencies, d.activities))}
${row('All domains', r.totals.competencies, r.totals.activities, true)}</tbody>
</table></div>`
}

function gapsSection (r: CoverageReport, v: VersionRecord): Html {
  const competencyLink = (g: { code: string, id: string, label: string }): Html =>
    html`<li><a href="${versionPath(v.framework, v.number, `/competencies/${g.id}`)}"><span class="code">${g.code}</span> ${g.label}</a></li>`
  const list = (items: Html[], none: string): Html => items.length === 0 ? html`<p>${none}</p>` : html`<ul>${items}</ul>`
  return html`<section aria-labelledby="gaps"><h2 id="gaps">Gaps</h2>
<h3>Competencies no course touches (${r.gaps.competencies.length})</h3>
${list(r.gaps.competencies.map(competencyLink), 'None: every competency is aligned somewhere.')}
<h3>Competencies introduced but never mastered (${r.gaps.introducedNotMastered.length})</h3>
${list(r.gaps.introducedNotMastered.map(competencyLink), 'None.')}
<h3>Courses aligned to nothing (${r.gaps.courses.length})</h3>
${list(r.gaps.courses.map((g) => html`<li><span class="code">${g.code}</span> ${g.label}</li>`), 'None.')}
<details><summary>Key activities no course touches (${r.gaps.activities.length} of ${r.totals.activities.total})</summary>
${list(r.gaps.activities.map((g) => html`<li><span class="code">${g.code}</span> ${g.label}</li>`), 'None.')}
</details>
${r.gaps.unresolved.length > 0 && html`<h3>Alignments to targets ${v.number} does not have (${r.gaps.unresolved.length})</h3>
<ul>${r.gaps.unresolved.map((u) => html`<li>${u.course}: ${u.target}</li>`)}</ul>`}
</section>`
}

/** The report's page body: summary, figures, heatmaps (a figure per 50 courses) and gaps. */
export function coverageBody (full: CoverageReport, pages: CoverageReport[], v: VersionRecord): Html {
  const c = full.totals.competencies
  return html`<h1>Coverage: ${full.curriculum.name}</h1>
<p class="lede">Mapped to <a href="${versionPath(v.framework, v.number)}">${v.meta.title} ${v.number}</a> with ${full.columns.of} course${full.columns.of === 1 ? '' : 's'}: ${c.covered} of ${c.total} competencies are covered, ${c.mastered} mastered somewhere; ${full.totals.activities.covered} of ${full.totals.activities.total} key activities.</p>
<p><a href="${coveragePagePath}?curriculum=${full.curriculum.id}">Another report</a> · <a href="#gaps">Gaps</a></p>
<h2>Figures per domain</h2>
${figuresTable(full)}
<h2>Heatmap</h2>
<p>Rows are ${full.activities ? 'competencies and their key activities' : 'competencies'}, grouped by domain; columns are courses. Levels: ${(['I', 'R', 'M'] as const).map((l, i) => html`${i > 0 && ', '}<strong>${l}</strong> ${levelOf[l]}`)}. A dashed cell counts only through key activities or sub-points; hatched rows are never aligned.</p>
${pages.map((p, i) => html`<figure class="heatmap"><figcaption>Courses ${p.columns.from} to ${p.columns.to} of ${p.columns.of}</figcaption>
<div class="heatmap-scroll" role="region" aria-label="Heatmap, courses ${p.columns.from} to ${p.columns.to}" tabindex="0">${raw(heatmapSvg(p, { idPrefix: `hm${i}-` }))}</div></figure>`)}
${gapsSection(full, v)}`
}

const formValues = (body: unknown): FormValues & { key: string } => {
  const b = body as Record<string, unknown> | null
  const text = (name: string): string => typeof b?.[name] === 'string' ? (b[name] as string).trim() : ''
  return { curriculum: text('curriculum'), activities: text('activities') !== '', key: text('key') }
}

const coveragePage: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const hidden = { hide: true }
  const latest = (): { v: VersionRecord, versions: VersionRecord[] } => {
    const v = app.repo.versions()[0]
    if (v === undefined) throw new PageProblem(404, 'This service holds no framework.')
    return { v, versions: app.repo.versions().filter((x) => x.framework === v.framework) }
  }
  const send = (reply: FastifyReply, status: number, title: string, v: VersionRecord, body: Html): FastifyReply =>
    reply.code(status).type(HTML).header('cache-control', 'no-store')
      .send(page({ title, version: v, versions: app.repo.versions().filter((x) => x.framework === v.framework), here: '', body }))

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const problem = err instanceof PageProblem ? err : err instanceof UnavailableError ? new PageProblem(503, 'The curricula database is unavailable; please retry shortly.', { 'retry-after': '5' }) : undefined
    const status = problem?.statusCode ?? err.statusCode ?? 500
    if (status >= 500 && problem === undefined) request.log.error({ err }, 'coverage page failed')
    const message = problem?.message ?? (status >= 500 ? 'The page could not be shown. Please try again later.' : err.message)
    const values = formValues(request.method === 'POST' ? request.body : request.query)
    reply.headers(problem?.headers ?? {})
    return send(reply, status, 'Curriculum coverage', latest().v, html`<h1>Curriculum coverage</h1>${form(values, message)}`)
  })

  /** The report for a key and a curriculum id, as a page. */
  async function report (reply: FastifyReply, key: string, values: FormValues): Promise<FastifyReply> {
    if (!uuid.test(values.curriculum)) throw new PageProblem(400, 'The curriculum id is a UUID, such as 0b6f1c1e-8d1f-4a47-9c39-5d0f3f6e2a10.')
    const record = key === '' ? undefined : await verifyKey(app.curricula, key)
    if (record === undefined) throw new PageProblem(401, 'The API key is not valid (malformed, unknown or revoked).', { 'www-authenticate': 'Bearer realm="curricula"' })
    let snapshot
    try {
      snapshot = await app.curricula.curriculumSnapshot(record.institutionId, values.curriculum.toLowerCase())
    } catch (err) {
      if (err instanceof NotFoundError) throw new PageProblem(404, 'Your institution has no curriculum with that id.')
      throw err
    }
    const v = app.repo.version(snapshot.curriculum.framework, snapshot.curriculum.version)
    if (v === undefined) throw new PageProblem(422, `The curriculum is pinned to ${snapshot.curriculum.framework} ${snapshot.curriculum.version}, which this service no longer serves.`)
    const full = reportOf(app, snapshot, values.activities, undefined)
    const pages: CoverageReport[] = []
    for (let from = 1; from <= Math.max(snapshot.courses.length, 1); from += HEATMAP_PAGE) {
      pages.push(reportOf(app, snapshot, values.activities, { from, to: from + HEATMAP_PAGE - 1 }))
    }
    return send(reply, 200, `Coverage: ${full.curriculum.name}`, v, coverageBody(full, pages, v))
  }

  app.get(coveragePagePath, { schema: hidden }, async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const values = { curriculum: typeof q.curriculum === 'string' && uuid.test(q.curriculum) ? q.curriculum : '', activities: q.activities === '1' }
    // Tools that can send a header get the report at once; a browser gets the form.
    const bearer = /^Bearer[ ]+([^\s]+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
    if (bearer !== undefined) return await report(reply, bearer, values)
    const { v } = latest()
    return send(reply, 200, 'Curriculum coverage', v, html`<h1>Curriculum coverage</h1>
<p class="lede">How a curriculum's courses cover the competencies and key activities of the framework version it is pinned to: a heatmap, the figures per domain and the gaps.</p>
${form(values)}`)
  })

  app.post(coveragePagePath, { schema: hidden, config: { rateLimit: keyRateLimit(config) } }, async (request: FastifyRequest, reply) => {
    const values = formValues(request.body)
    return await report(reply, values.key, values)
  })
}

export default coveragePage
