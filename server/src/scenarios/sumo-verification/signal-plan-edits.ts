/**
 * A scenario's signal-plan edits as SUMO runs them (docs/scenarios.md, "Verification in SUMO"): the
 * plan version of the signal workbench as program GEMELLO_PROGRAM_ID of the controller's traffic light,
 * written exactly as the signal plan's own verification writes it (signals/sumo-scenario.ts
 * planProgramXml) and loaded after the network's programs, so SUMO runs it; the runner checks in
 * SUMO's SaveTLSProgram output that it did. A controller, plan version or traffic light the network
 * lacks — or a plan driving another number of links than the network's traffic light — is reported
 * with the edit, not run.
 */
import type { ScenarioEdit } from '../../../../contracts/schemas/scenario'
import type { SumoNet } from '../../../../geodata/src/sumo/sumo-net'
import type { Queryable } from '../../db/adapter'
import { controllerDoc, getPlanVersion } from '../../db/signals'
import { controllerLinks, planProgramXml } from '../../signals/sumo-scenario'
import type { AppliedEdit, EditProblem } from './sumo-edits'

export interface PlanProgram {
  edit: number
  tlsId: string
  /** The additional file with the program. */
  xml: string
}

export async function resolvePlanEdits(q: Queryable, net: SumoNet, edits: readonly ScenarioEdit[], indices: readonly number[]): Promise<{ programs: PlanProgram[]; applied: AppliedEdit[]; unmapped: EditProblem[] }> {
  const byTls = new Map<string, PlanProgram>()
  const unmapped: EditProblem[] = []
  for (const k of indices) {
    const e = edits[k]
    if (e?.kind !== 'signal-plan') continue
    const problem = (message: string) => unmapped.push({ edit: k, kind: e.kind, message })
    const c = await controllerDoc(q, e.controllerId).catch(() => null)
    if (!c) {
      problem(`there is no signal controller ${e.controllerId}`)
      continue
    }
    const version = await getPlanVersion(q, e.controllerId, e.planId, e.version)
    if (!version) {
      problem(`controller ${e.controllerId} has no version ${e.version} of plan ${e.planId}`)
      continue
    }
    let program: { xml: string; tlsId: string }
    try {
      program = planProgramXml(c.doc, version.plan)
    } catch (err) {
      problem((err as Error).message)
      continue
    }
    const links = controllerLinks(net, program.tlsId)
    if (links.via.size === 0) {
      problem(`the SUMO network has no traffic light ${program.tlsId} (controller ${e.controllerId})`)
      continue
    }
    const networkLinks = Math.max(...net.connections.filter((x) => x.tl === program.tlsId && x.linkIndex !== null).map((x) => x.linkIndex!)) + 1
    const planLinks = /\sstate="([^"]*)"/.exec(program.xml)?.[1]?.length ?? 0
    if (planLinks !== networkLinks) {
      problem(`plan ${e.planId} v${e.version} drives ${planLinks} links; traffic light ${program.tlsId} of this SUMO network has ${networkLinks}`)
      continue
    }
    const earlier = byTls.get(program.tlsId)
    if (earlier) unmapped.push({ edit: earlier.edit, kind: 'signal-plan', message: `superseded by edit ${k}, another plan for traffic light ${program.tlsId}` })
    byTls.set(program.tlsId, { edit: k, tlsId: program.tlsId, xml: program.xml })
  }
  const programs = [...byTls.values()].sort((a, b) => a.edit - b.edit)
  const applied: AppliedEdit[] = programs.map((p) => ({ edit: p.edit, kind: 'signal-plan', sumoEdges: [...new Set(net.connections.filter((x) => x.tl === p.tlsId).map((x) => x.from))].sort() }))
  return { programs, applied, unmapped }
}
