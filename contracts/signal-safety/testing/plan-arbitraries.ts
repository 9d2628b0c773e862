/**
 * fast-check arbitraries for the signal-safety property test: a controller (2–6 vehicle/pedestrian
 * groups, symmetric conflict matrix, a full intergreen matrix, IT profile) and one fixed-time plan.
 *
 * A plan is built from a stage sequence with proper clearance (green → [flashing green] → yellow →
 * all-red, the all-red stretched until every intergreen and pedestrian clearance holds), then gets
 * 0–2 random mutations (short/long/missing yellow, overlapping greens, short all-red, short green,
 * short pedestrian clearance, a flipped state, swapped/removed/retimed intervals) — so a good share
 * of plans is safe and the rest is unsafe in a variety of small ways.
 *
 * The arbitrary draws a flat "genome" of numbers and builds the plan from it deterministically,
 * so fast-check shrinks the genome and the counterexamples stay readable.
 */
import fc from 'fast-check'
import type { ValidationReport } from '../violation'
import { compareWithOracle, runOracle, type OracleController } from './timeline-oracle'

type State = 'R' | 'RY' | 'G' | 'Gflash' | 'Y'

export interface GenGroup {
  id: string
  name: string
  type: 'vehicle' | 'pedestrian'
  links: number[]
  approach: null
  lanes: string[]
  turn: 'through'
  speedKmh: number
  gradePct: number
  extraUrban: boolean
  minGreenS: number | null
  crossing: { lengthM: number; refugeAtM: number | null; sensitive: boolean } | null
  onDemand: boolean
}

export interface GenController extends OracleController {
  id: string
  intersectionCode: null
  name: string
  networkId: null
  profile: 'it'
  signalGroups: GenGroup[]
  conflicts: string[]
  geometry: []
  permissive: []
  intergreen: Record<string, Record<string, number>>
  intergreenOverrides: []
  startup: { flashS: number; allRedS: number }
  failureMode: 'flashing-yellow'
  schedule: []
}

export interface GenInterval {
  name: string
  durationS: number
  states: State[]
  minorGreen: string[]
}

export interface GenPlan {
  id: string
  controllerId: string
  name: string
  control: 'fixed'
  nightProgram: false
  cycleS: number
  offsetS: number
  intervals: GenInterval[]
  switchPoints: number[]
  source: { kind: 'generated' }
}

export interface GenCase {
  controller: GenController
  plan: GenPlan
  /** What was done to the safe baseline (for reading counterexamples). */
  mutations: string[]
}

const MUTATIONS = [
  'shortenYellow',
  'lengthenYellow',
  'dropYellow',
  'overlapGreens',
  'shortenAllRed',
  'shortenGreen',
  'shortPedClearance',
  'flipState',
  'swapIntervals',
  'removeInterval',
  'retime',
] as const
type MutationKind = (typeof MUTATIONS)[number]

const groupGene = fc.record({
  pedestrian: fc.boolean(),
  speedKmh: fc.integer({ min: 30, max: 70 }),
  gradeDeci: fc.integer({ min: -60, max: 60 }),
  extraUrban: fc.boolean(),
  minGreen: fc.constantFrom(null, null, null, 6, 8, 10),
  /** Crossing length in decimetres (6–20 m). */
  lengthDm: fc.integer({ min: 60, max: 200 }),
  refuge: fc.boolean(),
  refugeFrac: fc.integer({ min: 20, max: 80 }),
  sensitive: fc.boolean(),
  /** Primary stage (mod the stage count). */
  stage: fc.nat(),
  /** 0 (25 %): stay green into the next stage too, when that conflicts with no one there. */
  extend: fc.integer({ min: 0, max: 3 }),
})

const mutationGene = fc.record({
  kind: fc.integer({ min: 0, max: MUTATIONS.length - 1 }),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
})

