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
