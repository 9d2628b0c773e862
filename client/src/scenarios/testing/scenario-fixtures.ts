/**
 * Factories of scenario explorer payloads for unit tests: each call builds a fresh object that
 * matches the contract (contracts/scenario-api.ts), with partial overrides.
 */
import type { EstimateLinks, ScenarioDetail, ScenarioEstimate, ScenarioSumoEdge, ScenarioSumoRun } from '../../api/scenario-client'
import type { KpisDto } from '../../../../contracts/scenario-api'
import type { Scenario } from '../../../../contracts/schemas/scenario'

export function scenarioDocument(overrides: Partial<Scenario> = {}): Scenario {
  return {
    id: 'chiusura-via-rizzoli',
    title: 'Chiusura via Rizzoli',
    network: 'city',
    base: { kind: 'observed', date: '2024-03-15', hour: 8 },
    edits: [{ kind: 'close-road', edges: ['e1', 'e2'] }],
    assumptions: ['Cantiere di 6 mesi'],
    parent: null,
    ...overrides,
  }
}

export function scenarioDetail(overrides: Partial<ScenarioDetail> = {}): ScenarioDetail {
  const document = scenarioDocument()
  const latest = { id: document.id, version: 2, document, author: 'planner-anna', createdAtMs: 1_700_000_100_000, note: 'Closure in both directions' }
  return {
    id: document.id,
    title: document.title,
    status: 'draft',
    network: 'city',
    base: document.base,
    latestVersion: 2,
    edits: 1,
    createdBy: 'planner-anna',
    createdAtMs: 1_700_000_000_000,
    updatedBy: 'planner-anna',
    updatedAtMs: 1_700_000_100_000,
    parent: null,
    latest,
    versions: [
      { id: document.id, version: 2, author: 'planner-anna', createdAtMs: 1_700_000_100_000, note: 'Closure in both directions', title: document.title, edits: 1 },
      { id: document.id, version: 1, author: 'planner-anna', createdAtMs: 1_700_000_000_000, note: '', title: document.title, edits: 0 },
    ],
    branches: [],
    ...overrides,
  }
}

export function kpis(overrides: Partial<KpisDto> = {}): KpisDto {
  return { vehKm: 100_000, vehHours: 4000, meanSpeedKmh: 25, delayVehHours: 800, unservedVehH: 0, linksOverCapacity: 12, co2Kg: 20_000, noxKg: 40, pm25Kg: 2, ...overrides }
}

const delta = (base: number, scenario: number) => ({ base, scenario, delta: scenario - base, percent: base === 0 ? null : ((scenario - base) / base) * 100 })

export function estimate(overrides: Partial<ScenarioEstimate> = {}, result: Partial<KpisDto> = {}): ScenarioEstimate {
  const base = kpis()
  const res = kpis({ vehKm: 101_000, vehHours: 4200, meanSpeedKmh: 24, delayVehHours: 950, linksOverCapacity: 15, co2Kg: 20_500, ...result })
  const compare = Object.fromEntries(Object.keys(base).map((k) => [k, delta(base[k as keyof KpisDto], res[k as keyof KpisDto])])) as ScenarioEstimate['compare']
  return {
    scenario: { id: 'chiusura-via-rizzoli', version: 2, title: 'Chiusura via Rizzoli', network: 'city', base: { kind: 'observed', date: '2024-03-15', hour: 8 } },
    hour: 8,
    calibration: {
      fitShare: 0.38,
      fits: false,
      meanGeh: 11.6,
      rmseVehH: 522,
      loops: [
        { deviceId: 'loop-1', roadEdgeId: 'e1', position: [11.343, 44.495], countedVehH: 600, assignedVehH: 580, geh: 0.8 },
        { deviceId: 'loop-2', roadEdgeId: 'e3', position: [11.35, 44.5], countedVehH: 900, assignedVehH: 400, geh: 19.6 },
        { deviceId: 'loop-3', roadEdgeId: 'e4', position: null, countedVehH: 300, assignedVehH: 200, geh: 6.3 },
      ],
      window: { date: '2024-03-15' },
    },
    base,
    result: res,
    compare,
    assignment: { algorithm: 'conjugate-frank-wolfe', iterations: 16, relativeGap: 8e-5, converged: true, zones: 194, links: 11589, demandVehH: 47857, scenarioDemandVehH: 47857 },
    problems: [],
    unsupported: [],
    inactiveEdits: [],
    durationMs: 1200,
    computedAtMs: 1_700_000_200_000,
    ...overrides,
  }
}

type LinkProps = EstimateLinks['features'][number]['properties']
export function linkFeature(props: Partial<LinkProps> = {}, coordinates: Array<[number, number]> = [[11.34, 44.49], [11.341, 44.491]]): EstimateLinks['features'][number] {
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates },
    properties: { edgeId: 'e1', reverse: false, roadClass: 'primary', name: 'Via Rizzoli', baseFlowVehH: 800, flowVehH: 0, deltaVehH: -800, baseVc: 0.8, vc: 0, baseTimeS: 30, timeS: 30, closed: true, ...props },
  }
}

export function links(features: EstimateLinks['features'] = [linkFeature(), linkFeature({ edgeId: 'e3', name: 'Via Ugo Bassi', baseFlowVehH: 500, flowVehH: 900, deltaVehH: 400, baseVc: 0.5, vc: 1.1, closed: false })]): EstimateLinks {
  return { type: 'FeatureCollection', features }
}

export function sumoRun(overrides: Partial<ScenarioSumoRun> = {}): ScenarioSumoRun {
  return {
    id: 1,
    scenarioId: 'chiusura-via-rizzoli',
    version: 2,
    status: 'running',
    progress: 0.4,
    request: { network: 'joined', hour: 8, durationS: 3600 },
    requestedBy: 'planner-anna',
    requestedAtMs: 1_700_000_300_000,
    startedAtMs: 1_700_000_301_000,
    finishedAtMs: null,
    cancelRequested: false,
    error: null,
    results: null,
    ...overrides,
  }
}

export function sumoEdge(overrides: Partial<ScenarioSumoEdge> = {}): ScenarioSumoEdge {
  return {
    edgeId: 's1',
    roadEdgeId: 'e3',
    reverse: false,
    simulatedVehH: 700,
    travelTimeS: 42,
    speedKmh: 28.5,
    estimatedVehH: 900,
    differenceVehH: -200,
    coordinates: [
      [11.34, 44.49],
      [11.341, 44.491],
    ],
    ...overrides,
  }
}