export const genomeArb = fc.record({
  groups: fc.array(groupGene, { minLength: 2, maxLength: 6 }),
  stageCount: fc.integer({ min: 1, max: 3 }),
  /** Conflict coin per unordered pair (of different stages); 'x' when < 7 (70 %). */
  conflictCoins: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 15 }),
  /** Intergreen per ordered pair in tenths (2.0–8.0 s); whole seconds when `igWhole`. */
  igTenths: fc.array(fc.integer({ min: 20, max: 80 }), { minLength: 36, maxLength: 36 }),
  igWhole: fc.boolean(),
  /** Per stage: green (5–30 s), yellow (3–6 s), all-red (1–4 s), flashing green (0 = none, 1–8 s). */
  greenTenths: fc.array(fc.integer({ min: 50, max: 300 }), { minLength: 3, maxLength: 3 }),
  yellowTenths: fc.array(fc.integer({ min: 30, max: 60 }), { minLength: 3, maxLength: 3 }),
  allRedTenths: fc.array(fc.integer({ min: 10, max: 40 }), { minLength: 3, maxLength: 3 }),
  flashTenths: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 10, max: 80 })), { minLength: 3, maxLength: 3 }),
  startupExtra: fc.integer({ min: 0, max: 3 }),
  mutations: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(mutationGene, { minLength: 1, maxLength: 2 }) }),
  offsetFrac: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  /**
   * Where the plan's cycle starts (after the mutations): 0 = at the first green; 1 = at another
   * interval; 2 = inside an interval, split in two so a run crosses the wrap (last → first interval).
   */
  rotate: fc.oneof({ weight: 2, arbitrary: fc.constant({ kind: 0, at: 0 }) }, { weight: 1, arbitrary: fc.record({ kind: fc.integer({ min: 1, max: 2 }), at: fc.nat() }) }),
})
export type Genome = typeof genomeArb extends fc.Arbitrary<infer T> ? T : never

interface Iv {
  ticks: number
  states: State[]
  kind: 'green' | 'flash' | 'yellow' | 'allRed' | 'other'
}

const pairIndex = (i: number, j: number): number => {
  // index of unordered pair (i<j) among 6 groups: 15 pairs
  const [a, b] = i < j ? [i, j] : [j, i]
  let k = 0
  for (let x = 0; x < 6; x++) for (let y = x + 1; y < 6; y++) {
    if (x === a && y === b) return k
    k++
  }
  return 0
}

