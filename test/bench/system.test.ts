/** Reading a process's CPU time and memory from /proc. */
import t from 'tap'
import { cpuMs, parseCpuMs, parseRssBytes, rssBytes } from '../../bench/system.js'

t.test('utime + stime from /proc/<pid>/stat, whatever the command name holds', async (t) => {
  const stat = '4242 (node (my) server) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 11 0 100 1000000 5000 18446744073709551615'
  t.equal(parseCpuMs(stat, 100), 3000, '(250 + 50) ticks at 100 Hz')
  t.equal(parseCpuMs(stat, 1000), 300)
  t.throws(() => parseCpuMs('garbage', 100))
})

t.test('VmRSS from /proc/<pid>/status', async (t) => {
  t.equal(parseRssBytes('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n'), 123456 * 1024)
  t.throws(() => parseRssBytes('Name:\tnode\n'))
})

t.test('this process: CPU time grows with work, RSS is plausible', { skip: process.platform !== 'linux' ? 'needs /proc' : false }, async (t) => {
  const before = cpuMs(process.pid)
  const until = Date.now() + 200
  let x = 0
  while (Date.now() < until) x += Math.sqrt(x + 1)
  t.ok(cpuMs(process.pid) > before, `spinning used CPU (${x > 0})`)
  const rss = rssBytes(process.pid)
  t.ok(rss > 10 * 1024 * 1024 && rss < 8 * 1024 * 1024 * 1024)
})
