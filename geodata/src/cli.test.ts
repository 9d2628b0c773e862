import { describe, expect, it } from 'vitest'
import { runCli, type CliIo } from './cli'

function io(env: NodeJS.ProcessEnv = {}): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = []
  const errLines: string[] = []
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, cwd: '/tmp' }
}

describe('runCli (no database needed)', () => {
  it('prints the usage without arguments', async () => {
    const t = io()
    expect(await runCli([], t)).toBe(2)
    expect(t.errLines.join('\n')).toMatch(/^Usage: tsx geodata\/src\/cli.ts <dataset\|all\|demo> \[path\]/)
  })

  it('refuses an unknown dataset', async () => {
    const t = io()
    expect(await runCli(['bologna-buses'], t)).toBe(2)
    expect(t.errLines[0]).toMatch(/^Unknown dataset "bologna-buses"/)
  })

  it('stops on a configuration error', async () => {
    const t = io({ DATABASE_URL: 'mysql://nope' })
    expect(await runCli(['all'], t)).toBe(2)
    expect(t.errLines[0]).toMatch(/DATABASE_URL must start with postgres/)
  })

  it('imports nothing from a directory without the city files', async () => {
    const t = io({ CITY_DATA_DIR: '/nonexistent/city' })
    expect(await runCli(['all'], t)).toBe(1)
    expect(t.errLines[0]).toMatch(/^\/nonexistent\/city does not exist\nNothing imported/)
  })
})
