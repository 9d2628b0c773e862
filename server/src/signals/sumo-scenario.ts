/**
 * The files of a SUMO verification run (docs/signals.md, "Verification in SUMO"), apart from SUMO
 * itself: which scenario files a network has in the city data, the plan as a program that replaces
 * the controller's own, the additional files rewritten so that SUMO writes into the run's work
 * directory, the measurement file, and the demand (edge counts from the loops for routeSampler,
 * the candidate routes, the sampled routes typed back). Pure or file-only, no database but the
 * one lookup of the network's dataset.
 */
import { sumoXmlParser } from '../../../geodata/src/sumo/sumo-xml'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DATASETS } from '../../../geodata/src/manifest'
import { plansToTlLogicXml, type ExportController, type ExportPlan } from '../../../geodata/src/sumo/sumo-plan-export'
import { parseSumoNet } from '../../../geodata/src/sumo/sumo-net-parser'
import type { SumoNet } from '../../../geodata/src/sumo/sumo-net'
import type { Queryable } from '../db/adapter'

/** A failure of a run that a person can act on; its message becomes the run's `error`. */
export class SumoRunError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SumoRunError'
  }
}

/** The programID the plan runs under in SUMO (the controller's own programs keep theirs). */
export const GEMELLO_PROGRAM_ID = 'gemello'

export interface ScenarioFiles {
  networkId: string
  net: string
  /** The scenario's route files, in the order it loads them. */
  routes: string[]
  /** The scenario's additional files (signal programs, detectors, vehicle types, stops…), in order. */
  additional: string[]
  /** The .sumocfg the lists came from, or null when they were found by file name. */
  config: string | null
}

const xml = sumoXmlParser([])
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : v === undefined || v === null || typeof v !== 'object' ? [] : [v]) as Record<string, unknown>[]
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * Where a network's files are. A manifest dataset (sumo-joined …) is read under `cityDataDir` — the
 * configured city data, wherever it was imported from; a network imported as an ad-hoc dataset from
 * the file it was imported from (dataset_import.source). Then the scenario: the `.sumocfg` next to
 * the network that names it (its route and additional files), else the files named like the
 * network (`<base>_tls.add.xml`, `<base>_detectors.add.xml`, `<base>_vtypes.add.xml`, `<base>.rou.xml`,
 * base with and without `_buslanes`).
 */
export async function resolveScenario(q: Queryable, cityDataDir: string, networkId: string): Promise<ScenarioFiles> {
  const n = await q.query<{ dataset: string }>('SELECT dataset FROM sumo_network WHERE id = $1', [networkId])
  const dataset = n.rows[0]?.dataset ?? networkId
  const entry = DATASETS.find((d) => d.id === dataset)
  let net: string
  if (entry) net = path.join(cityDataDir, entry.file)
  else {
    const imp = await q.query<{ source: string }>('SELECT source FROM dataset_import WHERE dataset_id = $1', [dataset])
    const source = imp.rows[0]?.source
    if (!source) throw new SumoRunError(`SUMO network ${networkId} is neither a dataset of the city data nor an imported file: import it (npm run import -- sumo <file.net.xml>) and try again`)
    net = path.resolve(source)
  }
  if (!existsSync(net)) throw new SumoRunError(`the network file of SUMO network ${networkId} is missing: ${net} does not exist (city data directory ${cityDataDir}); restore the city data or re-import the network`)
  const dir = path.dirname(net)
  const fromConfig = scenarioFromConfig(dir, net)
  if (fromConfig) return { networkId, net, ...fromConfig }
  const base = path.basename(net).replace(/\.net\.xml$/i, '')
  const stems = [...new Set([base, base.replace(/_buslanes$/, '')])]
  const found = (names: string[]) => [...new Set(names.map((f) => path.join(dir, f)).filter((f) => existsSync(f)))]
  const additional = found(stems.flatMap((s) => [`${s}_vtypes.add.xml`, `${s}_tls.add.xml`, `${s}_detectors.add.xml`]))
  const routes = found(stems.map((s) => `${s}.rou.xml`))
  if (routes.length === 0) throw new SumoRunError(`SUMO network ${networkId} has no scenario routes next to it (${stems.map((s) => `${s}.rou.xml`).join(' or ')}, or a .sumocfg naming ${path.basename(net)}): the demand needs them`)
  return { networkId, net, routes, additional, config: null }
}

