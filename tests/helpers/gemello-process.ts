import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port'
import { signInAdmin, TEST_ADMIN, TEST_ADMIN_ENV } from './staff-session'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export { freePort }

/**
 * Gemello as `npm start` runs it, in its own process, on fixed ports so that it can be restarted in
 * place (browser tests, chaos tests; any GEMELLO_ROLES).
 */
export class GemelloProcess {
  private proc: ChildProcess | null = null
  output = ''
  constructor(readonly env: NodeJS.ProcessEnv & { PORT: string; DATA_DIR: string }) {}

  get pid(): number | null {
    return this.proc?.pid ?? null
  }
  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`
  }
  get mqttUrl(): string {
    return `mqtt://127.0.0.1:${this.env.MQTT_PORT}`
  }

  async start(): Promise<void> {
    this.proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts')], {
      cwd: ROOT,
      // The test runner's own setting is not Gemello's (Gemello refuses unknown GEMELLO_* keys).
      // The test administrator exists from the first start (GEMELLO_ADMIN_*): tests sign in as it.
      env: { ...withoutTestSettings(process.env), LOG_LEVEL: 'warn', ...TEST_ADMIN_ENV, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const p = this.proc
    // CI keeps every test-started Gemello's output for the log-hygiene scan (scripts/log-hygiene.ts).
    const logDir = process.env.TEST_LOG_DIR
    if (logDir) {
      mkdirSync(logDir, { recursive: true })
      const file = path.join(logDir, `gemello-${this.env.PORT}-${p.pid}.log`)
      const keep = (d: Buffer) => appendFileSync(file, d)
      p.stdout?.on('data', keep)
      p.stderr?.on('data', keep)
    }
    // Only this start's output counts: after a restart the log already holds the first "live" line.
    const from = this.output.length
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.output += d.toString()
        if (this.output.indexOf('Gemello is live at', from) >= 0) resolve()
      }
      p.stdout?.on('data', onData)
      p.stderr?.on('data', (d: Buffer) => (this.output += d.toString()))
      p.once('exit', (code) => reject(new Error(`Gemello exited with ${code} before it was live:\n${this.output.slice(-3000)}`)))
    })
    p.removeAllListeners('exit')
  }

  /** A session of the test administrator: the Cookie header value for HTTP and Socket.IO clients. */
  signIn(): Promise<string> {
    return signInAdmin(this.url)
  }

  /**
   * Signs a browser page in as the test administrator, through the sign-in API from one of Gemello's
   * own pages (the browser stores the __Host- cookie as it would after the form; tests/e2e/access.e2e.ts
   * drives the form itself).
   */
  async signInPage(page: { goto(url: string): Promise<unknown>; evaluate<R, A>(fn: (a: A) => Promise<R>, arg: A): Promise<R> }): Promise<void> {
    await page.goto(`${this.url}/api/about`)
    const status = await page.evaluate(
      async (body) => (await fetch('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status,
      JSON.stringify({ username: TEST_ADMIN.username, password: TEST_ADMIN.password }),
    )
    if (status !== 200) throw new Error(`browser sign-in failed: HTTP ${status}`)
  }

  /** Freezes the process (SIGSTOP): sockets stay open, nothing answers — a hung server. */
  pause(): void {
    this.proc?.kill('SIGSTOP')
  }
  resume(): void {
    this.proc?.kill('SIGCONT')
  }

  /** Stops the process the way an operator or a crash would. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.proc
    if (!p || p.exitCode !== null) return
    const exited = new Promise((r) => p.once('exit', r))
    p.kill(signal)
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))])
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
    this.proc = null
  }
}

function withoutTestSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env }
  delete copy.GEMELLO_TEST_TARGET
  return copy
}
