/**
 * The explorer's and the picker's routes through app.inject: pages, redirects for `latest` and
 * the switcher, ETag/304 and caching, HTML errors, /uri/{uuid} for browsers, security headers.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../../src/paths.js'
import { buildApp } from '../helpers/app.js'

const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

t.test('explorer pages', async (t) => {
  const app = await buildApp(t, { fixtures: true })
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers })

  t.test('every page type renders from the content', async (t) => {
    const pages: Array<[string, RegExp]> = [
      ['/', /<h1>A Practice Guide to Supporting Implementation/],
      ['/explore/isp/1.1', /href="\/explore\/isp\/1\.1\/competencies\/co-learning"/],
      ['/explore/isp/1.1/principles/be-empathetic', /<h1><span class="code">P1<\/span>/],
      ['/explore/isp/1.1/domains/co-creation-and-engagement', /<h1><span class="code">D1<\/span>/],
      ['/explore/isp/1.1/competencies/co-learning', /Key activities[\s\S]*id="C01\.A01"[\s\S]*Helpful hint[\s\S]*Use this in your system/],
      ['/explore/isp/1.1/definitions', /<dl class="glossary">/],
      ['/explore/isp/1.1/questions', /<ol class="questions">/],
      ['/explore/isp/1.1/dilemmas', /<ol class="dilemmas">/],
      ['/explore/isp/1.1/resources', /<ul class="resources">/],
      ['/explore/isp/1.2/search?q=trust', /<mark>[Tt]rust/],
      ['/explore/isp/1.2/changes', /Changes from version 1\.1 to 1\.2[\s\S]*<(ins|del)>/]
    ]
    for (const [url, body] of pages) {
      const res = await get(url)
      t.equal(res.statusCode, 200, `${url} is 200`)
      t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
      t.match(res.body, body, `${url} shows its content`)
      t.match(res.headers['content-security-policy'], /script-src 'self'/, `${url} has the pages' CSP`)
    }
  })

  t.test('the competency page: verbatim text, identifiers, alignment', async (t) => {
    const c = (await get('/v1/frameworks/isp/1.1/competencies/co-learning')).json()
    const page = (await get('/explore/isp/1.1/competencies/co-learning')).body
    t.ok(page.includes(c.uuid) && page.includes(c.uri), 'uuid and permanent URI')
    t.ok(page.includes(`${c.href}?format=jsonld`) && page.includes('/ims/case/v1p1/CFItems/'), 'JSON-LD and CASE links')
    const alignment = (await get('/v1/frameworks/isp/1.1/competencies/co-learning/alignment')).json()
    t.ok(page.includes(JSON.stringify(alignment, null, 2).replaceAll('"', '&quot;')), 'the OB3 alignment, as the REST route gives it')
    for (const a of c.activities) t.ok(page.includes(`id="${a.code}"`), `activity ${a.code} has its anchor`)
  })

  t.test('caching: strong ETag, 304, immutable for pinned, short for the home page', async (t) => {
    const res = await get('/explore/isp/1.1/competencies/co-learning')
    t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
    t.match(res.headers.etag, /^"[\w-]+"$/)
    const again = await get('/explore/isp/1.1/competencies/co-learning', { 'if-none-match': String(res.headers.etag) })
    t.equal(again.statusCode, 304)
    const br = await get('/explore/isp/1.1/competencies/co-learning', { 'accept-encoding': 'br' })
    t.equal(br.headers['content-encoding'], 'br', 'compressed when asked')
    t.equal((await get('/')).headers['cache-control'], 'public, max-age=300')
  })

  t.test('latest, the switcher and activities redirect', async (t) => {
    let res = await get('/explore/isp/latest/competencies/co-learning')
    t.equal(res.statusCode, 302)
    t.equal(res.headers.location, '/explore/isp/1.2/competencies/co-learning')
    res = await get('/explore/isp/latest/search?q=trust')
    t.equal(res.headers.location, '/explore/isp/1.2/search?q=trust', 'the query is kept')
    t.equal((await get('/explore/isp')).headers.location, '/explore/isp/1.2')
    t.equal((await get('/explore')).headers.location, '/')
    res = await get('/explore/isp/switch?version=1.1&page=/competencies/co-learning')
    t.equal(res.statusCode, 303)
    t.equal(res.headers.location, '/explore/isp/1.1/competencies/co-learning')
    t.equal((await get('/explore/isp/switch?version=1.1&page=//evil.example')).headers.location, '/explore/isp/1.1', 'a page that is not a path of the explorer is dropped')
    res = await get('/explore/isp/1.1/activities/co-learning-a2')
    t.equal(res.statusCode, 301)
    t.equal(res.headers.location, '/explore/isp/1.1/competencies/co-learning#C01.A02')
    t.equal((await get('/explore/isp/1.1/hints/co-learning-hint')).headers.location, '/explore/isp/1.1/competencies/co-learning#C01.H')
  })

  t.test('errors are HTML pages with a 4xx', async (t) => {
    for (const url of ['/explore/isp/9.9', '/explore/nope/1.1', '/explore/isp/1.1/competencies/nope', '/explore/isp/1.1/nope',
      '/explore/isp/1.1/widgets/x', '/explore/isp/1.1/activities/nope', '/explore/isp/1.1/changes?from=7', '/explore/ISP/1.1', '/explore/isp/1.1/competencies/Bad_Id']) {
      const res = await get(url)
      t.equal(res.statusCode, 404, `${url} is 404`)
      t.match(res.headers['content-type'], /^text\/html/)
      t.match(res.body, /<h1>Page not found<\/h1>/)
    }
    const res = await get('/explore/isp/1.2/search?q=%22')
    t.equal(res.statusCode, 400, 'a search FTS5 cannot parse is a 400')
    t.match(res.body, /The search could not be run/)
    t.notMatch((await get('/explore/isp/1.2/search?q=%3Cscript%3E')).body, /<script>/, 'the query is escaped')
    t.match((await get('/explore/isp/1.2/search')).body, /<h1>Search<\/h1>/, 'no query: the form alone')
  })

  t.test('a program that does not take HTML gets the API\'s problem+json for a page\'s error', async (t) => {
    for (const accept of ['application/json', '*', 'text/html;q=0, application/json']) {
      const missing = await get('/explore/isp/9.9', { accept })
      t.equal(missing.statusCode, 404)
      t.match(missing.headers['content-type'], /^application\/problem\+json/, `Accept: ${accept}`)
      t.match(missing.json(), { status: 404 })
      const bad = await get('/?q=%', { accept })
      t.equal(bad.statusCode, 400)
      t.match(bad.headers['content-type'], /^application\/problem\+json/, 'a malformed query string too')
    }
    for (const accept of ['text/html', '*/*', 'text/*;q=0.5']) {
      t.match((await get('/explore/isp/9.9', { accept })).headers['content-type'], /^text\/html/, `Accept: ${accept} gets the page`)
    }
  })

  t.test('/uri/{uuid}: browsers go to the page, programs get what they got', async (t) => {
    const c = (await get('/v1/frameworks/isp/1.2/competencies/co-learning')).json()
    const resolved = (await get(`/uri/${c.uuid}`)).json()
    let res = await get(`/uri/${c.uuid}`, { accept: browser })
    t.equal(res.statusCode, 303)
    t.equal(res.headers.location, `/explore/isp/${resolved.version}/competencies/co-learning`)
    t.match(res.headers.vary, /Accept/)
    t.equal((await get(`/uri/${c.uuid}`)).headers['content-type'], 'application/json; charset=utf-8', 'no Accept: JSON')
    t.equal((await get(`/uri/${c.uuid}`, { accept: '*/*' })).headers['content-type'], 'application/json; charset=utf-8', '*/*: JSON')
    t.match((await get(`/uri/${c.uuid}?format=case`, { accept: browser })).headers['content-type'], /vnd\.case\+json/, '?format wins over Accept')
    const version = (await get('/v1/frameworks/isp/1.1')).json()
    t.equal((await get(`/uri/${version.uuid}`, { accept: browser })).headers.location, '/explore/isp/1.1', 'a version')
    const sub = (await get('/v1/frameworks/isp/1.1/activities?limit=100')).json().data.find((a: { subpoints: unknown[] }) => a.subpoints.length > 0)
    res = await get(`/uri/${sub.subpoints[0].uuid}`, { accept: browser })
    t.match(res.headers.location, new RegExp(`/competencies/${sub.competency.id}#${sub.subpoints[0].code.replaceAll('.', '\\.')}$`), 'a sub-point, on its competency\'s page')
    const definition = (await get('/v1/frameworks/isp/1.1/definitions?limit=1')).json().data[0]
    t.match((await get(`/uri/${definition.uuid}`, { accept: browser })).headers.location, new RegExp(`/definitions#${definition.code}$`), 'a definition')
    const question = (await get('/v1/frameworks/isp/1.1/questions?limit=1')).json().data[0]
    t.match((await get(`/uri/${question.uuid}`, { accept: browser })).headers.location, new RegExp(`/questions#${question.code}$`), 'a question')
    const framework = (await get('/v1/frameworks/isp')).json()
    t.equal((await get(`/uri/${framework.uuid}`, { accept: browser })).headers.location, '/explore/isp/latest', 'the framework')
  })

  t.test('assets and the picker are served by this server', async (t) => {
    for (const [url, type] of [['/explore/assets/site.css', /text\/css/], ['/explore/assets/site.js', /javascript/], ['/embed/competency-picker.js', /javascript/], ['/embed/picker-frame.js', /javascript/], ['/embed/demo.js', /javascript/]] as const) {
      const res = await get(url)
      t.equal(res.statusCode, 200, `${url} is served`)
      t.match(res.headers['content-type'], type)
      t.ok(res.headers.etag, 'with an ETag')
    }
    t.match((await get('/embed/competency-picker.js')).body, /static formAssociated = true/, 'the form-associated element')
  })

  t.test('pages link the explorer assets by fingerprint, and a fingerprinted asset is immutable', async (t) => {
    const home = (await get('/')).body
    for (const name of ['site.css', 'site.js']) {
      const hash = createHash('sha256').update(readFileSync(join(projectRoot, 'src/pages/assets/explorer', name))).digest('hex').slice(0, 16)
      const url = `/explore/assets/${name}?v=${hash}`
      t.ok(home.includes(`"${url}"`), `the home page links ${url}`)
      const pinned = await get(url)
      t.equal(pinned.statusCode, 200)
      t.equal(pinned.headers['cache-control'], 'public, max-age=31536000, immutable', `${name} by its fingerprint is immutable`)
      t.equal((await get(`/explore/assets/${name}`)).headers['cache-control'], 'public, max-age=3600', 'without the fingerprint, an hour')
      t.equal((await get(`/explore/assets/${name}?v=0000000000000000`)).headers['cache-control'], 'public, max-age=3600', 'with another fingerprint (an old page), an hour')
    }
  })
})

t.test('the picker\'s iframe page and demo', async (t) => {
  const app = await buildApp(t)
  let res = await app.inject({ url: '/embed/picker?origin=https%3A%2F%2Flms.example.org&multiple&levels=competency,activity' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-security-policy'], /frame-ancestors https:\/\/lms\.example\.org(;|$)/, 'only the named origin may frame it')
  t.notOk(res.headers['x-frame-options'], 'no X-Frame-Options DENY')
  t.match(res.body, /data-parent-origin="https:\/\/lms\.example\.org"/)
  t.match(res.body, /<competency-picker framework="isp" version="latest" levels="competency,activity" multiple/)
  res = await app.inject({ url: '/embed/picker?origin=*' })
  t.equal(res.statusCode, 400, 'an origin is required')
  res = await app.inject({ url: '/embed/picker?origin=https%3A%2F%2Fa.example&levels=%22%3E%3Cscript%3E&version=%3Cx%3E' })
  t.match(res.body, /levels="competency"/, 'bad attributes fall back to the defaults')
  t.notMatch(res.body, /<script>|<x>/)
  t.match((await app.inject({ url: '/' })).headers['x-frame-options'], /DENY/i, 'other pages may not be framed')

  const c = (await app.inject({ url: '/v1/frameworks/isp/1.1/competencies/co-learning' })).json()
  res = await app.inject({ url: `/embed/demo?title=My+course&competencies=${c.uuid}&competencies=not-a-uuid` })
  t.match(res.body, /id="submitted-title">My course</)
  t.match(res.body, new RegExp(`<code>${c.uuid}</code> C01 Co-learning`), 'the submitted uuid, named')
  t.notMatch(res.body, /not-a-uuid/, 'only uuids are shown')
  t.match((await app.inject({ url: '/embed/demo' })).body, /<competency-picker name="competencies"/)
})
