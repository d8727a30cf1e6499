/**
 * The explorer's pages, each a pure function of one version's content: the contents (and the
 * home page), a principle, a domain, a competency with its key activities and hint, and the
 * glossary, reflective questions, dilemmas and resources. Words are the guide's, verbatim.
 */
import type { VersionIndex } from '../catalog/version-index.js'
import type { ActivityRecord, CompetencyRecord, VersionRecord } from '../content/model.js'
import type { StatementSeed } from '../content/schema.js'
import { alignment } from '../formats/alignment.js'
import { caseSegment } from '../formats/case-schemas.js'
import { anchor, versionPath } from '../web/page-paths.js'
import type { Urls } from '../web/urls.js'
import { html, type Html, type Interpolation } from './html.js'
import { page, searchForm, type Crumb } from './layout.js'
import { blocks, inline } from './markdown.js'

/** What a page of one version is rendered from. */
export interface PageContext {
  /** The version's content, as the catalog holds it. */
  index: VersionIndex
  /** Every version of the framework, newest first. */
  versions: readonly VersionRecord[]
  /** The service's public base URL. */
  baseUrl: string
  /** Its public URLs (permanent URIs and REST resources). */
  urls: Urls
}

/** The identifiers an entity page shows: the permanent URI and the REST resource, pinned to the version. */
function links (ctx: PageContext, type: Identified['type'], e: { id: string, uuid: string }): { uri: string, href: string } {
  const v = ctx.index.version
  return { uri: ctx.urls.uri(e.uuid), href: ctx.urls.entity(v.framework, v.number, type, e.id) }
}

const at = (v: VersionRecord, rest = ''): string => versionPath(v.framework, v.number, rest)

function contentsCrumb (v: VersionRecord): Crumb {
  return { label: 'Contents', href: at(v) }
}

/** The contents of a version: what the guide is, its citation, principles, domains and competencies. */
export function versionPage (ctx: PageContext, home = false): string {
  const { index } = ctx
  const v = index.version
  const meta = v.meta
  const body = html`
<h1>${meta.title}${meta.subtitle !== undefined && html`<span class="subtitle">${meta.subtitle}</span>`}</h1>
<p class="lede">Version ${v.number}, released ${v.released}. By ${meta.authors.map((a) => a.name).join(', ')}.</p>
${home && searchForm(v, '', 'q-home', 'Search from the home page')}
<section aria-labelledby="about"><h2 id="about">About the guide</h2>${blocks(meta.description)}</section>
<section aria-labelledby="cite"><h2 id="cite">How to cite it</h2><blockquote class="citation"><p>${meta.citation}</p></blockquote></section>
<section aria-labelledby="principles"><h2 id="principles">Principles</h2>
<ol class="cards">${index.principles.map((p) => html`<li><a href="${at(v, `/principles/${p.id}`)}"><span class="code">${p.code}</span> ${p.name}</a></li>`)}</ol>
</section>
<section aria-labelledby="domains"><h2 id="domains">Domains and competencies</h2>
${index.domains.map((d) => html`<section class="domain" aria-labelledby="${d.code}"><h3 id="${d.code}"><a href="${at(v, `/domains/${d.id}`)}"><span class="code">${d.code}</span> ${d.name}</a></h3>
<ol class="competency-list">${(index.competenciesOf.get(d.id) ?? []).map((c) => html`<li><a href="${at(v, `/competencies/${c.id}`)}"><span class="code">${c.code}</span> ${c.name}</a></li>`)}</ol></section>`)}
</section>
<section aria-labelledby="more"><h2 id="more">More in the guide</h2>
<ul><li><a href="${at(v, '/definitions')}">Glossary</a> (${index.definitions.length} definitions)</li>
<li><a href="${at(v, '/questions')}">Reflective questions</a></li><li><a href="${at(v, '/dilemmas')}">Dilemmas</a></li>
<li><a href="${at(v, '/resources')}">Resources and further reading</a></li>
${ctx.versions.length > 1 && html`<li><a href="${at(v, '/changes')}">What changed in this version</a></li>`}</ul></section>
${home && html`<section aria-labelledby="machines"><h2 id="machines">For developers</h2>
<p>Everything here is also served as data: the <a href="/docs">REST API</a> (JSON, JSON-LD, CSV), <a href="/graphiql">GraphQL</a>, CASE 1.0 and 1.1 under <code>/ims/case/</code>, and a permanent URI for every entity. The <a href="/embed/demo">competency picker demo</a> shows how a course form can link to the competencies.</p></section>`}`
  return page({ title: home ? 'Home' : 'Contents', version: v, versions: ctx.versions, here: '', body, ...(home ? { canonical: `${ctx.baseUrl}${at(v)}` } : { breadcrumbs: [{ label: 'Contents' }] }) })
}

