/**
 * GraphiQL at /graphiql, served entirely by this server: GraphiQL 3 and the React 18 UMD builds
 * come from node_modules, so the page loads no script, style or font from anywhere else.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyPluginAsync, FastifySchema } from 'fastify'

const require = createRequire(import.meta.url)
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`))

/** The files the page loads: name under /graphiql/ → file and content type. */
const assets = new Map<string, { file: string, type: string }>(Object.entries({
  'react.production.min.js': { file: join(packageDir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { file: join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.min.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { file: join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css; charset=utf-8' }
}))

const defaultQuery = `# The whole guide in one query. Press the play button (or Ctrl-Enter).
{
  framework(id: "isp") {
    version(number: "latest") {
      number
      principles { id code name description }
      domains { id code name description competencies { id code name } }
      competencies {
        id code name
        domain { id name }
        overview
        activities { id code text subitems }
        hint { id text }
      }
    }
  }
}
`

// Kept out of the HTML so the page runs under the pages' script-src 'self' Content-Security-Policy (web/security.ts).
const start = `'use strict'
const endpoint = new URL('graphql', window.location.href).toString()
const fetcher = GraphiQL.createFetcher({ url: endpoint })
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(defaultQuery)}, defaultEditorToolsVisibility: true })
)
`

// Relative addresses: the page works wherever a proxy mounts the service.
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL: isp-competencies-api</title>
<link rel="stylesheet" href="graphiql/graphiql.min.css">
</head>
<body style="margin:0">
<div id="graphiql" style="height:100vh">Loading GraphiQL…</div>
<script src="graphiql/react.production.min.js"></script>
<script src="graphiql/react-dom.production.min.js"></script>
<script src="graphiql/graphiql.min.js"></script>
<script src="graphiql/start.js"></script>
</body>
</html>
`

// Not part of the REST API: left out of the OpenAPI document.
const hidden = { hide: true } as FastifySchema

/** Where GraphiQL's page is served; its assets lie under it. */
export const graphiqlPath = '/graphiql'

const graphiql: FastifyPluginAsync = async (app) => {
  const cache = new Map<string, Buffer>()
  // Read on first request, not at start-up: the bundle is about 1 MB and most deployments never serve it.
  const load = async (name: string, file: string): Promise<Buffer> => {
    let body = cache.get(name)
    if (body === undefined) {
      body = await readFile(file)
      cache.set(name, body)
    }
    return body
  }

  app.get(graphiqlPath, { schema: hidden }, async (_request, reply) => {
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page)
  })
  app.get(`${graphiqlPath}/start.js`, { schema: hidden }, async (_request, reply) => {
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(start)
  })
  app.get<{ Params: { asset: string } }>(`${graphiqlPath}/:asset`, { schema: hidden }, async (request, reply) => {
    const asset = assets.get(request.params.asset)
    if (asset === undefined) return reply.callNotFound()
    // The file names are fixed and versioned with the installed packages: cache for a day.
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(await load(request.params.asset, asset.file))
  })
}

export default graphiql
