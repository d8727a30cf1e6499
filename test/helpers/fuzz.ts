/**
 * Fuzzing and abuse helpers: the seed and run counts (FUZZ_SEED, FUZZ_SCALE), a tally of response
 * statuses, the hostile values every fuzz and abuse test draws from, request arbitraries built from
 * the app's own OpenAPI document (so a new route is fuzzed without touching the tests), and the
 * checks every error response must pass.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { document, resolved, validate, validateComponent } from './contract.js'

/** The fast-check seed: FUZZ_SEED, or a fixed one so a run reproduces. */
export const fuzzSeed = seedFrom(process.env.FUZZ_SEED)

/** Multiplies every property's run count: FUZZ_SCALE=10 for a long hunt, 0.1 for a quick look. */
export const fuzzScale = scaleFrom(process.env.FUZZ_SCALE)

function seedFrom (value: string | undefined): number {
  if (value === undefined || value === '') return 20_240_611
  if (value === 'random') return Math.floor(Math.random() * 2 ** 31)
  const seed = Number(value)
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", got ${value}`)
  return seed
}

function scaleFrom (value: string | undefined): number {
  if (value === undefined || value === '') return 1
  const scale = Number(value)
  if (!(scale > 0)) throw new Error(`FUZZ_SCALE must be a positive number, got ${value}`)
  return scale
}

/** The run count for a property, scaled; at least 1. */
export function runs (base: number): number {
  return Math.max(1, Math.round(base * fuzzScale))
}

/** fast-check parameters for a property: the shared seed and a scaled run count. */
export function fuzzParameters (base: number): { seed: number, numRuns: number, endOnFailure: boolean } {
  return { seed: fuzzSeed, numRuns: runs(base), endOnFailure: true }
}

/** How to reproduce a run, for t.comment. */
export function seedLine (): string {
  return `seed ${fuzzSeed} (FUZZ_SEED=${fuzzSeed} reproduces it; FUZZ_SEED=random varies it)`
}

/** Counts of cases and of responses by status (and by any other key). */
export class Tally {
  cases = 0
  readonly statuses: Record<string, number> = {}
  readonly byKey: Record<string, Record<string, number>> = {}

  /** Records one response, under an optional key (e.g. its route template). */
  add (status: number, key?: string): void {
    this.cases++
    this.statuses[status] = (this.statuses[status] ?? 0) + 1
    if (key !== undefined) {
      const counts = this.byKey[key] ??= {}
      counts[status] = (counts[status] ?? 0) + 1
    }
  }

  /** One line: the cases and the count of each status. */
  summary (what: string): string {
    const counts = Object.entries(this.statuses).sort(([a], [b]) => Number(a) - Number(b)).map(([s, n]) => `${s}: ${n}`).join(', ')
    return `${this.cases} ${what}; statuses ${counts}`
  }
}

/**
 * Hostile values, each as it appears in a URL (already percent-encoded where that is the point).
 * The abuse tests send each on its own; the fuzzers mix them into requests.
 */
export const hostile = {
  traversal: ['..', '.', '../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2e%2e', '..%2f', '%2F', 'a%2Fb',
    '..%5c..%5cwindows', '%252e%252e%252f', '....//', '%c0%ae%c0%ae%2f'],
  badEncoding: ['%', '%2', '%zz', '%C3%28', '%FF', '%E2%82', '%ED%A0%80', '%C0%AF', '%00', '%u002e', 'a%', '%%41'],
  unicode: ['ü', 'İstanbul', 'ﬁ', '💥', '\u202etxt', 'ｃｏ-ｌｅａｒｎｉｎｇ', 'co\u200blearning', 'co-learning\u0000', '\uFEFF'],
  injection: ["' OR '1'='1", '1; DROP TABLE entities; --', "x' UNION SELECT sql FROM sqlite_master --", '<script>alert(1)</script>',
    '${jndi:ldap://127.0.0.1/a}', '{{7*7}}', '__proto__', 'constructor', 'prototype', 'toString', 'null', 'undefined', '[object Object]'],
  fts: ['"', '"unclosed', 'NEAR(', 'NEAR(trust team', 'NEAR(trust team, 99999999999)', '*', '**', 'trust*', '*trust', 'body:trust',
    'title:trust', 'text:(trust OR team)', '{title body}:trust', '^trust', '(', ')', '((trust)', 'trust)', 'trust AND', 'OR', 'NOT',
    'AND OR NOT', '-trust', '+trust', 'a:b:c', '"a" + "b"', 'rank:bm25', 'trust NEAR/3 team', "trust' OR 1=1 --", 'SELECT * FROM entities_fts'],
  numbers: ['-1', '0', '1.5', '1e3', '1e309', '0x10', '9'.repeat(30), 'NaN', 'Infinity', '-0', ' 1', '1 ', '+1', '', '00001',
    '2147483648', '9007199254740993', '1,2', 'true']
}

