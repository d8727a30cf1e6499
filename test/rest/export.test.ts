/** The export is the seed folder as one document, with an RFC 9530 Content-Digest. */
import t from 'tap'
import { createHash } from 'node:crypto'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { seedFiles } from '../../src/content/schema.js'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { readSeeds } from '../helpers/seeds.js'

if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (value) => URL.canParse(value))

const app = await buildApp(t, { fixtures: true })
const inject = contract(t, app)

for (const version of ['1.1', '1.2'] as const) {
  t.test(`isp ${version}: the export equals the seed files`, async (t) => {
    const res = await inject(`/v1/frameworks/isp/${version}/export`)
    t.equal(res.statusCode, 200)
    const body = res.json()
    const seed = readSeeds(version)
    t.same(Object.keys(body), Object.keys(seedFiles).map((f) => f.replace('.json', '')))
    for (const [name, value] of Object.entries(seed)) {
      t.strictSame(body[name], value, `${name} is ${name}.json`)
      const check = TypeCompiler.Compile(seedFiles[`${name}.json` as keyof typeof seedFiles] as TSchema)
      t.ok(check.Check(body[name]), `${name} passes the seed schema`)
    }
    t.equal(res.headers['content-digest'], `sha-256=:${createHash('sha256').update(res.rawPayload).digest('base64')}:`)
    t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  })
}

t.test('digests differ between versions and repeat for the same bytes', async (t) => {
  const a = await inject('/v1/frameworks/isp/1.1/export')
  const b = await inject('/v1/frameworks/isp/1.2/export')
  const again = await inject('/v1/frameworks/isp/1.1/export')
  t.not(a.headers['content-digest'], b.headers['content-digest'])
  t.equal(again.headers['content-digest'], a.headers['content-digest'])
  const head = await inject({ method: 'HEAD', url: '/v1/frameworks/isp/1.1/export' })
  t.equal(head.headers['content-digest'], a.headers['content-digest'], 'HEAD carries the digest of the GET body')
})

t.test('downloads are saved under a name of framework, version and format (Content-Disposition)', async (t) => {
  const cases: Array<[string, string]> = [
    ['/v1/frameworks/isp/1.1/export', 'isp-1.1.json'],
    ['/v1/frameworks/isp/1.1/export?format=csv', 'isp-1.1.csv'],
    ['/v1/frameworks/isp/latest/export?format=csv', 'isp-1.2.csv']
  ]
  for (const [url, name] of cases) {
    const res = await inject(url)
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['content-disposition'], `attachment; filename="${name}"`, url)
    const notModified = await app.inject({ url, headers: { 'if-none-match': String(res.headers.etag) } })
    t.equal(notModified.statusCode, 304)
    t.notOk(notModified.headers['content-disposition'], 'a 304 has no body to name')
  }
  t.notOk((await inject('/v1/frameworks/isp/1.1')).headers['content-disposition'], 'other resources are not downloads')
})
