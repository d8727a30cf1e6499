/**
 * The guide's text as HTML. The content keeps only paragraphs, `- ` lists (two spaces nest one
 * level) and inline emphasis (`*…*`, `**…**`); everything is escaped first, so no markup in the
 * text can reach the page.
 */
import { html, raw, escapeHtml, type Html } from './html.js'

/** Inline text: escaped, with `**strong**` and `*emphasis*`. */
export function inline (text: string): Html {
  return raw(escapeHtml(text)
    .replace(/\*\*(\S(?:.*?\S)?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*(\S(?:.*?\S)?)\*/g, '<em>$1</em>'))
}

interface Item { text: string, items: string[] }

function list (lines: string[]): Html {
  const items: Item[] = []
  for (const line of lines) {
    const nested = /^ {2,}- (.*)$/.exec(line)
    if (nested !== null && items.length > 0) items[items.length - 1]!.items.push(nested[1]!)
    else items.push({ text: line.replace(/^- /, ''), items: [] })
  }
  return html`<ul>${items.map((i) => html`<li>${inline(i.text)}${i.items.length > 0 && html`<ul>${i.items.map((s) => html`<li>${inline(s)}</li>`)}</ul>`}</li>`)}</ul>`
}

/** Block text: paragraphs separated by blank lines, and lists whose lines start with `- `. */
export function blocks (text: string): Html {
  return html`${text.split(/\n{2,}/).map((block) => {
    const lines = block.split('\n')
    return lines[0]!.startsWith('- ') ? list(lines) : html`<p>${inline(lines.join(' '))}</p>`
  })}`
}
