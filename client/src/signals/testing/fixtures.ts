/**
 * Test data for the workbench's pure logic: the signal-safety test junction (contracts/signal-safety/
 * testing/signal-factories.ts — A main street, B side street, P pedestrian crossing of the side street;
 * A×B and B×P conflict) parsed into the stored shapes, with partial overrides.
 */
import { SignalControllerSchema, SignalPlanSchema, type SignalController, type SignalControllerInput, type SignalPlan, type SignalPlanInput } from '../../../../contracts/schemas/signal-plan'
import { junction, plan, type Row } from '../../../../contracts/signal-safety/testing/signal-factories'
import type { SumoRun, SumoRunResults } from '../../../../contracts/signal-api'

export { BASE_ROWS, withRows, type Row } from '../../../../contracts/signal-safety/testing/signal-factories'

export const GROUP_IDS = ['A', 'B', 'P'] as const

export function controllerFixture(over: Partial<SignalControllerInput> = {}): SignalController {
  return SignalControllerSchema.parse(junction(over))
}

export function planFixture(rows?: Row[], over: Partial<SignalPlanInput> = {}): SignalPlan {
  return SignalPlanSchema.parse(plan(rows, over))
}

/** A finished SUMO run's results at junction 210 with one approach, two detectors and one loop (override any part). */
export function sumoResultsFixture(over: Partial<SumoRunResults> = {}): SumoRunResults {
  return {
    networkId: 'sumo-joined',
    tlsId: '210',
    programId: 'gemello',
    demand: { kind: 'loop-counts', date: '2025-03-11', hour: 8, warmupS: 300, measuredS: 600, vehicles: 1200, seed: 42, countedEdges: 40, samplerGehBelow5Share: 0.8 },
    approaches: [
      {
        groupIds: ['S1', 'S2'],
        edgeId: 'a31',
        vehicles: 90,
        flowVehH: 540,
        countedVehH: 600,
        travelTimeS: 31.5,
        delayS: 22.4,
        stopsPerVehicle: 0.8,
        queueMaxVeh: 7,
        estimate: { delayS: 25, queueVehPerLane: 5.5 },
        groups: [
          { groupId: 'S1', simulatedVehH: 420, countedVehH: 480, estimateDelayS: 22, estimateQueueVehPerLane: 5.5 },
          { groupId: 'S2', simulatedVehH: 120, countedVehH: 120, estimateDelayS: 35.5, estimateQueueVehPerLane: 2 },
        ],
      },
    ],
    detectors: [
      { detectorId: 'd2', laneId: 'a31_1', deviceId: 'loop-7', countedVehH: 300, simulatedVehH: 290, geh: 0.58 },
      { detectorId: 'd1', laneId: 'a31_0', deviceId: 'loop-7', countedVehH: 300, simulatedVehH: 200, geh: 6.32 },
      { detectorId: 'd3', laneId: 'a46_0', deviceId: null, countedVehH: null, simulatedVehH: 150, geh: null },
    ],
    gehBelow5Share: 0.5,
    loops: [{ deviceId: 'loop-7', detectorIds: ['d1', 'd2'], countedVehH: 600, simulatedVehH: 490, geh: 4.7 }],
    loopGehBelow5Share: 1,
    vehiclesInserted: 1180,
    collisions: 0,
    collisionsAtController: 0,
    teleports: 1,
    network: { tripsCompleted: 900, meanTravelTimeS: 210.4, meanTimeLossS: 80.2 },
    warnings: [],
    wallTimeS: 14.2,
    ...over,
  }
}

export function sumoRunFixture(over: Partial<SumoRun> = {}): SumoRun {
  return {
    id: 1,
    controllerId: '210',
    planId: 'utopia',
    version: 1,
    status: 'done',
    progress: 1,
    request: { planId: 'utopia', version: 1, date: '2025-03-11', hour: 8, demand: 'loop-counts', durationS: 600 },
    requestedBy: 'eng-rossi',
    requestedAtMs: 1_741_680_000_000,
    startedAtMs: 1_741_680_001_000,
    finishedAtMs: 1_741_680_015_000,
    cancelRequested: false,
    cancelledBy: null,
    error: null,
    results: sumoResultsFixture(),
    ...over,
  }
}
