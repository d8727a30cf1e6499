/**
 * The LMS files of a version as GraphQL's `FrameworkVersion.lmsFiles` and REST's version
 * `lmsFiles` link them: the same list in both, on the public base URL, and each link downloads
 * the file under the name given.
 */
import t from 'tap'
import { buildApp } from '../helpers/app.js'
import { contract } from '../helpers/contract.js'
import { gql } from '../helpers/graphql.js'

const app = await buildApp(t, { fixtures: true, env: { PUBLIC_URL: 'https://competencies.example.org' } })
const inject = contract(t, app)
const base = 'https://competencies.example.org'

interface LmsFile { format: string, name: string, mediaType: string, fileName: string, href: string }

const query = `query ($number: String!) { framework(id: "isp") { version(number: $number) { number lmsFiles { format name mediaType fileName href } } } }`

for (const number of ['1.1', '1.2', 'latest']) {
  t.test(`isp ${number}: REST and GraphQL link the same files, and each link downloads its file`, async (t) => {
    const graph = await gql(app, query, { variables: { number } })
    t.same(graph.body.errors, undefined)
    const version = (graph.body.data!.framework as { version: { number: string, lmsFiles: LmsFile[] } }).version
    const res = await inject(`/v1/frameworks/isp/${number}`)
    t.equal(res.statusCode, 200)
    const restFiles = res.json<{ lmsFiles: LmsFile[] }>().lmsFiles
    t.same(version.lmsFiles, restFiles, 'parity')
    t.same(restFiles.map((f) => f.format), ['moodle', 'canvas', 'openedx', 'openedx-json'])
    const pinned = version.number
    t.same(restFiles.map((f) => f.fileName), ['moodle.csv', 'canvas.csv', 'openedx.csv', 'openedx.json'].map((s) => `isp-${pinned}-${s}`))
    for (const file of restFiles) {
      t.equal(file.href, `${base}/v1/frameworks/isp/${pinned}/export?format=${file.format}`, `${file.format}: pinned, on the public URL`)
      const download = await app.inject(file.href.slice(base.length))
      t.equal(download.statusCode, 200, file.format)
      t.equal(download.headers['content-disposition'], `attachment; filename="${file.fileName}"`)
      t.match(download.headers['content-type'], new RegExp(`^${file.mediaType.replace('/', '\\/')}`))
      t.equal(download.headers['cache-control'], 'public, max-age=31536000, immutable')
    }
  })
}

t.test('the version resource in openapi.yaml describes lmsFiles (the contract check validates each response above)', async (t) => {
  const spec = app.swagger() as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }
  t.ok(spec.components.schemas.Version?.properties?.lmsFiles)
  t.ok(spec.components.schemas.LmsFile)
})
