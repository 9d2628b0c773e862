/**
 * The form of one edit of a scenario (contracts/schemas/scenario.ts ScenarioEditSchema): which kind,
 * the streets picked on the map, and the kind's own fields as typed (text, so a half-typed number is
 * not lost). `editOfForm` turns it into the contract's edit or names what is missing; the contract's
 * schema has the last word. Pure.
 */
import { ScenarioEditSchema, type ScenarioEdit, type ScenarioEditKind } from '../../../contracts/schemas/scenario'

export type LonLat = [number, number]
/** Where a close-road edit comes from, when not drawn by hand: an incident or a PMO work site. */
export type EditSource = NonNullable<Extract<ScenarioEdit, { kind: 'close-road' }>['source']>

export interface EditForm {
  kind: ScenarioEditKind
  /** Road edge ids (close-road, speed-limit, lane-use, bus-lane), in the order picked. */
  edges: string[]
  closure: 'whole' | 'lanes'
  lanesClosed: string
  /** A closure only in a time window of the day (from–to, may cross midnight). */
  window: boolean
  fromHour: number
  toHour: number
  speedKmh: string
  lanes: string
  factor: string
  /** Districts (quartieri) whose trips are scaled; none: everywhere. */
  districts: string[]
  controllerId: string
  planId: string
  version: string
  name: string
  position: LonLat | null
  producedVehH: string
  attractedVehH: string
  note: string
  /** A closure made from an incident or a PMO work site (kept as it is when the edit is changed). */
  source: EditSource | null
}

/** What a missing or wrong field is called in the form's messages (scenarios.edit.problem.*). */
export type EditProblem = 'edges' | 'lanesClosed' | 'window' | 'speedKmh' | 'lanes' | 'factor' | 'controller' | 'plan' | 'name' | 'position' | 'vehH' | 'invalid'

/** The kinds whose edit names streets picked on the map. */
export const EDGE_KINDS: readonly ScenarioEditKind[] = ['close-road', 'speed-limit', 'lane-use', 'bus-lane']

/** What a click on the map does while a form of this kind is open. */
export function pickModeOf(kind: ScenarioEditKind): 'edges' | 'point' | 'none' {
  if (EDGE_KINDS.includes(kind)) return 'edges'
  return kind === 'generator' ? 'point' : 'none'
}

export function emptyEditForm(kind: ScenarioEditKind): EditForm {
  return {
    kind,
    edges: [],
    closure: 'whole',
    lanesClosed: '1',
    window: false,
    fromHour: 7,
    toHour: 10,
    speedKmh: '30',
    lanes: '1',
    factor: '1.1',
    districts: [],
    controllerId: '',
    planId: '',
    version: '',
    name: '',
    position: null,
    producedVehH: '0',
    attractedVehH: '500',
    note: '',
    source: null,
  }
}

/** The form of a stored edit, to change it. */
export function formOfEdit(edit: ScenarioEdit): EditForm {
  const f = emptyEditForm(edit.kind)
  const note = edit.note ?? ''
  switch (edit.kind) {
    case 'close-road':
      return {
        ...f,
        note,
        edges: [...edit.edges],
        closure: edit.lanesClosed === undefined ? 'whole' : 'lanes',
        lanesClosed: String(edit.lanesClosed ?? 1),
        window: edit.fromHour !== undefined || edit.toHour !== undefined,
        fromHour: edit.fromHour ?? 0,
        toHour: edit.toHour ?? 0,
        source: edit.source ?? null,
      }
    case 'speed-limit':
      return { ...f, note, edges: [...edit.edges], speedKmh: String(edit.speedKmh) }
    case 'lane-use':
      return { ...f, note, edges: [...edit.edges], lanes: String(edit.lanes) }
    case 'bus-lane':
      return { ...f, note, edges: [...edit.edges] }
    case 'signal-plan':
      return { ...f, note, controllerId: edit.controllerId, planId: edit.planId, version: String(edit.version) }
    case 'scale-demand':
      return { ...f, note, factor: String(edit.factor), districts: [...(edit.districts ?? [])] }
    case 'generator':
      return { ...f, note, name: edit.name, position: edit.position, producedVehH: String(edit.producedVehH), attractedVehH: String(edit.attractedVehH) }
  }
}

