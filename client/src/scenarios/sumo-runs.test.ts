import { describe, expect, it } from 'vitest'
import type { ScenarioSumoRun } from '../api/scenario-client'
import { detectorsByGeh, sumoKpiRows } from './sumo-runs'

const results = (): NonNullable<ScenarioSumoRun['results']> => ({
  network: 'joined',
  hour: 8,
  warmupS: 600,
  measuredS: 3600,
  vehicles: 4200,
  appliedEdits: [{ edit: 0, kind: 'close-road', sumoEdges: ['-123#0'] }],
  unmappedEdits: [],
  kpis: { vehKm: 11_000, vehHours: 420, meanSpeedKmh: 26.2, delayVehHours: 90, teleports: 3, tripsCompleted: 4100 },
  estimateKpis: { vehKm: 10_000, vehHours: 400, meanSpeedKmh: 25 },
  edgeCount: 812,
  detectors: [
    { deviceId: 'a', countedVehH: 500, simulatedVehH: 480, estimatedVehH: 470, geh: 0.9, gehEstimate: 0.5 },
    { deviceId: 'b', countedVehH: null, simulatedVehH: 100, estimatedVehH: 90, geh: null, gehEstimate: null },
    { deviceId: 'c', countedVehH: 900, simulatedVehH: 400, estimatedVehH: 420, geh: 19.6, gehEstimate: 1 },
  ],
  gehBelow5Share: 0.5,
  wallTimeS: 95,
})

describe('scenario SUMO runs', () => {
  it("set the simulation's KPIs beside the estimate's, with the difference in %", () => {
    const rows = sumoKpiRows(results())
    expect(rows.find((r) => r.key === 'vehKm')).toMatchObject({ simulated: 11_000, estimated: 10_000, differencePercent: 10 })
    expect(rows.find((r) => r.key === 'teleports')).toMatchObject({ estimated: null, differencePercent: null })
  })

  it('list the loops worst fit first, uncounted last', () => {
    expect(detectorsByGeh(results()).map((d) => d.deviceId)).toEqual(['c', 'a', 'b'])
  })
})
