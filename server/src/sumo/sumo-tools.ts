/**
 * The SUMO tools a run spawns (routeSampler, `sumo`), each in its own process group so that a cancel,
 * the wall-time limit or a stopping server kills it whole (server/src/sumo/sumo-job-runner.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'

const MAX_WARNINGS = 50

/** The run a tool belongs to: its process, and whether the run was aborted (then the tool was killed). */
export interface ToolHost {
  child: ChildProcess | null
  aborted: unknown
}

export interface ToolResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  warnings: string[]
  errors: string[]
  tail: string[]
  notFound: boolean
}

let stdbuf: boolean | null = null

/** Whether `stdbuf` is there (SUMO's step log then comes unbuffered, so progress moves as it runs). */
export function hasStdbuf(): boolean {
  if (stdbuf === null) stdbuf = spawnSync('stdbuf', ['--version'], { stdio: 'ignore' }).status === 0
  return stdbuf
}

/**
 * Runs a tool in its own process group (killed whole on abort), keeping: SUMO's warnings about
 * traffic-light programs (verbatim, at most MAX_WARNINGS), error lines, the last lines of stderr,
 * and stdout without the step log.
 */
export function spawnTool(a: ToolHost, cmd: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void }): Promise<ToolResult> {
  return new Promise<ToolResult>((resolve) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    a.child = child
    const warnings: string[] = []
    const errors: string[] = []
    const tail: string[] = []
    let stdout = ''
    let errBuf = ''
    let notFound = false
    child.stdout!.setEncoding('utf8')
    child.stderr!.setEncoding('utf8')
    child.stdout!.on('data', (d: string) => {
      o.onStdout?.(d)
      if (stdout.length < 200_000) stdout += d.replace(/Step #[^\r\n]*[\r\n]?/g, '')
    })
    const line = (l: string) => {
      const t = l.trim()
      if (t === '') return
      tail.push(t)
      if (tail.length > 20) tail.shift()
      if (/^Warning:/i.test(t)) {
        if (/tlLogic|traffic light|tls|program|yellow|phase|signal/i.test(t) && warnings.length < MAX_WARNINGS) warnings.push(t)
      } else if (/^Error:|^Traceback|^\w*Error\b|^Quitting/.test(t)) errors.push(t)
    }
    child.stderr!.on('data', (d: string) => {
      const parts = (errBuf + d).split(/\r?\n/)
      errBuf = parts.pop() ?? ''
      parts.forEach(line)
    })
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') notFound = true
      errors.push(err.message)
    })
    child.on('close', (code, signal) => {
      line(errBuf)
      if (a.child === child) a.child = null
      resolve({ code: notFound && !a.aborted ? -1 : code, signal, stdout, warnings, errors, tail, notFound })
    })
  })
}

/** Kills a tool's whole process group (detached: its pid is the group's id); quietly when it has gone. */
export function killGroup(child: ChildProcess | null): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    try {
      child.kill('SIGKILL')
    } catch {
      /* gone */
    }
  }
}
