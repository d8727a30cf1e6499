/** One request outside the load runs (to check answers and read ETags), with exact headers and decoded body. */
import { request } from 'node:http'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'

export interface BenchRequest {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
}

export interface Probe {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The body as sent (possibly compressed). */
  raw: Buffer
  /** The body decoded from its Content-Encoding. */
  body: Buffer
}

function decode (raw: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'br') return brotliDecompressSync(raw)
  if (encoding === 'gzip') return gunzipSync(raw)
  if (encoding === 'deflate') return inflateSync(raw)
  return raw
}

/** Sends one request to `base` and reads the whole answer (10 s at most). */
export function probe (base: string, req: BenchRequest): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.path, base)
    const r = request(url, { method: req.method, headers: req.headers, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        try {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body: decode(raw, res.headers['content-encoding']) })
        } catch (err) {
          reject(err)
        }
      })
      res.on('error', reject)
    })
    r.on('timeout', () => r.destroy(new Error(`${req.method} ${url.href} timed out`)))
    r.on('error', reject)
    r.end(req.body)
  })
}

/** Polls `path` until it answers 200; resolves with the time that took, rejects after `limitMs`. */
export async function waitFor200 (base: string, req: BenchRequest, limitMs: number, intervalMs = 5): Promise<number> {
  const started = performance.now()
  for (;;) {
    try {
      const res = await probe(base, req)
      if (res.status === 200) return performance.now() - started
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > limitMs) throw new Error(`${base}${req.path} did not answer 200 within ${limitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