export function buildCase(genome: Genome): GenCase {
  const n = genome.groups.length
  const k = Math.min(genome.stageCount, n)
  // Stages: every stage gets at least one group (group s for s < k), the rest at random.
  const primary = genome.groups.map((g, i) => (i < k ? i : g.stage % k))

  const signalGroups: GenGroup[] = genome.groups.map((g, i) => {
    const pedestrian = g.pedestrian
    const lengthM = g.lengthDm / 10
    return {
      id: `SG${i + 1}`,
      name: `${pedestrian ? 'Pedestrian' : 'Vehicle'} ${i + 1}`,
      type: pedestrian ? 'pedestrian' : 'vehicle',
      links: [i],
      approach: null,
      lanes: [],
      turn: 'through',
      speedKmh: g.speedKmh,
      gradePct: g.gradeDeci / 10,
      extraUrban: g.extraUrban,
      minGreenS: pedestrian ? null : g.minGreen,
      crossing: pedestrian ? { lengthM, refugeAtM: g.refuge ? Math.round(g.lengthDm * (g.refugeFrac / 100)) / 10 : null, sensitive: g.sensitive } : null,
      onDemand: false,
    }
  })
  const ids = signalGroups.map((g) => g.id)

  // Conflicts: never within a stage; between stages with probability 70 %.
  const K: boolean[][] = ids.map(() => ids.map(() => false))
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = primary[i] !== primary[j] && (genome.conflictCoins[pairIndex(i, j)] ?? 0) < 7
      K[i]![j] = x
      K[j]![i] = x
    }
  }
  const conflicts = K.map((row, i) => row.map((x, j) => (i === j ? '.' : x ? 'x' : '.')).join(''))
  const intergreen: Record<string, Record<string, number>> = {}
  let maxIg = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!K[i]![j]) continue
      const tenths = genome.igTenths[i * 6 + j] ?? 50
      const s = genome.igWhole ? Math.round(tenths / 10) : tenths / 10
      ;(intergreen[ids[i]!] ??= {})[ids[j]!] = s
      maxIg = Math.max(maxIg, s)
    }
  }

  // Stage membership: primary, plus an extension into the next stage when it conflicts with no one
  // there and it is not the last of its stage's primary groups to stay (someone must leave).
  const member: boolean[][] = Array.from({ length: k }, (_, s) => primary.map((p) => p === s))
  if (k >= 2) {
    for (let s = 0; s < k; s++) {
      const next = (s + 1) % k
      const own = primary.map((p, i) => (p === s ? i : -1)).filter((i) => i >= 0)
      let leaving = own.length
      for (const g of own) {
        if (genome.groups[g]!.extend !== 0 || leaving <= 1) continue
        const ok = ids.every((_, h) => !member[next]![h] || !K[g]![h])
        if (ok) {
          member[next]![g] = true
          leaving--
        }
      }
    }
  }

  // Intervals per stage s: green, [flashing green for leaving pedestrians], yellow, all-red.
  const ivs: Iv[] = []
  for (let s = 0; s < k; s++) {
    const next = (s + 1) % k
    const inS = member[s]!
    const inNext = k === 1 ? inS.map(() => false) : member[next]!
    const leaving = ids.map((_, g) => inS[g]! && !inNext[g]!)
    let green = genome.greenTenths[s] ?? 100
    for (let g = 0; g < n; g++) if (inS[g]) green = Math.max(green, Math.round((signalGroups[g]!.minGreenS ?? 5) * 10))
    ivs.push({ ticks: green, kind: 'green', states: ids.map((_, g) => (inS[g] ? 'G' : 'R')) })
    const flash = genome.flashTenths[s] ?? 0
    const pedLeaving = leaving.some((l, g) => l && signalGroups[g]!.type === 'pedestrian')
    if (flash > 0 && pedLeaving && k * 3 + s + 1 <= 10) {
      ivs.push({ ticks: flash, kind: 'flash', states: ids.map((_, g) => (leaving[g] && signalGroups[g]!.type === 'pedestrian' ? 'Gflash' : inS[g] ? 'G' : 'R')) })
    }
    ivs.push({ ticks: genome.yellowTenths[s] ?? 40, kind: 'yellow', states: ids.map((_, g) => (leaving[g] ? 'Y' : inS[g] ? 'G' : 'R')) })
    ivs.push({ ticks: genome.allRedTenths[s] ?? 20, kind: 'allRed', states: ids.map((_, g) => (inS[g] && !leaving[g] ? 'G' : 'R')) })
  }

  const controller: GenController = {
    id: 'C1',
    intersectionCode: null,
    name: 'Generated junction',
    networkId: null,
    profile: 'it',
    signalGroups,
    conflicts,
    geometry: [],
    permissive: [],
    intergreen,
    intergreenOverrides: [],
    startup: { flashS: 5, allRedS: Math.ceil(maxIg) + genome.startupExtra },
    failureMode: 'flashing-yellow',
    schedule: [],
  }

  // Stretch the all-red before each too-early entering green until intergreens and pedestrian
  // clearances hold (a few rounds; each round only lengthens).
  const asPlan = (list: Iv[]) => ({ intervals: list.map((iv) => ({ durationS: iv.ticks / 10, states: iv.states })) })
  for (let round = 0; round < 12; round++) {
    const res = runOracle(controller, asPlan(ivs), ['SIG-06', 'SIG-08'])
    const C = res.cycleTicks
    let changed = false
    const bump = new Map<number, number>()
    for (const f of res.findings) {
      if ((f.rule !== 'SIG-06' && f.rule !== 'SIG-08') || f.enterTick === undefined || f.needTicks === undefined || f.gotTicks === undefined) continue
      const before = (((f.enterTick - 1) % C) + C) % C
      let acc = 0
      let idx = 0
      for (; idx < ivs.length; idx++) {
        if (before < acc + ivs[idx]!.ticks) break
        acc += ivs[idx]!.ticks
      }
      const deficit = f.needTicks - f.gotTicks
      bump.set(idx, Math.max(bump.get(idx) ?? 0, deficit))
    }
    for (const [idx, d] of bump) {
      if (d > 0 && ivs[idx]) {
        ivs[idx]!.ticks += d
        changed = true
      }
    }
    if (!changed) break
  }

  // Mutations.
  const applied: string[] = []
  for (const m of genome.mutations) {
    const kind: MutationKind = MUTATIONS[m.kind % MUTATIONS.length]!
    const pick = (pred: (iv: Iv) => boolean): number => {
      const cands = ivs.map((iv, i) => (pred(iv) ? i : -1)).filter((i) => i >= 0)
      return cands.length ? cands[m.a % cands.length]! : -1
    }
    let idx = -1
    switch (kind) {
      case 'shortenYellow':
        idx = pick((iv) => iv.states.includes('Y'))
        if (idx >= 0) ivs[idx]!.ticks = 10 + (m.b % 21) // 1.0–3.0 s
        break
      case 'lengthenYellow':
        idx = pick((iv) => iv.states.includes('Y'))
        if (idx >= 0) ivs[idx]!.ticks = 55 + (m.b % 16) // 5.5–7.0 s
        break
      case 'dropYellow':
        idx = pick((iv) => iv.states.includes('Y'))
        if (idx >= 0) {
          const to: State = m.c % 3 === 0 ? 'G' : 'R'
          if (m.c % 2 === 0) ivs[idx]!.states = ivs[idx]!.states.map((x) => (x === 'Y' ? to : x))
          else if (ivs.length > 2) ivs.splice(idx, 1)
        }
        break
      case 'overlapGreens':
        idx = pick(() => true)
        if (idx >= 0) {
          const g = m.b % n
          ivs[idx]!.states = ivs[idx]!.states.map((x, h) => (h === g ? 'G' : x))
        }
        break
      case 'shortenAllRed':
        idx = pick((iv) => iv.kind === 'allRed')
        if (idx >= 0) ivs[idx]!.ticks = Math.max(1, ivs[idx]!.ticks - (1 + (m.b % 60)))
        break
      case 'shortenGreen':
        idx = pick((iv) => iv.states.includes('G'))
        if (idx >= 0) ivs[idx]!.ticks = 10 + (m.b % 45) // 1.0–5.4 s
        break
      case 'shortPedClearance':
        idx = pick((iv) => iv.kind === 'yellow' && iv.states.some((x, g) => x === 'Y' && signalGroups[g]!.type === 'pedestrian'))
        if (idx >= 0) {
          const nxt = (idx + 1) % ivs.length
          ivs[nxt]!.ticks = Math.max(1, ivs[nxt]!.ticks - (1 + (m.b % 120)))
        }
        break
      case 'flipState':
        idx = pick(() => true)
        if (idx >= 0) {
          const g = m.b % n
          const to = (['R', 'G', 'Gflash', 'Y', 'RY'] as const)[m.c % 5]!
          ivs[idx]!.states = ivs[idx]!.states.map((x, h) => (h === g ? to : x))
        }
        break
      case 'swapIntervals': {
        const i = m.a % ivs.length
        const j = m.b % ivs.length
        const t = ivs[i]!
        ivs[i] = ivs[j]!
        ivs[j] = t
        idx = i
        break
      }
      case 'removeInterval':
        if (ivs.length > 2) {
          idx = m.a % ivs.length
          ivs.splice(idx, 1)
        }
        break
      case 'retime':
        idx = m.a % ivs.length
        ivs[idx]!.ticks = 1 + (m.b % 400)
        break
    }
    if (idx >= 0) applied.push(`${kind}@${idx}`)
  }

  // Rotation: the same cyclic timeline, started elsewhere.
  if (genome.rotate.kind === 1 && ivs.length > 1) {
    const r = 1 + (genome.rotate.at % (ivs.length - 1))
    ivs.push(...ivs.splice(0, r))
    applied.push(`rotate@${r}`)
  } else if (genome.rotate.kind === 2 && ivs.length < 10) {
    const splittable = ivs.map((iv, i) => (iv.ticks >= 2 ? i : -1)).filter((i) => i >= 0)
    if (splittable.length > 0) {
      const i = splittable[genome.rotate.at % splittable.length]!
      const iv = ivs[i]!
      const head = 1 + (Math.floor(genome.rotate.at / splittable.length) % (iv.ticks - 1))
      // ... [iv: head | tail] ... → [tail] ... [head]: the interval's run now crosses the wrap.
      const rest = [...ivs.slice(i + 1), ...ivs.slice(0, i)]
      ivs.splice(0, ivs.length, { ...iv, ticks: iv.ticks - head, states: [...iv.states] }, ...rest, { ...iv, ticks: head, states: [...iv.states] })
      applied.push(`split-rotate@${i}:${head / 10}s`)
    }
  }

  const totalTicks = ivs.reduce((a, iv) => a + iv.ticks, 0)
  const offsetTicks = Math.min(totalTicks - 1, Math.floor(genome.offsetFrac * totalTicks))
  const plan: GenPlan = {
    id: 'P1',
    controllerId: 'C1',
    name: 'Generated plan',
    control: 'fixed',
    nightProgram: false,
    cycleS: totalTicks / 10,
    offsetS: offsetTicks / 10,
    intervals: ivs.map((iv, i) => ({ name: `${iv.kind}${i}`, durationS: iv.ticks / 10, states: [...iv.states], minorGreen: [] })),
    switchPoints: [0],
    source: { kind: 'generated' },
  }
  return { controller, plan, mutations: applied }
}