export function principlePage (ctx: PageContext, id: string): string | undefined {
  const { index } = ctx
  const v = index.version
  const list = index.principles
  const i = list.findIndex((p) => p.id === id)
  const p = list[i]
  if (p === undefined) return undefined
  const body = html`<article><h1><span class="code">${p.code}</span> ${p.name}</h1>${blocks(p.description)}</article>
${pager(list[i - 1], list[i + 1], (x) => at(v, `/principles/${x.id}`), (x) => `${x.code} ${x.name}`)}
${panel(ctx, { code: p.code, uuid: p.uuid, ...links(ctx, 'principle', p), type: 'principle', id: p.id })}`
  return page({ title: p.name, version: v, versions: ctx.versions, here: `/principles/${p.id}`, breadcrumbs: [contentsCrumb(v), { label: p.name }], body })
}

export function domainPage (ctx: PageContext, id: string): string | undefined {
  const { index } = ctx
  const v = index.version
  const list = index.domains
  const i = list.findIndex((d) => d.id === id)
  const d = list[i]
  if (d === undefined) return undefined
  const body = html`<article><h1><span class="code">${d.code}</span> ${d.name}</h1>${blocks(d.description)}
<h2>Competencies</h2>
<ol class="competency-list">${(index.competenciesOf.get(d.id) ?? []).map((c) => html`<li><a href="${at(v, `/competencies/${c.id}`)}"><span class="code">${c.code}</span> ${c.name}</a></li>`)}</ol></article>
${pager(list[i - 1], list[i + 1], (x) => at(v, `/domains/${x.id}`), (x) => `${x.code} ${x.name}`)}
${panel(ctx, { code: d.code, uuid: d.uuid, ...links(ctx, 'domain', d), type: 'domain', id: d.id })}`
  return page({ title: d.name, version: v, versions: ctx.versions, here: `/domains/${d.id}`, breadcrumbs: [contentsCrumb(v), { label: d.name }], body })
}

/** An overview: statements, and after a lead-in ending with ':' a list of the rest (with nested sub-points). */
function overview (statements: readonly StatementSeed[]): Html {
  const out: Interpolation[] = []
  let items: StatementSeed[] | null = null
  const flush = (): void => {
    if (items !== null && items.length > 0) {
      out.push(html`<ul>${items.map((s) => html`<li>${inline(s.text)}${s.items !== undefined && html`<ul>${s.items.map((x) => html`<li>${inline(x)}</li>`)}</ul>`}</li>`)}</ul>`)
    }
  }
  for (const s of statements) {
    if (items !== null) {
      items.push(s)
      continue
    }
    out.push(html`<p>${inline(s.text)}</p>`)
    if (s.items !== undefined) out.push(html`<ul>${s.items.map((x) => html`<li>${inline(x)}</li>`)}</ul>`)
    if (s.text.trimEnd().endsWith(':')) items = []
  }
  flush()
  return html`${out}`
}

function activityItem (ctx: PageContext, a: ActivityRecord, competency: CompetencyRecord): Html {
  return html`<li id="${anchor(a.code)}"><p>${inline(a.text)} <span class="code">${a.code}</span></p>
${a.subpoints.length > 0 && html`<ul>${a.subpoints.map((s) => html`<li id="${anchor(s.code)}">${inline(s.text)}</li>`)}</ul>`}
<details class="ids"><summary>Identifiers<span class="visually-hidden"> of key activity ${a.code}</span></summary>
${identifiers(ctx, { code: a.code, uuid: a.uuid, ...links(ctx, 'activity', a), type: 'activity', id: a.id, alignmentOf: { kind: 'activity', id: a.id }, compact: true, competency: competency.id })}
</details></li>`
}