/** A percent-encoded form of any text (lone surrogates, which cannot be encoded, become U+FFFD). */
export function encode (text: string): string {
  return encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD'))
}

/**
 * `valid` requests use known values only (so handlers run); `edge` ones are valid but for one
 * query parameter with a wrong value (so each bad value meets an otherwise good request); `mixed`
 * ones mix in anything anywhere.
 */
type Mode = 'valid' | 'edge' | 'mixed'

type JsonSchema = {
  type?: string | string[]
  enum?: unknown[]
  anyOf?: JsonSchema[]
  pattern?: string
  minimum?: number
  maximum?: number
  maxLength?: number
  items?: JsonSchema
}

interface Parameter { name: string, in: string, required?: boolean, schema?: JsonSchema }

/** A documented GET operation, as the fuzzers see it. */
export interface FuzzOperation {
  /** OpenAPI path template, e.g. /v1/frameworks/{framework}/{version}. */
  template: string
  operationId: string
  path: Parameter[]
  query: Parameter[]
}

/** The GET operations of the app's OpenAPI document whose path `include` accepts. */
export function documentedOperations (app: FastifyInstance, include: (template: string) => boolean): FuzzOperation[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, { operationId?: string, parameters?: Array<Parameter | { $ref: string }> }>>, components?: { parameters?: Record<string, Parameter> } }
  // Repeated parameters are components, named by the last segment of their $ref.
  const resolve = (p: Parameter | { $ref: string }): Parameter => '$ref' in p ? doc.components?.parameters?.[p.$ref.split('/').pop() ?? ''] as Parameter : p
  return Object.entries(doc.paths).filter(([template]) => include(template)).flatMap(([template, methods]) => {
    const op = methods.get
    if (op === undefined) return []
    const parameters = (op.parameters ?? []).map(resolve)
    return [{
      template,
      operationId: op.operationId ?? template,
      path: parameters.filter((p) => p.in === 'path'),
      query: parameters.filter((p) => p.in === 'query')
    }]
  })
}

/** The literal values a schema allows (enum, or a union of literals), if it is a closed set. */
function closedSet (schema: JsonSchema | undefined): string[] | undefined {
  if (schema?.enum !== undefined) return schema.enum.map(String)
  if (schema?.anyOf?.every((s) => s.enum !== undefined) === true) return schema.anyOf.flatMap((s) => (s.enum ?? []).map(String))
  return undefined
}

/** The alternatives of a comma-list pattern such as ^(?:a|b)(?:,(?:a|b))*$. */
function commaAlternatives (pattern: string | undefined): string[] | undefined {
  const m = /^\^\(\?:([a-zA-Z0-9|]+)\)\(\?:,/.exec(pattern ?? '')
  return m?.[1]?.split('|')
}

/** Known-good values per parameter name (path and query), gathered from the running app. */
export type KnownValues = (operation: FuzzOperation, parameter: string) => readonly string[]

const hostileSegment = fc.constantFrom(...hostile.traversal, ...hostile.badEncoding, ...hostile.unicode.map(encode), ...hostile.injection.map(encode))
const printable = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&\'()*+,;=:@%/?#[] "<>\\^`{|}'), maxLength: 40 })

