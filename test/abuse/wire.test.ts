/**
 * Abuse over a real connection to the server process in its production configuration: what
 * app.inject cannot send (dot segments the client does not resolve, raw bytes, headers over
 * Node's limit, malformed and ambiguous HTTP, oversized bodies). Each is refused with the right
 * 4xx as problem+json, without internals, and the server stays ready.
 */
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../helpers/app.js'
import { validateComponent } from '../helpers/contract.js'
import { leaks } from '../helpers/fuzz.js'
import { parseResponse, rawConnection, startServer } from '../helpers/server-process.js'

/** Sends raw bytes on a fresh connection and reads the response until the server ends it or it is complete. */
async function exchange (port: number, bytes: string | Buffer): Promise<ReturnType<typeof parseResponse>> {
  const connection = await rawConnection(port)
  connection.socket.write(bytes)
  for (let i = 0; i < 3000 && !parseResponse(connection.received()).complete; i++) {
    const closed = await Promise.race([connection.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10))])
    if (closed) break
  }
  connection.socket.destroy()
  return parseResponse(connection.received())
}

t.test('raw requests the HTTP layer must refuse cleanly', async (t) => {
  const server = await startServer(t, { DB_PATH: join(tempDir(), 'content.db'), NODE_ENV: 'production' })
  const request = (target: string, headers = '', method = 'GET'): string => `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`
  const cases: Array<{ name: string, bytes: string | Buffer, status: number, detail?: RegExp, instance?: string }> = [
    { name: 'dot segments the client did not resolve', bytes: request('/v1/frameworks/isp/1.1/competencies/../../../../etc/passwd'), status: 404, detail: /No route matches/ },
    { name: 'dot segments to the root', bytes: request('/../../../etc/passwd'), status: 404 },
    { name: 'encoded traversal in an id', bytes: request('/v1/frameworks/isp/1.1/competencies/..%2f..%2fetc%2fpasswd'), status: 400, detail: /path parameter "id"/ },
    { name: 'double-encoded traversal', bytes: request('/v1/frameworks/isp/1.1/competencies/%252e%252e%252fetc'), status: 400, detail: /path parameter "id"/ },
    { name: 'invalid UTF-8 in the path', bytes: request('/v1/frameworks/isp/1.1/competencies/%C3%28'), status: 400 },
    { name: 'a bare % in the path', bytes: request('/v1/frameworks/%'), status: 400 },
    { name: 'invalid UTF-8 in the query', bytes: request('/v1/search?q=%FF'), status: 400, detail: /not percent-encoded UTF-8/ },
    { name: 'raw bytes over 0x7f in the request line', bytes: Buffer.concat([Buffer.from('GET /v1/frameworks/isp/'), Buffer.from([0xc3, 0xbc, 0xff]), Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')]), status: 400 },
    { name: 'headers over the size limit', bytes: request('/v1', `X-Padding: ${'a'.repeat(20_000)}\r\n`), status: 431, detail: /headers are larger than the \d+ bytes accepted/, instance: '/v1' },
    { name: 'many small headers over the limit', bytes: request('/v1', Array.from({ length: 2000 }, (_, i) => `X-H${i}: 12345678\r\n`).join('')), status: 431 },
    { name: 'a header name with a space', bytes: request('/v1', 'Bad Header: x\r\n'), status: 400, detail: /not valid HTTP\/1\.1/ },
    { name: 'a control character in a header value', bytes: request('/v1', 'X-Bad: a\u0001b\r\n'), status: 400 },
    { name: 'Content-Length and Transfer-Encoding together (smuggling)', bytes: `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, status: 400 },
    { name: 'two different Content-Lengths', bytes: `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde`, status: 400 },
    { name: 'not HTTP at all', bytes: 'HELLO\r\n\r\n', status: 400 },
    { name: 'an unknown method', bytes: request('/v1', '', 'BREW'), status: 400 },
    { name: 'a body over BODY_LIMIT to a REST path', bytes: `POST /v1/frameworks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{"a":"${'x'.repeat(199_990)}"}`, status: 413 }
  ]
  for (const c of cases) {
    const res = await exchange(server.port, c.bytes)
    t.equal(res.status, c.status, `${c.name}: ${c.status}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${c.name}: problem+json`)
    let body: Record<string, unknown> = {}
    try {
      body = JSON.parse(res.body) as Record<string, unknown>
    } catch {
      t.fail(`${c.name}: the body is JSON (${res.body.slice(0, 100)})`)
    }
    t.same(validateComponent('Problem', body), [], `${c.name}: a valid Problem`)
    t.equal(body.status, c.status)
    t.same(leaks(res.body), [], `${c.name}: nothing internal`)
    if (c.detail !== undefined) t.match(body.detail, c.detail, `${c.name}: says why`)
    if (c.instance !== undefined) t.equal(body.instance, c.instance)
  }

  const graphqlBody = await exchange(server.port, `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n{"query":"${'x'.repeat(69_988)}"}`)
  t.equal(graphqlBody.status, 413, 'GraphQL: a body over its 64 KiB limit')
  t.match(JSON.parse(graphqlBody.body), { errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] })

  const ready = await exchange(server.port, 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
  t.equal(ready.status, 200, 'still ready')
  t.match(JSON.parse(ready.body), { status: 'ok' })
  t.notOk(server.logs.some((l) => Number(l.level) >= 50), 'nothing was logged as an error')
})