export function competencyPage (ctx: PageContext, id: string): string | undefined {
  const { index } = ctx
  const v = index.version
  const list = index.competencies
  const i = list.findIndex((c) => c.id === id)
  const c = list[i]
  if (c === undefined) return undefined
  const domain = index.byId.domain.get(c.domain)
  const hint = index.hintOf.get(c.id)
  const body = html`<article class="competency">
${domain !== undefined && html`<p class="kicker"><a href="${at(v, `/domains/${domain.id}`)}">${domain.code} ${domain.name}</a></p>`}
<h1><span class="code">${c.code}</span> ${c.name}</h1>
<section aria-labelledby="overview"><h2 id="overview">Overview</h2>${overview(c.overview)}</section>
<section aria-labelledby="activities"><h2 id="activities">Key activities</h2>
<ol class="activities">${(index.activitiesOf.get(c.id) ?? []).map((a) => activityItem(ctx, a, c))}</ol></section>
${hint !== undefined && html`<section class="hint" id="${anchor(hint.code)}" aria-labelledby="hint-heading"><h2 id="hint-heading">Helpful hint</h2>${hint.paragraphs.map((p) => html`<p>${inline(p)}</p>`)}</section>`}
</article>
${panel(ctx, { code: c.code, uuid: c.uuid, ...links(ctx, 'competency', c), type: 'competency', id: c.id, alignmentOf: { kind: 'competency', id: c.id } })}
${pager(list[i - 1], list[i + 1], (x) => at(v, `/competencies/${x.id}`), (x) => `${x.code} ${x.name}`)}`
  return page({
    title: c.name,
    version: v,
    versions: ctx.versions,
    here: `/competencies/${c.id}`,
    breadcrumbs: [contentsCrumb(v), ...(domain === undefined ? [] : [{ label: domain.name, href: at(v, `/domains/${domain.id}`) }]), { label: c.name }],
    body
  })
}

function pager<T> (prev: T | undefined, next: T | undefined, href: (x: T) => string, label: (x: T) => string): Interpolation {
  if (prev === undefined && next === undefined) return null
  return html`<nav class="pager" aria-label="Previous and next"><ul>
${prev !== undefined && html`<li class="prev"><a href="${href(prev)}" rel="prev"><span class="pager-dir">Previous</span> ${label(prev)}</a></li>`}
${next !== undefined && html`<li class="next"><a href="${href(next)}" rel="next"><span class="pager-dir">Next</span> ${label(next)}</a></li>`}
</ul></nav>`
}

interface Identified {
  type: 'principle' | 'domain' | 'competency' | 'activity'
  id: string
  code: string
  uuid: string
  uri: string
  href: string
  /** Where an OB3 alignment exists. */
  alignmentOf?: { kind: 'competency' | 'activity', id: string }
  /** Fewer lines, for an activity inside its competency's page. */
  compact?: boolean
  competency?: string
}

const graphqlQuery: Record<Identified['type'], (v: VersionRecord, x: Identified) => string> = {
  principle: (v, x) => `{ framework(id: "${v.framework}") { version(number: "${v.number}") { principle(id: "${x.id}") { code name description } } } }`,
  domain: (v, x) => `{ framework(id: "${v.framework}") { version(number: "${v.number}") { domain(id: "${x.id}") { code name competencies { code name } } } } }`,
  competency: (v, x) => `{ competency(framework: "${v.framework}", version: "${v.number}", id: "${x.id}") { code name overview activities { code text } hint { text } } }`,
  activity: (v, x) => `{ framework(id: "${v.framework}") { version(number: "${v.number}") { activity(id: "${x.id}") { code text subitems } } } }`
}

