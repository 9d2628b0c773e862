/**
 * The `bologna-signal-plans` dataset: the signal workbench's controllers and plans (docs/signals.md),
 * derived from the joined SUMO network and its UTOPIA programs (signal-model.ts) and stored through
 * server/src/db/signals.ts `importController`: validated by the safety validator, approved as "in
 * service" when it accepts them, left draft with the report when it does not. Re-importing changes
 * nothing an engineer made: new versions are added only where the derived documents changed.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { SignalControllerSchema, SignalPlanSchema } from '../../../contracts/schemas/signal-plan'
import { importController } from '../../../server/src/db/signals'
import type { DatasetLoader } from '../importers/dataset-loaders'
import { ProblemLog } from '../readers/read-result'
import { deriveAllSignalModels } from './signal-model'
import { parseSumoAdditional } from './sumo-additional-parser'
import { parseSumoNet } from './sumo-net-parser'

/** The network whose lanes and detectors the controllers refer to (its dataset id is its network id). */
export const SIGNAL_PLANS_NETWORK = 'sumo-joined'

export const loadSignalPlans: DatasetLoader = (file, opts) => {
  const netFile = (opts.alsoReads ?? []).find((f) => f.endsWith('.net.xml'))
  if (!netFile) throw new Error(`${path.basename(file)}: the signal plans need their network (${SIGNAL_PLANS_NETWORK}'s .net.xml next to it)`)
  const net = parseSumoNet(readFileSync(netFile, 'utf8'), path.basename(netFile)).net
  const programs = parseSumoAdditional(readFileSync(file, 'utf8'), path.basename(file)).additional.tlLogics
  const log = new ProblemLog()
  const models = deriveAllSignalModels(net, programs, { importedAt: new Date().toISOString(), by: 'import' })
  const lineOf = (tlsId: string) => programs.find((p) => p.id === tlsId)?.line ?? 0
  const parsed = models.flatMap((m) => {
    const c = SignalControllerSchema.safeParse({ ...m.controller, networkId: SIGNAL_PLANS_NETWORK })
    const plans = m.plans.map((p) => SignalPlanSchema.safeParse(p))
    const bad = [c, ...plans].find((x) => !x.success)
    if (!c.success || bad) {
      log.reject(lineOf(m.controller.id), m.controller.id, `traffic light ${m.controller.id} does not derive a valid controller: ${bad && !bad.success ? bad.error.issues[0]?.message : ''}`)
      return []
    }
    for (const n of m.notes) log.note(lineOf(m.controller.id), m.controller.id, n)
    return [{ controller: c.data, plans: plans.map((p) => p.data!) }]
  })
  return {
    rows: programs.length,
    rejected: log.rejected,
    problems: log.problems,
    write: async (tx, dataset) => {
      const writeLog = new ProblemLog()
      let written = 0
      const devices = await tx.query<{ id: string }>("SELECT id FROM device WHERE kind = 'signal-controller'")
      const deviceIds = new Set(devices.rows.map((d) => d.id))
      for (const m of parsed) {
        const deviceId = deviceIds.has(`signal-${m.controller.id}`) ? `signal-${m.controller.id}` : null
        const out = await importController(tx, { controller: m.controller, plans: m.plans, networkId: SIGNAL_PLANS_NETWORK, deviceId, dataset }, { actor: 'system:import', actorRole: 'system' }, Date.now())
        written++
        for (const p of out.plans) {
          if (!p.ok) writeLog.note(lineOf(m.controller.id), p.planId, `plan ${p.planId} v${p.version} is rejected by the safety validator: stored as a draft with its report (GET /api/signal-controllers/${m.controller.id}/plans/${p.planId}/versions/${p.version})`)
        }
        if (!deviceId) writeLog.note(lineOf(m.controller.id), m.controller.id, `no signal-controller device signal-${m.controller.id}: import bologna-signal-controllers for its position and live stage`)
      }
      // One feature per controller (with its plans): what countDatasetRows finds in signal_controller.
      return { written, problems: writeLog.problems, rejected: 0 }
    },
  }
}
