/** The coverage page for people: the form, the report for a posted key, errors as pages, the key kept out of URLs and logs. */
import t from 'tap'
import { createKey } from '../../src/curricula/keys.js'
import { auth, curriculaFixture } from '../helpers/curricula.js'
import { exampleCurriculum } from '../helpers/coverage.js'
import { buildAppWithLogs } from '../helpers/logs.js'

const form = (fields: Record<string, string>): { headers: Record<string, string>, payload: string } =>
  ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() })

t.test('sqlite: the form, the report, the errors', async (t) => {
  const f = await curriculaFixture(t, 'sqlite')
  if (f === undefined) return
  const { app, keys } = f
  const id = await exampleCurriculum(app, keys.a)

  const empty = await app.inject({ method: 'GET', url: `/curricula/coverage?curriculum=${id}` })
  t.equal(empty.statusCode, 200)
  t.match(empty.headers['content-type'], /^text\/html/)
  t.match(empty.headers['content-security-policy'], /script-src 'self'/, 'the pages\' policy')
  t.match(empty.body, /<form class="course-form" action="\/curricula\/coverage" method="post">/, 'the key is posted, never put in the address')
  t.match(empty.body, new RegExp(`name="curriculum" value="${id}"`), 'the id is filled in from the address')
  t.match(empty.body, /type="password" id="key" name="key"/)

  const res = await app.inject({ method: 'POST', url: '/curricula/coverage', ...form({ curriculum: id, key: keys.aRead }) })
  t.equal(res.statusCode, 200, 'a read key shows the report')
  t.equal(res.headers['cache-control'], 'no-store')
  t.match(res.body, /<h1>Coverage: MSc Implementation Practice<\/h1>/)
  t.match(res.body, /5 of 15 competencies are covered, 2 mastered somewhere; 4 of 115 key activities/)
  t.equal((res.body.match(/<svg /g) ?? []).length, 1, 'one heatmap for four courses')
  t.match(res.body, /<svg [^>]*role="img" aria-labelledby="hm0-title hm0-desc"/)
  t.equal((res.body.match(/<rect [^>]*><title>C\d\d × IS\d01: /g) ?? []).length, 60, 'a labelled cell per competency × course')
  t.match(res.body, /Competencies no course touches \(10\)/)
  t.match(res.body, /href="\/explore\/isp\/1\.1\/competencies\/addressing-power-differentials"><span class="code">C03<\/span> Addressing power differentials<\/a>/)
  t.match(res.body, /Competencies introduced but never mastered \(3\)/)
  t.match(res.body, /Courses aligned to nothing \(1\)<\/h3>\n<ul><li><span class="code">IS401<\/span> Elective, optional<\/li>/)
  t.match(res.body, /<th scope="row">D1 Co-creation and engagement<\/th><td>3 of 5 \(60%\)<\/td><td>2<\/td><td>2<\/td><td>2<\/td><td>3 of 33 \(9%\)<\/td><td>0<\/td><td>2<\/td><td>1<\/td>/)
  t.notMatch(res.body, new RegExp(keys.aRead), 'the key is not echoed')

  const activities = await app.inject({ method: 'POST', url: '/curricula/coverage', ...form({ curriculum: id, key: keys.aRead, activities: '1' }) })
  t.equal((activities.body.match(/<rect [^>]*><title>C\d\d(\.A\d\d)? × IS\d01: /g) ?? []).length, 130 * 4, 'with key activities')

  const header = await app.inject({ method: 'GET', url: `/curricula/coverage?curriculum=${id}`, headers: auth(keys.a) })
  t.equal(header.statusCode, 200, 'a tool may send the key in Authorization')
  t.match(header.body, /<h1>Coverage: MSc Implementation Practice<\/h1>/)

  for (const [fields, status, message] of [
    [{ curriculum: id, key: 'nonsense' }, 401, /The API key is not valid/],
    [{ curriculum: id }, 401, /The API key is not valid/],
    [{ curriculum: 'not-a-uuid', key: keys.a }, 400, /The curriculum id is a UUID/],
    [{ curriculum: id, key: keys.b }, 404, /Your institution has no curriculum with that id/]
  ] as const) {
    const bad = await app.inject({ method: 'POST', url: '/curricula/coverage', ...form(fields) })
    t.equal(bad.statusCode, status, `${JSON.stringify(Object.keys(fields))} → ${status}`)
    t.match(bad.headers['content-type'], /^text\/html/)
    t.match(bad.body, message)
    t.match(bad.body, /<form class="course-form"/, 'with the form to try again')
    t.equal(bad.headers['cache-control'], 'no-store')
  }
  const large = await app.inject({ method: 'POST', url: '/curricula/coverage', ...form({ curriculum: id, key: 'x'.repeat(5000) }) })
  t.equal(large.statusCode, 413, 'a form body is small')
  t.match(large.headers['content-type'], /^text\/html/)
})

t.test('the posted key appears in no log line', async (t) => {
  const { app, lines } = await buildAppWithLogs(t)
  const institution = await app.curricula.createInstitution('Logged University')
  const { key } = await createKey(app.curricula, institution.id, 'read')
  await app.inject({ method: 'POST', url: '/curricula/coverage', ...form({ curriculum: '0b6f1c1e-8d1f-4a47-9c39-5d0f3f6e2a10', key }) })
  await app.inject({ method: 'GET', url: '/curricula/coverage?curriculum=0b6f1c1e-8d1f-4a47-9c39-5d0f3f6e2a10', headers: auth(key) })
  t.ok(lines.some((l) => l.msg === 'request completed'), 'requests are logged')
  t.notOk(lines.some((l) => JSON.stringify(l).includes(key)), 'but never the key')
})
