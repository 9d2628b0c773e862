/**
 * Property test (reference reliability-security.md §1.3 case 22, §1.4): the validator must agree with
 * an independent tick-by-tick oracle (testing/timeline-oracle.ts) on random fixed-time plans
 * (testing/plan-arbitraries.ts):
 *  (a) a plan the validator accepts (no 'reject') has no oracle finding — zero unsafe plans accepted;
 *  (b) for each of SIG-01, SIG-03, SIG-04, SIG-06, SIG-07, SIG-08 the validator rejects with that rule
 *      in the plan's cycle (context 'cycle' or 'wrap') iff the oracle finds it — disagreement = 0.
 *      Rejections found only in the startup sequence (context 'startup') are the validator's extra
 *      scope (§1.2: the timeline includes startup) and are not compared.
 *
 * SIGNAL_FUZZ_RUNS: cases (default 100 000; .ci/run sets 25 000 and says why; nightly may raise it to 10⁶).
 * SIGNAL_FUZZ_SEED: base seed (fixed by default, so a failure is reproducible).
 * SIGNAL_FUZZ_WORKERS: shards run in parallel (default 2: this process plus one child process running
 *   the same shard code under tsx, seed + k); 1 = everything in this process.
 * Each shard stops at its first disagreement and reports fast-check's shrunk counterexample.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { validateSignals } from './validator'
import { fuzzShard, type FuzzShardResult } from './testing/plan-arbitraries'

const RUNS = Math.max(1, Number(process.env.SIGNAL_FUZZ_RUNS ?? 100_000))
const SEED = Number(process.env.SIGNAL_FUZZ_SEED ?? 0x5167)
const WORKERS = Math.max(1, Math.min(8, Number(process.env.SIGNAL_FUZZ_WORKERS ?? 2)))

const VALIDATOR = fileURLToPath(new URL('./validator.ts', import.meta.url))
const ARBITRARIES = fileURLToPath(new URL('./testing/plan-arbitraries.ts', import.meta.url))
const REPO = fileURLToPath(new URL('../..', import.meta.url))

/** The same shard in a child process (node + tsx), so the fuzzing uses a second core. */
function childShard(runs: number, seed: number): Promise<FuzzShardResult> {
  const code = `
    import { pathToFileURL } from 'node:url'
    const v = await import(pathToFileURL(${JSON.stringify(VALIDATOR)}).href)
    const a = await import(pathToFileURL(${JSON.stringify(ARBITRARIES)}).href)
    process.stdout.write(JSON.stringify(a.fuzzShard(v.validateSignals, ${runs}, ${seed})))
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (rc) => {
      try {
        resolve(JSON.parse(out) as FuzzShardResult)
      } catch {
        reject(new Error(`fuzz shard (seed ${seed}) exited ${rc}: ${err.slice(0, 2000) || out.slice(0, 2000)}`))
      }
    })
  })
}

describe('signal-safety validator vs timeline oracle (property)', () => {
  it(
    `agrees on ${RUNS} random fixed-time plans (seed ${SEED}, ${WORKERS} shard${WORKERS > 1 ? 's' : ''})`,
    async () => {
      const started = Date.now()
      const per = Math.ceil(RUNS / WORKERS)
      const children = Array.from({ length: WORKERS - 1 }, (_, k) => childShard(per, SEED + k + 1))
      // Shard 0 here (synchronous; the children run meanwhile).
      const results = [fuzzShard(validateSignals, RUNS - per * (WORKERS - 1), SEED), ...(await Promise.all(children))]
      const total = results.reduce((a, r) => a + r.runs, 0)
      const vAcc = results.reduce((a, r) => a + r.validatorAccepted, 0)
      const oAcc = results.reduce((a, r) => a + r.oracleAccepted, 0)
      const failures = results.filter((r) => r.failed).map((r) => r.message ?? `seed ${r.seed} failed`)
      console.log(
        `[signal fuzz] ${total} runs in ${((Date.now() - started) / 1000).toFixed(1)} s (${results.map((r) => `${(r.ms / 1000).toFixed(1)} s`).join(' + ')}); ` +
          (failures.length > 0
            ? `${failures.length} shard(s) stopped at a disagreement`
            : `validator accepted ${((vAcc / total) * 100).toFixed(1)} %, oracle accepted ${((oAcc / total) * 100).toFixed(1)} %`),
      )
      if (failures.length > 0) throw new Error(`validator and oracle disagree:\n\n${failures.join('\n\n')}`)
      expect(total).toBe(RUNS)
    },
    Math.max(180_000, RUNS * 3),
  )
})
