/** Forcing a full collection in another process through its inspector, and the WebSocket framing that needs. */
import { spawn } from 'node:child_process'
import t from 'tap'
import type { Running } from '../../bench/contenders.js'
import { readFrames, retained, textFrame } from '../../bench/inspector.js'

/** An unmasked server frame. */
function serverFrame (text: string, fin = true, opcode = 1): Buffer {
  const payload = Buffer.from(text)
  const head = payload.length < 126
    ? Buffer.from([(fin ? 0x80 : 0) | opcode, payload.length])
    : Buffer.from([(fin ? 0x80 : 0) | opcode, 126, payload.length >> 8, payload.length & 0xff])
  return Buffer.concat([head, payload])
}

t.test('client frames are masked text frames of any length', async (t) => {
  for (const length of [5, 200, 70_000]) {
    const text = 'x'.repeat(length)
    const frame = textFrame(text)
    t.equal(frame[0], 0x81, 'FIN and text')
    t.ok((frame[1]! & 0x80) !== 0, 'masked')
    const offset = length < 126 ? 2 : length < 65536 ? 4 : 10
    const mask = frame.subarray(offset, offset + 4)
    const payload = Buffer.from(frame.subarray(offset + 4).map((b, i) => b ^ mask[i % 4]!))
    t.equal(payload.toString(), text, `${length} bytes round-trip`)
  }
})

t.test('server frames: whole, split across reads, fragmented', async (t) => {
  const two = Buffer.concat([serverFrame('{"id":1}'), serverFrame('x'.repeat(300))])
  t.same(readFrames(two).messages, ['{"id":1}', 'x'.repeat(300)])
  const cut = readFrames(two.subarray(0, 15))
  t.same(cut.messages, ['{"id":1}'])
  t.equal(cut.rest.length, 15 - 10, 'the incomplete frame is kept')
  t.same(readFrames(Buffer.concat([serverFrame('ab', false), serverFrame('cd', true, 0)])).messages, ['abcd'])
})

t.test('a full collection in a running process, read back through its inspector', async (t) => {
  const child = spawn(process.execPath, ['--inspect-port=0', '-e', 'globalThis.keep = []; setInterval(() => { for (let i = 0; i < 1000; i++) globalThis.keep.push({ i }); globalThis.keep.length = 0 }, 5)'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  t.teardown(() => { child.kill('SIGKILL') })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const server = { name: 'service', pid: child.pid!, child, stderr: () => stderr } as unknown as Running
  const first = await retained(server)
  t.ok(first.heapUsed > 100_000 && first.heapUsed < 200 * 1024 * 1024, `heap in use: ${first.heapUsed}`)
  t.ok(first.rss > first.heapUsed, 'RSS holds the heap')
  t.match(stderr, /Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//, 'SIGUSR1 opened the inspector')
  const again = await retained(server)
  t.ok(again.heapUsed > 0, 'and it can be asked again')
})
