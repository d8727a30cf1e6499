/**
 * Memory as retained, not as the garbage collector last left it: the service is started with
 * `--inspect-port=0` (inert until asked), SIGUSR1 opens its inspector on a free loopback port,
 * and the harness forces a full garbage collection over it before reading RSS and heap. Raw RSS
 * between collections says more about when V8 last collected than about what is kept.
 * Needs a WebSocket client: Node 20 has one behind --experimental-websocket (npm run bench sets it).
 */
import type { Running } from './contenders.js'
import { rssBytes } from './system.js'

interface Socket {
  onopen: (() => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onerror: ((event: unknown) => void) | null
  send: (data: string) => void
  close: () => void
}

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

/** Forces a full garbage collection in the server and reads what it retains. */
export async function retained (server: Running): Promise<Retained> {
  const WebSocketClass = (globalThis as unknown as { WebSocket?: new (url: string) => Socket }).WebSocket
  if (WebSocketClass === undefined) throw new Error('no WebSocket client: run the harness with node --experimental-websocket (npm run bench does)')
  const ws = new WebSocketClass(await inspectorUrl(server))
  let next = 0
  const pending = new Map<number, { resolve: (value: unknown) => void, reject: (err: Error) => void }>()
  const call = (method: string, params: object = {}): Promise<unknown> => new Promise((resolve, reject) => {
    const id = ++next
    pending.set(id, { resolve, reject })
    ws.send(JSON.stringify({ id, method, params }))
  })
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number, result?: unknown, error?: { message: string } }
    const waiting = message.id === undefined ? undefined : pending.get(message.id)
    if (waiting === undefined) return
    pending.delete(message.id!)
    if (message.error !== undefined) waiting.reject(new Error(message.error.message))
    else waiting.resolve(message.result)
  }
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve()
    ws.onerror = () => reject(new Error(`cannot reach ${server.name}'s inspector`))
  })
  try {
    await call('HeapProfiler.collectGarbage')
    const result = await call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true }) as { result: { value: number } }
    return { rss: rssBytes(server.pid), heapUsed: result.result.value }
  } finally {
    ws.close()
  }
}
