/**
 * The interoperability examples: every curl example in docs/interoperability.md, and in the
 * README's CASE and JSON-LD sections, answers 200 in the media type it asks for, and the guide's
 * JSON-LD and alignment examples are what the service sends.
 */
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { buildApp } from '../helpers/app.js'

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const guide = read('docs/interoperability.md')
const readme = read('README.md')
const base = 'http://localhost:3000'

/** The section under the `## ` heading that starts with `title`, up to the next one. */
function section (markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}`)
  if (start < 0) throw new Error(`no section ${title}`)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

interface Example { url: string, accept?: string }

/** The curl commands of the text's sh blocks: their URL and Accept header. */
function curls (text: string): Example[] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
  return blocks.flatMap((b) => b.split('\n')).filter((line) => line.startsWith('curl ')).map((line) => {
    const url = /'?(http:\/\/localhost:3000[^\s']+)'?/.exec(line)?.[1]
    if (url === undefined) throw new Error(`no URL in ${line}`)
    const accept = /-H '[Aa]ccept: ([^']+)'/.exec(line)?.[1]
    return { url, ...(accept === undefined ? {} : { accept }) }
  })
}

/** Requests every example; checks 200 and the media type; returns the JSON bodies. */
async function answers (t: Test, app: Awaited<ReturnType<typeof buildApp>>, examples: Example[]): Promise<unknown[]> {
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
  return bodies
}

t.test('every curl example in docs/interoperability.md answers 200', async (t) => {
  const app = await buildApp(t)
  const examples = curls(guide)
  t.ok(examples.length >= 12, `${examples.length} examples`)
  const bodies = await answers(t, app, examples)
  const shown = [...guide.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>)
    .filter((doc) => '@context' in doc || doc.targetType === 'CFItem')
  t.equal(shown.length, 2, 'a JSON-LD and an alignment example')
  for (const doc of shown) t.ok(bodies.some((b) => isDeepStrictEqual(b, doc)), `${JSON.stringify(doc).slice(0, 60)}… is a response`)
})

t.test("every curl example in the README's CASE and JSON-LD sections answers 200", async (t) => {
  const app = await buildApp(t)
  const examples = [...curls(section(readme, 'CASE')), ...curls(section(readme, 'JSON-LD'))]
  t.ok(examples.length >= 8, `${examples.length} examples`)
  await answers(t, app, examples)
})
