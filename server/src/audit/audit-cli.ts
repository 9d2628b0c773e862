/**
 * `npm run audit -- verify` recomputes the audit log's hash chain and names the first broken row
 * (exit 1), or prints the number of rows and the head hash (exit 0) — the head hash is what to write
 * down elsewhere to prove later that nothing before it changed.
 * `npm run audit -- search [--actor …] [--action …] [--target …|prefix*] [--from ISO] [--to ISO] [--limit N]`
 * prints matching rows, newest first, one JSON object per line.
 * Reads DATABASE_URL / DATA_DIR like the server; exit 2 on a usage or configuration error.
 */
import { pathToFileURL } from 'node:url'
import { withCliDb } from '../db/cli-db'
import { searchAudit, verifyAuditChain, type AuditQuery } from './audit-log'

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  cwd: string
}

export const USAGE = [
  'Usage: npm run audit -- verify',
  '       npm run audit -- search [--actor <id>] [--action <area.verb>] [--target <kind:id> or <prefix>*] [--from <ISO time>] [--to <ISO time>] [--limit <1-1000>]',
].join('\n')

const SEARCH_OPTIONS = ['actor', 'action', 'target', 'from', 'to', 'limit'] as const

function parseSearch(args: string[]): AuditQuery | string {
  const f: AuditQuery = {}
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, '') as (typeof SEARCH_OPTIONS)[number]
    const value = args[i + 1]
    if (!args[i]?.startsWith('--') || !SEARCH_OPTIONS.includes(name)) return `unknown option ${args[i]}`
    if (value === undefined) return `--${name} needs a value`
    if (name === 'from' || name === 'to') {
      const ms = Date.parse(value)
      if (Number.isNaN(ms)) return `--${name} is not a time: ${value} (use ISO 8601, e.g. 2026-11-26T08:00:00Z)`
      f[name === 'from' ? 'fromMs' : 'toMs'] = ms
    } else if (name === 'limit') {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 1 || n > 1000) return `--limit must be a whole number from 1 to 1000, got ${value}`
      f.limit = n
    } else f[name] = value
  }
  return f
}

export async function runAuditCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (command !== 'verify' && command !== 'search') {
    io.err(USAGE)
    return 2
  }
  if (command === 'verify' && rest.length > 0) {
    io.err(`verify takes no options\n${USAGE}`)
    return 2
  }
  const filter = command === 'search' ? parseSearch(rest) : {}
  if (typeof filter === 'string') {
    io.err(`${filter}\n${USAGE}`)
    return 2
  }
  return withCliDb(io, async (db) => {
    if (command === 'verify') {
      const r = await verifyAuditChain(db)
      if (r.ok) {
        io.out(`audit log intact: ${r.rows} rows, head hash ${r.head} (${db.describe()})`)
        return 0
      }
      io.err(`audit log BROKEN at row ${r.brokenAtSeq}: ${r.reason}. ${r.rows} rows before it verified. (${db.describe()})`)
      return 1
    }
    for (const rec of await searchAudit(db, filter)) io.out(JSON.stringify({ ...rec, at: new Date(rec.atMs).toISOString(), atMs: undefined }))
    return 0
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runAuditCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, cwd: process.cwd() })
  process.exit(code)
}
