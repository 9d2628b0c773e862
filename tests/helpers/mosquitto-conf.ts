/**
 * deploy/mosquitto/mosquitto.conf made runnable on this machine: listeners on free loopback ports,
 * persistence and the auth files in a temporary folder. Everything else is the production file.
 *
 *  - auth 'production': the repo's ACL file, a password file for the given identities (written by
 *    the same code as `npm run mqtt-credentials -- passwd`), and the TLS listener with certificates
 *    made here by openssl (a CA and a server certificate for 127.0.0.1).
 *  - auth 'open': anonymous clients, no ACL, no TLS listener — for suites that measure or kill the
 *    broker and publish many devices per connection (bench, chaos).
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MqttIdentity, MqttKeyring } from '../../contracts/mqtt-identity'
import { mosquittoPasswordFile } from '../../server/src/broker/mqtt-credentials-cli'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const PRODUCTION_CONF = path.join(ROOT, 'deploy/mosquitto/mosquitto.conf')
export const PRODUCTION_ACL = path.join(ROOT, 'deploy/mosquitto/acl')

export type MosquittoConfOptions = { dir: string; port: number; autosaveInterval?: number } & (
  | { auth: 'open' }
  | { auth: 'production'; keyring: MqttKeyring; identities: readonly MqttIdentity[]; tlsPort: number }
)

/** Writes dir/mosquitto.conf (and the files it names); returns its path. */
export async function writeMosquittoConf(o: MosquittoConfOptions): Promise<string> {
  let conf = readFileSync(PRODUCTION_CONF, 'utf8')
    .replace(/^listener 1883$/m, `listener ${o.port} 127.0.0.1`)
    .replace(/^persistence_location .*$/m, `persistence_location ${o.dir}/`)
  if (o.autosaveInterval !== undefined) conf = conf.replace(/^autosave_interval .*$/m, `autosave_interval ${o.autosaveInterval}`)
  if (o.auth === 'open') {
    conf = conf
      .replace(/^listener 8883\n(?:(?:cafile|certfile|keyfile|tls_version) .*\n)*/m, '')
      .replace(/^allow_anonymous false$/m, 'allow_anonymous true')
      .replace(/^(password_file|acl_file) .*\n/gm, '')
  } else {
    makeCertificates(o.dir)
    copyFileSync(PRODUCTION_ACL, path.join(o.dir, 'acl'))
    writeFileSync(path.join(o.dir, 'passwd'), await mosquittoPasswordFile(o.keyring, o.identities), { mode: 0o600 })
    conf = conf
      .replace(/^listener 8883$/m, `listener ${o.tlsPort} 127.0.0.1`)
      .replace(/^(cafile|certfile|keyfile) \/mosquitto\/config\/certs\/(.*)$/gm, (_m, k: string, f: string) => `${k} ${path.join(o.dir, f)}`)
      .replace(/^password_file .*$/m, `password_file ${path.join(o.dir, 'passwd')}`)
      .replace(/^acl_file .*$/m, `acl_file ${path.join(o.dir, 'acl')}`)
  }
  const file = path.join(o.dir, 'mosquitto.conf')
  writeFileSync(file, conf)
  // Mosquitto drops root and reads its files and writes its persistence as the mosquitto user.
  spawnSync('chown', ['-R', 'mosquitto', o.dir])
  return file
}

/** dir/ca.crt, dir/server.crt (CN and SAN 127.0.0.1, signed by the CA), dir/server.key. */
function makeCertificates(dir: string): void {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`)
  }
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=Gemello test CA'])
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'])
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n')
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.ext'])
}
