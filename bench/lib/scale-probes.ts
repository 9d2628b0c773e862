/**
 * What `bench:scale` reads from the processes it runs (Linux): the pid behind a listening port,
 * resident memory and CPU from /proc, a process's Prometheus /metrics, Redis `INFO`, and the CPU
 * of the PostgreSQL processes working for one database (the server may be shared with other work).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import pg from 'pg'
import { createClient } from 'redis'
import { cpuSeconds } from './proc-cpu'

/** Pid of the process holding a listening TCP socket on 127.0.0.1/0.0.0.0:port, or null. */
export function pidListeningOn(port: number): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  const inodes = new Set<string>()
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(f, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/)
      // local_address is "ADDR:PORT", st 0A = LISTEN, inode is column 9.
      if (c.length > 9 && c[1]!.endsWith(`:${hex}`) && c[3] === '0A') inodes.add(c[9]!)
    }
  }
  if (inodes.size === 0) return null
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    let fds: string[] = []
    try {
      fds = readdirSync(`/proc/${d}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${d}/fd/${fd}`))
        if (m && inodes.has(m[1]!)) return Number(d)
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return null
}

/** Resident set size in MB (VmRSS), NaN when the process is gone. */
export function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

/** One Prometheus text exposition, as `name{labels}` → value (labels as printed). */
export async function scrape(url: string): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const text = await (await fetch(`${url}/metrics`)).text()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const i = line.lastIndexOf(' ')
    out.set(line.slice(0, i), Number(line.slice(i + 1)))
  }
  return out
}

/** Redis `INFO <section>` as key → value. */
export async function redisInfo(url: string, section: string): Promise<Record<string, string>> {
  const r = createClient({ url })
  await r.connect()
  try {
    const text = await r.info(section)
    const out: Record<string, string> = {}
    for (const line of text.split('\r\n')) {
      const i = line.indexOf(':')
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1)
    }
    return out
  } finally {
    r.destroy()
  }
}

/** Redis commands on a short connection (XLEN, MEMORY USAGE …). */
export async function redisCommand(url: string, args: string[]): Promise<unknown> {
  const r = createClient({ url })
  await r.connect()
  try {
    return await r.sendCommand(args)
  } finally {
    r.destroy()
  }
}

/**
 * CPU seconds of the PostgreSQL processes, per pid, split into the backends of `database` (client
 * backends, autovacuum workers) and the server-wide background processes (WAL writer, checkpointer,
 * background writer …), which every database on the server shares. Backends of other databases are
 * left out. `admin` is a connection to another database of the same server.
 */
export async function postgresCpu(admin: pg.Client, database: string): Promise<{ own: Map<number, number>; shared: Map<number, number> }> {
  const r = await admin.query<{ pid: number; datname: string | null }>(`SELECT pid, datname FROM pg_stat_activity WHERE datname = $1 OR datname IS NULL`, [database])
  const own = new Map<number, number>()
  const shared = new Map<number, number>()
  for (const row of r.rows) (row.datname === null ? shared : own).set(row.pid, cpuSeconds([row.pid]))
  return { own, shared }
}

/** Pids whose command line contains every one of `parts` (e.g. a child script and its argument). */
export function pidsWithArgs(parts: string[]): number[] {
  const out: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (parts.every((p) => cmd.includes(p))) out.push(Number(d))
    } catch {
      /* gone */
    }
  }
  return out
}

/** CPU seconds the whole machine spent busy so far (all cores; /proc/stat, everything but idle and iowait). */
export function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!
  return busy / 100
}
