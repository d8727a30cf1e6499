/** The search results page (matched words highlighted) and the changes between two versions (word diffs as insertions and deletions). */
import type { EntityChange, FieldChange, VersionChanges } from '../content/changes.js'
import type { VersionRecord } from '../content/model.js'
import type { DiffRun } from '../content/text-diff.js'
import type { SearchResult } from '../store/repository.js'
import { html, type Html, type Interpolation } from './html.js'
import { page } from './layout.js'
import { explorerPath, versionPath } from '../web/page-paths.js'
import type { PageContext } from './views.js'

/** How many results a page of search results shows. */
export const SEARCH_PAGE_SIZE = 20

const typeLabels: Record<string, string> = {
  principle: 'Principle', domain: 'Domain', competency: 'Competency', activity: 'Key activity', hint: 'Helpful hint',
  definition: 'Definition', question: 'Reflective question', dilemma: 'Dilemma', resource: 'Resource', subpoint: 'Sub-point'
}

/** A snippet from the index: its text escaped, its `<mark>` and `</mark>` kept as the only markup. */
export function snippet (text: string): Html {
  const parts = text.split(/(<\/?mark>)/)
  let open = false
  return html`${parts.map((part) => {
    if (part === '<mark>' && !open) { open = true; return html`<mark>` }
    if (part === '</mark>' && open) { open = false; return html`</mark>` }
    return part
  })}${open && html`</mark>`}`
}

/** The competency an entity sits on the page of, for activities and hints. */
function parentOf (ctx: PageContext, type: string, id: string): string | undefined {
  if (type === 'activity') return ctx.index.byId.activity.get(id)?.competency
  if (type === 'hint') return ctx.index.byId.hint.get(id)?.competency
  return undefined
}

/** Where a search hit or a change is shown in the explorer. */
export function entityPath (ctx: PageContext, type: string, id: string, code: string): string {
  const v = ctx.index.version
  return explorerPath(v.framework, v.number, type, id, code, parentOf(ctx, type, id)) ?? versionPath(v.framework, v.number)
}

export interface SearchState {
  q: string
  offset: number
  result?: SearchResult
  /** Why the query could not be run. */
  error?: string
}

export function searchPage (ctx: PageContext, s: SearchState): string {
  const v = ctx.index.version
  const r = s.result
  const from = s.offset + 1
  const link = (offset: number): string => `${versionPath(v.framework, v.number, '/search')}?${new URLSearchParams({ q: s.q, ...(offset === 0 ? {} : { offset: String(offset) }) }).toString()}`
  let results: Interpolation = null
  if (s.error !== undefined) {
    results = html`<div class="error-summary" role="alert"><h2>The search could not be run</h2><p>${s.error}</p><p>Use words, "a phrase in quotes" or a prefix*. Punctuation such as - or : has a meaning in searches: put such terms in quotes.</p></div>`
  } else if (r !== undefined) {
    results = html`<p role="status" class="result-count">${r.total === 0 ? html`No results for <strong>${s.q}</strong>.` : html`${r.total} result${r.total === 1 ? '' : 's'} for <strong>${s.q}</strong>${r.total > SEARCH_PAGE_SIZE && html`, showing ${from} to ${Math.min(r.total, s.offset + SEARCH_PAGE_SIZE)}`}.`}</p>
<ol class="results" start="${from}">${r.hits.map((h) => {
      const view = ctx.index.byId[h.type].get(h.id)
      const code = view?.code ?? h.id
      return html`<li><p class="result-type">${typeLabels[h.type] ?? h.type} <span class="code">${code}</span></p>
<h2 class="result-title"><a href="${entityPath(ctx, h.type, h.id, code)}">${snippet(h.title)}</a></h2>
<p class="snippet">${snippet(h.snippet)}</p></li>`
    })}</ol>
${r.total > SEARCH_PAGE_SIZE && html`<nav class="pager" aria-label="Result pages"><ul>
${s.offset > 0 && html`<li class="prev"><a href="${link(Math.max(0, s.offset - SEARCH_PAGE_SIZE))}" rel="prev">Previous results</a></li>`}
${s.offset + SEARCH_PAGE_SIZE < r.total && html`<li class="next"><a href="${link(s.offset + SEARCH_PAGE_SIZE)}" rel="next">More results</a></li>`}
</ul></nav>`}`
  }
  const body = html`<h1>Search</h1>
<form class="search search-large" role="search" aria-label="Search again" action="${versionPath(v.framework, v.number, '/search')}" method="get">
<label for="q-page">Search version ${v.number}</label>
<span class="search-row"><input id="q-page" name="q" type="search" value="${s.q}" maxlength="500" autocomplete="off" data-live-search><button type="submit">Search</button></span>
</form>
<div id="results" aria-live="polite">${results}</div>`
  return page({ title: s.q === '' ? 'Search' : `Search: ${s.q}`, version: v, versions: ctx.versions, here: '/search', q: s.q, breadcrumbs: [{ label: 'Contents', href: versionPath(v.framework, v.number) }, { label: 'Search' }], body })
}

