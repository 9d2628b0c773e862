/**
 * `npm run mqtt-credentials -- <command>`: the files and passwords of MQTT identities (docs/broker.md,
 * "Device identity and ACL"). Reads DEVICE_KEY / DEVICE_KEY_FILE (or the embedded DATA_DIR key) and
 * DATABASE_URL / DATA_DIR like the server.
 *
 *   passwd [--gateway <name>]…     Mosquitto password file: every device in the registry, the service, the gateways
 *   acl [--gateway <name>]…        Mosquitto ACL file (deploy/mosquitto/acl is this with no gateway)
 *   password <device id>           one device's password, to provision it
 *   password --service | --gateway <name>
 *
 * Output on stdout (redirect it, with umask 077 for passwd); exit 2 on a usage or configuration error.
 */
import { pathToFileURL } from 'node:url'
import { mosquittoAclFile } from '../../../contracts/mqtt-acl'
import { DEVICE_ID } from '../../../contracts/events'
import { GATEWAY_NAME, MqttKeyring, type MqttIdentity } from '../../../contracts/mqtt-identity'
import { loadCliConfig, openCliDb, type CliErr } from '../db/cli-db'
import { loadDeviceKey } from './device-key'
import { mosquittoPasswordLine } from './mosquitto-passwd'

export interface CliIo extends CliErr {
  out(text: string): void
}

export const USAGE = [
  'Usage: npm run mqtt-credentials -- passwd [--gateway <name>]…   > passwd   (Mosquitto password file)',
  '       npm run mqtt-credentials -- acl [--gateway <name>]…      > acl      (Mosquitto ACL file)',
  '       npm run mqtt-credentials -- password <device id> | --service | --gateway <name>',
].join('\n')

/** Mosquitto password file lines for these identities, in this order. */
export async function mosquittoPasswordFile(keyring: MqttKeyring, identities: readonly MqttIdentity[]): Promise<string> {
  const lines: string[] = []
  for (const identity of identities) {
    const c = await keyring.credentials(identity)
    lines.push(mosquittoPasswordLine(c.username, c.password))
  }
  return `${lines.join('\n')}\n`
}

function gatewaysOf(args: string[]): string[] | string {
  const names: string[] = []
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] !== '--gateway') return `unknown option ${args[i]}`
    const name = args[i + 1]
    if (name === undefined || !GATEWAY_NAME.test(name)) return `--gateway needs a name (letters, digits, . _ -), got ${name ?? 'nothing'}`
    names.push(name)
  }
  return names
}

export async function runMqttCredentialsCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  const usage = (why: string) => {
    io.err(`${why}\n${USAGE}`)
    return 2
  }
  if (command === 'acl') {
    const gateways = gatewaysOf(rest)
    if (typeof gateways === 'string') return usage(gateways)
    io.out(mosquittoAclFile(gateways))
    return 0
  }
  if (command !== 'passwd' && command !== 'password') return usage(command ? `unknown command ${command}` : 'no command')
  let one: MqttIdentity | null = null
  let gateways: string[] = []
  if (command === 'password') {
    if (rest[0] === '--service' && rest.length === 1) one = { type: 'service' }
    else if (rest[0] === '--gateway' && rest.length === 2 && GATEWAY_NAME.test(rest[1]!)) one = { type: 'gateway', name: rest[1]! }
    else if (rest.length === 1 && DEVICE_ID.test(rest[0]!)) one = { type: 'device', deviceId: rest[0]! }
    else return usage(`password needs one device id, --service or --gateway <name>`)
  } else {
    const g = gatewaysOf(rest)
    if (typeof g === 'string') return usage(g)
    gateways = g
  }
  const c = loadCliConfig(io)
  if ('exitCode' in c) return c.exitCode
  let keyring: MqttKeyring
  try {
    const source = loadDeviceKey(c.config.mqttAuth, { dataDir: c.config.dataDir, embedded: c.config.mqtt.kind === 'embedded' })
    if (!source) return usage('no device key: set DEVICE_KEY or DEVICE_KEY_FILE')
    keyring = await MqttKeyring.create(source.key)
  } catch (err) {
    io.err((err as Error).message)
    return 2
  }
  if (one) {
    io.out(`${await keyring.password(one)}\n`)
    return 0
  }
  const opened = await openCliDb(c.config, io)
  if ('exitCode' in opened) return opened.exitCode
  try {
    const ids = (await opened.db.query<{ id: string }>('SELECT id FROM device ORDER BY id')).rows.map((r) => r.id)
    const identities: MqttIdentity[] = [{ type: 'service' }, ...gateways.map((name) => ({ type: 'gateway' as const, name })), ...ids.map((deviceId) => ({ type: 'device' as const, deviceId }))]
    io.out(await mosquittoPasswordFile(keyring, identities))
    io.err(`${ids.length} devices, the service${gateways.length ? ` and ${gateways.length} gateways` : ''} (${opened.db.describe()})`)
    return 0
  } finally {
    await opened.db.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runMqttCredentialsCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (l) => console.error(l), env: process.env, cwd: process.cwd() })
  process.exit(code)
}