/** { controller, plan, mutations } with one fixed-time plan. */
export const signalCaseArb: fc.Arbitrary<GenCase> = genomeArb.map((g) => buildCase(g))

/** A compact rendering of a case for counterexample reports. */
export function describeCase(c: GenCase): string {
  const gs = c.controller.signalGroups
    .map((g) => `${g.id}:${g.type[0]}${g.type === 'vehicle' ? `${g.speedKmh}km/h${g.minGreenS ? ` minG${g.minGreenS}` : ''}` : g.crossing ? ` L${g.crossing.lengthM}${g.crossing.refugeAtM ? `/r${g.crossing.refugeAtM}` : ''}${g.crossing.sensitive ? ' sens' : ''}` : ''}`)
    .join(' ')
  const ivs = c.plan.intervals.map((iv) => `${iv.durationS}s[${iv.states.join(',')}]`).join(' ')
  return `groups ${gs}\nconflicts ${c.controller.conflicts.join('|')}\nintergreen ${JSON.stringify(c.controller.intergreen)}\nplan C=${c.plan.cycleS} ${ivs}\nmutations ${c.mutations.join(', ') || 'none'}`
}

export interface FuzzShardResult {
  runs: number
  seed: number
  /** Plans the validator accepted / the oracle accepted. */
  validatorAccepted: number
  oracleAccepted: number
  ms: number
  failed: boolean
  /** fast-check's report with the shrunk counterexample, when failed. */
  message?: string
}