function diff (runs: readonly DiffRun[]): Html {
  return html`${runs.map((r) => r.op === 'insert'
    ? html`<ins><span class="visually-hidden">[inserted: </span>${r.text}<span class="visually-hidden">]</span></ins>`
    : r.op === 'delete'
      ? html`<del><span class="visually-hidden">[deleted: </span>${r.text}<span class="visually-hidden">]</span></del>`
      : r.text)}`
}

function fields (list: readonly FieldChange[]): Html {
  return html`<dl class="field-changes">${list.map((f) => html`<dt>${f.field}</dt><dd class="diff">${diff(f.diff)}</dd>`)}</dl>`
}

function changeList (ctx: PageContext, title: string, id: string, list: readonly EntityChange[], linked: boolean, withFields: boolean): Interpolation {
  if (list.length === 0) return null
  return html`<section aria-labelledby="${id}"><h2 id="${id}">${title} (${list.length})</h2>
<ul class="changes">${list.map((c) => {
    const label = html`${typeLabels[c.type] ?? c.type} <span class="code">${c.code}</span>`
    return html`<li>${linked ? html`<a href="${entityPath(ctx, c.type, c.id, c.code)}">${label}</a>` : label}${withFields && c.fields.length > 0 && fields(c.fields)}</li>`
  })}</ul></section>`
}

export function changesPage (ctx: PageContext, from: VersionRecord, changes: VersionChanges): string {
  const v = ctx.index.version
  const others = ctx.versions.filter((x) => x.vkey !== v.vkey)
  const none = changes.added.length + changes.removed.length + changes.changed.length + changes.moved.length + changes.metadata.length === 0
  const body = html`<h1>Changes from version ${changes.from} to ${changes.to}</h1>
<form class="inline-form" action="${versionPath(v.framework, v.number, '/changes')}" method="get">
<label for="from">Compare with version</label>
<select id="from" name="from">${others.map((x) => html`<option value="${x.number}"${x.vkey === from.vkey && html` selected`}>${x.number}</option>`)}</select>
<button type="submit">Compare</button></form>
<p class="legend">Inserted words are <ins>underlined</ins>, deleted words are <del>struck through</del>.</p>
${none && html`<p>The two versions have the same content.</p>`}
${changes.metadata.length > 0 && html`<section aria-labelledby="meta"><h2 id="meta">About the version</h2>${fields(changes.metadata)}</section>`}
${changeList(ctx, 'Changed', 'changed', changes.changed, true, true)}
${changeList(ctx, 'Added', 'added', changes.added, true, false)}
${changeList(ctx, 'Removed', 'removed', changes.removed, false, false)}
${changeList(ctx, 'Moved', 'moved', changes.moved, true, false)}`
  return page({ title: `Changes from ${changes.from}`, version: v, versions: ctx.versions, here: '/changes', breadcrumbs: [{ label: 'Contents', href: versionPath(v.framework, v.number) }, { label: 'Changes' }], body })
}
