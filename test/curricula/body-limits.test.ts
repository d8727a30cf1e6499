/** Request-size limits on the curricula API: each a 413 problem that names the limit in bytes. */
import t from 'tap'
import { auth, curriculaFixture } from '../helpers/curricula.js'

t.test('a JSON write past BODY_LIMIT and a CSV import past CURRICULA_IMPORT_LIMIT are 413s naming their limits', async (t) => {
  const f = await curriculaFixture(t, 'sqlite', { BODY_LIMIT: '2048', CURRICULA_IMPORT_LIMIT: '8192' })
  if (f === undefined) return
  const { app, keys } = f
  const big = await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.a), payload: { name: 'x'.repeat(3000), framework: 'isp', version: '1.1' } })
  t.equal(big.statusCode, 413)
  t.match(big.headers['content-type'], /application\/problem\+json/)
  t.match(big.json(), { status: 413, detail: 'The request body is larger than the 2048 bytes this route accepts.', errors: [{ in: 'body', message: 'at most 2048 bytes' }] })

  const created = await app.inject({ method: 'POST', url: '/v1/curricula', headers: auth(keys.a), payload: { name: 'Programme', framework: 'isp', version: '1.1' } })
  t.equal(created.statusCode, 201)
  const id = created.json().id as string
  const csv = (rows: number) => ['code,title,alignments', ...Array.from({ length: rows }, (_, i) => `C${String(i).padStart(3, '0')},Course number ${i},C01:I`)].join('\n')
  const post = (body: string) => app.inject({ method: 'POST', url: `/v1/curricula/${id}/courses:import`, headers: auth(keys.a, { 'content-type': 'text/csv' }), payload: body })

  const fits = csv(100)
  t.ok(fits.length > 2048 && fits.length < 8192, 'the import is larger than BODY_LIMIT and within CURRICULA_IMPORT_LIMIT')
  const ok = await post(fits)
  t.equal(ok.statusCode, 200, 'an import may be larger than BODY_LIMIT')
  t.equal(ok.json().created.length, 100)

  const tooBig = await post(csv(400))
  t.equal(tooBig.statusCode, 413)
  t.match(tooBig.json(), { detail: 'The request body is larger than the 8192 bytes this route accepts.' })
  t.equal((await app.inject({ method: 'GET', url: `/v1/curricula/${id}/courses?limit=1`, headers: auth(keys.a) })).json().meta.total, 100, 'nothing of the refused import was applied')
})
