/** Compression on demand: none for clients that do not ask, modest first, maximum later for long-lived responses only. */
import t from 'tap'
import Fastify from 'fastify'
import { brotliDecompressSync } from 'node:zlib'
import { IMMUTABLE, ResponseCache, SHORT, prepareResponse, sendCached, upgradesIdle } from '../../src/web/response-cache.js'

const body = Buffer.from(Array.from({ length: 3000 }, (_, i) => `competency ${i % 97} supports implementation; `).join(''))

async function serve (cacheControl: string): Promise<{ get: (encoding?: string) => Promise<{ etag: string, size: number, encoding?: string, text: string }>, close: () => Promise<void>, cache: ResponseCache }> {
  const cache = new ResponseCache()
  const entry = await prepareResponse({ body, contentType: 'text/plain', caching: { 'cache-control': cacheControl }, extra: {}, digest: false })
  cache.store('k', entry)
  const app = Fastify()
  app.get('/', async (request, reply) => await sendCached(request, reply, cache.find('k')!, cache))
  return {
    cache,
    close: async () => { await app.close() },
    get: async (encoding) => {
      const res = await app.inject({ url: '/', headers: encoding === undefined ? {} : { 'accept-encoding': encoding } })
      const raw = res.rawPayload
      return { etag: res.headers.etag as string, size: raw.length, encoding: res.headers['content-encoding'] as string | undefined, text: res.headers['content-encoding'] === 'br' ? brotliDecompressSync(raw).toString() : raw.toString() }
    }
  }
}

const idle = async (): Promise<void> => { while (!upgradesIdle()) await new Promise((resolve) => setTimeout(resolve, 5)) }

t.test('a long-lived response requested again is recompressed at maximum quality, keeping its ETag', async (t) => {
  const s = await serve(IMMUTABLE)
  t.teardown(s.close)
  const plain = await s.get()
  t.equal(plain.encoding, undefined)
  const first = await s.get('br')
  t.equal(first.encoding, 'br')
  t.equal(first.text, body.toString())
  await s.get('br')
  await idle()
  const best = await s.get('br')
  t.ok(best.size < first.size, `maximum quality is smaller: ${first.size} → ${best.size} bytes`)
  t.equal(best.text, body.toString())
  t.equal(best.etag, first.etag, 'the ETag is the same: clients\' validators stay good')
  t.equal(best.etag, `${plain.etag.slice(0, -1)}-br"`, 'the identity\'s ETag with -br')
})

t.test('a short-lived response stays at the on-demand quality', async (t) => {
  const s = await serve(SHORT)
  t.teardown(s.close)
  const first = await s.get('br')
  await s.get('br')
  await idle()
  t.equal((await s.get('br')).size, first.size)
})