/** Near misses of a known value: case, hyphens, padding, truncation, doubling. */
function nearMiss (value: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    value.toUpperCase(), `${value}-`, `-${value}`, value.replace('-', '--'), `${value}%20`, `%20${value}`, value.slice(0, -1), `${value}${value}`,
    `${value}/`, `${value}.json`, `${value}%00`, `${value};x=1`, encode(value).replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)
  )
}

/** A path segment for a parameter: known values, near misses, hostile and random text, and lengths past every limit. */
function pathValue (known: readonly string[], mode: Mode): fc.Arbitrary<string> {
  const good = known.length === 0 ? undefined : fc.constantFrom(...known.map(encode))
  if (mode !== 'mixed' && good !== undefined) return good
  const options: Array<{ arbitrary: fc.Arbitrary<string>, weight: number }> = [
    { arbitrary: hostileSegment, weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(encode), weight: 1 },
    { arbitrary: printable.filter((s) => s !== '' && !s.includes('/') && !s.includes('?') && !s.includes('#')), weight: 1 },
    { arbitrary: fc.constantFrom('', 'a'.repeat(121), 'a'.repeat(300), 'x'.repeat(9000)), weight: 1 }
  ]
  if (good !== undefined) {
    options.push({ arbitrary: good, weight: 6 })
    options.push({ arbitrary: fc.constantFrom(...known).chain(nearMiss), weight: 3 })
  }
  return fc.oneof(...options)
}

/** Values of the wrong type or form for any parameter: hostile numbers and text, bad encodings, over-long text. */
const wrongValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...hostile.numbers), weight: 3 },
  fc.constantFrom(...hostile.fts, ...hostile.injection, ...hostile.unicode).map(encode),
  fc.constantFrom(...hostile.badEncoding, ...hostile.traversal),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encode),
  fc.constantFrom('x'.repeat(501), 'trust '.repeat(100))
)

/** A value for a query parameter: valid for its schema (in `valid` mode always), or a wrong one. */
function queryValue (schema: JsonSchema | undefined, known: readonly string[], mode: Mode = 'mixed'): fc.Arbitrary<string> {
  const valid: Array<fc.Arbitrary<string>> = []
  const set = closedSet(schema)
  const alternatives = commaAlternatives(schema?.pattern)
  if (set !== undefined) valid.push(fc.constantFrom(...set))
  else if (alternatives !== undefined) valid.push(fc.subarray(alternatives, { minLength: 1 }).map((xs) => xs.join(',')))
  else if (schema?.type === 'integer') valid.push(fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 200, 200) }).map(String))
  if (known.length > 0) valid.push(fc.constantFrom(...known))
  if (valid.length === 0) return wrongValue
  return mode === 'mixed' ? fc.oneof({ arbitrary: fc.oneof(...valid), weight: 3 }, { arbitrary: wrongValue, weight: 2 }) : fc.oneof(...valid)
}

const unknownName = fc.oneof(
  fc.constantFrom('limt', 'page', 'per_page', '__proto__', 'constructor', 'hasOwnProperty', 'a[b]', 'limit[]', 'q[]', '', '%zz', 'FORMAT', 'Limit', 'callback', 'jsonp'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).map(encode)
)

