/**
 * Test data for the signal-safety rules: a small, legal Italian junction and compact plan notation.
 *
 * Groups: A main street (vehicle, 50 km/h), B side street (vehicle, 50 km/h), P pedestrian crossing
 * of the side street (10 m). A×B and B×P conflict; A and P may run together.
 *
 * The base plan (72 s): A+P green, P clears, A yellow, all red, B green, B yellow, all red.
 */
import type { SignalControllerInput, SignalPlanInput, SignalState } from '../../schemas/signal-plan'

export type Row = [durationS: number, ...states: SignalState[]] | [durationS: number, { minS?: number; maxS?: number; name?: string }, ...states: SignalState[]]

export function intervals(rows: Row[]): SignalPlanInput['intervals'] {
  return rows.map(([durationS, ...rest]) => {
    const first = rest[0]
    const opts = typeof first === 'object' ? (first as { minS?: number; maxS?: number; name?: string }) : {}
    const states = (typeof first === 'object' ? rest.slice(1) : rest) as SignalState[]
    return { durationS, states, ...opts }
  })
}

const cycleOf = (rows: Row[]) => Math.round(rows.reduce((s, r) => s + r[0], 0) * 10) / 10

export function junction(over: Partial<SignalControllerInput> = {}): SignalControllerInput {
  return {
    id: 'J1',
    name: 'Test junction',
    profile: 'it',
    signalGroups: [
      { id: 'A', name: 'main street', type: 'vehicle', speedKmh: 50 },
      { id: 'B', name: 'side street', type: 'vehicle', speedKmh: 50 },
      { id: 'P', name: 'crossing of the side street', type: 'pedestrian', crossing: { lengthM: 10 } },
    ],
    conflicts: ['.x.', 'x.x', '.x.'],
    geometry: [
      { a: 'A', b: 'B', kind: 'crossing', aToPointM: 12, bToPointM: 10 },
      { a: 'P', b: 'B', kind: 'crossing', aToPointM: 10, bToPointM: 5 },
    ],
    intergreen: { A: { B: 5 }, B: { A: 5, P: 6 }, P: { B: 12 } },
    startup: { flashS: 5, allRedS: 12 },
    schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '23:00', planId: 'day' }],
    ...over,
  }
}

export const BASE_ROWS: Row[] = [
  [30, 'G', 'R', 'G'],
  [8, 'G', 'R', 'Y'],
  [4, 'Y', 'R', 'R'],
  [3, 'R', 'R', 'R'],
  [20, 'R', 'G', 'R'],
  [4, 'R', 'Y', 'R'],
  [3, 'R', 'R', 'R'],
]

export function plan(rows: Row[] = BASE_ROWS, over: Partial<SignalPlanInput> = {}): SignalPlanInput {
  return { id: 'day', controllerId: 'J1', name: 'Day plan', control: 'fixed', cycleS: cycleOf(rows), offsetS: 0, intervals: intervals(rows), ...over }
}

/** The base rows with one row replaced (or several). */
export function withRows(changes: Record<number, Row>, rows: Row[] = BASE_ROWS): Row[] {
  return rows.map((r, i) => changes[i] ?? r)
}
