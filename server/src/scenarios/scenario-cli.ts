/**
 * `npm run scenario -- estimate <scenario.json>` prints the fast estimate of a scenario as JSON: the
 * calibration against the base's loop counts (the fit badge), the base's and the scenario's KPIs and
 * their Δ and %, what the estimate could not model — so planners can script batches (ADR 0009).
 * Reads DATABASE_URL / DATA_DIR like the server (the city must be imported: npm start does it).
 * Exit 0: estimated; 1: the estimate could not run (no counts for the base, no city); 2: usage or an
 * invalid scenario file (each problem named).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ScenarioSchema } from '../../../contracts/schemas/scenario'
import { withCliDb } from '../db/cli-db'
import { runScenarioEstimate, ScenarioRunError } from './run-estimate'

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  cwd: string
}

export const USAGE = 'Usage: npm run scenario -- estimate <scenario.json>'

export async function runScenarioCli(argv: string[], io: CliIo): Promise<number> {
  const [command, file, ...rest] = argv
  if (command !== 'estimate' || !file || rest.length > 0) {
    io.err(USAGE)
    return 2
  }
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path.resolve(io.cwd, file), 'utf8'))
  } catch (e) {
    io.err(`${file}: ${(e as Error).message}`)
    return 2
  }
  const parsed = ScenarioSchema.safeParse(raw)
  if (!parsed.success) {
    for (const i of parsed.error.issues) io.err(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`)
    return 2
  }
  return withCliDb(io, async (db) => {
    try {
      io.out(JSON.stringify(await runScenarioEstimate(db, parsed.data), null, 2))
      return 0
    } catch (e) {
      if (e instanceof ScenarioRunError) {
        io.err(e.message)
        return 1
      }
      throw e
    }
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runScenarioCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, cwd: process.cwd() })
  process.exit(code)
}
