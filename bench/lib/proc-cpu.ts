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

// ------------------------------------------------------------------------------------------
// phases
// ------------------------------------------------------------------------------------------

/** Where the CPU went, per stored reading (µs): every process of the pipeline on this machine. */
export interface CpuPerReading {
  publisher: number
  broker: number | null
  sut: number
  postgres: number | null
  client: number
  total: number
}

export interface Probe {
  sutPid: number
  brokerPid: number | null
  postgres: boolean
}

export function cpuNow(p: Probe) {
  const c = process.cpuUsage()
  return {
    sut: cpuSeconds([p.sutPid]),
    broker: p.brokerPid ? cpuSeconds([p.brokerPid]) : null,
    // Per pid: backends come and go during a phase.
    postgres: p.postgres ? new Map(pidsNamed('postgres').map((pid) => [pid, cpuSeconds([pid])])) : null,
    client: (c.user + c.system) / 1e6,
  }
}

/** CPU used by PostgreSQL between two readings: per process, new processes counted from zero. */
export function postgresDelta(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0
  for (const [pid, t] of after) s += t - (before.get(pid) ?? 0)
  return s
}

export function perReading(before: ReturnType<typeof cpuNow>, after: ReturnType<typeof cpuNow>, publisherS: number, stored: number): CpuPerReading {
  const us = (s: number) => (s * 1e6) / Math.max(1, stored)
  const r = {
    publisher: us(publisherS),
    broker: after.broker === null || before.broker === null ? null : us(after.broker - before.broker),
    sut: us(after.sut - before.sut),
    postgres: after.postgres === null || before.postgres === null ? null : us(postgresDelta(before.postgres, after.postgres)),
    client: us(after.client - before.client),
  }
  return { ...r, total: r.publisher + (r.broker ?? 0) + r.sut + (r.postgres ?? 0) + r.client }
}

