/**
 * Memory as retained, not as the garbage collector last left it: the service is started with
 * `--inspect-port=0` (inert until asked), SIGUSR1 opens its inspector on a free loopback port,
 * and the harness forces a full garbage collection over it before reading RSS and heap. Raw RSS
 * between collections says more about when V8 last collected than about what is kept.
 * The inspector speaks the DevTools protocol over a WebSocket; a few lines of framing below do,
 * so no Node flag or extra package is needed.
 */
import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import type { Socket } from 'node:net'
import type { Running } from './contenders.js'
import { rssBytes } from './system.js'

export interface Retained {
  /** RSS right after a full collection, from /proc. */
  rss: number
  /** V8 heap in use after it. */
  heapUsed: number
}

/** Opens the inspector of a process started with --inspect-port=0 and reads the address it prints. */
async function inspectorUrl (server: Running, limitMs = 10_000): Promise<string> {
  const pattern = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/
  if (!pattern.test(server.stderr())) server.child.kill('SIGUSR1')
  const started = performance.now()
  for (;;) {
    const url = pattern.exec(server.stderr())?.[0]
    if (url !== undefined) return url
    if (performance.now() - started > limitMs) throw new Error(`${server.name} printed no inspector address: ${server.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A client-to-server WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, masked). */
export function textFrame (text: string): Buffer {
  const payload = Buffer.from(text)
  const length = payload.length
  const head = length < 126 ? Buffer.from([0x81, 0x80 | length]) : Buffer.alloc(length < 65536 ? 4 : 10)
  if (length >= 126 && length < 65536) {
    head[0] = 0x81
    head[1] = 0x80 | 126
    head.writeUInt16BE(length, 2)
  } else if (length >= 65536) {
    head[0] = 0x81
    head[1] = 0x80 | 127
    head.writeBigUInt64BE(BigInt(length), 2)
  }
  const mask = randomBytes(4)
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))
  return Buffer.concat([head, mask, masked])
}

/** Splits the server's (unmasked) frames off a buffer: the complete messages, and what is left. */
export function readFrames (data: Buffer): { messages: string[], rest: Buffer } {
  const messages: string[] = []
  let offset = 0
  let partial: Buffer[] = []
  for (;;) {
    if (data.length - offset < 2) break
    const fin = (data[offset]! & 0x80) !== 0
    const opcode = data[offset]! & 0x0f
    let length = data[offset + 1]! & 0x7f
    let start = offset + 2
    if (length === 126) {
      if (data.length - offset < 4) break
      length = data.readUInt16BE(offset + 2)
      start = offset + 4
    } else if (length === 127) {
      if (data.length - offset < 10) break
      length = Number(data.readBigUInt64BE(offset + 2))
      start = offset + 10
    }
    if (data.length < start + length) break
    if (opcode === 1 || opcode === 0) partial.push(data.subarray(start, start + length))
    offset = start + length
    if (fin && (opcode === 1 || opcode === 0)) {
      messages.push(Buffer.concat(partial).toString())
      partial = []
    }
  }
  return { messages, rest: data.subarray(offset) }
}

/** Opens a WebSocket to the inspector and calls DevTools protocol methods over it. */
function connect (url: string): Promise<{ call: (method: string, params?: object) => Promise<unknown>, close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws:/, 'http:'), {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') }
    })
    req.on('error', reject)
    req.on('response', (res) => reject(new Error(`the inspector refused the WebSocket: ${res.statusCode}`)))
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      let buffered = head
      let next = 0
      const pending = new Map<number, { resolve: (value: unknown) => void, reject: (err: Error) => void }>()
      socket.on('data', (chunk: Buffer) => {
        const { messages, rest } = readFrames(Buffer.concat([buffered, chunk]))
        buffered = rest
        for (const text of messages) {
          const message = JSON.parse(text) as { id?: number, result?: unknown, error?: { message: string } }
          const waiting = message.id === undefined ? undefined : pending.get(message.id)
          if (waiting === undefined) continue
          pending.delete(message.id!)
          if (message.error !== undefined) waiting.reject(new Error(message.error.message))
          else waiting.resolve(message.result)
        }
      })
      socket.on('error', (err) => { for (const p of pending.values()) p.reject(err) })
      resolve({
        call: (method, params = {}) => new Promise((resolve, reject) => {
          const id = ++next
          pending.set(id, { resolve, reject })
          socket.write(textFrame(JSON.stringify({ id, method, params })))
        }),
        close: () => { socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0])) }
      })
    })
    req.end()
  })
}

/** Forces a full garbage collection in the server and reads what it retains. */
export async function retained (server: Running): Promise<Retained> {
  const inspector = await connect(await inspectorUrl(server))
  try {
    await inspector.call('HeapProfiler.collectGarbage')
    const result = await inspector.call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true }) as { result: { value: number } }
    return { rss: rssBytes(server.pid), heapUsed: result.result.value }
  } finally {
    inspector.close()
  }
}
