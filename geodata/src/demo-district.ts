/**
 * The generated demo district, used when no city data is found: a small street grid around a
 * centre (default the real centre of Bologna), one area, and devices of every kind on it.
 * Deterministic: a seeded PRNG (mulberry32), never Math.random — the same options give the same
 * rows. Everything is labelled as generated: source 'generated', dataset 'generated-demo',
 * names starting with "Demo", props.generated = true.
 */
import { createHash } from 'node:crypto'
import type { LonLat } from '../../contracts/schemas/device'
import type { Db } from '../../server/src/db/adapter'
import { routersForGates } from './importers/connectivity-devices'
import { lockDataset, recordImport, unchangedImport, type DatasetImportReport, type DatasetMeta } from './importers/dataset-import'
import { replaceDatasetDevices, type DeviceRow } from './importers/write-devices'
import { replaceAreas, replaceStreetArcs } from './importers/write-geometries'
import type { AreaRecord } from './readers/areas'
import type { StreetArcRecord } from './readers/street-arcs'
import { mulberry32 } from '../../simulator/src/prng'

export const DEMO_DATASET: DatasetMeta = {
  id: 'generated-demo',
  title: 'Generated demo district (not real data)',
  licence: 'EUPL-1.2',
  attribution: 'Generated demo district — not real data',
  sourceCrs: 'EPSG:4326',
  targetTables: ['device', 'street_arc', 'area'],
}

/** Piazza Maggiore, Bologna. */
export const DEMO_DEFAULT_CENTER: LonLat = [11.3426, 44.4949]

export interface DemoDistrictOptions {
  center?: LonLat
  seed?: number
}

export interface DemoDistrict {
  streetArcs: StreetArcRecord[]
  areas: AreaRecord[]
  devices: DeviceRow[]
}

const GRID = 6
const BLOCK_M = 160
const JITTER_M = 12
const LOOPS = 40
const COLUMNS = ['A', 'B', 'C', 'D', 'E', 'F']
const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SO', 'O', 'NO']

const round7 = (x: number) => Math.round(x * 1e7) / 1e7

