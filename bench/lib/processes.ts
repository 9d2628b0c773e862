/** Child processes of the ingest benchmark: SUT and bare pipe over IPC, and the publisher. */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

// ------------------------------------------------------------------------------------------
// child processes
// ------------------------------------------------------------------------------------------

export interface Ipc {
  proc: ChildProcess
  ready: Record<string, unknown>
  request<T = Record<string, unknown>>(msg: Record<string, unknown>): Promise<T>
}

export function startChild(script: string, env: NodeJS.ProcessEnv): Promise<Ipc> {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each child to that folder (open in Chrome DevTools).
  const prof = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []
  // BENCH_NODE_FLAGS="--trace-gc …" passes V8/Node flags to the children (diagnosis only).
  if (process.env.BENCH_NODE_FLAGS) prof.push(...process.env.BENCH_NODE_FLAGS.split(' '))
  const proc = fork(path.join(ROOT, script), [], { env: { ...process.env, ...env }, execArgv: ['--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let reqId = 0
  const waiting = new Map<number, (m: Record<string, unknown>) => void>()
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)))
    proc.on('message', (m: Record<string, unknown>) => {
      if (m.type === 'ready') {
        proc.removeAllListeners('exit')
        resolve({
          proc,
          ready: m,
          request: (msg) =>
            new Promise((res, rej) => {
              const id = ++reqId
              waiting.set(id, (r) => (r.type === 'error' ? rej(new Error(String(r.message))) : res(r as never)))
              proc.send({ ...msg, reqId: id })
            }),
        })
      } else if (typeof m.reqId === 'number') {
        waiting.get(m.reqId)?.(m)
        waiting.delete(m.reqId)
      }
    })
  })
}

export async function stopChild(c: Ipc): Promise<void> {
  const exited = new Promise((r) => c.proc.once('exit', r))
  c.proc.send({ type: 'stop' })
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))])
  if (c.proc.exitCode === null) c.proc.kill('SIGKILL')
}

export interface PublisherResult {
  cpuSeconds: number
  published: number
  acked: number
  errors: number
  waits: number
  sendSeconds: number
  perDeviceLastSeq: Record<string, number>
}

/** With `deviceKey` every device connects as itself (one connection each, the broker checks the ACL); without, `connections` anonymous ones. */
export function publish(url: string, protocolVersion: number, rate: number, seconds: number, o: { devices: number; connections: number; deviceKey?: string }): Promise<PublisherResult & { exitedAt: number }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DEVICE_KEY: o.deviceKey ?? '' }
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lib/publisher.ts'), url, String(protocolVersion), String(o.devices), String(rate), String(seconds), String(o.connections), '1000'], { stdio: ['ignore', 'pipe', 'inherit'], env })
    let out = ''
    p.stdout.on('data', (d: Buffer) => (out += d.toString()))
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`publisher exited with ${code}`))
      const r = JSON.parse(out.trim().split('\n').pop()!) as PublisherResult
      resolve({ ...r, exitedAt: Date.now() })
    })
  })
}

