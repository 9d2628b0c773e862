import { spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * Settings of the benchmark's own PostgreSQL: a production-like server (the defaults of a fresh
 * Debian cluster — 128 MB shared buffers, 1 GB of WAL between checkpoints — are sized for a laptop).
 * Durability is untouched: fsync and synchronous_commit stay on. docs/benchmarks.md explains them.
 */
export const BENCH_PG_SETTINGS: Record<string, string> = {
  shared_buffers: '2GB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  wal_compression: 'on',
  work_mem: '64MB',
  autovacuum_vacuum_scale_factor: '0.05',
}

export interface Cluster {
  url: string
  /** Stops the server and removes its files. */
  stop(): void
  /** `pg_ctl stop -m immediate`: like a crash (no checkpoint; recovery from WAL at the next start). The files stay. */
  crash(): void
  /** Starts the server again on the same files and port. */
  start(): void
  /** `pg_ctl stop -m fast`, then start: empty shared buffers, same files (cold-cache measurements). */
  restart(): void
}

/** Starts a throwaway PostgreSQL 15 cluster with PostGIS on a free port (needs root or the postgres user). */
export function startPostgres(port: number): Cluster | null {
  const bin = '/usr/lib/postgresql/15/bin'
  if (!existsSync(path.join(bin, 'initdb'))) return null
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-bench-pg-'))
  const asPostgres = process.getuid?.() === 0
  const run = (cmd: string, args: string[]) => {
    const r = asPostgres ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`)
  }
  if (asPostgres) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()))
  }
  const data = path.join(dir, 'data')
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'])
  const opts = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`, ...Object.entries(BENCH_PG_SETTINGS).map(([k, v]) => `-c ${k}=${v}`)].join(' ')
  const start = () => run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start'])
  start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    crash: () => run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    restart: () => {
      run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'])
      start()
    },
    stop: () => {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
