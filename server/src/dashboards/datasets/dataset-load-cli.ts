/**
 * `npm run dashboards:load -- --url <server> --token <personal access token> <definition.json> <data file>`
 * loads (or replaces) a dataset of the configurable dashboards (docs/dashboards.md "Loading a dataset"):
 * reads the definition — contracts/theme-dashboard-api.ts DatasetLoad without `content` — and the CSV or
 * GeoJSON file, PUTs them to /api/dashboard-datasets/<id> as the token's user (role pmo or admin), and
 * prints what was placed or the server's refusal. It talks to a running Gemello over HTTP, like any
 * script would: the token may also come from the GEMELLO_TOKEN variable (kept out of the shell history).
 * Exit 0: loaded; 1: refused by the server, or the server could not be reached; 2: usage, or a
 * definition or file that cannot be read (each problem named).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { API_TOKEN_FORMAT } from '../../../../contracts/token-api'
import { DatasetLoadResultSchema, DatasetLoadSchema, THEME_DASHBOARD_ROUTES } from '../../../../contracts/theme-dashboard-api'

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  cwd: string
}

export const USAGE = 'Usage: npm run dashboards:load -- --url <server, e.g. https://gemello.comune.bologna.it> --token <personal access token, or GEMELLO_TOKEN> <definition.json> <data file>'

const DefinitionSchema = DatasetLoadSchema.omit({ content: true })
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) })

interface Args {
  url: string
  token: string
  definition: string
  data: string
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args | string {
  const flags: Record<string, string> = {}
  const files: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--url' || a === '--token') {
      const v = argv[++i]
      if (v === undefined) return `${a} needs a value`
      flags[a.slice(2)] = v
    } else if (a.startsWith('--')) return `unknown option ${a}`
    else files.push(a)
  }
  const token = flags.token ?? env.GEMELLO_TOKEN
  if (!flags.url) return 'name the server with --url'
  if (!/^https?:\/\/[^/\s]+/.test(flags.url)) return `--url "${flags.url}" is not an http(s) address`
  if (!token) return 'give a personal access token with --token or GEMELLO_TOKEN (docs/access.md, "Personal access tokens")'
  if (!API_TOKEN_FORMAT.test(token)) return 'the token is not a Gemello personal access token (gmt_ and 43 characters)'
  if (files.length !== 2) return 'give the definition file and the data file'
  return { url: flags.url.replace(/\/+$/, ''), token, definition: files[0]!, data: files[1]! }
}

export async function runDatasetLoadCli(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, io.env)
  if (typeof args === 'string') {
    io.err(`${args}.`)
    io.err(USAGE)
    return 2
  }
  let raw: unknown
  let content: string
  try {
    raw = JSON.parse(readFileSync(path.resolve(io.cwd, args.definition), 'utf8'))
    content = readFileSync(path.resolve(io.cwd, args.data), 'utf8')
  } catch (e) {
    io.err((e as Error).message)
    return 2
  }
  const def = DefinitionSchema.safeParse(raw)
  if (!def.success) {
    for (const i of def.error.issues) io.err(`${args.definition}: ${i.path.join('.') || '(root)'}: ${i.message}`)
    return 2
  }
  const url = `${args.url}${THEME_DASHBOARD_ROUTES.loadDashboardDataset.path.replace(':id', def.data.id)}`
  let res: Response
  try {
    res = await fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${args.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...def.data, content }) })
  } catch (e) {
    io.err(`Cannot reach ${args.url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`)
    return 1
  }
  const text = await res.text()
  let body: unknown = null
  try {
    body = JSON.parse(text)
  } catch {
    // reported below with the status
  }
  const ok = DatasetLoadResultSchema.safeParse(body)
  if (res.ok && ok.success) {
    const r = ok.data
    io.out(`Loaded ${r.id}: ${r.rows} rows, ${r.placed} placed in an area, ${r.unplaced.rows} in the city's totals only.`)
    for (const e of r.unplaced.examples) io.out(`  unplaced ${def.data.format === 'csv' ? 'row' : 'feature'} ${e.row}: ${e.reason}`)
    io.out(`Dashboard: ${args.url}/cittadini/cruscotti/${r.id} (its data: ${args.url}${THEME_DASHBOARD_ROUTES.getDashboard.path.replace(':id', r.id)})`)
    return 0
  }
  const error = ErrorSchema.safeParse(body)
  io.err(error.success ? `${error.data.error.code}: ${error.data.error.message}` : `HTTP ${res.status}: ${text.slice(0, 300)}`)
  return 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runDatasetLoadCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, cwd: process.cwd() })
  process.exit(code)
}
