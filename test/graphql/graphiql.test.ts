/**
 * GraphiQL is served with every asset from this server (no CDN), and configuration turns it off.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildApp } from '../helpers/app.js'

t.test('the page loads only local assets', async (t) => {
  const app = await buildApp(t)
  const page = await app.inject({ method: 'GET', url: '/graphiql' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.notMatch(page.body, /(https?:)?\/\/[a-z]/i, 'no external URL in the HTML')
  t.notMatch(page.body, /<script>(?!<\/script>)/, 'no inline script')
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, /script-src 'self'/, 'scripts only from this origin')
  t.match(csp, /connect-src 'self'/)

  const referenced = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
  t.same(referenced.sort(), ['graphiql/graphiql.min.css', 'graphiql/graphiql.min.js', 'graphiql/react-dom.production.min.js', 'graphiql/react.production.min.js', 'graphiql/start.js'])
  const files: Record<string, string> = {
    'graphiql/graphiql.min.js': 'node_modules/graphiql/graphiql.min.js',
    'graphiql/graphiql.min.css': 'node_modules/graphiql/graphiql.min.css',
    'graphiql/react.production.min.js': 'node_modules/react/umd/react.production.min.js',
    'graphiql/react-dom.production.min.js': 'node_modules/react-dom/umd/react-dom.production.min.js'
  }
  for (const path of referenced) {
    const asset = await app.inject({ method: 'GET', url: `/${path}` })
    t.equal(asset.statusCode, 200, `${path} is served`)
    t.match(asset.headers['content-type'], path.endsWith('.css') ? /text\/css/ : /javascript/)
    if (files[path] !== undefined) t.equal(asset.body, readFileSync(files[path]!, 'utf8'), `${path} is the installed file`)
  }
  const start = await app.inject({ method: 'GET', url: '/graphiql/start.js' })
  t.match(start.body, /GraphiQL\.createFetcher\(\{ url: endpoint \}\)/)
  t.match(start.body, /new URL\('graphql', window\.location\.href\)/, 'talks to this server\'s /graphql')
  t.match(readFileSync(files['graphiql/graphiql.min.js']!, 'utf8'), /\.createFetcher=function/, 'the bundle provides GraphiQL.createFetcher')

  for (const url of ['/graphiql/nope.js', '/graphiql/__proto__', '/graphiql/..%2fpackage.json']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, `${url} is not served`)
  }
})

t.test('GRAPHIQL=false turns it off; /graphql stays', async (t) => {
  const app = await buildApp(t, { env: { GRAPHIQL: 'false' } })
  t.equal((await app.inject({ method: 'GET', url: '/graphiql' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/graphiql/graphiql.min.js' })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ frameworks { id } }' } })).statusCode, 200)
})
