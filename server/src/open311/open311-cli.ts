/**
 * `npm run open311 -- add-client "<name>"` registers an Open311 client (an app, a FixMyStreet
 * instance) and prints its api_key once — only its hash is kept. Reads DATABASE_URL / DATA_DIR like the
 * server (stop an embedded Gemello first: PGlite is one process's). Exit 0 done, 1 the database could
 * not be opened or the name is taken, 2 usage.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { withCliDb } from '../db/cli-db'
import { createOpen311Client, seedCaseCatalogue } from '../db/cases'

export const USAGE = 'Usage: npm run open311 -- add-client "<name>"'

export async function runOpen311Cli(argv: string[], io: { out(l: string): void; err(l: string): void; env: NodeJS.ProcessEnv; cwd: string }): Promise<number> {
  const [command, name, ...rest] = argv
  if (command !== 'add-client' || !name || rest.length > 0 || name.length > 80) {
    io.err(USAGE)
    return 2
  }
  return withCliDb(io, async (db) => {
    try {
      await seedCaseCatalogue(db)
      const { id, apiKey } = await createOpen311Client(db, name, { actor: `system:cli:${process.env.USER ?? 'unknown'}`.slice(0, 60), actorRole: 'admin', requestId: null })
      io.out(`Open311 client ${id} "${name}": api_key ${apiKey}`)
      io.out('Give the key to the client; Gemello keeps only its hash and cannot show it again.')
      return 0
    } catch (e) {
      if (/unique|duplicate/i.test((e as Error).message)) {
        io.err(`An Open311 client is already called "${name}": choose another name`)
        return 1
      }
      throw e
    }
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runOpen311Cli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, cwd: path.resolve('.') })
  process.exit(code)
}
