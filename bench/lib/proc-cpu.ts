import { readdirSync, readFileSync } from 'node:fs'

/** CPU seconds (user + system) used so far by processes, read from /proc (Linux). */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(f[11]) + Number(f[12]) // utime, stime
    } catch {
      /* the process is gone */
    }
  }
  return ticks / 100 // CLK_TCK
}

/** Pids of every process whose command name is `name` (e.g. all PostgreSQL backends and helpers). */
export function pidsNamed(name: string): number[] {
  const out: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === name) out.push(Number(d))
    } catch {
      /* gone */
    }
  }
  return out
}
