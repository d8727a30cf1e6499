/** The frame every explorer page shares: head, skip link, header with search, footer with the version switcher. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { VersionRecord } from '../content/model.js'
import { projectRoot } from '../paths.js'
import { html, type Html, type Interpolation } from './html.js'
import { explorePrefix, versionPath } from '../web/page-paths.js'

/** Where the stylesheet and the script are served. */
export const assetsPrefix = `${explorePrefix}/assets`
/** The folder they, and the picker's modules (in embed/), are served from. */
export const assetsDir = join(projectRoot, 'src', 'pages', 'assets')

const fingerprints = new Map<string, string>()
/** The first 16 hex digits of the SHA-256 of an explorer asset's bytes, read once. */
export function assetFingerprint (name: string): string {
  let hash = fingerprints.get(name)
  if (hash === undefined) {
    hash = createHash('sha256').update(readFileSync(join(assetsDir, 'explorer', name))).digest('hex').slice(0, 16)
    fingerprints.set(name, hash)
  }
  return hash
}

/**
 * An explorer asset's URL with its fingerprint (`site.css?v=…`): the server sends that URL as
 * immutable, and a new build changes the fingerprint, so a page never gets a stale stylesheet.
 */
export const assetUrl = (name: string): string => `${assetsPrefix}/${name}?v=${assetFingerprint(name)}`

export interface Crumb { label: string, href?: string }

export interface PageOptions {
  title: string
  version: VersionRecord
  /** Every version of the framework, newest first (for the switcher). */
  versions: readonly VersionRecord[]
  /** The page's path under the version (e.g. `/competencies/co-learning`), kept when switching version. */
  here: string
  breadcrumbs?: Crumb[]
  /** The search box's value. */
  q?: string
  /** The pinned address of a page served under another URL (the home page). */
  canonical?: string
  body: Interpolation
}

function nav (v: VersionRecord): Html {
  const at = (rest: string): string => versionPath(v.framework, v.number, rest)
  const links: Array<[string, string]> = [
    ['Contents', at('')], ['Glossary', at('/definitions')], ['Reflective questions', at('/questions')],
    ['Dilemmas', at('/dilemmas')], ['Resources', at('/resources')], ['API docs', '/docs'], ['GraphiQL', '/graphiql']
  ]
  return html`<nav class="site-nav" aria-label="Main"><ul>${links.map(([label, href]) => html`<li><a href="${href}">${label}</a></li>`)}</ul></nav>`
}

/** The search form; `id` and `name` keep two forms on one page apart. */
export function searchForm (v: VersionRecord, q = '', id = 'q', name = 'Search the whole guide'): Html {
  return html`<form class="search" role="search" aria-label="${name}" action="${versionPath(v.framework, v.number, '/search')}" method="get">
<label for="${id}">Search the guide</label>
<span class="search-row"><input id="${id}" name="q" type="search" value="${q}" maxlength="500" autocomplete="off"><button type="submit">Search</button></span>
</form>`
}

function switcher (v: VersionRecord, versions: readonly VersionRecord[], here: string): Html {
  return html`<form class="switcher" action="${explorePrefix}/${v.framework}/switch" method="get">
<input type="hidden" name="page" value="${here}">
<label for="switch-version">Version</label>
<select id="switch-version" name="version">${versions.map((x) => html`<option value="${x.number}"${x.vkey === v.vkey && html` selected`}>${x.number}${x.ordinal === 0 && ' (latest)'} · ${x.released}</option>`)}</select>
<button type="submit">Switch</button>
</form>`
}

function crumbs (list: Crumb[] | undefined): Interpolation {
  if (list === undefined || list.length === 0) return null
  return html`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>${list.map((c) => c.href === undefined
    ? html`<li><span aria-current="page">${c.label}</span></li>`
    : html`<li><a href="${c.href}">${c.label}</a></li>`)}</ol></nav>`
}

/** A whole page. */
export function page (o: PageOptions): string {
  const v = o.version
  return `<!doctype html>\n${html`<html lang="${v.meta.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${v.meta.title} ${v.number}</title>
${o.canonical !== undefined && html`<link rel="canonical" href="${o.canonical}">`}
<link rel="stylesheet" href="${assetUrl('site.css')}">
<script type="module" src="${assetUrl('site.js')}"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<div class="wrap">
<p class="brand"><a href="/">${v.meta.title}</a> <span class="version-tag">version ${v.number}</span></p>
${nav(v)}
${searchForm(v, o.q)}
</div>
</header>
<div class="wrap">${crumbs(o.breadcrumbs)}</div>
<main id="main" class="wrap" tabindex="-1">
${o.body}
</main>
<footer class="site-footer">
<div class="wrap">
${switcher(v, o.versions, o.here)}
<p class="citation-short">${v.meta.citation}</p>
<p><a href="/docs">REST API documentation</a> · <a href="/graphiql">GraphiQL</a> · <a href="${'/embed/demo'}">Competency picker demo</a></p>
</div>
</footer>
</body>
</html>`.value}\n`
}

/** A page outside any version (an error): the bare frame. */
export function plainPage (title: string, body: Interpolation, lang = 'en-GB'): string {
  return `<!doctype html>\n${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('site.css')}">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><div class="wrap"><p class="brand"><a href="/">Practice Guide explorer</a></p></div></header>
<main id="main" class="wrap" tabindex="-1">
${body}
</main>
</body>
</html>`.value}\n`
}
