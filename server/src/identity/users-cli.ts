/**
 * Local staff accounts from the command line (ADR 0005), for the first administrator and for
 * recovery. Reads DATABASE_URL / DATA_DIR like the server. In embedded mode stop Gemello first
 * (PGlite lets one process open the database); on PostgreSQL it works while Gemello runs.
 *
 *   npm run users -- add <name> --role <role> [--role <role>…] [--name "Display name"]
 *   npm run users -- list
 *   npm run users -- roles <name> --role <role> [--role …]
 *   npm run users -- disable <name> | enable <name>
 *   npm run users -- password <name>
 *
 * The password is asked on the terminal (not echoed), or read from the first line of standard input
 * when it is not a terminal (scripts: `printf '%s\n' "$PW" | npm run users -- add …`); never an argument,
 * which would stay in the shell history and the process list. Every change is audited (actor system:cli).
 * Exit 0 done, 1 refused (the message says why), 2 usage or configuration error.
 */
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { STAFF_ROLES } from '../../../contracts/access'
import { loadCliConfig, openCliDb } from '../db/cli-db'
import { createLocalUser, listUsers, updateUser, UserError, type Actor } from './users'

export interface UsersCliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  cwd: string
  /** Asks for a password (hidden on a terminal). */
  password(prompt: string): Promise<string>
}

export const USAGE = [
  'Usage: npm run users -- add <name> --role <role> [--role <role>…] [--name "Display name"]',
  '       npm run users -- list',
  '       npm run users -- roles <name> --role <role> [--role <role>…]',
  '       npm run users -- disable <name>   |   enable <name>   |   password <name>',
  `Roles: ${STAFF_ROLES.join(', ')}. The password is asked for (or read from standard input), at least 12 characters.`,
].join('\n')

const CLI: Actor = { actor: 'system:cli', actorRole: 'system' }

function options(args: string[]): { roles: string[]; displayName?: string } | string {
  const roles: string[] = []
  let displayName: string | undefined
  for (let i = 0; i < args.length; i += 2) {
    const v = args[i + 1]
    if (v === undefined) return `${args[i]} needs a value`
    if (args[i] === '--role') roles.push(...v.split(','))
    else if (args[i] === '--name') displayName = v
    else return `unknown option ${args[i]}`
  }
  return { roles, ...(displayName !== undefined ? { displayName } : {}) }
}

export async function runUsersCli(argv: string[], io: UsersCliIo): Promise<number> {
  const [command, name, ...rest] = argv
  const known = ['add', 'list', 'roles', 'disable', 'enable', 'password']
  if (!command || !known.includes(command) || (command !== 'list' && !name) || (command === 'list' && name)) {
    io.err(USAGE)
    return 2
  }
  const opts = options(rest)
  if (typeof opts === 'string') {
    io.err(`${opts}\n${USAGE}`)
    return 2
  }
  if ((command === 'add' || command === 'roles') && opts.roles.length === 0) {
    io.err(`${command} needs at least one --role\n${USAGE}`)
    return 2
  }
  const c = loadCliConfig(io)
  if ('exitCode' in c) return c.exitCode
  const password = command === 'add' || command === 'password' ? await io.password(`Password for ${name} (at least 12 characters): `) : ''
  const opened = await openCliDb(c.config, io)
  if ('exitCode' in opened) return opened.exitCode
  const { db } = opened
  try {
    switch (command) {
      case 'list':
        for (const u of await listUsers(db)) io.out(`${u.username}\t${u.roles.join(',')}\t${u.source}${u.disabled ? '\tdisabled' : ''}\t${u.activeSessions} session(s)`)
        return 0
      case 'add': {
        const u = await createLocalUser(db, { username: name!, roles: opts.roles, password, ...(opts.displayName ? { displayName: opts.displayName } : {}) }, CLI)
        io.out(`created ${u.username} (${u.roles.join(', ')}); sign in at Gemello's address`)
        return 0
      }
      case 'roles': {
        const u = await updateUser(db, name!, { roles: opts.roles }, CLI)
        io.out(`${u.username} now has ${u.roles.join(', ')}; their open sessions were ended`)
        return 0
      }
      case 'disable':
      case 'enable': {
        const u = await updateUser(db, name!, { disabled: command === 'disable' }, CLI)
        io.out(`${u.username} ${u.disabled ? 'disabled; their open sessions were ended' : 'enabled'}`)
        return 0
      }
      default: {
        const u = await updateUser(db, name!, { password }, CLI)
        io.out(`password of ${u.username} changed; their open sessions were ended`)
        return 0
      }
    }
  } catch (err) {
    if (err instanceof UserError) {
      io.err(err.message)
      return 1
    }
    throw err
  } finally {
    await db.close()
  }
}

/** Reads a password: hidden on a terminal, the first line of standard input otherwise. */
export function readPassword(prompt: string): Promise<string> {
  const input = process.stdin
  if (!input.isTTY) {
    return new Promise((resolve) => {
      const rl = createInterface({ input })
      let done = false
      rl.once('line', (line) => {
        done = true
        rl.close()
        resolve(line)
      })
      rl.once('close', () => !done && resolve(''))
    })
  }
  return new Promise((resolve) => {
    process.stderr.write(prompt)
    const rl = createInterface({ input, output: process.stderr, terminal: true })
    // Mute the echo: readline writes typed characters through _writeToOutput.
    ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined
    rl.question('', (answer) => {
      rl.close()
      process.stderr.write('\n')
      resolve(answer)
    })
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runUsersCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env, cwd: process.cwd(), password: readPassword })
  process.exit(code)
}
