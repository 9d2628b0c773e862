/**
 * Real services the chaos suite owns and kills: Mosquitto (the production configuration, only the
 * listener and the persistence directory rewritten) and Redis, each on a free loopback port, each
 * with kill(signal) and restart() on the same port and the same data. Nothing is mocked.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../helpers/free-port'
import { writeMosquittoConf } from '../../helpers/mosquitto-conf'
import { waitFor } from '../../helpers/wait-for'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.on('connect', () => {
      s.end()
      resolve(true)
    })
    s.on('error', () => resolve(false))
  })
}

/** A server process on a fixed port that can be killed and started again in place. */
export class ServiceProcess {
  private proc: ChildProcess | null = null
  output = ''
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly command: () => [string, string[]],
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    const [cmd, args] = this.command()
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    this.proc = p
    p.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)))
    p.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)))
    await waitFor(() => listening(this.port), `${this.name} listening on ${this.port}: ${this.output.slice(-500)}`, 15_000, 50)
  }

  /** SIGKILL by default: no clean shutdown, no last save. Resolves when the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc
    if (!p || p.exitCode !== null || p.signalCode !== null) return
    const exited = new Promise<void>((r) => p.once('exit', () => r()))
    p.kill(signal)
    await exited
    this.proc = null
  }

  async restart(): Promise<void> {
    await this.kill()
    await this.start()
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM')
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
  }
}

export interface MosquittoOptions {
  /** Replace the production autosave settings (the negative control runs Mosquitto's defaults). */
  autosaveInterval?: number
}

export async function startMosquitto(o: MosquittoOptions = {}): Promise<ServiceProcess & { url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-chaos-mq-'))
  // Mosquitto drops root and writes its persistence file as the mosquitto user.
  spawnSync('chown', ['mosquitto', dir])
  const port = await freePort()
  // The production delivery settings without authentication: the chaos fleets publish many devices per connection.
  await writeMosquittoConf({ dir, port, auth: 'open', ...(o.autosaveInterval !== undefined ? { autosaveInterval: o.autosaveInterval } : {}) })
  const svc = new ServiceProcess('mosquitto', port, () => ['mosquitto', ['-c', path.join(dir, 'mosquitto.conf')]], dir)
  await svc.start()
  return Object.assign(svc, { url: `mqtt://127.0.0.1:${port}` })
}

export async function startRedis(): Promise<ServiceProcess & { url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-chaos-redis-'))
  const port = await freePort()
  const svc = new ServiceProcess('redis', port, () => ['redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]], dir)
  await svc.start()
  return Object.assign(svc, { url: `redis://127.0.0.1:${port}` })
}
