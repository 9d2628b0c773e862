/** Real services the ingest benchmark starts for itself: a Mosquitto with the production file, and databases. */
import { spawn, spawnSync } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort } from '../../tests/helpers/free-port'
import { writeMosquittoConf } from '../../tests/helpers/mosquitto-conf'


export { freePort }

export async function startMosquitto(): Promise<{ url: string; pid: number; stop(): void; conf: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-bench-mqtt-'))
  const port = await freePort()
  // The production delivery settings without authentication: the bench publisher sends many devices per connection.
  await writeMosquittoConf({ dir, port, auth: 'open' })
  try {
    const uid = Number(spawnSync('id', ['-u', 'mosquitto']).stdout.toString().trim())
    if (Number.isFinite(uid)) chownSync(dir, uid, uid)
  } catch {
    /* not root: mosquitto keeps our user */
  }
  const p = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end()
        r(true)
      })
      s.on('error', () => r(false))
    })
    if (ok) break
    await new Promise((r) => setTimeout(r, 50))
  }
  return { url: `mqtt://127.0.0.1:${port}`, pid: p.pid ?? 0, conf: 'deploy/mosquitto/mosquitto.conf (port and data dir changed, no authentication)', stop: () => { p.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }) } }
}

export async function createDatabase(admin: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await c.query(`CREATE DATABASE ${name}`)
  await c.end()
  const u = new URL(admin)
  u.pathname = `/${name}`
  return u.toString()
}
export async function dropDatabase(admin: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await c.end()
}

