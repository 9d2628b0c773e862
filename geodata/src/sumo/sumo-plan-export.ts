/**
 * A workbench plan back to a SUMO `<tlLogic>`: one state character per link index, taken from the
 * state of the signal group that drives the link (G → 'G', or 'g' where the interval lists the group
 * as a permissive green; Y → 'y', R → 'r', RY → 'u', FY → 'o', DARK → 'O', Gflash → 'G'). Link
 * indices no group drives are written red. Durations and actuation bounds are written as stored;
 * the XML comes from `tlLogicXml` (tl-logic-export.ts), so `sumo --additional-files` loads it.
 *
 * The SUMO program type is the one imported (`source.type`); a plan made in Gemello is 'actuated'
 * when its control is actuated and 'static' otherwise.
 */
import type { SignalState } from '../../../contracts/schemas/signal-plan'
import type { SumoPhase } from './sumo-net'
import { tlLogicXml, type StoredProgram } from './tl-logic-export'

/** What the export needs of a controller (parsed or input form). */
export interface ExportController {
  id: string
  signalGroups: ReadonlyArray<{ id: string; links?: readonly number[] | undefined }>
}

/** What the export needs of a plan (parsed or input form). */
export interface ExportPlan {
  id: string
  control: 'fixed' | 'actuated' | 'adaptive' | 'off'
  offsetS: number
  intervals: ReadonlyArray<{ name?: string | undefined; durationS: number; minS?: number | undefined; maxS?: number | undefined; states: readonly SignalState[]; minorGreen?: readonly string[] | undefined }>
  source?: { kind: string; tlsId?: string | undefined; programId?: string | undefined; type?: string | undefined } | undefined
}

const CHAR: Record<SignalState, string> = { G: 'G', Gflash: 'G', Y: 'y', R: 'r', RY: 'u', FY: 'o', DARK: 'O' }

export function planToTlLogic(controller: ExportController, plan: ExportPlan): StoredProgram {
  const groups = controller.signalGroups
  const owner = new Map<number, number>()
  groups.forEach((g, gi) => {
    for (const k of g.links ?? []) {
      if (owner.has(k)) throw new Error(`controller ${controller.id}: link ${k} belongs to both ${groups[owner.get(k) as number]?.id} and ${g.id}`)
      owner.set(k, gi)
    }
  })
  const length = Math.max(0, ...owner.keys()) + (owner.size > 0 ? 1 : 0)
  if (length === 0) throw new Error(`controller ${controller.id}: no signal group drives a SUMO link, so there is no tlLogic state to write`)
  const phases = plan.intervals.map((iv, i): SumoPhase => {
    if (iv.states.length !== groups.length) throw new Error(`plan ${plan.id} interval ${i + 1}: ${iv.states.length} states for ${groups.length} signal groups`)
    const minor = new Set(iv.minorGreen ?? [])
    let state = ''
    for (let k = 0; k < length; k++) {
      const gi = owner.get(k)
      if (gi === undefined) {
        state += 'r'
        continue
      }
      const s = iv.states[gi] as SignalState
      state += s === 'G' && minor.has((groups[gi] as { id: string }).id) ? 'g' : CHAR[s]
    }
    const phase: SumoPhase = { duration: iv.durationS, state }
    if (iv.minS !== undefined) phase.minDur = iv.minS
    if (iv.maxS !== undefined) phase.maxDur = iv.maxS
    if (iv.name !== undefined) phase.name = iv.name
    return phase
  })
  return {
    tlsId: plan.source?.tlsId ?? controller.id,
    programId: plan.source?.programId ?? plan.id,
    type: plan.source?.type ?? (plan.control === 'actuated' ? 'actuated' : 'static'),
    offsetS: plan.offsetS,
    phases,
    params: {},
  }
}

/** The additional-file XML of these plans of one controller, in the given order. */
export function plansToTlLogicXml(controller: ExportController, plans: readonly ExportPlan[]): string {
  return tlLogicXml(plans.map((p) => planToTlLogic(controller, p)))
}
