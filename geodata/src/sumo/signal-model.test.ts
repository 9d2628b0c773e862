import { describe, expect, it } from 'vitest'
import { SignalControllerSchema, SignalPlanSchema } from '../../../contracts/schemas/signal-plan'
import { parseSumoAdditional } from './sumo-additional-parser'
import { conflictPoint, distanceToPath, requestBit, samplePath } from './signal-geometry'
import { deriveAllSignalModels, deriveSignalModel } from './signal-model'
import { parseSumoNet } from './sumo-net-parser'
import type { SumoNet, SumoTlLogic } from './sumo-net'
import { planToTlLogic, plansToTlLogicXml } from './sumo-plan-export'
import { TINY_NET_PROJ } from './tiny-sumo-net'

/**
 * One traffic-light junction J at (100,0), tls "T":
 *   link 0  W→E straight, via :J_0_0 (90,0)→(110,0)
 *   link 1  S→N straight, via :J_1_0 (100,-6)→(100,14)          crosses link 0
 *   link 2  S→E right, via :J_2_0 (100,-6)→(100,-4), then :J_3_0 (100,-4)→(106,-4)→(110,0)
 *           (a split link: netconvert numbers the second part after all first parts) merges with link 0
 *   link 3  no connection
 *   link 4  (option) pedestrian crossing :J_c0 (95,8)→(95,-8), crosses link 0
 * foes/response are given as pairs and written reversed, the way SUMO writes them.
 */
interface NetOpts {
  foes?: Array<[number, number]>
  /** [a, b]: request a yields to request b. */
  yields?: Array<[number, number]>
  crossing?: boolean
  wAllow?: string
}

function bits(n: number, set: number[]): string {
  return Array.from({ length: n }, (_, pos) => (set.includes(n - 1 - pos) ? '1' : '0')).join('')
}

function netXml(o: NetOpts = {}): string {
  const n = o.crossing ? 4 : 3
  const foes = o.foes ?? [[0, 1], [0, 2], ...(o.crossing ? ([[0, 3]] as Array<[number, number]>) : [])]
  const yields = o.yields ?? []
  const req = (k: number) =>
    `<request index="${k}" response="${bits(n, yields.filter(([a]) => a === k).map(([, b]) => b))}" foes="${bits(n, foes.flatMap(([a, b]) => (a === k ? [b] : b === k ? [a] : [])))}" cont="0"/>`
  const lane = (id: string, shape: string, extra = '') => `<lane id="${id}" index="${id.slice(-1)}" speed="13.89" length="10" ${extra} shape="${shape}"/>`
  const crossing = o.crossing
    ? `<edge id=":J_w0" function="walkingarea">${lane(':J_w0_0', '95,10 95,8')}</edge>
       <edge id=":J_c0" function="crossing" crossingEdges="W"><lane id=":J_c0_0" index="0" speed="2.78" length="16" allow="pedestrian" shape="95,8 95,-8"/></edge>`
    : ''
  return `<net version="1.20">
    <location netOffset="0,0" convBoundary="0,0,200,200" origBoundary="0,0,1,1" projParameter="${TINY_NET_PROJ}"/>
    <edge id=":J_0" function="internal">${lane(':J_0_0', '90,0 110,0')}</edge>
    <edge id=":J_1" function="internal">${lane(':J_1_0', '100,-6 100,14')}</edge>
    <edge id=":J_2" function="internal">${lane(':J_2_0', '100,-6 100,-4')}</edge>
    <edge id=":J_3" function="internal">${lane(':J_3_0', '100,-4 106,-4 110,0')}</edge>
    ${crossing}
    <edge id="W" from="J0" to="J">${lane('W_0', '0,0 90,0', o.wAllow ? `allow="${o.wAllow}"` : '')}</edge>
    <edge id="S" from="J1" to="J"><lane id="S_0" index="0" speed="8.33" length="94" shape="100,-100 100,-6"/></edge>
    <edge id="E" from="J" to="J2">${lane('E_0', '110,0 200,0')}</edge>
    <edge id="N" from="J" to="J3">${lane('N_0', '100,14 100,100')}</edge>
    <junction id="J" type="traffic_light" x="100" y="0" incLanes="W_0 S_0" intLanes=":J_0_0 :J_1_0 :J_3_0${o.crossing ? ' :J_c0_0' : ''}">
      ${Array.from({ length: n }, (_, k) => req(k)).join('\n      ')}
    </junction>
    <connection from="W" to="E" fromLane="0" toLane="0" via=":J_0_0" tl="T" linkIndex="0" dir="s" state="O"/>
    <connection from="S" to="N" fromLane="0" toLane="0" via=":J_1_0" tl="T" linkIndex="1" dir="s" state="o"/>
    <connection from="S" to="E" fromLane="0" toLane="0" via=":J_2_0" tl="T" linkIndex="2" dir="r" state="o"/>
    ${o.crossing ? '<connection from=":J_w0" to=":J_c0" fromLane="0" toLane="0" tl="T" linkIndex="4" dir="s" state="o"/>' : ''}
    <connection from=":J_0" to="E" fromLane="0" toLane="0" dir="s" state="M"/>
    <connection from=":J_1" to="N" fromLane="0" toLane="0" dir="s" state="M"/>
    <connection from=":J_2" to="E" fromLane="0" toLane="0" via=":J_3_0" dir="r" state="m"/>
    <connection from=":J_3" to="E" fromLane="0" toLane="0" dir="r" state="M"/>
  </net>`
}