export function buildDemoDistrict(opts: DemoDistrictOptions = {}): DemoDistrict {
  const [lon0, lat0] = opts.center ?? DEMO_DEFAULT_CENTER
  const rand = mulberry32(opts.seed ?? 20_240_101)
  const mPerDegLat = 111_320
  const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180)
  /** Metres east/north of the centre → lon/lat. */
  const at = (xM: number, yM: number): LonLat => [round7(lon0 + xM / mPerDegLon), round7(lat0 + yM / mPerDegLat)]
  const half = ((GRID - 1) * BLOCK_M) / 2
  // Intersections, slightly jittered so the grid does not look ruled.
  const node: Array<Array<{ x: number; y: number }>> = []
  for (let i = 0; i < GRID; i++) {
    const row: Array<{ x: number; y: number }> = []
    for (let j = 0; j < GRID; j++) row.push({ x: -half + j * BLOCK_M + (rand() - 0.5) * 2 * JITTER_M, y: -half + i * BLOCK_M + (rand() - 0.5) * 2 * JITTER_M })
    node.push(row)
  }
  const nodeId = (i: number, j: number) => `demo-node-${i}${j}`
  const pt = (i: number, j: number) => node[i]?.[j] as { x: number; y: number }

  const streetArcs: StreetArcRecord[] = []
  const arcEnds = new Map<string, { a: { x: number; y: number }; b: { x: number; y: number }; street: string; from: string; to: string }>()
  const addArc = (id: string, street: string, codvia: string, i1: number, j1: number, i2: number, j2: number) => {
    const a = pt(i1, j1)
    const b = pt(i2, j2)
    const lengthM = Math.round(Math.hypot(b.x - a.x, b.y - a.y))
    streetArcs.push({
      row: streetArcs.length + 1,
      id,
      name: street,
      geometry: { type: 'LineString', coordinates: [at(a.x, a.y), at(b.x, b.y)] },
      props: { codvia, codNodo1: nodeId(i1, j1), codNodo2: nodeId(i2, j2), lunghez: lengthM, da: '', a: '', civici: [], numquart: 'demo', nomequart: 'Demo district', dataIstit: '', codiceAns: '', generated: true } as StreetArcRecord['props'],
    })
    arcEnds.set(id, { a, b, street, from: nodeId(i1, j1), to: nodeId(i2, j2) })
  }
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j + 1 < GRID; j++) addArc(`demo-arc-h${i + 1}-${j + 1}`, `Demo Avenue ${i + 1}`, `demo-h${i + 1}`, i, j, i, j + 1)
  }
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i + 1 < GRID; i++) addArc(`demo-arc-v${COLUMNS[j]}-${i + 1}`, `Demo Street ${COLUMNS[j]}`, `demo-v${COLUMNS[j]}`, i, j, i + 1, j)
  }

  const margin = 60
  const ring: LonLat[] = [at(-half - margin, -half - margin), at(half + margin, -half - margin), at(half + margin, half + margin), at(-half - margin, half + margin), at(-half - margin, -half - margin)]
  const areas: AreaRecord[] = [
    { row: 1, id: 'demo-quartiere', kind: 'quartiere', code: 'demo', name: 'Demo district', geometry: { type: 'Polygon', coordinates: [ring] }, props: { generated: true } },
  ]

  const devices: DeviceRow[] = []
  const generated = { generated: true }
  const arcIds = [...arcEnds.keys()]
  for (let k = 1; k <= LOOPS; k++) {
    const arcId = arcIds[Math.floor(rand() * arcIds.length)] as string
    const arc = arcEnds.get(arcId) as NonNullable<ReturnType<typeof arcEnds.get>>
    const forward = rand() < 0.5
    const [s, e] = forward ? [arc.a, arc.b] : [arc.b, arc.a]
    const f = 0.25 + rand() * 0.5
    const len = Math.hypot(e.x - s.x, e.y - s.y)
    const ux = (e.x - s.x) / len
    const uy = (e.y - s.y) / len
    // 3 m to the right of the direction of travel (traffic keeps right).
    const x = s.x + (e.x - s.x) * f + uy * 3
    const y = s.y + (e.y - s.y) * f - ux * 3
    const angle = Math.round(((Math.atan2(ux, uy) * 180) / Math.PI + 360) % 360)
    const code = `DEMO ${k}`
    const idUni = `demo-${String(k).padStart(2, '0')}`
    devices.push({
      row: k,
      id: `loop-${idUni}`,
      kind: 'traffic-loop',
      name: `Demo loop ${k} — ${arc.street}`,
      position: at(x, y),
      expectedIntervalS: 60,
      source: 'generated',
      props: {
        codiceSpira: code,
        idUni,
        stationId: `demo-station-${k}`,
        street: arc.street,
        codiceVia: '',
        codiceArco: arcId,
        nodoDa: forward ? arc.from : arc.to,
        nodoA: forward ? arc.to : arc.from,
        direction: COMPASS[Math.round(angle / 45) % 8] ?? 'N',
        angle,
        codimpsem: '',
        livello: 1,
        tipologia: 'spira',
        stato: 'A',
        ...generated,
      },
    })
  }

  const stations: Array<{ n: number; x: number; y: number }> = [
    { n: 1, x: -BLOCK_M * 0.5, y: BLOCK_M * 0.5 },
    { n: 2, x: BLOCK_M * 1.5, y: -BLOCK_M * 1.5 },
  ]
  for (const s of stations) {
    devices.push({
      row: LOOPS + s.n,
      id: `aq-demo-${s.n}`,
      kind: 'air-quality',
      name: `Demo air-quality station ${s.n}`,
      position: at(s.x + (rand() - 0.5) * 20, s.y + (rand() - 0.5) * 20),
      expectedIntervalS: 3600,
      source: 'generated',
      props: { station: `DEMO ${s.n}`, address: 'Demo district', positionApproximate: false, pollutants: ['no2', 'o3', 'pm10'], ...generated },
    })
  }

  // Four gates where the middle avenue and the middle street enter the district.
  const mid = Math.floor(GRID / 2)
  const gateSpots = [
    { n: 1, side: 'north', i: GRID - 1, j: mid, street: `Demo Street ${COLUMNS[mid]}` },
    { n: 2, side: 'east', i: mid, j: GRID - 1, street: `Demo Avenue ${mid + 1}` },
    { n: 3, side: 'south', i: 0, j: mid, street: `Demo Street ${COLUMNS[mid]}` },
    { n: 4, side: 'west', i: mid, j: 0, street: `Demo Avenue ${mid + 1}` },
  ]
  const gates: DeviceRow[] = gateSpots.map((g) => {
    const p = pt(g.i, g.j)
    const nome = `Demo gate ${g.side}`
    return {
      row: LOOPS + 2 + g.n,
      id: `ztl-demo-${g.n}`,
      kind: 'ztl-gate',
      name: nome,
      position: at(p.x, p.y),
      expectedIntervalS: 300,
      source: 'generated',
      props: { varco: `demo-${g.n}`, nome, descrizione: '', direzione: 'centro', quartiere: 'Demo district', zona: 'Demo', via: g.street, ...generated },
    }
  })
  devices.push(...gates)

  for (const b of [1, 2]) {
    const p = b === 1 ? pt(1, 1) : pt(GRID - 2, GRID - 2)
    devices.push({
      row: LOOPS + 6 + b,
      id: `bike-demo-${b}`,
      kind: 'bike-counter',
      name: `Demo bike counter ${b}`,
      position: at(p.x + 8, p.y + 8),
      expectedIntervalS: 900,
      source: 'generated',
      props: { colonnina: `Demo_${b}`, quartiere: 'Demo district', zona: 'Demo', via: b === 1 ? 'Demo Avenue 2' : `Demo Avenue ${GRID - 1}`, civico: '1', ...generated },
    })
  }

  const routers = routersForGates(gates.map((g) => ({ row: g.row, deviceId: g.id, position: g.position, name: g.name })))
  routers.forEach((r, i) => devices.push({ ...r, row: LOOPS + 9 + i, name: `Demo field router ${i + 1}`, position: [round7(r.position[0]), round7(r.position[1])] }))

  return { streetArcs, areas, devices }
}