/** A query string for an operation: known names (some repeated), unknown names, empty values, or none at all. */
function queryString (op: FuzzOperation, known: KnownValues, mode: Mode): fc.Arbitrary<string> {
  const named = (p: Parameter): fc.Arbitrary<string> => queryValue(p.schema, known(op, p.name), mode).map((value) => `${p.name}=${value}`)
  const unknown = unknownName.chain((name) => queryValue(undefined, []).map((value) => `${name}=${value}`))
  const pair = op.query.length === 0
    ? (mode === 'mixed' ? unknown : fc.constant(''))
    : mode === 'mixed'
      ? fc.oneof(
        { arbitrary: fc.constantFrom(...op.query).chain(named), weight: 6 },
        { arbitrary: fc.constantFrom(...op.query).chain((p) => fc.constantFrom(p.name, `${p.name}=`)), weight: 1 },
        { arbitrary: unknown, weight: 1 }
      )
      : fc.constantFrom(...op.query).chain(named)
  // Required parameters usually come along, so most requests get past validation.
  const required = op.query.filter((p) => p.required === true)
  const base = fc.tuple(...required.map(named))
  const pairs = mode === 'mixed' ? fc.array(pair, { maxLength: 4 }) : fc.uniqueArray(pair, { maxLength: 2, selector: (p) => p.split('=')[0] })
  const bad = mode === 'edge' && op.query.length > 0 ? fc.constantFrom(...op.query).chain((p) => wrongValue.map((v) => `${p.name}=${v}`)) : fc.constant('')
  return fc.tuple(fc.boolean(), base, pairs, bad, fc.constantFrom('', '', '', '&', '&&', '#frag'))
    .map(([keepRequired, req, extra, wrong, tail]) => {
      // The wrong value replaces a good one of the same name, so it is not merely a repeat.
      const wrongName = wrong.split('=')[0]
      const all = [...(keepRequired || mode !== 'mixed' ? req : []), ...extra].filter((p) => p !== '' && (wrong === '' || p.split('=')[0] !== wrongName))
      if (wrong !== '') all.push(wrong)
      return all.length === 0 ? (tail === '&' ? '?' : '') : `?${all.join('&')}${mode === 'mixed' ? tail : ''}`
    })
}

const mediaTypes = ['application/json', 'application/ld+json', 'text/csv', 'application/problem+json', 'application/vnd.case+json', 'text/html',
  'text/plain', 'image/png', 'application/xml', '*/*', 'application/*', 'text/*', 'application/graphql-response+json']

/** Accept headers: real media types with q-values and parameters, wildcards, lists and garbage. */
export const acceptHeader: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom(...mediaTypes), fc.constantFrom('', ';q=0', ';q=0.5', ';q=1', ';q=1.0001', ';q=-1', ';q=abc', ';q=', ';Q=0.9',
    ';profile="https://schema.org/"', ';charset=utf-8', ';level=1;q=0.2')).map(([m, p]) => `${m}${p}`), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(', ')),
  fc.constantFrom('', '*', '/', ',,,', ';;', 'application', 'application/', '/json', 'a/b/c', 'application/json;q', 'text/csv;q=0, */*;q=0', '*/*;q=0'),
  printable
)

/** Accept-Encoding headers, valid and not. */
export const acceptEncodingHeader: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom('br', 'gzip', 'deflate', 'identity', '*', 'zstd', 'compress', 'x-gzip'), fc.constantFrom('', ';q=0', ';q=0.5', ';q=1', ';q=x')).map(([e, q]) => `${e}${q}`), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(', ')),
  fc.constantFrom('', 'identity;q=0, *;q=0', 'gzip;q=0, br;q=0', ',', ';'),
  printable
)

/**
 * If-None-Match headers; `seen` is a pool of ETags the server has sent, drawn at send time so a
 * match (and so a 304) is possible.
 */
const ifNoneMatchHeader: fc.Arbitrary<string | { seen: number, weak: boolean, list: boolean }> = fc.oneof(
  fc.constantFrom('*', '"x"', 'W/"x"', '"a", "b"', 'W/', '""', '"', 'W/"', 'garbage', ',', '*, "x"', '"' + 'f'.repeat(2000) + '"'),
  printable,
  fc.record({ seen: fc.nat(), weak: fc.boolean(), list: fc.boolean() })
)

/** One fuzzed request, before the ETag pool is consulted. */
export interface FuzzCase {
  template: string
  method: 'GET' | 'HEAD'
  url: string
  headers: Record<string, string | { seen: number, weak: boolean, list: boolean }>
}

