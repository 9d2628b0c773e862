/**
 * SUMO cross-check (reliability-security.md §1.3 case 24): every Bologna plan the validator accepts,
 * exported back to a tlLogic additional file, loads in Debian's sumo 1.15 with the network and
 * runs with no traffic-light warning ("Missing yellow phase", "Missing green phase", "Unused
 * states"). Junction collisions are not asserted: SUMO reports the same ones with the original
 * UTOPIA files (permissive left turns' driver model), see docs/signals.md.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { SignalControllerSchema, SignalPlanSchema } from '../../../contracts/schemas/signal-plan'
import { validateSignals } from '../../../contracts/signal-safety/validator'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { deriveAllSignalModels } from './signal-model'
import { parseSumoAdditional } from './sumo-additional-parser'
import { parseSumoNet } from './sumo-net-parser'
import { plansToTlLogicXml } from './sumo-plan-export'
import { tlLogicXml } from './tl-logic-export'

const DIR = path.join(CITY_DATA_DIR, 'sumo-bologna', 'joined')

describe('accepted plans exported to SUMO', () => {
  it('load and run in sumo 1.15 with no traffic-light warning', () => {
    const netFile = path.join(DIR, 'joined_buslanes.net.xml')
    const net = parseSumoNet(readFileSync(netFile, 'utf8'), 'joined_buslanes.net.xml').net
    const programs = parseSumoAdditional(readFileSync(path.join(DIR, 'joined_tls.add.xml'), 'utf8'), 'joined_tls.add.xml').additional.tlLogics
    const models = deriveAllSignalModels(net, programs, { importedAt: new Date(0).toISOString() })
    const accepted = models.filter((m) => validateSignals(m.controller, m.plans).ok)
    expect(accepted.length).toBe(12)
    // One additional file: each accepted plan exported, in one <additional> root.
    const body = accepted.map((m) => plansToTlLogicXml(SignalControllerSchema.parse(m.controller), m.plans.map((p) => SignalPlanSchema.parse(p))).replace(/^[\s\S]*?<additional>\n|<\/additional>\n?$/g, '')).join('')
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gemello-sumo-'))
    const file = path.join(dir, 'exported.add.xml')
    writeFileSync(file, `${tlLogicXml([]).replace('</additional>', '')}${body}</additional>\n`)
    const r = spawnSync('sumo', ['-n', netFile, '-a', file, '--begin', '0', '--end', '300', '--no-step-log', '--collision.check-junctions', 'true'], { encoding: 'utf8' })
    expect(r.error).toBeUndefined()
    expect(r.status).toBe(0)
    const tlsWarnings = r.stderr.split('\n').filter((l) => /Missing yellow phase|Missing green phase|Unused states|tlLogic/i.test(l))
    expect(tlsWarnings).toEqual([])
  })
})
