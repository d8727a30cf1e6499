/**
 * The README's "Interoperability formats" section: every curl example answers 200 in the media
 * type it asks for, and its JSON-LD and alignment examples are what the service sends.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { buildApp } from '../helpers/app.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const start = readme.indexOf('## Interoperability formats')
const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
const base = 'http://localhost:3000'

interface Example { url: string, accept?: string }

/** The curl commands of the section's sh blocks: their URL and Accept header. */
function curls (): Example[] {
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
  return blocks.flatMap((b) => b.split('\n')).filter((line) => line.startsWith('curl ')).map((line) => {
    const url = /'?(http:\/\/localhost:3000[^\s']+)'?/.exec(line)?.[1]
    if (url === undefined) throw new Error(`no URL in ${line}`)
    const accept = /-H '[Aa]ccept: ([^']+)'/.exec(line)?.[1]
    return { url, ...(accept === undefined ? {} : { accept }) }
  })
}

t.test('every curl example in the formats section answers 200', async (t) => {
  const app = await buildApp(t)
  const examples = curls()
  t.ok(examples.length >= 12, `${examples.length} examples`)
  const bodies: unknown[] = []
  for (const { url, accept } of examples) {
    const res = await app.inject({ url: url.slice(base.length), headers: accept === undefined ? {} : { accept } })
    t.equal(res.statusCode, 200, `${accept === undefined ? '' : `${accept} `}${url}`)
    const type = String(res.headers['content-type'])
    if (accept !== undefined) t.ok(type.startsWith(accept.split(';')[0]!), `${url}: ${type}`)
    if (url.includes('format=csv')) t.match(type, /^text\/csv/)
    if (url.includes('format=jsonld') || url.includes('profile=')) t.match(type, /^application\/ld\+json/)
    if (type.includes('json')) bodies.push(res.json())
  }
  const shown = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>)
    .filter((doc) => '@context' in doc || doc.targetType === 'CFItem')
  t.equal(shown.length, 2, 'a JSON-LD and an alignment example')
  for (const doc of shown) t.ok(bodies.some((b) => isDeepStrictEqual(b, doc)), `${JSON.stringify(doc).slice(0, 60)}… is a response`)
})