/** Requests for the given operations: path and query from each operation's parameters, random headers. */
export function fuzzRequests (operations: readonly FuzzOperation[], known: KnownValues): fc.Arbitrary<FuzzCase> {
  return fc.tuple(fc.constantFrom(...operations), fc.constantFrom<Mode>('valid', 'edge', 'mixed', 'mixed')).chain(([op, mode]) => {
    const segments = op.template.split('/').map((part) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1]
      if (name === undefined) return fc.constant(part)
      const param = op.path.find((p) => p.name === name)
      return pathValue([...(closedSet(param?.schema) ?? []), ...known(op, name)], mode)
    })
    // Now and then a literal segment is misspelt or an extra segment added: the routes next door must answer as well.
    const path = fc.tuple(...segments).chain((parts) => mode !== 'mixed' ? fc.constant(parts.join('/')) : fc.oneof(
      { arbitrary: fc.constant(parts.join('/')), weight: 12 },
      { arbitrary: fc.constantFrom(`${parts.join('/')}/`, `${parts.join('/')}/extra`, parts.join('//'), parts.join('/').toUpperCase(), parts.join('/').replace(/[a-z]$/, '')), weight: 1 }
    ))
    return fc.record({
      template: fc.constant(op.template),
      method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD') as fc.Arbitrary<'GET' | 'HEAD'>,
      url: fc.tuple(path, queryString(op, known, mode)).map(([p, q]) => `${p}${q}`),
      headers: mode !== 'mixed'
        ? fc.record({ accept: fc.constantFrom('application/json', '*/*', 'application/*', 'application/json;q=0.9, */*;q=0.1'), 'accept-encoding': fc.constantFrom('br', 'gzip', 'gzip, deflate, br', 'identity') }, { requiredKeys: [] })
        : fc.record({ accept: acceptHeader, 'accept-encoding': acceptEncodingHeader, 'if-none-match': ifNoneMatchHeader }, { requiredKeys: [] })
    })
  })
}

/** Sends a fuzz case; ETags from earlier responses fill `seen` If-None-Match values. Returns the headers as sent. */
export async function sendCase (app: FastifyInstance, c: FuzzCase, etags: string[]): Promise<{ res: LightMyRequestResponse, headers: Record<string, string> }> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(c.headers)) {
    if (typeof value === 'string') headers[name] = value
    else if (etags.length > 0) {
      const etag = etags[value.seen % etags.length]!
      const tag = value.weak ? `W/${etag}` : etag
      headers[name] = value.list ? `"other", ${tag}` : tag
    } else headers[name] = '*'
  }
  const res = await app.inject({ method: c.method, url: c.url, headers })
  const etag = res.headers.etag
  if (typeof etag === 'string' && etags.length < 500 && !etags.includes(etag)) etags.push(etag)
  return { res, headers }
}

/**
 * The revalidation property: a 200 with an ETag, asked again with that ETag in If-None-Match,
 * is a 304 with the same ETag. Returns what is wrong (nothing when it holds, or when there is no ETag).
 */
export async function revalidate (app: FastifyInstance, c: FuzzCase, headers: Record<string, string>, res: LightMyRequestResponse, tally: Tally): Promise<string[]> {
  const etag = res.headers.etag
  if (res.statusCode !== 200 || typeof etag !== 'string') return []
  const again = await app.inject({ method: c.method, url: c.url, headers: { ...headers, 'if-none-match': etag } })
  tally.add(again.statusCode, c.template)
  if (again.statusCode !== 304) return [`revalidation with ${etag} answered ${again.statusCode}`]
  if (again.headers.etag !== etag) return [`304 carries ETag ${String(again.headers.etag)}, not ${etag}`]
  return again.body === '' ? [] : ['304 with a body']
}

/** The body as text, decoded from br or gzip when the response is content-coded. */
export function decodedBody (res: LightMyRequestResponse): string {
  const encoding = res.headers['content-encoding']
  if (encoding === 'br') return brotliDecompressSync(res.rawPayload).toString()
  if (encoding === 'gzip') return gunzipSync(res.rawPayload).toString()
  return res.body
}

/** Signs of internals in a body: stack frames, file paths, Node or SQLite error names. */
const internals = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/src\/|\.ts:\d+|\.js:\d+:\d+|SqliteError|SQLITE_(?:ERROR|MISUSE|RANGE|BUSY|READONLY|CORRUPT|IOERR|CONSTRAINT)\b|TypeError|ReferenceError|RangeError|Cannot read propert/

/** What is wrong with a body as an error a client may see: internals leaked. */
export function leaks (body: string): string[] {
  const m = internals.exec(body)
  return m === null ? [] : [`leaks internals: …${body.slice(Math.max(0, m.index - 40), m.index + 60)}…`]
}

