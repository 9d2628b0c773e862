/**
 * The signal workbench model of Bologna's real SUMO networks (iTETRIS scenarios, UTOPIA programs):
 * every program imports into a valid controller and plans and exports back to the same tlLogic.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { SignalControllerSchema, SignalPlanSchema } from '../../../contracts/schemas/signal-plan'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { parseSumoAdditional } from './sumo-additional-parser'
import { deriveAllSignalModels, type SignalModel } from './signal-model'
import { parseSumoNet } from './sumo-net-parser'
import { plansToTlLogicXml } from './sumo-plan-export'

const SUMO = path.join(CITY_DATA_DIR, 'sumo-bologna')
// The data bundle is part of the test setup (.ci/run): a missing file fails the test, it does not skip it.
const NETS = ['acosta', 'pasubio', 'joined']

/** Signal groups per traffic light, as derived from the UTOPIA programs. */
const GROUPS: Record<string, Record<string, number>> = {
  acosta: { 209: 6, 210: 11, 219: 8, 220: 6, 221: 8, 235: 10, 273: 5 },
  pasubio: { 218: 10, 219: 16, 220: 2, 230: 7, 231: 19, 232: 7, 233: 6, 282: 8 },
  joined: { 209: 6, 210: 11, 218: 10, 219: 16, 220: 6, 221: 8, 230: 7, 231: 19, 232: 7, 233: 6, 235: 10, 273: 6, 282: 8 },
}

function load(name: string) {
  const netFile = path.join(SUMO, name, `${name}_buslanes.net.xml`)
  const tlsFile = path.join(SUMO, name, `${name}_tls.add.xml`)
  const net = parseSumoNet(readFileSync(netFile, 'utf8'), netFile).net
  const programs = parseSumoAdditional(readFileSync(tlsFile, 'utf8'), tlsFile).additional.tlLogics
  return { net, programs, models: deriveAllSignalModels(net, programs, { importedAt: '2024-04-30T00:00:00Z' }) }
}

const strip = (xml: string) => parseSumoAdditional(xml, 'x.add.xml').additional.tlLogics.map(({ id, programId, type, offsetS, phases }) => ({ id, programId, type, offsetS, phases }))

function summary(m: SignalModel): string {
  const c = m.controller
  const pairs = c.conflicts.reduce((s, row) => s + [...row].filter((x) => x === 'x').length, 0) / 2
  return `${c.id}: ${c.signalGroups.length} groups, ${pairs + (c.permissive?.length ?? 0)} conflicting pairs by the network (${pairs} in K, ${c.permissive?.length ?? 0} permissive by SUMO 'g'), ${m.notes.filter((n) => n.startsWith('Conflict kept')).length} kept despite a common green`
}