const net = (o: NetOpts = {}): SumoNet => parseSumoNet(netXml(o), 'synthetic.net.xml').net
const programs = (phases: Array<[number, string, string?]>, programId = '0', type = 'static'): SumoTlLogic[] =>
  parseSumoAdditional(
    `<additional><tlLogic id="T" type="${type}" programID="${programId}" offset="0">${phases.map(([d, s, extra]) => `<phase duration="${d}" state="${s}" ${extra ?? ''}/>`).join('')}</tlLogic></additional>`,
    'synthetic_tls.add.xml',
  ).additional.tlLogics

/** Link 2 ('g') turns right while link 0 has 'G'; link 1 runs alone. */
const PERMISSIVE_PROGRAM: Array<[number, string, string?]> = [
  [30, 'Grgr', 'minDur="10" maxDur="50" name="main"'],
  [4, 'yryr'],
  [2, 'rrrr'],
  [20, 'rGrr'],
  [3, 'ryrr'],
  [2, 'rrrr'],
]
const OPTS = { importedAt: '2024-05-01T08:00:00Z' }

describe('signal geometry', () => {
  it('reads foes/response reversed: the last character is link 0', () => {
    expect(requestBit('001', 0)).toBe(true)
    expect(requestBit('001', 2)).toBe(false)
    expect(requestBit('100', 2)).toBe(true)
  })

  it('samples every 0.25 m and keeps the end', () => {
    const s = samplePath([[0, 0], [1, 0], [1, 0.6]])
    expect(s.map((p) => p.at)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.6])
    expect(distanceToPath([5, 3], [[0, 0], [10, 0]])).toBe(3)
  })

  it('finds a crossing point at hand-computed distances (first sample within 1 m of the other path)', () => {
    // a: y = 0 from x = 90; b: x = 100 from y = -6. a is 1 m from b at x = 99 (9 m); b at y = -1 (5 m).
    expect(conflictPoint([[90, 0], [110, 0]], [[100, -6], [100, 14]], 'crossing')).toEqual({ aToPointM: 9, bToPointM: 5, met: true })
  })

  it('uses the path ends for merging paths that never come within 1 m', () => {
    expect(conflictPoint([[0, 0], [10, 0]], [[0, 5], [10, 2]], 'merging')).toEqual({ aToPointM: 10, bToPointM: 10.44, met: false })
  })
})

