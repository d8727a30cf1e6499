/** The pages' building blocks: escaping templates, the guide's Markdown, paths and search snippets. */
import t from 'tap'
import { escapeHtml, html, raw } from '../../src/pages/html.js'
import { blocks, inline } from '../../src/pages/markdown.js'
import { explorerPath } from '../../src/web/page-paths.js'
import { snippet } from '../../src/pages/search-changes.js'
import { parentOrigin } from '../../src/pages/embed.js'

t.test('html escapes every interpolation that is not already markup', async (t) => {
  const evil = '<script>alert("x")</script>&\''
  t.equal(escapeHtml(evil), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;')
  t.equal(html`<p title="${evil}">${evil}</p>`.value, `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`, 'in text and attributes')
  t.equal(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b</li></ul>', 'arrays of fragments join')
  t.equal(html`${null}${undefined}${false}${0}`.value, '0', 'null, undefined and false render as nothing; numbers as text')
  t.equal(html`${raw('<br>')}`.value, '<br>', 'raw markup passes')
})

t.test('the guide\'s Markdown: emphasis, paragraphs and lists, never raw markup', async (t) => {
  t.equal(inline('a **strong** and *em* <b>').value, 'a <strong>strong</strong> and <em>em</em> &lt;b&gt;')
  t.equal(blocks('One\n\nTwo\nlines').value, '<p>One</p><p>Two lines</p>')
  t.equal(blocks('- a\n  - a1\n- b').value, '<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>')
})

t.test('explorer paths of what identifiers name', async (t) => {
  t.equal(explorerPath('isp', '1.1', 'version', '1.1'), '/explore/isp/1.1')
  t.equal(explorerPath('isp', '1.1', 'framework', 'isp'), '/explore/isp/latest')
  t.equal(explorerPath('isp', '1.1', 'competency', 'co-learning', 'C01'), '/explore/isp/1.1/competencies/co-learning')
  t.equal(explorerPath('isp', '1.1', 'activity', 'co-learning-a2', 'C01.A02', 'co-learning'), '/explore/isp/1.1/competencies/co-learning#C01.A02')
  t.equal(explorerPath('isp', '1.1', 'definition', 'implementation', 'DEF01'), '/explore/isp/1.1/definitions#DEF01')
  t.equal(explorerPath('isp', '1.1', 'activity', 'x', 'C01.A02'), undefined, 'an activity without its competency has no place')
  t.equal(explorerPath('isp', '1.1', 'association', 'x'), undefined, 'CASE associations have no page')
})

t.test('search snippets keep only their marks', async (t) => {
  t.equal(snippet('a <mark>trust</mark> <b>x</b>').value, 'a <mark>trust</mark> &lt;b&gt;x&lt;/b&gt;')
  t.equal(snippet('<mark>open').value, '<mark>open</mark>', 'an unclosed mark is closed')
  t.equal(snippet('</mark>stray').value, '&lt;/mark&gt;stray', 'a stray closing mark is text')
})

t.test('the iframe page\'s parent origin', async (t) => {
  t.equal(parentOrigin('https://lms.example.org'), 'https://lms.example.org')
  t.equal(parentOrigin('http://localhost:8080'), 'http://localhost:8080')
  for (const bad of ['*', 'https://lms.example.org/', 'https://a.b/path', 'javascript:alert(1)', 'https://a b', 'HTTPS://A.B', 42, undefined]) {
    t.equal(parentOrigin(bad), undefined, `refuses ${String(bad)}`)
  }
})
