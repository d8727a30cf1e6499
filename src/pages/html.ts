/**
 * HTML built by tagged templates: every interpolated value is escaped unless it is already `Html`
 * (the result of another `html` template, or of `raw` for text this code wrote itself). Arrays are
 * joined, and null, undefined and false render as nothing, so templates can use `cond && html`.
 */

/** A fragment of markup that is safe to insert as is. */
export class Html {
  constructor (readonly value: string) {}
  toString (): string { return this.value }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] as string)
}

export type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[]

function render (value: Interpolation): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/** A template whose interpolations are escaped. */
export function html (strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] as string
  for (let i = 0; i < values.length; i++) out += render(values[i] as Interpolation) + (strings[i + 1] as string)
  return new Html(out)
}

/** Markup this code produced itself (never text from a request). */
export function raw (markup: string): Html {
  return new Html(markup)
}
