/**
 * The start of every command-line tool that works on Gemello's database (`npm run import`, `npm run
 * audit`): the configuration as the server reads it, then the database opened and migrated — each
 * failure said in one line a person can act on, with the exit code the tools share (2: usage or
 * configuration, 1: the database).
 */
import { ConfigError, loadConfig, type Config } from '../config/config'
import { DbBootError, openDb, type Db } from './adapter'
import { migrate } from './migrate'

export interface CliErr {
  err(line: string): void
  env: NodeJS.ProcessEnv
  cwd: string
}

export function loadCliConfig(io: CliErr): { config: Config } | { exitCode: 2 } {
  try {
    return { config: loadConfig(io.env, io.cwd) }
  } catch (err) {
    io.err(err instanceof ConfigError ? err.message : String(err))
    return { exitCode: 2 }
  }
}

export async function openCliDb(config: Config, io: CliErr): Promise<{ db: Db } | { exitCode: 1 }> {
  let db: Db | undefined
  try {
    db = await openDb(config.db)
    await migrate(db)
    return { db }
  } catch (err) {
    io.err(err instanceof DbBootError ? err.message : `Cannot open the database: ${(err as Error).message}`)
    await db?.close().catch(() => undefined)
    return { exitCode: 1 }
  }
}

/** The configuration read, the database opened and migrated, `fn` run on it, the database closed: fn's exit code, or the failure's (2 configuration, 1 database). */
export async function withCliDb(io: CliErr, fn: (db: Db, config: Config) => Promise<number>): Promise<number> {
  const c = loadCliConfig(io)
  if ('exitCode' in c) return c.exitCode
  const opened = await openCliDb(c.config, io)
  if ('exitCode' in opened) return opened.exitCode
  try {
    return await fn(opened.db, c.config)
  } finally {
    await opened.db.close()
  }
}