function scenarioFromConfig(dir: string, net: string): Omit<ScenarioFiles, 'networkId' | 'net'> | null {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.sumocfg')).sort()) {
    const file = path.join(dir, f)
    let doc: Record<string, unknown>
    try {
      doc = xml.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    } catch {
      continue
    }
    const root = (doc.configuration ?? doc.sumoConfiguration) as Record<string, Record<string, { value?: string }>> | undefined
    const input = root?.input
    const value = (k: string) => str(input?.[k]?.value)
    const netFile = value('net-file')
    if (!netFile || path.resolve(dir, netFile) !== path.resolve(net)) continue
    const files = (k: string) => (value(k) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => path.resolve(dir, s))
    const routes = files('route-files')
    if (routes.length === 0) continue
    return { routes, additional: files('additional-files'), config: file }
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// The network
// ---------------------------------------------------------------------------------------------

const netCache = new Map<string, { key: string; net: SumoNet }>()

/** The parsed network (cached per file, size and modification time). */
export function loadNet(file: string): SumoNet {
  const st = statSync(file)
  const key = `${st.size}:${st.mtimeMs}`
  const hit = netCache.get(file)
  if (hit && hit.key === key) return hit.net
  const net = parseSumoNet(readFileSync(file, 'utf8'), path.basename(file)).net
  netCache.set(file, { key, net })
  return net
}

export interface ControllerLinks {
  /** linkIndex → the internal lane a vehicle enters the junction on (where its movement is counted). */
  via: Map<number, string>
  /** The junctions the traffic light drives (from its connections' internal lanes). */
  junctions: Set<string>
}

/** The traffic light's links in the network: where each enters its junction, and which junctions it drives. */
export function controllerLinks(net: SumoNet, tlsId: string): ControllerLinks {
  const via = new Map<number, string>()
  const junctions = new Set<string>()
  for (const c of net.connections) {
    if (c.tl !== tlsId || c.linkIndex === null || !c.via) continue
    if (!via.has(c.linkIndex)) via.set(c.linkIndex, c.via)
    junctions.add(junctionOfInternalLane(c.via))
  }
  return { via, junctions }
}

/** ":a34_5_0" → "a34" (SUMO internal lane ids are `:<junction>_<link>_<lane>`). */
export const junctionOfInternalLane = (laneId: string) => laneId.replace(/^:/, '').replace(/_\d+_\d+$/, '')

// ---------------------------------------------------------------------------------------------
// Files SUMO reads
// ---------------------------------------------------------------------------------------------

const esc = (v: string | number) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * The plan as a SUMO program of the controller's traffic light, under GEMELLO_PROGRAM_ID. SUMO runs
 * the program of a traffic light loaded last, so this file comes after the scenario's programs (the
 * other controllers keep theirs); the program SUMO actually ran is checked in its SaveTLSProgram
 * output (measurementXml).
 */
export function planProgramXml(controller: ExportController, plan: ExportPlan): { xml: string; tlsId: string } {
  const tlsId = plan.source?.tlsId ?? controller.id
  const asGemello: ExportPlan = { ...plan, source: { kind: plan.source?.kind ?? 'gemello', ...plan.source, tlsId, programId: GEMELLO_PROGRAM_ID } }
  try {
    return { xml: plansToTlLogicXml(controller, [asGemello]), tlsId }
  } catch (err) {
    throw new SumoRunError(`the plan cannot be written as a SUMO program: ${(err as Error).message}`)
  }
}

/**
 * An additional file with every output path moved into `workDir` (SUMO writes detector output next
 * to the file otherwise — the read-only city data). The e1 loops all write to `e1File` every
 * `e1FreqS` seconds, so the measured hour can be cut out of their intervals.
 */
