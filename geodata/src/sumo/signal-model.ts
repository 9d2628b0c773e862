/**
 * The signal workbench's model (contracts/schemas/signal-plan.ts) derived from a SUMO network and
 * the tlLogic programs of one traffic-light system: signal groups (links that always show the same
 * character, per approach), the conflict matrix from the junctions' foes, the conflict geometry
 * (signal-geometry.ts), permissive pairs where SUMO lets a 'g' link yield by the junction logic,
 * the computed intergreen matrix (contracts/signal-safety/profiles.ts) and one plan per program.
 * Whatever cannot be derived faithfully is said in `notes`. Pure; `sumo-plan-export.ts` goes back.
 */
import type { ConflictGeometry, SafetyProfile, SignalControllerInput, SignalGroupInput, SignalPlanInput, SignalState } from '../../../contracts/schemas/signal-plan'
import { SignalControllerSchema, SignalPlanSchema } from '../../../contracts/schemas/signal-plan'
import { observedIntergreensS } from '../../../contracts/signal-safety/observed-intergreens'
import { PROFILES, computedIntergreenS } from '../../../contracts/signal-safety/profiles'
import { intersectionCode } from './bologna-codes'
import { conflictPoint, indexNet, linkPath, requestBit, requestOf, type LinkPath, type NetIndex } from './signal-geometry'
import type { SumoConnection, SumoNet, SumoTlLogic } from './sumo-net'

export interface SignalModelOptions {
  /** ISO date-time of the import, for the permissive pairs' `at`. */
  importedAt: string
  /** Who the permissive pairs are recorded as decided by (default 'import'). */
  by?: string
  profile?: SafetyProfile
}

export interface SignalModel {
  controller: SignalControllerInput
  plans: SignalPlanInput[]
  notes: string[]
}

interface Link {
  index: number
  conn: SumoConnection
  path: LinkPath | null
  req: { junction: string; request: number } | null
}

interface Group {
  id: string
  links: number[]
  conns: Link[]
  input: SignalGroupInput & Required<Pick<SignalGroupInput, 'type' | 'turn' | 'name'>>
  /** The group's state column per program (the characters of its first link). */
  columns: string[]
}

const TURN: Record<string, 'through' | 'left' | 'right'> = { s: 'through', l: 'left', L: 'left', t: 'left', r: 'right', R: 'right' }
const WORD: Record<string, string> = { s: 'straight', l: 'left', L: 'left', t: 'u-turn', r: 'right', R: 'right' }
const STATE: Record<string, SignalState> = { G: 'G', g: 'G', s: 'G', y: 'Y', Y: 'Y', r: 'R', u: 'RY', o: 'FY', O: 'DARK' }
const PERMISSION = new Set(['G', 'g', 's', 'y', 'Y', 'u'])
const MINOR = new Set(['g', 's'])
const ID = /^[A-Za-z0-9_.:-]{1,40}$/

/** One model per traffic-light system the programs name, in the order they first appear. */
export function deriveAllSignalModels(net: SumoNet, programs: readonly SumoTlLogic[], opts: SignalModelOptions): SignalModel[] {
  const ids = [...new Set(programs.map((p) => p.id))]
  const index = indexNet(net)
  return ids.map((id) => deriveWithIndex(net, index, id, programs.filter((p) => p.id === id), opts))
}

export function deriveSignalModel(net: SumoNet, tlsId: string, programs: readonly SumoTlLogic[], opts: SignalModelOptions): SignalModel {
  return deriveWithIndex(net, indexNet(net), tlsId, programs.filter((p) => p.id === tlsId), opts)
}

