/** An app whose log lines are captured as parsed JSON, for tests of what gets logged. */
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { build } from '../../src/app.js'
import { testConfig, type TestAppOptions } from './app.js'

export type LogLine = Record<string, unknown> & { msg?: string, requestId?: string }

interface Teardown { teardown: (fn: () => unknown) => void }

/** Builds the app with a logger (info unless `level` says otherwise) writing into `lines`; closed on teardown. */
export async function buildAppWithLogs (t: Teardown, options: TestAppOptions = {}, level = 'info'): Promise<{ app: FastifyInstance, lines: LogLine[] }> {
  const lines: LogLine[] = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString().split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine)
      callback()
    }
  })
  const app = await build({ config: testConfig(options), logger: { level, stream } })
  t.teardown(() => app.close())
  await app.ready()
  return { app, lines }
}