describe('deriveSignalModel on a synthetic junction', () => {
  it('groups links, finds crossing and merging conflicts with their distances, and a permissive pair from the junction response', () => {
    const m = deriveSignalModel(net({ yields: [[2, 0]] }), 'T', programs(PERMISSIVE_PROGRAM), OPTS)
    const c = SignalControllerSchema.parse(m.controller)
    expect(c.signalGroups.map((g) => [g.id, g.name, g.links, g.turn, g.type])).toEqual([
      ['S1', 'W straight', [0], 'through', 'vehicle'],
      ['S2', 'S straight', [1], 'through', 'vehicle'],
      ['S3', 'S right', [2], 'right', 'vehicle'],
      ['S4', 'unconnected link 3', [3], 'through', 'vehicle'],
    ])
    expect(c.signalGroups[1]).toMatchObject({ approach: 'S', lanes: ['S_0'], speedKmh: 30 })
    expect(m.notes).toContain('T: link 3 has no connection in the network; it is its own group "unconnected link 3".')
    // S3 follows the split link into :J_3_0: it merges into E_0 with link 0 (hand-computed in the header).
    expect(c.geometry).toEqual([
      { a: 'S1', b: 'S2', kind: 'crossing', aToPointM: 9, bToPointM: 5 },
      { a: 'S1', b: 'S3', kind: 'merging', aToPointM: 18.75, bToPointM: 12.25 },
    ])
    expect(c.permissive).toEqual([
      expect.objectContaining({ a: 'S1', b: 'S3', by: 'import', at: '2024-05-01T08:00:00Z', reason: expect.stringContaining("yields by the network's junction logic (SUMO 'g')") }),
    ])
    expect(c.permissive[0]?.reason).toMatch(/^Program 0: .*S3 \(S right\) yields/)
    expect(c.conflicts).toEqual(['.x..', 'x...', '....', '....'])
    // S1 clears (yellow 4 s, through, 6 m car): 4 + (9 + 6)/10 − 5/11.1 = 5.05 → 6; S2 clears: 3 + 11/10 − 9/11.1 → 4.
    expect(c.intergreen).toEqual({ S1: { S2: 6 }, S2: { S1: 4 } })
    expect(c.startup).toEqual({ flashS: 5, allRedS: 6 })
    expect(c.schedule).toEqual([{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', planId: 'T-0' }])
    expect(c).toMatchObject({ id: 'T', intersectionCode: null, name: 'Semaforo T', networkId: null, profile: 'it', failureMode: 'flashing-yellow' })
  })

  it('reads foes reversed: link 1 and link 2 are not foes although request 1 is "001"', () => {
    const m = deriveSignalModel(net({ foes: [[0, 1], [0, 2]] }), 'T', programs(PERMISSIVE_PROGRAM), OPTS)
    expect(m.controller.conflicts[1]).toBe('x...')
    expect(m.controller.conflicts[2]).toBe('x...')
  })

  it('keeps the pair a conflict when the junction response does not make the g link yield, and says so', () => {
    const m = deriveSignalModel(net({ yields: [] }), 'T', programs(PERMISSIVE_PROGRAM), OPTS)
    expect(m.controller.permissive).toEqual([])
    expect(m.controller.conflicts).toEqual(['.xx.', 'x...', 'x...', '....'])
    expect(m.notes.find((n) => n.startsWith('Conflict kept: S1'))).toMatch(/without a yielding 'g' in program 0 interval 1 \(30 s, 'G'\/'g'\), program 0 interval 2/)
    // the response says link 0 yields to link 2 but link 0 shows 'G': SUMO gives 'G' priority
    const reverse = deriveSignalModel(net({ yields: [[0, 2]] }), 'T', programs(PERMISSIVE_PROGRAM), OPTS)
    expect(reverse.controller.permissive).toEqual([])
  })

  it('reports both-G conflicts with program and interval', () => {
    const m = deriveSignalModel(net({ yields: [[2, 0]] }), 'T', programs([[30, 'GrGr'], [3, 'yryr'], [20, 'rGrr'], [3, 'ryrr']], 'night'), OPTS)
    expect(m.controller.conflicts[0]).toBe('.xx.')
    expect(m.notes).toContain("Conflict kept: S1 (W straight) and S3 (S right) both show 'G' (neither yields: 'G' has priority in SUMO) in program night interval 1 (30 s, 'G'/'G'); foe links 0×2 at junction J. The validator will reject this plan (SIG-01).")
  })

  it("splits groups by the raw column across all programs ('g' and 'G' differ) and by approach", () => {
    const both = [...programs([[30, 'GGGr'], [30, 'rrrr']], 'a'), ...programs([[30, 'GrGr'], [30, 'rGrr']], 'b')]
    const m = deriveSignalModel(net(), 'T', both, OPTS)
    expect(m.controller.signalGroups.map((g) => g.links)).toEqual([[0], [1], [2], [3]])
    expect(m.plans.map((p) => p.id)).toEqual(['T-a', 'T-b'])
    expect(m.controller.schedule).toEqual([])
    const same = deriveSignalModel(net(), 'T', programs([[30, 'rGGr'], [30, 'Grrr']]), OPTS)
    expect(same.controller.signalGroups.map((g) => [g.name, g.links, g.turn])).toEqual([['W straight', [0], 'through'], ['S straight + right', [1, 2], 'mixed'], ['unconnected link 3', [3], 'through']])
  })

  it('types groups by lane permissions and crossings', () => {
    const types = (o: NetOpts) => deriveSignalModel(net(o), 'T', programs([[30, o.crossing ? 'GrgrG' : 'Grgr']]), OPTS).controller.signalGroups
    expect(types({ wAllow: 'tram' })[0]).toMatchObject({ type: 'tram' })
    expect(types({ wAllow: 'bicycle' })[0]).toMatchObject({ type: 'cyclist' })
    expect(types({ wAllow: 'bus' })[0]).toMatchObject({ type: 'vehicle', name: 'W straight (bus lane)' })
    const ped = types({ crossing: true })[4]
    expect(ped).toMatchObject({ id: 'S5', type: 'pedestrian', name: 'crossing :J_c0', links: [4], lanes: [':J_c0_0'], speedKmh: 10, crossing: { lengthM: 16 } })
    const m = deriveSignalModel(net({ crossing: true }), 'T', programs([[30, 'GrrrG'], [4, 'yrrry'], [20, 'rGrrr'], [3, 'ryrrr']]), OPTS)
    expect(m.controller.geometry).toContainEqual({ a: 'S1', b: 'S5', kind: 'crossing', aToPointM: 4, bToPointM: 7 })
    expect(m.notes.find((n) => n.includes('S5'))).toMatch(/both show 'G'/)
  })

  it('derives plans: control, cycle, intervals, states, minor greens', () => {
    const m = deriveSignalModel(net({ yields: [[2, 0]] }), 'T', programs(PERMISSIVE_PROGRAM), OPTS)
    const p = SignalPlanSchema.parse(m.plans[0])
    expect(p).toMatchObject({ id: 'T-0', controllerId: 'T', name: 'Program 0', control: 'actuated', cycleS: 61, offsetS: 0, source: { kind: 'sumo', file: 'synthetic_tls.add.xml', tlsId: 'T', programId: '0' } })
    expect(p.intervals[0]).toEqual({ name: 'main', durationS: 30, minS: 10, maxS: 50, states: ['G', 'R', 'G', 'R'], minorGreen: ['S3'] })
    expect(p.intervals[1]).toEqual({ durationS: 4, states: ['Y', 'R', 'Y', 'R'], minorGreen: [] })
    expect(deriveSignalModel(net(), 'T', programs([[30, 'Grrr'], [30, 'rGrr']], 'utopia'), OPTS).plans[0]?.control).toBe('adaptive')
    expect(deriveSignalModel(net(), 'T', programs([[30, 'Grrr'], [30, 'rGrr']], 'x'), OPTS).plans[0]?.control).toBe('fixed')
  })
})

describe('planToTlLogic', () => {
  it('writes the imported program back (states with g, durations, bounds, names)', () => {
    const progs = programs(PERMISSIVE_PROGRAM, 'p1', 'actuated')
    const m = deriveSignalModel(net({ yields: [[2, 0]] }), 'T', progs, OPTS)
    const out = planToTlLogic(m.controller, m.plans[0] as never)
    const orig = progs[0] as SumoTlLogic
    expect(out).toEqual({ tlsId: 'T', programId: 'p1', type: 'actuated', offsetS: 0, phases: orig.phases, params: {} })
    const xml = plansToTlLogicXml(SignalControllerSchema.parse(m.controller), m.plans.map((p) => SignalPlanSchema.parse(p)))
    expect(parseSumoAdditional(xml, 'out.add.xml').additional.tlLogics[0]?.phases).toEqual(orig.phases)
  })

  it('maps every state and writes undriven links red', () => {
    const controller = { id: 'X', signalGroups: [{ id: 'A', links: [0, 3] }, { id: 'B', links: [1] }] }
    const states = ['G', 'Gflash', 'Y', 'R', 'RY', 'FY', 'DARK'] as const
    const plan = { id: 'X-1', control: 'fixed' as const, offsetS: 7, intervals: states.map((s) => ({ durationS: 1, states: [s, 'G' as const], minorGreen: ['B'] })) }
    const out = planToTlLogic(controller, plan)
    expect(out.phases.map((p) => p.state)).toEqual(['GgrG', 'GgrG', 'ygry', 'rgrr', 'ugru', 'ogro', 'OgrO'])
    expect(out).toMatchObject({ tlsId: 'X', programId: 'X-1', type: 'static', offsetS: 7 })
    expect(() => planToTlLogic(controller, { ...plan, intervals: [{ durationS: 1, states: ['G'] }] })).toThrow('plan X-1 interval 1: 1 states for 2 signal groups')
  })
})

describe('deriveAllSignalModels', () => {
  it('derives one model per traffic light the programs name', () => {
    const models = deriveAllSignalModels(net(), programs([[30, 'Grrr'], [30, 'rGrr']]), OPTS)
    expect(models.map((m) => m.controller.id)).toEqual(['T'])
  })
})
