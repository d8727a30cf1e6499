/** The timeouts that bound slow clients and shutdown, at the granularity they are configured at. */
import t from 'tap'
import { serverLimits, timeoutCheckInterval } from '../../src/web/server-limits.js'
import { clientCutoff } from '../../src/web/shutdown.js'
import { loadConfig } from '../../src/config.js'

t.test('Node checks request and header timeouts at a tenth of the shorter one, from 100 ms to 1 s', async (t) => {
  t.equal(timeoutCheckInterval({ REQUEST_TIMEOUT: 30_000, HEADERS_TIMEOUT: 10_000 }), 1000)
  t.equal(timeoutCheckInterval({ REQUEST_TIMEOUT: 2000, HEADERS_TIMEOUT: 500 }), 100)
  t.equal(timeoutCheckInterval({ REQUEST_TIMEOUT: 5000, HEADERS_TIMEOUT: 0 }), 500)
  t.equal(timeoutCheckInterval({ REQUEST_TIMEOUT: 0, HEADERS_TIMEOUT: 0 }), 1000)
  const limits = serverLimits(loadConfig({ REQUEST_TIMEOUT: '4000', HEADERS_TIMEOUT: '9000' }))
  t.same(limits.http, { connectionsCheckingInterval: 400, headersTimeout: 4000 }, 'the headers timeout is at most the request timeout')
  t.same(serverLimits(loadConfig({ REQUEST_TIMEOUT: '0', HEADERS_TIMEOUT: '0' })).http, { connectionsCheckingInterval: 1000 }, '0 keeps Node\'s own')
})

t.test('busy clients are cut before SHUTDOWN_TIMEOUT, leaving time to close the database', async (t) => {
  t.equal(clientCutoff(8000), 7000)
  t.equal(clientCutoff(1000), 750)
  t.equal(clientCutoff(2), 2)
  t.equal(clientCutoff(1), 1)
})