function identifiers (ctx: PageContext, x: Identified): Html {
  const v = ctx.index.version
  const record = x.alignmentOf === undefined
    ? undefined
    : x.alignmentOf.kind === 'competency' ? ctx.index.byId.competency.get(x.id) : ctx.index.byId.activity.get(x.id)
  const item = ctx.index.revisionOf(x.uuid).identifier
  const caseUrl = `${ctx.baseUrl}/ims/case/${caseSegment('1.1')}/CFItems/${item}`
  const json = record === undefined ? undefined : JSON.stringify(alignment(ctx.index, record, ctx.baseUrl), null, 2)
  const preId = `alignment-${x.code}`
  return html`<dl class="identifiers">
<dt>Code</dt><dd><code>${x.code}</code></dd>
<dt>UUID</dt><dd><code>${x.uuid}</code></dd>
<dt>Permanent URI</dt><dd><a href="${x.uri}">${x.uri}</a></dd>
<dt>REST</dt><dd><a href="${x.href}">JSON</a> · <a href="${`${x.href}?format=jsonld`}">JSON-LD</a>${record !== undefined && html` · <a href="${`${x.href}/alignment`}">OB3 Alignment</a>`}</dd>
<dt>CASE 1.1</dt><dd><a href="${caseUrl}">CFItem</a></dd>
${x.compact !== true && html`<dt>GraphQL</dt><dd><pre class="copyable" id="graphql-${x.code}"><code>${graphqlQuery[x.type](v, x)}</code></pre> <a href="/graphiql">Open GraphiQL</a></dd>`}
</dl>
${json !== undefined && x.compact !== true && html`<h3 id="${preId}-heading">Open Badges 3.0 alignment</h3>
<p>Paste this into an achievement's <code>alignment</code> list.</p>
<pre class="copyable" id="${preId}" aria-labelledby="${preId}-heading" tabindex="0"><code>${json}</code></pre>`}`
}

/** The "use this in your system" panel of an entity page. */
function panel (ctx: PageContext, x: Identified): Html {
  return html`<aside class="use-panel" aria-labelledby="use-${x.code}"><h2 id="use-${x.code}">Use this in your system</h2>${identifiers(ctx, x)}</aside>`
}

export function definitionsPage (ctx: PageContext): string {
  const { index } = ctx
  const v = index.version
  const body = html`<h1>Glossary</h1>
<dl class="glossary">${index.definitions.map((d) => html`<div id="${anchor(d.code)}"><dt>${d.term}</dt><dd>${blocks(d.text)}${d.otherNames.length > 0 && html`<p class="other-names">Also called: ${d.otherNames.join('; ')}</p>`}</dd></div>`)}</dl>`
  return page({ title: 'Glossary', version: v, versions: ctx.versions, here: '/definitions', breadcrumbs: [contentsCrumb(v), { label: 'Glossary' }], body })
}

export function questionsPage (ctx: PageContext): string {
  const { index } = ctx
  const v = index.version
  const body = html`<h1>Reflective questions</h1>
<ol class="questions">${index.questions.map((q) => html`<li id="${anchor(q.code)}">${inline(q.text)}${q.subquestions.length > 0 && html`<ul>${q.subquestions.map((s) => html`<li>${inline(s)}</li>`)}</ul>`}</li>`)}</ol>`
  return page({ title: 'Reflective questions', version: v, versions: ctx.versions, here: '/questions', breadcrumbs: [contentsCrumb(v), { label: 'Reflective questions' }], body })
}

export function dilemmasPage (ctx: PageContext): string {
  const { index } = ctx
  const v = index.version
  const body = html`<h1>Dilemmas</h1>
${blocks(v.dilemmasIntroduction)}
<ol class="dilemmas">${index.dilemmas.map((d) => html`<li id="${anchor(d.code)}">${blocks(d.text)}</li>`)}</ol>
${v.dilemmasConclusion !== null && blocks(v.dilemmasConclusion)}`
  return page({ title: 'Dilemmas', version: v, versions: ctx.versions, here: '/dilemmas', breadcrumbs: [contentsCrumb(v), { label: 'Dilemmas' }], body })
}

export function resourcesPage (ctx: PageContext): string {
  const { index } = ctx
  const v = index.version
  const groups = index.resourceGroups
  const body = html`<h1>Resources and further reading</h1>
${blocks(v.resourcesIntroduction)}
${groups.map((g) => html`<section aria-label="${g.title ?? 'Resources'}">${g.title !== null && html`<h2>${g.title}</h2>`}${g.note !== null && blocks(g.note)}
<ul class="resources">${index.resources.filter((r) => r.group === g.id).map((r) => html`<li id="${anchor(r.code)}">${inline(r.text)}${r.url !== null && html` <a href="${r.url}">${r.url}</a>`}${r.doi !== null && html` <a href="${`https://doi.org/${r.doi}`}">doi:${r.doi}</a>`}</li>`)}</ul></section>`)}`
  return page({ title: 'Resources', version: v, versions: ctx.versions, here: '/resources', breadcrumbs: [contentsCrumb(v), { label: 'Resources' }], body })
}