function deriveWithIndex(net: SumoNet, index: NetIndex, tlsId: string, programs: readonly SumoTlLogic[], opts: SignalModelOptions): SignalModel {
  const notes: string[] = []
  const profile = opts.profile ?? 'it'
  if (programs.length === 0) throw new Error(`traffic light ${tlsId}: no signal program given`)
  const lengths = new Set(programs.flatMap((p) => p.phases.map((ph) => ph.state.length)))
  const n = Math.max(...lengths)
  if (lengths.size > 1) notes.push(`The programs of ${tlsId} have states of different lengths (${[...lengths].sort((a, b) => a - b).join(', ')}); missing positions are read as red.`)

  const links = collectLinks(net, index, tlsId, n, notes)
  const groups = buildGroups(index, tlsId, programs, links, n, notes)
  const pairs = conflictingLinkPairs(index, groups, notes)
  const geometry = conflictGeometry(groups, pairs, notes)
  const { permissive, unresolved } = permissivePairs(index, groups, pairs, programs, opts)
  notes.push(...unresolved)
  const isPermissive = (a: string, b: string) => permissive.some((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))
  const conflicts = groups.map((gi, i) =>
    groups.map((gj, j) => (i !== j && pairs.has(pairKey(i, j)) && !isPermissive(gi.id, gj.id) ? 'x' : '.')).join(''),
  )
  const intergreen = intergreenMatrix(groups, programs, conflicts, geometry, profile)
  const maxIg = Math.max(0, ...Object.values(intergreen).flatMap((row) => Object.values(row)))
  const cid = validId(tlsId)
  if (cid !== tlsId) notes.push(`The traffic light id "${tlsId}" is not a valid controller id; the controller is "${cid}" (its plans keep the SUMO id as source).`)
  const plans = programs.map((p) => planOf(tlsId, cid, p, groups, notes))
  const code = intersectionCode(tlsId) === null ? null : tlsId
  if (programs.length > 1) notes.push(`${tlsId} has ${programs.length} programs (${programs.map((p) => p.programId).join(', ')}): no schedule is derived; say which plan runs when.`)
  const controller: SignalControllerInput = {
    id: cid,
    intersectionCode: code,
    name: code ? `Incrocio ${code}` : `Semaforo ${tlsId}`,
    networkId: null,
    profile,
    signalGroups: groups.map((g) => g.input),
    conflicts,
    geometry,
    permissive,
    intergreen,
    intergreenOverrides: [],
    startup: { flashS: 5, allRedS: Math.min(60, Math.max(3, maxIg)) },
    failureMode: 'flashing-yellow',
    schedule: plans.length === 1 ? [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', planId: (plans[0] as SignalPlanInput).id }] : [],
  }
  fieldIntergreens(controller, plans, notes)
  return { controller, plans, notes }
}

/**
 * The programs carry no intergreen matrix, but the field controller must be running one no larger
 * than what its programs do. Where a program runs a conflicting pair tighter than the computed
 * (RiLSA-style) minimum, the matrix takes the program's value and a note says so: the validator
 * then warns (Italian profile) instead of rejecting a plan that is in service, and an engineer
 * confirms or raises it.
 */
function fieldIntergreens(controller: SignalControllerInput, plans: SignalPlanInput[], notes: string[]): void {
  const parsed = SignalControllerSchema.safeParse(controller)
  const parsedPlans = plans.map((p) => SignalPlanSchema.safeParse(p))
  if (!parsed.success || parsedPlans.some((p) => !p.success)) return
  const observed = observedIntergreensS(parsed.data, parsedPlans.map((p) => p.data!))
  let maxIg = 0
  for (const [clearing, row] of Object.entries(controller.intergreen)) {
    for (const [entering, computed] of Object.entries(row)) {
      const ran = observed[clearing]?.[entering]
      if (ran !== undefined && ran < computed) {
        row[entering] = ran
        notes.push(`Intergreen ${clearing} → ${entering}: the programs run ${ran} s, below the computed ${computed} s; the matrix takes ${ran} s (a traffic engineer should confirm it).`)
      }
      maxIg = Math.max(maxIg, row[entering]!)
    }
  }
  controller.startup = { flashS: 5, allRedS: Math.min(60, Math.max(3, Math.ceil(maxIg))) }
}

function collectLinks(net: SumoNet, index: NetIndex, tlsId: string, n: number, notes: string[]): Link[][] {
  const byIndex: Link[][] = Array.from({ length: n }, () => [])
  for (const conn of net.connections) {
    if (conn.tl !== tlsId || conn.linkIndex === null || index.edges.get(conn.from)?.func === 'internal') continue
    if (conn.linkIndex >= n) {
      notes.push(`Connection ${conn.from}→${conn.to} (line ${conn.line}) has linkIndex ${conn.linkIndex}, beyond the programs' ${n} positions: not in any group.`)
      continue
    }
    const path = linkPath(index, conn)
    const req = requestOf(index, conn, path)
    if (!path) notes.push(`Link ${conn.linkIndex} (${conn.from}→${conn.to}): the network has no internal lane for it (via "${conn.via ?? ''}"), so it has no conflict geometry.`)
    else if (!req) notes.push(`Link ${conn.linkIndex} (${conn.from}→${conn.to}): no junction request for via "${conn.via ?? ''}", so its conflicts are unknown.`)
    ;(byIndex[conn.linkIndex] as Link[]).push({ index: conn.linkIndex, conn, path, req })
  }
  return byIndex
}

function buildGroups(index: NetIndex, tlsId: string, programs: readonly SumoTlLogic[], links: Link[][], n: number, notes: string[]): Group[] {
  const column = (k: number) => programs.map((p) => p.phases.map((ph) => ph.state[k] ?? 'r').join(''))
  const byKey = new Map<string, { links: number[]; conns: Link[] }>()
  for (let k = 0; k < n; k++) {
    const ls = links[k] as Link[]
    const from = [...new Set(ls.map((l) => l.conn.from))].sort().join('+')
    const key = ls.length === 0 ? `\u0000unconnected ${k}` : `${from}\u0000${column(k).join('|')}`
    const g = byKey.get(key) ?? { links: [], conns: [] }
    g.links.push(k)
    g.conns.push(...ls)
    byKey.set(key, g)
    if (ls.length === 0) notes.push(`${tlsId}: link ${k} has no connection in the network; it is its own group "unconnected link ${k}".`)
  }
  const groups = [...byKey.values()].map((g, i): Group => ({ id: `S${i + 1}`, links: g.links, conns: g.conns, input: groupInput(index, g.links, g.conns), columns: column(g.links[0] as number) }))
  const names = new Map<string, number>()
  for (const g of groups) names.set(g.input.name, (names.get(g.input.name) ?? 0) + 1)
  for (const g of groups) if ((names.get(g.input.name) ?? 0) > 1) g.input.name = `${g.input.name} (link${g.links.length > 1 ? 's' : ''} ${g.links.join(',')})`.slice(0, 120)
  return groups.map((g) => ({ ...g, input: { ...g.input, id: g.id } }))
}

function groupInput(index: NetIndex, linkIds: number[], conns: Link[]): Group['input'] {
  if (conns.length === 0) return { id: '', name: `unconnected link ${linkIds[0]}`, type: 'vehicle', turn: 'through', links: linkIds }
  const first = (conns[0] as Link).conn
  const laneIds = [...new Set(conns.map((l) => `${l.conn.from}_${l.conn.fromLane}`))].sort()
  const lanes = laneIds.map((id) => index.lanes.get(id)).filter((l) => l !== undefined)
  const funcs = new Set(conns.flatMap((l) => [index.edges.get(l.conn.from)?.func, index.edges.get(l.conn.to)?.func]))
  const allowOnly = (cls: string) => lanes.length > 0 && lanes.every((l) => l.allow !== null && l.allow.split(/\s+/).every((c) => c === cls))
  const pedestrian = funcs.has('crossing') || funcs.has('walkingarea')
  const type = pedestrian ? 'pedestrian' : allowOnly('tram') ? 'tram' : allowOnly('bicycle') ? 'cyclist' : 'vehicle'
  const dirs = [...new Set(conns.map((l) => l.conn.dir ?? 's'))]
  const turns = [...new Set(dirs.map((d) => TURN[d] ?? 'through'))]
  const words = [...new Set(dirs.map((d) => WORD[d] ?? d))].join(' + ')
  const bus = allowOnly('bus') ? ' (bus lane)' : lanes.some((l) => l.allow === 'bus') ? ' (incl. bus lane)' : ''
  const crossingEdge = conns.map((l) => l.conn).find((c) => index.edges.get(c.to)?.func === 'crossing')?.to
  const crossingLane = crossingEdge === undefined ? undefined : index.edges.get(crossingEdge)?.lanes[0]
  const speedMs = Math.max(0, ...(pedestrian && crossingLane ? [crossingLane] : lanes).map((l) => l.speedMs))
  return {
    id: '',
    name: pedestrian ? `crossing ${crossingEdge ?? first.to}` : `${first.from} ${words}${bus}`.slice(0, 120),
    type,
    links: linkIds,
    approach: pedestrian ? (crossingEdge ?? first.to) : first.from,
    lanes: pedestrian && crossingLane ? [crossingLane.id] : laneIds,
    turn: turns.length === 1 ? (turns[0] as 'through' | 'left' | 'right') : 'mixed',
    speedKmh: Math.min(130, Math.max(1, Math.round(speedMs * 3.6))),
    crossing: pedestrian && crossingLane ? { lengthM: Math.min(100, Math.max(0.1, crossingLane.lengthM)), refugeAtM: null, sensitive: false } : null,
  }
}

const pairKey = (i: number, j: number) => (i < j ? `${i}:${j}` : `${j}:${i}`)
type LinkPairs = Map<string, { i: number; j: number; links: Array<[Link, Link]> }>

function request(index: NetIndex, l: Link) {
  return l.req ? index.junctions.get(l.req.junction)?.requests.find((r) => r.index === l.req?.request) : undefined
}

/** `a` must yield to `b` by the junction's response (same junction only). */
function yields(index: NetIndex, a: Link, b: Link): boolean {
  if (!a.req || !b.req || a.req.junction !== b.req.junction) return false
  return requestBit(request(index, a)?.response ?? '', b.req.request)
}

function foes(index: NetIndex, a: Link, b: Link): boolean {
  if (!a.req || !b.req || a.req.junction !== b.req.junction) return false
  return requestBit(request(index, a)?.foes ?? '', b.req.request) || requestBit(request(index, b)?.foes ?? '', a.req.request)
}

/** Group pairs (i < j) with at least one pair of foe links, and those links. */
function conflictingLinkPairs(index: NetIndex, groups: Group[], notes: string[]): LinkPairs {
  const out: LinkPairs = new Map()
  groups.forEach((g, i) => {
    for (let j = i; j < groups.length; j++) {
      const h = groups[j] as Group
      for (const a of g.conns) {
        for (const b of h.conns) {
          if (a === b || !foes(index, a, b)) continue
          if (i === j) {
            if (a.index < b.index || (a.index === b.index && g.conns.indexOf(a) < g.conns.indexOf(b))) notes.push(`${g.id} (${g.input.name}): its own links ${a.index} and ${b.index} are foes at junction ${a.req?.junction}, yet always show the same light.`)
            continue
          }
          const entry = out.get(pairKey(i, j)) ?? { i, j, links: [] }
          entry.links.push([a, b])
          out.set(pairKey(i, j), entry)
        }
      }
    }
  })
  return out
}

function conflictGeometry(groups: Group[], pairs: LinkPairs, notes: string[]): ConflictGeometry[] {
  const out: ConflictGeometry[] = []
  const seen = new Set<string>()
  for (const { i, j, links } of pairs.values()) {
    for (const [a, b] of links) {
      if (!a.path || !b.path) continue
      const kind = a.conn.to === b.conn.to && a.conn.toLane === b.conn.toLane ? 'merging' : 'crossing'
      const pt = conflictPoint(a.path.shape, b.path.shape, kind)
      if (!pt.met) notes.push(`Links ${a.index} and ${b.index} are foes but their paths never come within 1 m; the ${kind === 'merging' ? 'path ends are' : 'closest approach is'} used as the conflict point.`)
      const entry: ConflictGeometry = { a: (groups[i] as Group).id, b: (groups[j] as Group).id, kind, aToPointM: pt.aToPointM, bToPointM: pt.bToPointM }
      const key = JSON.stringify(entry)
      if (!seen.has(key)) out.push(entry)
      seen.add(key)
    }
  }
  return out
}

/** Whether a group showing `col[i]` is on a permissive green there: 'g'/'s', or a yellow after one. */
function minorAt(col: string, i: number): boolean {
  const c = col[i] as string
  if (MINOR.has(c)) return true
  if (c !== 'y' && c !== 'Y') return false
  for (let k = 1; k < col.length; k++) {
    const prev = col[(i - k + col.length) % col.length] as string
    if (prev !== 'y' && prev !== 'Y') return MINOR.has(prev)
  }
  return false
}

interface Overlap { program: string; interval: number; durationS: number; a: string; b: string; ma: boolean; mb: boolean; resolved: boolean }

function permissivePairs(index: NetIndex, groups: Group[], pairs: LinkPairs, programs: readonly SumoTlLogic[], opts: SignalModelOptions) {
  const permissive: NonNullable<SignalControllerInput['permissive']> = []
  const unresolved: string[] = []
  for (const { i, j, links } of pairs.values()) {
    const g = groups[i] as Group
    const h = groups[j] as Group
    const overlaps: Overlap[] = []
    programs.forEach((p, pi) => {
      const ca = g.columns[pi] as string
      const cb = h.columns[pi] as string
      p.phases.forEach((ph, k) => {
        const a = ca[k] as string
        const b = cb[k] as string
        if (!PERMISSION.has(a) || !PERMISSION.has(b)) return
        const ma = minorAt(ca, k)
        const mb = minorAt(cb, k)
        const resolved = links.every(([la, lb]) => (ma && yields(index, la, lb)) || (mb && yields(index, lb, la)))
        overlaps.push({ program: p.programId, interval: k + 1, durationS: ph.duration, a, b, ma, mb, resolved })
      })
    })
    if (overlaps.length === 0) continue
    const label = (x: Group) => `${x.id} (${x.input.name})`
    const linkList = [...new Set(links.map(([a, b]) => `${a.index}×${b.index} at junction ${a.req?.junction}`))].join(', ')
    const bad = overlaps.filter((o) => !o.resolved)
    if (bad.length === 0) {
      const o = overlaps[0] as Overlap
      const aYields = o.ma && links.some(([la, lb]) => yields(index, la, lb))
      const bYields = o.mb && links.some(([la, lb]) => yields(index, lb, la))
      const minor = aYields && bYields ? `each of ${label(g)} and ${label(h)} yields` : `${aYields ? label(g) : label(h)} yields`
      permissive.push({
        a: g.id,
        b: h.id,
        reason: `Program ${o.program}: ${label(g)} and ${label(h)} show green together (interval ${o.interval}, '${o.a}'/'${o.b}'); ${minor} by the network's junction logic (SUMO 'g'), links ${linkList}.`,
        by: opts.by ?? 'import',
        at: opts.importedAt,
      })
      continue
    }
    const bothG = bad.filter((o) => o.a === 'G' && o.b === 'G')
    const shown = (bothG.length > 0 ? bothG : bad).slice(0, 4).map((o) => `program ${o.program} interval ${o.interval} (${o.durationS} s, '${o.a}'/'${o.b}')`)
    const more = (bothG.length > 0 ? bothG : bad).length - shown.length
    const what = bothG.length > 0 ? `both show 'G' (neither yields: 'G' has priority in SUMO)` : `are in permission states together without a yielding 'g'`
    unresolved.push(`Conflict kept: ${label(g)} and ${label(h)} ${what} in ${shown.join(', ')}${more > 0 ? ` and ${more} more interval(s)` : ''}; foe links ${linkList}. The validator will reject this plan (SIG-01).`)
  }
  return { permissive, unresolved }
}

/** The longest run of yellow (cyclic) of a group over the programs, seconds. */
function longestYellowS(g: Group, programs: readonly SumoTlLogic[]): number {
  let best = 0
  programs.forEach((p, pi) => {
    const col = g.columns[pi] as string
    const isY = (k: number) => col[k] === 'y' || col[k] === 'Y'
    const n = p.phases.length
    const dur = (k: number) => (p.phases[k % n] as { duration: number }).duration
    if (n > 0 && p.phases.every((_, k) => isY(k))) best = Math.max(best, p.phases.reduce((s, ph) => s + ph.duration, 0))
    else {
      for (let k = 0; k < n; k++) {
        if (!isY(k) || isY((k - 1 + n) % n)) continue
        let run = 0
        for (let m = 0; m < n && isY((k + m) % n); m++) run += dur(k + m)
        best = Math.max(best, run)
      }
    }
  })
  return best
}

function intergreenMatrix(groups: Group[], programs: readonly SumoTlLogic[], conflicts: string[], geometry: ConflictGeometry[], profile: SafetyProfile) {
  const p = PROFILES[profile]
  const out: Record<string, Record<string, number>> = {}
  const asParams = (g: Group) => ({ type: g.input.type, turn: g.input.turn, crossing: g.input.crossing ? { lengthM: g.input.crossing.lengthM, refugeAtM: g.input.crossing.refugeAtM ?? null, sensitive: g.input.crossing.sensitive ?? false } : null })
  groups.forEach((c, i) => {
    const yellowS = c.input.type === 'pedestrian' ? 0 : Math.max(3, longestYellowS(c, programs))
    groups.forEach((e, j) => {
      if (conflicts[i]?.[j] !== 'x') return
      const entries = geometry.flatMap((gm) => (gm.a === c.id && gm.b === e.id ? [[gm.aToPointM, gm.bToPointM]] : gm.a === e.id && gm.b === c.id ? [[gm.bToPointM, gm.aToPointM]] : []))
      const values = (entries.length > 0 ? entries : [[0, 0]]).map(([clear, enter]) => computedIntergreenS(p, asParams(c), { type: e.input.type }, clear as number, enter as number, yellowS))
      ;(out[c.id] ??= {})[e.id] = Math.max(...values)
    })
  })
  return out
}

const validId = (raw: string) => (ID.test(raw) ? raw : raw.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 40) || '_')

