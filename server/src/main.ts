/**
 * `npm start`: everything in one process. Configuration comes from the environment (README,
 * "Configuration"). A configuration or database problem stops the boot with a message saying
 * what to do, without a stack trace.
 */
import { ConfigError, loadConfig } from './config/config'
import { DbBootError } from './db/adapter'
import { WorkerIdTakenError } from '../../ingest/src/worker-lease'
import { startGemello } from './app/gemello'

/** `npm start -- --roles server,ingest` is the same as GEMELLO_ROLES=server,ingest. */
function rolesFromArgs(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--roles' || a.startsWith('--roles='))
  if (i < 0) return undefined
  const a = argv[i]!
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1]
}

async function main(): Promise<void> {
  const started = Date.now()
  const roles = rolesFromArgs(process.argv.slice(2))
  if (roles !== undefined) process.env.GEMELLO_ROLES = roles
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`\n${err.message}\n\n`)
      process.exit(2)
    }
    throw err
  }
  try {
    const g = await startGemello(config)
    const about = await g.db.query<{ label: string }>('SELECT label FROM city LIMIT 1')
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    process.stdout.write(
      [
        '',
        `  Gemello is live at ${g.url}   (ready in ${seconds} s)`,
        `  Roles: ${[...g.config.roles].join(', ')}    Live feed: ${g.bus.kind === 'redis' ? 'Redis' : 'in process'}`,
        `  City: ${about.rows[0]?.label ?? 'none'}`,
        `  Database: ${g.db.describe()}`,
        `  MQTT: ${g.broker.url} (${g.broker.kind}${g.broker.kind === 'embedded' ? ', MQTT 3.1.1' : ', MQTT 5'})  topics gemello/v1/<kind>/<deviceId>/<stream>`,
        `  Simulator: ${g.simulator ? 'on' : 'off'}${g.ingest ? `    Ingest: ${g.config.ingest.clientId}` : ''}    Stop with Ctrl+C`,
        ...(g.server?.identity.setupPath()
          ? ['', `  First run — no staff account yet. Create the administrator here (the link works once):`, `    ${g.url}${g.server.identity.setupPath()}`, `  or stop Gemello and run: npm run users -- add <name> --role admin`]
          : []),
        '',
      ].join('\n') + '\n',
    )
    let stopping = false
    const stop = (signal: string) => {
      if (stopping) return
      stopping = true
      g.log.info({ signal }, 'stopping')
      const force = setTimeout(() => process.exit(1), 10_000)
      force.unref()
      void g.stop().then(() => process.exit(0))
    }
    process.on('SIGINT', () => stop('SIGINT'))
    process.on('SIGTERM', () => stop('SIGTERM'))
  } catch (err) {
    if (err instanceof DbBootError || err instanceof WorkerIdTakenError) {
      process.stderr.write(`\nGemello cannot start: ${err.message}\n\n`)
      process.exit(3)
    }
    const e = err as NodeJS.ErrnoException
    if (e?.code === 'EADDRINUSE') {
      process.stderr.write(`\nGemello cannot start: port ${config.http.port} is already in use. Stop the other program or set PORT.\n\n`)
      process.exit(4)
    }
    throw err
  }
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`)
})
void main()