export function rewriteOutputs(text: string, workDir: string, e1File: string, e1FreqS: number, tag: string): { text: string; e1: number } {
  let e1 = 0
  let other = 0
  const out = text.replace(/<(e1Detector|inductionLoop)\b[^>]*>/g, (el) => {
    e1++
    let t = el.replace(/\sfile="[^"]*"/, ` file="${esc(e1File)}"`)
    t = /\sfreq="/.test(t) ? t.replace(/\sfreq="[^"]*"/, ` freq="${e1FreqS}"`) : t.replace(/^<(\w+)/, `<$1 freq="${e1FreqS}"`)
    t = /\speriod="/.test(t) ? t.replace(/\speriod="[^"]*"/, '') : t
    return t
  })
  // Any other element writing a file (e2/e3 detectors, route probes…): into the work directory too.
  const rest = out.replace(/(<(?!e1Detector\b|inductionLoop\b)\w+\b[^>]*\s(?:file|dest)=")([^"]*)(")/g, (_m, a: string, f: string, b: string) => `${a}${esc(path.join(workDir, `${tag}-${other++}-${path.basename(f)}`))}${b}`)
  return { text: rest, e1 }
}

/**
 * The scenario's additional files as a run loads them: those that write nothing as they are; those
 * that write (the e1 loops, other detectors) copied into `workDir` with their outputs moved there
 * (rewriteOutputs: every e1 loop into e1.xml every `e1FreqS` seconds). `e1File` is null when the
 * scenario has no e1 loop.
 */
export async function copyScenarioAdditionals(scenario: ScenarioFiles, workDir: string, e1FreqS: number): Promise<{ additional: string[]; e1File: string | null }> {
  const additional: string[] = []
  const e1Target = path.join(workDir, 'e1.xml')
  let e1File: string | null = null
  for (const [k, file] of scenario.additional.entries()) {
    if (!existsSync(file)) throw new SumoRunError(`the scenario file ${file} is missing (named by ${scenario.config ?? 'the network'}): restore the city data`)
    const text = await readFile(file, 'utf8')
    if (!/\s(file|dest)="/.test(text)) {
      additional.push(file)
      continue
    }
    const rewritten = rewriteOutputs(text, workDir, e1Target, e1FreqS, `add${k}`)
    if (rewritten.e1 > 0) e1File = e1Target
    const copy = path.join(workDir, `add${k}-${path.basename(file)}`)
    await writeFile(copy, rewritten.text)
    additional.push(copy)
  }
  return { additional, e1File }
}

export interface MeasurementSpec {
  /** Measured interval [beginS, endS). */
  beginS: number
  endS: number
  freqS: number
  tlsId: string
  /** Approach lanes (e2 queue detectors over the whole lane). */
  approachLanes: string[]
  /** linkIndex → internal lane: one e1 at its start per link (the movement's flow). */
  movements: Map<number, string>
  files: { edges: string; queues: string; movements: string; program: string }
}

/** Ids of the measurement detectors (prefixed, so they never clash with the scenario's). */
export const queueDetectorId = (lane: string) => `gemello:q:${lane}`
export const movementDetectorId = (linkIndex: number) => `gemello:m:${linkIndex}`

/** edgeData over the measured interval, e2 on the approach lanes, e1 per link, and the program SUMO ran. */
export function measurementXml(m: MeasurementSpec): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<additional>']
  out.push(`    <edgeData id="gemello" file="${esc(m.files.edges)}" begin="${m.beginS}" end="${m.endS}"/>`)
  for (const lane of m.approachLanes) out.push(`    <laneAreaDetector id="${esc(queueDetectorId(lane))}" lane="${esc(lane)}" pos="0" endPos="-0.1" freq="${m.freqS}" file="${esc(m.files.queues)}"/>`)
  for (const [k, lane] of [...m.movements].sort((a, b) => a[0] - b[0])) out.push(`    <e1Detector id="${esc(movementDetectorId(k))}" lane="${esc(lane)}" pos="0" freq="${m.freqS}" file="${esc(m.files.movements)}"/>`)
  out.push(`    <timedEvent type="SaveTLSProgram" source="${esc(m.tlsId)}" dest="${esc(m.files.program)}"/>`)
  out.push('</additional>', '')
  return out.join('\n')
}

// ---------------------------------------------------------------------------------------------
// Demand from the loop counts (routeSampler)
// ---------------------------------------------------------------------------------------------