/** The demo district's checksum: sha256 of its rows, so a changed generator or option re-imports it. */
export function demoChecksum(d: DemoDistrict): string {
  return createHash('sha256').update(JSON.stringify(d)).digest('hex')
}

/** Writes the demo district in one transaction (replacing any previous one); skipped when unchanged unless `force`. */
export async function importDemoDistrict(db: Db, opts: DemoDistrictOptions & { force?: boolean } = {}): Promise<DatasetImportReport> {
  const t0 = performance.now()
  const district = buildDemoDistrict(opts)
  const checksum = demoChecksum(district)
  const source = `generated (centre ${(opts.center ?? DEMO_DEFAULT_CENTER).join(', ')}, seed ${opts.seed ?? 'default'})`
  const elapsed = () => Math.round(performance.now() - t0)
  const features = district.streetArcs.length + district.areas.length + district.devices.length
  if (!opts.force) {
    const recorded = await unchangedImport(db, DEMO_DATASET, checksum)
    if (recorded) return { ...recorded, source, durationMs: elapsed() }
  }
  return db.transaction(async (tx) => {
    await lockDataset(tx, DEMO_DATASET.id)
    const arcs = await replaceStreetArcs(tx, DEMO_DATASET.id, district.streetArcs)
    const areas = await replaceAreas(tx, DEMO_DATASET.id, district.areas)
    const devices = await replaceDatasetDevices(tx, DEMO_DATASET.id, district.devices)
    const problems = [...arcs.problems, ...areas.problems, ...devices.problems]
    const written = arcs.written + areas.written + devices.written
    const rejected = arcs.rejected + areas.rejected + devices.rejected
    await recordImport(tx, DEMO_DATASET, { source, checksum, sourceRows: features, features: written, rejected, problems, durationMs: elapsed() })
    return { dataset: DEMO_DATASET.id, features: written, rejected, problems, skipped: false, checksum, source, durationMs: elapsed() }
  })
}