/**
 * One shard of the property test: `runs` cases from `seed`; fails on the first disagreement
 * (compareWithOracle) and shrinks it. Takes the validator as a parameter so that this module
 * does not depend on it (the test may run shards in child processes).
 */
export function fuzzShard(validate: (controller: unknown, plans: unknown[]) => ValidationReport, runs: number, seed: number): FuzzShardResult {
  let validatorAccepted = 0
  let oracleAccepted = 0
  const started = Date.now()
  const details = fc.check(
    fc.property(signalCaseArb, (c) => {
      const report = validate(c.controller, [c.plan])
      const oracle = runOracle(c.controller, c.plan)
      if (report.ok) validatorAccepted++
      if (oracle.rules.size === 0) oracleAccepted++
      const problems = compareWithOracle(report, oracle)
      if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${describeCase(c)}`)
    }),
    { numRuns: runs, seed },
  )
  const out: FuzzShardResult = { runs, seed, validatorAccepted, oracleAccepted, ms: Date.now() - started, failed: details.failed }
  if (details.failed) {
    const c = details.counterexample?.[0]
    const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    out.message = `seed ${seed}, path ${details.counterexamplePath}, shrunk ${details.numShrinks}×\n${err}\n${c ? JSON.stringify({ controller: c.controller, plan: c.plan }) : ''}`
  }
  return out
}