describe.skipIf(NETS.length === 0)('signal workbench model of the Bologna SUMO networks', () => {
  it.each(NETS)('%s: every UTOPIA program exports back to the same tlLogic (phases, durations, bounds, offset)', (name) => {
    const { programs, models } = load(name)
    expect(models.map((m) => m.controller.id)).toEqual(programs.map((p) => p.id))
    const exported = models.flatMap((m) => strip(plansToTlLogicXml(SignalControllerSchema.parse(m.controller), m.plans.map((p) => SignalPlanSchema.parse(p)))))
    const original = strip(readFileSync(path.join(SUMO, name, `${name}_tls.add.xml`), 'utf8'))
    expect(exported).toHaveLength(original.length)
    original.forEach((o, i) => {
      const e = exported[i]
      expect(e && { id: e.id, programId: e.programId, type: e.type, offsetS: e.offsetS }).toEqual({ id: o.id, programId: o.programId, type: o.type, offsetS: o.offsetS })
      o.phases.forEach((ph, k) => expect(e?.phases[k], `${o.id} phase ${k + 1}`).toEqual(ph))
      expect(e?.phases).toHaveLength(o.phases.length)
    })
  })

  it.each(NETS)('%s: controllers and plans are valid documents; group counts per traffic light', (name) => {
    const { models } = load(name)
    for (const m of models) {
      const c = SignalControllerSchema.parse(m.controller)
      for (const p of m.plans) expect(SignalPlanSchema.parse(p)).toMatchObject({ controllerId: c.id, control: 'adaptive', source: { kind: 'sumo', programId: 'utopia' } })
      // every link of the program is in exactly one group
      const links = c.signalGroups.flatMap((g) => g.links).sort((a, b) => a - b)
      expect(links).toEqual(Array.from({ length: links.length }, (_, k) => k))
      expect(c.intersectionCode).toBe(c.id)
      expect(c.name).toBe(`Incrocio ${c.id}`)
      expect(c.schedule).toHaveLength(1)
      // K symmetric with a '.' diagonal; an intergreen for every conflicting ordered pair; allRed ≥ max intergreen
      const n = c.signalGroups.length
      c.conflicts.forEach((row, i) => {
        expect(row).toHaveLength(n)
        expect(row[i]).toBe('.')
        for (let j = 0; j < n; j++) {
          expect(row[j]).toBe(c.conflicts[j]?.[i])
          if (row[j] === 'x') expect(c.intergreen[`S${i + 1}`]?.[`S${j + 1}`]).toBeGreaterThanOrEqual(0)
        }
      })
      const maxIg = Math.max(0, ...Object.values(c.intergreen).flatMap((r) => Object.values(r)))
      expect(c.startup?.allRedS).toBe(Math.max(3, maxIg))
      // a geometry conflict is in K or has a permissive override
      for (const gm of c.geometry) {
        const [i, j] = [Number(gm.a.slice(1)) - 1, Number(gm.b.slice(1)) - 1]
        const permitted = c.permissive.some((p) => p.a === gm.a && p.b === gm.b)
        expect(c.conflicts[i]?.[j] === 'x' || permitted, `${c.id} ${gm.a}/${gm.b}`).toBe(true)
      }
    }
    const counts = Object.fromEntries(models.map((m) => [m.controller.id, m.controller.signalGroups.length]))
    console.info(`${name}:\n  ${models.map(summary).join('\n  ')}`)
    expect(counts).toEqual(GROUPS[name])
  })

  it.each(NETS)('%s: every conflicting pair green (or amber) together in a program is permissive with a reason, or in the notes', (name) => {
    const { models } = load(name)
    let overlaps = 0
    for (const m of models) {
      const c = SignalControllerSchema.parse(m.controller)
      const geometric = new Set(c.geometry.map((g) => `${g.a}|${g.b}`))
      for (const plan of m.plans.map((p) => SignalPlanSchema.parse(p))) {
        plan.intervals.forEach((iv) => {
          iv.states.forEach((si, i) => {
            for (let j = i + 1; j < iv.states.length; j++) {
              const sj = iv.states[j] as string
              if (!['G', 'Y', 'RY'].includes(si) || !['G', 'Y', 'RY'].includes(sj)) continue
              const [a, b] = [`S${i + 1}`, `S${j + 1}`]
              if (!geometric.has(`${a}|${b}`) && c.conflicts[i]?.[j] !== 'x') continue
              overlaps++
              const permissive = c.permissive.find((p) => p.a === a && p.b === b)
              const noted = m.notes.some((note) => note.startsWith(`Conflict kept: ${a} (`) && note.includes(` ${b} (`) && note.includes(`program ${plan.source.programId}`))
              expect(permissive ? permissive.reason : noted, `${c.id} ${plan.id}: ${a}/${b}`).toBeTruthy()
              if (permissive) expect(permissive.reason).toMatch(new RegExp(`^Program ${plan.source.programId}: .*yields by the network's junction logic \\(SUMO 'g'\\)`))
            }
          })
        })
      }
    }
    expect(overlaps).toBeGreaterThan(0)
  })
})

describe('the intergreen matrix of an imported controller', () => {
  it('takes the computed minimum, or what the program in service runs where that is tighter (with a note)', () => {
    const m = load('joined').models.find((x) => x.controller.id === '218')!
    // 218 runs S5 → S3 in 3 s of yellow + 2 s of all red; the RiLSA-style computation asks 8 s.
    expect(m.controller.intergreen.S5!.S3).toBe(5)
    expect(m.notes).toContain('Intergreen S5 → S3: the programs run 5 s, below the computed 8 s; the matrix takes 5 s (a traffic engineer should confirm it).')
    const all = Object.values(m.controller.intergreen).flatMap((row) => Object.values(row))
    expect(m.controller.startup?.allRedS).toBe(Math.max(3, ...all))
  })
})
