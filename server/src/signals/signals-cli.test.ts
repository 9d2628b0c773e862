/**
 * `npm run signals -- validate`: exit codes and output a script relies on, on a Gemello workbench
 * file, on Bologna's real SUMO programs, and on a program Debian's `sumo` loads with no more than a
 * warning (a missing yellow, conflicting greens) that Gemello must reject.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BASE_ROWS, junction, plan, withRows } from '../../../contracts/signal-safety/testing/signal-factories'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { runSignalsCli } from './signals-cli'

const SUMO = path.join(CITY_DATA_DIR, 'sumo-bologna')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gemello-signals-'))

async function run(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runSignalsCli(['validate', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), cwd: tmp })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

function workbench(name: string, plans: unknown[]): string {
  const file = path.join(tmp, name)
  writeFileSync(file, JSON.stringify({ controller: junction(), plans }))
  return file
}

const net = (n: string) => path.join(SUMO, n, `${n}_buslanes.net.xml`)
const tls = (n: string) => path.join(SUMO, n, `${n}_tls.add.xml`)

describe('signals validate <workbench.json>', () => {
  it('exits 0 for a legal plan and says so', async () => {
    const r = await run(workbench('ok.json', [plan()]))
    expect(r.code).toBe(0)
    expect(r.out).toContain('controller J1 (day): accepted')
  })

  it('exits 1 and prints each violation with rule, groups, interval and time', async () => {
    const r = await run(workbench('bad.json', [plan(withRows({ 2: [4, 'Y', 'G', 'R'], 3: [3, 'R', 'G', 'R'] }))]))
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/REJECT SIG-01 \[A B\] plan day interval 3 at 38\.0 s cycle: A and B conflict/)
    expect(r.out).toContain('1 controller(s), 1 rejected')
  })

  it('--json prints the reports', async () => {
    const r = await run(workbench('ok2.json', [plan(BASE_ROWS)]), '--json')
    expect(JSON.parse(r.out)[0]).toMatchObject({ controllerId: 'J1', ok: true, validatorVersion: expect.stringMatching(/^gemello-signal-safety/) })
  })

  it('exits 2 on a usage error or unreadable input', async () => {
    expect((await run()).code).toBe(2)
    expect((await run('nope.json')).err).toContain('cannot read')
    expect((await run(workbench('x.json', []), '--profile', 'fr')).err).toContain('--profile must be it or de')
    writeFileSync(path.join(tmp, 'not.json'), '{')
    expect((await run('not.json')).err).toContain('is not JSON')
  })
})

describe('signals validate --net (Bologna UTOPIA programs)', () => {
  it('accepts every real program of the Andrea Costa network (warnings allowed)', async () => {
    const r = await run('--net', net('acosta'), tls('acosta'))
    expect(r.out).not.toContain('REJECT')
    expect(r.code).toBe(0)
    expect(r.out).toContain('7 controller(s), 0 rejected')
  })

  it('finds the one real defect of the joined network: 235 phase 4 lasts 15 s with maxDur 5', async () => {
    const r = await run('--net', net('joined'), tls('joined'))
    expect(r.code).toBe(1)
    const rejected = r.out.split('\n').filter((l) => l.startsWith('  REJECT'))
    expect(rejected).toHaveLength(1)
    expect(rejected[0]).toContain('SIG-10 [] plan 235-utopia interval 4 structure: interval 4: maxS 5 s is below the duration 15 s')
    expect(r.out).toContain('13 controller(s), 1 rejected')
  })
})

describe('stricter than SUMO', () => {
  // 209: the yellow of phase 2 removed, and phase 6 gives a right turn green together with the straight movement it merges with.
  const original = readFileSync(tls('acosta'), 'utf8')
  const broken = original
    .replace('<phase duration="3" state="yrGGGyy" minDur="3" maxDur="3"/>', '<phase duration="3" state="rrGGGrr" minDur="3" maxDur="3"/>')
    .replace('<phase duration="26" state="rGrrrrr" minDur="26" maxDur="26"/>', '<phase duration="26" state="rGGrrrr" minDur="26" maxDur="26"/>')
  const file = path.join(tmp, 'broken_tls.add.xml')
  writeFileSync(file, broken)

  it('sumo 1.15 loads the program with only a "Missing yellow phase" warning', () => {
    expect(broken).not.toBe(original)
    const r = spawnSync('sumo', ['-n', net('acosta'), '-a', file, '--begin', '0', '--end', '5', '--no-step-log'], { encoding: 'utf8' })
    expect(r.error).toBeUndefined()
    expect(r.status).toBe(0)
    expect(r.stderr).toContain("Missing yellow phase in tlLogic '209'")
    expect(r.stderr).not.toMatch(/conflict/i)
  })

  it('gemello rejects it: green straight to red, and the merging movements green together', async () => {
    const r = await run('--net', net('acosta'), file)
    expect(r.code).toBe(1)
    const lines = r.out.split('\n').filter((l) => l.includes('REJECT'))
    expect(lines.some((l) => /SIG-03 .*plan 209-utopia interval 2 .*G → R/.test(l))).toBe(true)
    expect(lines.some((l) => /SIG-01 .*plan 209-utopia interval 6 .*conflict but both have right of way/.test(l))).toBe(true)
  })
})
