/** Plain renderings of structured text, for consumers that want one Markdown string. */
import type { StatementSeed } from './schema.js'

/** Paragraphs joined as Markdown. */
export function paragraphsToMarkdown (paragraphs: readonly string[]): string {
  return paragraphs.join('\n\n')
}

/**
 * An overview as Markdown: a statement followed by a run of list statements is a paragraph and
 * its list; nested sub-points become an indented list. Which statements are list items is not
 * recorded, so every statement after a lead-in ending with ':' is a bullet.
 */
export function statementsToMarkdown (statements: readonly StatementSeed[]): string {
  const blocks: string[] = []
  let list: string[] | null = null
  for (const s of statements) {
    if (list === null) {
      blocks.push(s.text)
      if (s.text.trimEnd().endsWith(':')) {
        list = []
        blocks.push('')
      }
      continue
    }
    list.push(`- ${s.text}`)
    for (const item of s.items ?? []) list.push(`  - ${item}`)
    blocks[blocks.length - 1] = list.join('\n')
  }
  return blocks.filter((b) => b !== '').join('\n\n')
}