/** Everything wrong with a REST error response: not problem+json, not the Problem schema, status mismatch, leaks. */
export function problemViolations (res: LightMyRequestResponse, method = 'GET'): string[] {
  const out: string[] = []
  const type = String(res.headers['content-type'] ?? '')
  if (!type.startsWith('application/problem+json')) out.push(`content-type is ${type || 'missing'}`)
  if (method === 'HEAD') return out
  let body: unknown
  try {
    body = JSON.parse(decodedBody(res))
  } catch {
    return [...out, `body is not JSON: ${res.body.slice(0, 200)}`]
  }
  out.push(...validateComponent('Problem', body).map((e) => `Problem schema: ${e}`))
  if ((body as { status?: unknown }).status !== res.statusCode) out.push(`body status ${String((body as { status?: unknown }).status)} ≠ HTTP ${res.statusCode}`)
  out.push(...leaks(res.body))
  return out
}

/** Whether a path template belongs to a CASE provider, whose errors are imsx_StatusInfo. */
export const isCase = (template: string): boolean => template.startsWith('/ims/case/')

/** What is wrong with a CASE error: not JSON, not the operation's documented imsx_StatusInfo, or leaking. */
export function statusInfoViolations (template: string) {
  const responses = document.paths[template]?.get?.responses ?? {}
  return (res: LightMyRequestResponse, method: string): string[] => {
    if (method === 'HEAD') return []
    const response = responses[String(res.statusCode)] ?? responses['400']
    const schema = (response === undefined ? undefined : resolved(response))?.content?.['application/json']?.schema
    if (schema === undefined) return [`${template} documents no failure schema`]
    let body: unknown
    try {
      body = JSON.parse(decodedBody(res))
    } catch {
      return [`body is not JSON: ${res.body.slice(0, 200)}`]
    }
    return [...validate(schema, body).map((e) => `imsx_StatusInfo: ${e}`), ...leaks(res.body)]
  }
}

/**
 * The error check for a URL as the server saw it (dot segments resolved): under a CASE provider's
 * prefix its imsx_StatusInfo (checked against an operation of that provider), anywhere else (a
 * mangled path such as //ims//case) problem+json.
 */
export function errorCheckFor (operations: readonly FuzzOperation[]) {
  const providers = [...new Set(operations.filter((op) => isCase(op.template)).map((op) => /^\/ims\/case\/[^/]+/.exec(op.template)![0]))]
    .map((prefix) => ({ prefix, check: statusInfoViolations(operations.find((op) => op.template.startsWith(`${prefix}/`))!.template) }))
  return (url: string) => providers.find(({ prefix }) => url.startsWith(prefix) && /^(?:[/?#]|$)/.test(url.slice(prefix.length)))?.check ?? problemViolations
}

/** Everything wrong with a response to a fuzzed REST request (empty when it is fine). */
export function restViolations (res: LightMyRequestResponse, method: string, errorCheck: (res: LightMyRequestResponse, method: string) => string[] = problemViolations): string[] {
  if (res.statusCode >= 500) return [`server error ${res.statusCode}: ${res.body.slice(0, 300)}`]
  if (res.statusCode >= 400) return errorCheck(res, method)
  if (res.statusCode === 304 || method === 'HEAD') return res.body === '' ? [] : [`${res.statusCode} to ${method} has a body`]
  if (res.statusCode >= 300) return typeof res.headers.location === 'string' ? [] : [`${res.statusCode} without Location`]
  const type = String(res.headers['content-type'] ?? '')
  if (type === '') return ['2xx without Content-Type']
  if (/json/.test(type)) {
    try {
      JSON.parse(decodedBody(res))
    } catch {
      return [`${type} body is not JSON`]
    }
  }
  return []
}

/** Readiness after a run: 200 and every check passing. */
export async function healthy (app: FastifyInstance): Promise<{ status: number, body: unknown }> {
  const res = await app.inject('/health/ready')
  return { status: res.statusCode, body: res.json() }
}
