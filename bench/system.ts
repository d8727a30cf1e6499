/** What the benchmark reads about processes and the machine, from /proc (Linux). */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'

let ticks: number | undefined
/** Clock ticks per second (USER_HZ), the unit of utime and stime in /proc/<pid>/stat. */
export function clockTicks (): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticks = 100
    }
  }
  return ticks
}

/** utime + stime of a process (all its threads) in milliseconds, from /proc/<pid>/stat. */
export function cpuMs (pid: number): number {
  return parseCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'), clockTicks())
}

/** utime + stime from the text of /proc/<pid>/stat, in milliseconds. */
export function parseCpuMs (stat: string, hz: number): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`cannot read utime/stime from ${JSON.stringify(stat.slice(0, 80))}`)
  return (utime + stime) * 1000 / hz
}

/** Resident set size of a process in bytes, from VmRSS in /proc/<pid>/status. */
export function rssBytes (pid: number): number {
  return parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'))
}

/** VmRSS from the text of /proc/<pid>/status, in bytes. */
export function parseRssBytes (status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  if (match === null) throw new Error('no VmRSS in /proc/<pid>/status')
  return Number(match[1]) * 1024
}

export interface Machine {
  nproc: number
  cpu: string
  node: string
  platform: string
  loadavg: string
}

/** The machine the run is on: processors, CPU model, Node version, load when read. */
export function machine (): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown'
  let loadavg = ''
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu
    loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  } catch {
    // Not Linux: keep what os.cpus() says.
  }
  return { nproc: cpus().length, cpu, node: process.version, platform: `${process.platform} ${process.arch}`, loadavg }
}
