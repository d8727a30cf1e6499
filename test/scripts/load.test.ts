/**
 * The load script (npm run load) itself: its options, and a one-second run at two connections
 * against the server from source, so the script cannot rot between real runs. The 30 s run at 100
 * connections is not part of the test suite.
 */
import t from 'tap'
import { formatReport, loadOptions, runLoad } from '../../scripts/load.js'

t.test('options: flags win over the environment, which wins over the defaults; bad values are refused', async (t) => {
  t.same(loadOptions([], {}), { duration: 30, connections: 100, warmup: 20, server: 'dist' })
  t.same(loadOptions([], { LOAD_DURATION: '3', LOAD_CONNECTIONS: '7', LOAD_WARMUP: '1', LOAD_SERVER: 'source' }), { duration: 3, connections: 7, warmup: 1, server: 'source' })
  t.same(loadOptions(['--duration', '2', '--connections', '4'], { LOAD_DURATION: '3' }), { duration: 2, connections: 4, warmup: 20, server: 'dist' })
  t.throws(() => loadOptions(['--duration', '0'], {}), /--duration must be a positive integer/)
  t.throws(() => loadOptions(['--server', 'docker'], {}), /--server must be dist or source/)
})

t.test('a short run against the real server: mixed traffic, no errors, only 2xx and 304, RSS read from the server process', async (t) => {
  const options = { duration: 1, connections: 2, warmup: 1, server: 'source' as const }
  const report = await runLoad(options)
  t.comment(formatReport(options, report))
  t.ok(report.requests > 0, 'requests completed')
  t.equal(report.errors, 0)
  t.equal(report.timeouts, 0)
  t.ok((report.statuses['200'] ?? 0) > 0 && (report.statuses['304'] ?? 0) > 0, 'both 200s and 304s')
  t.same(Object.keys(report.statuses).filter((s) => s !== '200' && s !== '304'), [], 'nothing else')
  t.ok(report.rssWarmBytes > 10 * 1024 * 1024 && report.rssAfterBytes > 10 * 1024 * 1024, 'the RSS is the server\'s, not a small number from elsewhere')
  // A one-second run is too short for the memory check to mean anything; the real run asserts it.
  t.same(report.failures.filter((f) => !f.startsWith('RSS')), [])
})
