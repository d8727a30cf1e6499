/** Accept-header content negotiation (RFC 9110 §12.5.1): media ranges, q-values, parameters. */

export interface MediaRange {
  type: string
  subtype: string
  /** Parameters other than q, names lower-cased, quotes removed. */
  params: Record<string, string>
  q: number
}

function unquote (value: string): string {
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value
}

/** Splits on `sep` outside double quotes. */
function split (text: string, sep: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '')
      i++
      continue
    }
    if (c === '"') quoted = !quoted
    if (c === sep && !quoted) {
      out.push(current)
      current = ''
    } else current += c
  }
  out.push(current)
  return out
}

/** The media ranges of an Accept header; malformed ranges are skipped. */
export function parseAccept (header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of split(header, ',')) {
    const [mediaType = '', ...rawParams] = split(part, ';').map((s) => s.trim())
    const m = /^([\w.+*-]+)\/([\w.+*-]+)$/.exec(mediaType.toLowerCase())
    if (m === null) continue
    const params: Record<string, string> = {}
    let q = 1
    for (const raw of rawParams) {
      const eq = raw.indexOf('=')
      if (eq < 1) continue
      const name = raw.slice(0, eq).trim().toLowerCase()
      const value = unquote(raw.slice(eq + 1).trim())
      if (name === 'q') {
        const n = Number(value)
        q = Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0
      } else params[name] = value
    }
    ranges.push({ type: m[1] as string, subtype: m[2] as string, params, q })
  }
  return ranges
}

function specificity (range: MediaRange, type: string, subtype: string): number {
  if (range.type === type && range.subtype === subtype) return 2
  if (range.type === type && range.subtype === '*') return 1
  if (range.type === '*' && range.subtype === '*') return 0
  return -1
}

/**
 * The offer (a `type/subtype`, in the server's order of preference) the client prefers, with the
 * range that selected it, or null when the client accepts none. No header accepts the first offer.
 */
export function negotiate (accept: string | undefined, offers: readonly string[]): { offer: string, range: MediaRange | null } | null {
  if (accept === undefined || accept.trim() === '') return offers[0] === undefined ? null : { offer: offers[0], range: null }
  const ranges = parseAccept(accept)
  if (ranges.length === 0) return offers[0] === undefined ? null : { offer: offers[0], range: null }
  let best: { offer: string, range: MediaRange, q: number } | null = null
  for (const offer of offers) {
    const [type = '', subtype = ''] = offer.split('/')
    let match: MediaRange | null = null
    let matchSpecificity = -1
    for (const range of ranges) {
      const s = specificity(range, type, subtype)
      if (s > matchSpecificity) {
        match = range
        matchSpecificity = s
      }
    }
    if (match !== null && match.q > 0 && (best === null || match.q > best.q)) best = { offer, range: match, q: match.q }
  }
  return best === null ? null : { offer: best.offer, range: best.range }
}
