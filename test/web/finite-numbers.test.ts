/** Numeric query parameters that would coerce to an infinite number are a 400, not a 5xx. */
import t from 'tap'
import { buildApp } from '../helpers/app.js'

t.test('1e309, -1e309 and Infinity in numeric query parameters: 400 naming the parameter', async (t) => {
  const app = await buildApp(t)
  for (const [url, name] of [
    ['/v1/frameworks/isp/1.1/competencies?offset=1e309', 'offset'],
    ['/v1/frameworks/isp/1.1/activities?limit=Infinity', 'limit'],
    ['/v1/frameworks/isp/1.1/competencies?offset=-1e309', 'offset'],
    ['/v1/search?q=trust&offset=1e400', 'offset'],
    ['/v1/frameworks?limit=2&limit=1e309', 'limit']
  ] as const) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.json(), { type: 'http://localhost:3000/problems/invalid-parameter', errors: [{ in: 'query', name }] }, url)
  }
  for (const url of ['/ims/case/v1p1/CFDocuments?limit=1e309', '/ims/case/v1p0/CFDocuments?offset=Infinity']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { imsx_codeMajor: 'failure', imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldValue: 'invalid_selection_field' }] } })
  }
  t.equal((await app.inject('/v1/frameworks/isp/1.1/competencies?limit=1e1')).json().meta.limit, 10, 'a finite number in exponent form is still a number')
  t.equal((await app.inject('/v1/search?q=Infinity')).statusCode, 200, 'text parameters may say Infinity')
})