/** A number as typed, with a decimal comma or point; NaN when it is not one. */
export function parseNumber(text: string): number {
  const t = text.trim().replace(',', '.')
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN
}

const intIn = (text: string, min: number, max: number) => {
  const n = parseNumber(text)
  return Number.isInteger(n) && n >= min && n <= max ? n : null
}
const numIn = (text: string, min: number, max: number) => {
  const n = parseNumber(text)
  return Number.isFinite(n) && n >= min && n <= max ? n : null
}

/** The contract's edit from the form, or what is missing or out of range. */
export function editOfForm(f: EditForm): { edit: ScenarioEdit } | { problems: EditProblem[] } {
  const problems: EditProblem[] = []
  const note = f.note.trim() ? { note: f.note.trim() } : {}
  const edges = [...new Set(f.edges)]
  if (EDGE_KINDS.includes(f.kind) && edges.length === 0) problems.push('edges')
  let edit: ScenarioEdit | null = null
  switch (f.kind) {
    case 'close-road': {
      const lanes = f.closure === 'lanes' ? intIn(f.lanesClosed, 1, 8) : undefined
      if (lanes === null) problems.push('lanesClosed')
      if (f.window && f.fromHour === f.toHour) problems.push('window')
      edit = { kind: 'close-road', edges, ...(lanes ? { lanesClosed: lanes } : {}), ...(f.window ? { fromHour: f.fromHour, toHour: f.toHour } : {}), ...note, ...(f.source ? { source: f.source } : {}) }
      break
    }
    case 'speed-limit': {
      const speed = numIn(f.speedKmh, 5, 130)
      if (speed === null) problems.push('speedKmh')
      edit = { kind: 'speed-limit', edges, speedKmh: speed ?? 0, ...note }
      break
    }
    case 'lane-use': {
      const lanes = intIn(f.lanes, 1, 8)
      if (lanes === null) problems.push('lanes')
      edit = { kind: 'lane-use', edges, lanes: lanes ?? 0, ...note }
      break
    }
    case 'bus-lane':
      edit = { kind: 'bus-lane', edges, ...note }
      break
    case 'signal-plan': {
      const version = intIn(f.version, 1, 1_000_000)
      if (!f.controllerId) problems.push('controller')
      if (!f.planId || version === null) problems.push('plan')
      edit = { kind: 'signal-plan', controllerId: f.controllerId, planId: f.planId, version: version ?? 0, ...note }
      break
    }
    case 'scale-demand': {
      const factor = numIn(f.factor, 0, 5)
      if (factor === null) problems.push('factor')
      const districts = [...new Set(f.districts.map((d) => d.trim()).filter(Boolean))]
      edit = { kind: 'scale-demand', factor: factor ?? 0, ...(districts.length ? { districts } : {}), ...note }
      break
    }
    case 'generator': {
      const produced = numIn(f.producedVehH, 0, 20_000)
      const attracted = numIn(f.attractedVehH, 0, 20_000)
      if (!f.name.trim()) problems.push('name')
      if (!f.position) problems.push('position')
      if (produced === null || attracted === null) problems.push('vehH')
      edit = { kind: 'generator', name: f.name.trim(), position: f.position ?? [0, 0], producedVehH: produced ?? 0, attractedVehH: attracted ?? 0, ...note }
      break
    }
  }
  if (problems.length) return { problems }
  const parsed = ScenarioEditSchema.safeParse(edit)
  return parsed.success ? { edit: parsed.data } : { problems: ['invalid'] }
}

/**
 * A click on a street picks its edges (both directions, when the map found two): they are added, or —
 * when all of them are in the edit already — taken out again.
 */
export function toggleEdges(f: EditForm, picked: readonly string[]): EditForm {
  if (picked.length === 0) return f
  const all = picked.every((e) => f.edges.includes(e))
  const edges = all ? f.edges.filter((e) => !picked.includes(e)) : [...f.edges, ...picked.filter((e) => !f.edges.includes(e))]
  return { ...f, edges }
}

/** The edge ids an edit names (none for the demand, signal and generator edits). */
export function edgesOf(edit: ScenarioEdit): readonly string[] {
  return 'edges' in edit ? edit.edges : []
}
