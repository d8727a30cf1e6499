/**
 * The competency picker for other systems' forms: the custom element as one ES module
 * (/embed/competency-picker.js), an iframe page that posts the selection to its parent
 * (/embed/picker), and a demo course form (/embed/demo).
 */
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'
import { helmetOptions, securityHeaders } from '../web/security.js'
import type { Config } from '../config.js'
import { SHORT } from '../web/response-cache.js'
import { html } from './html.js'
import { assetUrl, assetsDir } from './layout.js'
import { embedPrefix, explorePrefix } from '../web/page-paths.js'

const HTML = 'text/html; charset=utf-8'
const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const versionNumber = /^(?:latest|[0-9]+(?:\.[0-9]+)*(?:-[0-9A-Za-z.-]+)?)$/
const levelList = /^(?:competency|activity)(?:,(?:competency|activity))?$/
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An origin as a host names it (scheme://host[:port]), or undefined. */
export function parentOrigin (value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^https?:\/\/[^/?#\s]+$/.test(value)) return undefined
  try {
    const url = new URL(value)
    return url.origin === value ? value : undefined
  } catch {
    return undefined
  }
}

function doc (title: string, body: ReturnType<typeof html>, script: string, extra = ''): string {
  return `<!doctype html>\n${html`<html lang="en-GB"${extra === '' ? '' : html` data-parent-origin="${extra}"`}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl('site.css')}">
<script type="module" src="${embedPrefix}/${script}"></script>
</head>
${body}
</html>`.value}\n`
}

const embed: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  await app.register(fastifyStatic, {
    root: join(assetsDir, 'embed'),
    prefix: `${embedPrefix}/`,
    wildcard: false,
    decorateReply: false,
    maxAge: 3600_000
  })

  // The iframe page may be framed, but only by the origin that will receive its messages.
  const csp = securityHeaders(helmetOptions(config))['content-security-policy'] ?? ''

  app.get(`${embedPrefix}/picker`, { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const origin = parentOrigin(q.origin)
    const str = (name: string, pattern: RegExp, fallback: string): string => typeof q[name] === 'string' && pattern.test(q[name]) ? q[name] : fallback
    if (origin === undefined) {
      return reply.code(400).type(HTML).send(doc('Competency picker: origin missing', html`<body><main><h1>The host's origin is missing</h1><p>Open this page as <code>${embedPrefix}/picker?origin=https://your-lms.example</code>: the selection is sent to that origin only.</p></main></body>`, 'picker-frame.js'))
    }
    const multiple = q.multiple !== undefined && q.multiple !== 'false'
    return reply.type(HTML)
      .header('content-security-policy', csp.replace("frame-ancestors 'none'", `frame-ancestors ${origin}`))
      .removeHeader('x-frame-options')
      .header('cache-control', SHORT)
      .send(doc('Competency picker', html`<body class="embedded"><main>
<h1 class="visually-hidden">Choose competencies</h1>
<competency-picker framework="${str('framework', slug, 'isp')}" version="${str('version', versionNumber, 'latest')}" levels="${str('levels', levelList, 'competency')}"${multiple && html` multiple`} label="${typeof q.label === 'string' ? q.label.slice(0, 100) : 'Competencies'}"></competency-picker>
</main></body>`, 'picker-frame.js', origin))
  })

  app.get(`${embedPrefix}/demo`, { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const submitted = q.title !== undefined || q.competencies !== undefined
    const chosen = ([] as unknown[]).concat(q.competencies ?? []).filter((x): x is string => typeof x === 'string' && uuid.test(x))
    const framework = app.catalog.frameworks()[0]?.id ?? 'isp'
    const v = app.catalog.find(framework, 'latest')
    const names = new Map<string, string>()
    if (v !== undefined) {
      const index = await app.catalog.prepareIndex(v)
      for (const c of index.competencies) names.set(c.uuid, `${c.code} ${c.name}`)
      for (const a of index.activities) names.set(a.uuid, `${a.code} ${a.text}`)
    }
    return reply.type(HTML).header('cache-control', 'no-store').send(doc('Competency picker demo', html`<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><div class="wrap"><p class="brand"><a href="/">Practice Guide explorer</a></p></div></header>
<main id="main" class="wrap" tabindex="-1">
<h1>Competency picker demo</h1>
<p>A course form as an LMS might have it. The picker is one element, <code>&lt;competency-picker&gt;</code>, loaded from <code>${embedPrefix}/competency-picker.js</code>; it submits the chosen uuids with the form. See the <a href="${explorePrefix}">explorer</a> for what each competency means.</p>
${submitted && html`<section class="submitted" aria-labelledby="submitted-heading" role="status"><h2 id="submitted-heading">Submitted</h2>
<dl><dt>Course title</dt><dd id="submitted-title">${typeof q.title === 'string' ? q.title : ''}</dd>
<dt>Competencies</dt><dd><ul id="submitted-competencies">${chosen.map((u) => html`<li><code>${u}</code> ${names.get(u) ?? ''}</li>`)}</ul></dd></dl></section>`}
<form class="course-form" action="${embedPrefix}/demo" method="get">
<p><label for="title">Course title</label><input id="title" name="title" type="text" required></p>
<competency-picker name="competencies" levels="competency,activity" multiple required></competency-picker>
<p><button type="submit">Save course</button> <button type="reset" class="secondary">Reset</button></p>
</form>
<h2>The last change event</h2>
<pre id="change-detail" tabindex="0" aria-label="The change event's detail">Nothing chosen yet.</pre>
</main></body>`, 'demo.js'))
  })
}

export default embed
