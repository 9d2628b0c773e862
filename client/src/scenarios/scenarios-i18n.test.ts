import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import en from '../app/i18n/scenarios.en.json'
import it_ from '../app/i18n/scenarios.it.json'
import { SCENARIO_SUMO_NETWORKS, SCENARIO_SUMO_STATUSES } from '../../../contracts/scenario-api'
import { IncidentPrioritySchema } from '../../../contracts/incident-api'
import { DAY_TYPES, SCENARIO_EDIT_KINDS, SCENARIO_STATUSES, ScenarioNetworkSchema } from '../../../contracts/schemas/scenario'
import { COMPARE_MODES } from '../state/scenario-map'
import type { EditProblem } from './edit-form'
import { MERGED_FIELDS } from './scenario-draft'
import { KPI_KEYS } from './kpi-format'
import { SCENARIO_TABS } from './scenario-view'
import { sumoKpiRows } from './sumo-runs'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}
const EN = new Set(keys(en))
const has = (key: string) => EN.has(key) || EN.has(`${key}_one`)
const PROBLEMS: readonly EditProblem[] = ['edges', 'lanesClosed', 'window', 'speedKmh', 'lanes', 'factor', 'controller', 'plan', 'name', 'position', 'vehH', 'invalid']
const here = path.dirname(fileURLToPath(import.meta.url))

/** The scenario explorer's own files, and the maps' files that speak for it. */
function sources(): string[] {
  const own = readdirSync(here)
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))
    .map((f) => path.join(here, f))
  return [...own, path.join(here, '../map2d/scenario-compare-map.tsx'), path.join(here, '../panels/control-room-menu.tsx')]
}

describe('scenario explorer texts', () => {
  it('Italian and English have the same keys', () => {
    expect(keys(it_).sort()).toEqual([...EN].sort())
  })

  it('live under their own top-level key, so merging the resource files overwrites nothing', () => {
    expect(Object.keys(en)).toEqual(['scenarios'])
    expect(Object.keys(it_)).toEqual(['scenarios'])
  })

  it('every key written in the code exists', () => {
    const used = new Set<string>()
    for (const f of sources()) for (const m of readFileSync(f, 'utf8').matchAll(/['`](scenarios\.[A-Za-z0-9_.-]+)['`]/g)) used.add(m[1]!)
    expect(used.size).toBeGreaterThan(200)
    expect([...used].filter((k) => !has(k))).toEqual([])
  })

  it('every value of the enumerations the code looks up has a text', () => {
    const families: Array<[string, readonly string[]]> = [
      ['scenarios.status', SCENARIO_STATUSES],
      ['scenarios.network', ScenarioNetworkSchema.options],
      ['scenarios.dayType', DAY_TYPES],
      ['scenarios.kind', SCENARIO_EDIT_KINDS],
      ['scenarios.edit.hint', SCENARIO_EDIT_KINDS],
      ['scenarios.edit.problem', PROBLEMS],
      ['scenarios.edit.closureKind', ['whole', 'lanes']],
      ['scenarios.base.kind', ['observed', 'typical']],
      ['scenarios.base.hint', ['observed', 'typical']],
      ['scenarios.header.to', SCENARIO_STATUSES],
      ['scenarios.conflict.field', MERGED_FIELDS],
      ['scenarios.tabs', SCENARIO_TABS],
      ['scenarios.kpi', KPI_KEYS],
      ['scenarios.kpi.unit', KPI_KEYS],
      ['scenarios.kpi.tone', ['worse', 'better', 'same']],
      ['scenarios.fit.loop', ['fit', 'poor', 'bad']],
      ['scenarios.bar.mode', [...COMPARE_MODES, '3d']],
      ['scenarios.sumo.status', SCENARIO_SUMO_STATUSES],
      ['scenarios.sumo.networks', SCENARIO_SUMO_NETWORKS],
      ['scenarios.incident.priority', IncidentPrioritySchema.options],
      ['scenarios.sumo.kpis', sumoKpiRows({ kpis: { vehKm: 0, vehHours: 0, meanSpeedKmh: 0, delayVehHours: 0, teleports: 0, tripsCompleted: 0 }, estimateKpis: null } as never).map((r) => r.key)],
    ]
    const missing = families.flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)).filter((k) => !has(k))
    expect(missing).toEqual([])
  })
})
