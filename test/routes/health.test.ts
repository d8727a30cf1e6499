import t from 'tap'
import { buildApp } from '../helpers/app.js'

t.test('GET /health lists the loaded frameworks and versions', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const res = await app.inject('/health')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', frameworks: [{ id: 'isp', latest: '1.2', versions: ['1.2', '1.1'] }] })
})