/** routeSampler's input: vehicles per edge in [beginS, endS) as edgeData `entered`. */
export function edgeCountsXml(counts: ReadonlyMap<string, number>, beginS: number, endS: number): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<data>', `    <interval id="loops" begin="${beginS}" end="${endS}">`]
  for (const [edge, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out.push(`        <edge id="${esc(edge)}" entered="${Math.round(n)}"/>`)
  out.push('    </interval>', '</data>', '')
  return out.join('\n')
}

export interface CandidateRoutes {
  /** Distinct edge sequences → the vehicle type of the first vehicle that drove it. */
  types: Map<string, string>
  /** Routes dropped because an edge is not in the network. */
  unknownEdges: number
  /**
   * The scenario's public transport: route files whose every vehicle stops at stops (bus lines).
   * They run as scheduled with the sampled cars; the loops count them too, so their passages are
   * taken off the edge counts before sampling (transitPassages).
   */
  transitFiles: string[]
  transit: Array<{ departS: number; edges: string[] }>
}

interface RouteFileContent {
  /** Vehicles and flows without stops: edge sequence → type. */
  routes: Map<string, string>
  /** Vehicles with stops. */
  transit: Array<{ departS: number; edges: string[] }>
  /** Every vehicle of the file has stops. */
  onlyTransit: boolean
}

const routeFileCache = new Map<string, { key: string; content: RouteFileContent }>()
const routeParser = sumoXmlParser(['vehicle', 'flow', 'route', 'stop', 'trip'])

/** One route file's vehicles and flows (cached per file, size and modification time). */
function routesOfFile(file: string): RouteFileContent {
  const st = statSync(file)
  const key = `${st.size}:${st.mtimeMs}`
  const hit = routeFileCache.get(file)
  if (hit && hit.key === key) return hit.content
  const doc = routeParser.parse(readFileSync(file, 'utf8')) as { routes?: Record<string, unknown> }
  const root = doc.routes ?? {}
  const named = new Map<string, string>()
  for (const r of list(root.route)) {
    const id = str(r.id)
    const edges = str(r.edges)
    if (id && edges) named.set(id, edges)
  }
  const routes = new Map<string, string>()
  const transit: RouteFileContent['transit'] = []
  const vehicles = [...list(root.vehicle), ...list(root.flow)]
  for (const v of vehicles) {
    const inner = list(v.route)[0]
    const raw = str(inner?.edges) ?? (str(v.route) ? named.get(str(v.route)!) : undefined)
    if (!raw) continue
    const edges = raw.split(/\s+/).filter((e) => e !== '')
    if (edges.length === 0) continue
    if (list(v.stop).length > 0 || list(inner?.stop).length > 0) transit.push({ departS: Number(str(v.depart) ?? str(v.begin) ?? 0) || 0, edges })
    else if (!routes.has(edges.join(' '))) routes.set(edges.join(' '), str(v.type) ?? 'DEFAULT_VEHTYPE')
  }
  const content = { routes, transit, onlyTransit: vehicles.length > 0 && routes.size === 0 && transit.length === vehicles.length }
  routeFileCache.set(file, { key, content })
  return content
}

/** The scenario's routes as routeSampler candidates: distinct edge sequences, each with the type that drove it; and its bus lines. */
export function candidateRoutes(routeFiles: readonly string[], net: SumoNet): CandidateRoutes {
  const known = new Set(net.edges.map((e) => e.id))
  const types = new Map<string, string>()
  const transitFiles: string[] = []
  const transit: CandidateRoutes['transit'] = []
  let unknownEdges = 0
  for (const f of routeFiles) {
    const content = routesOfFile(f)
    if (content.onlyTransit) {
      transitFiles.push(f)
      transit.push(...content.transit)
      continue
    }
    for (const [edges, type] of content.routes) {
      if (types.has(edges)) continue
      if (edges.split(' ').some((e) => !known.has(e))) {
        unknownEdges++
        continue
      }
      types.set(edges, type)
    }
  }
  return { types, unknownEdges, transitFiles, transit }
}

/** Per edge, the scheduled transit vehicles departing before `endS` whose route passes it. */
export function transitPassages(transit: CandidateRoutes['transit'], endS: number): Map<string, number> {
  const out = new Map<string, number>()
  for (const v of transit) {
    if (v.departS >= endS) continue
    for (const e of new Set(v.edges)) out.set(e, (out.get(e) ?? 0) + 1)
  }
  return out
}

export function candidatesXml(c: CandidateRoutes): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<routes>']
  let i = 0
  for (const edges of c.types.keys()) out.push(`    <route id="c${i++}" edges="${esc(edges)}"/>`)
  out.push('</routes>', '')
  return out.join('\n')
}

/**
 * routeSampler writes each sampled vehicle with a route id only (`-I`); this gives each the type
 * of the scenario vehicles that drove its route (a route through a bus lane keeps its
 * "ignoring" type) and SUMO's best departure lane. Returns the file and its vehicle count.
 */
export function typeSampledRoutes(text: string, types: ReadonlyMap<string, string>): { text: string; vehicles: number } {
  const routeType = new Map<string, string>()
  for (const m of text.matchAll(/<route id="([^"]+)" edges="([^"]+)"/g)) routeType.set(m[1]!, types.get(m[2]!.split(/\s+/).join(' ')) ?? 'DEFAULT_VEHTYPE')
  let vehicles = 0
  const out = text.replace(/<vehicle ([^>]*?)route="([^"]+)"\s*\/>/g, (_m, head: string, route: string) => {
    vehicles++
    return `<vehicle ${head}route="${route}" type="${esc(routeType.get(route) ?? 'DEFAULT_VEHTYPE')}" departLane="best"/>`
  })
  return { text: out, vehicles }
}
