/** `npm run reset`: deletes the embedded database (DATA_DIR/pglite) so the next start rebuilds it. */
import { existsSync, rmSync } from 'node:fs'
import { ConfigError, loadConfig } from '../server/src/config/config'

try {
  const config = loadConfig()
  if (config.db.kind === 'server') {
    console.error('DATABASE_URL is set: "npm run reset" only deletes the embedded database. Reset a PostgreSQL database with dropdb/createdb.')
    process.exit(2)
  }
  const dir = config.db.dataDir
  if (!existsSync(dir)) {
    console.log(`Nothing to reset: ${dir} does not exist.`)
  } else {
    rmSync(dir, { recursive: true, force: true })
    console.log(`Deleted the embedded database in ${dir}. The next "npm start" creates it again and re-imports the city data.`)
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message)
    process.exit(2)
  }
  throw err
}