function planOf(tlsId: string, controllerId: string, p: SumoTlLogic, groups: Group[], notes: string[]): SignalPlanInput {
  const raw = `${controllerId}-${p.programId}`
  const id = validId(raw)
  if (id !== raw) notes.push(`Program "${p.programId}" of ${tlsId}: the plan id "${raw}" is not a valid id; stored as "${id}".`)
  const cycleS = p.phases.reduce((s, ph) => s + ph.duration, 0)
  const actuated = p.phases.some((ph) => ph.minDur !== undefined && ph.maxDur !== undefined && ph.minDur !== ph.maxDur)
  const intervals = p.phases.map((ph, k) => {
    const states = groups.map((g) => STATE[ph.state[g.links[0] as number] ?? 'r'] ?? 'R')
    const minor = groups.filter((g) => MINOR.has(ph.state[g.links[0] as number] ?? '')).map((g) => g.id)
    if (ph.attrs && Object.keys(ph.attrs).length > 0) notes.push(`Program ${p.programId} phase ${k + 1}: attributes ${Object.keys(ph.attrs).join(', ')} have no place in the plan and are not exported.`)
    if (ph.name !== undefined && ph.name.length > 60) notes.push(`Program ${p.programId} phase ${k + 1}: its name is cut to 60 characters.`)
    if (ph.state.includes('s')) notes.push(`Program ${p.programId} phase ${k + 1}: 's' (stop, then go) is stored as a permissive green and exports as 'g'.`)
    return {
      ...(ph.name !== undefined ? { name: ph.name.slice(0, 60) } : {}),
      durationS: ph.duration,
      ...(ph.minDur !== undefined ? { minS: ph.minDur } : {}),
      ...(ph.maxDur !== undefined ? { maxS: ph.maxDur } : {}),
      states,
      ...(minor.length > 0 ? { minorGreen: minor } : {}),
    }
  })
  if (Object.keys(p.params).length > 0) notes.push(`Program ${p.programId} of ${tlsId}: its params (${Object.keys(p.params).join(', ')}) have no place in the plan and are not exported.`)
  const offsetS = cycleS > 0 ? ((p.offsetS % cycleS) + cycleS) % cycleS : 0
  if (offsetS !== p.offsetS) notes.push(`Program ${p.programId} of ${tlsId}: offset ${p.offsetS} s is stored modulo the cycle (${offsetS} s).`)
  return {
    id,
    controllerId,
    name: `Program ${p.programId}`.slice(0, 120),
    control: p.programId === 'utopia' ? 'adaptive' : actuated ? 'actuated' : 'fixed',
    cycleS,
    offsetS,
    intervals,
    source: { kind: 'sumo', file: p.file, tlsId, programId: p.programId, type: p.type },
  }
}
