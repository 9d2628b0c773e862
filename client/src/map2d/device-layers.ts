import type { Layer } from '@deck.gl/core'
import type { DeviceKind } from '../../../contracts/schemas/device'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import type { AppState } from '../state/app-state'
import type { Incident } from '../../../contracts/incident-api'
import type { DeviceCondition } from '../state/device-condition'
import { buildMarkerData, type MarkerData } from './marker-data'
import type { MarkerSpec } from './marker-style'
import { AIR_QUALITY_MARKER, createAirQualityLayer } from './layers/air-quality/air-quality-layer'
import { BIKE_COUNTER_MARKER, createBikeCountersLayer } from './layers/bike-counters/bike-counters-layer'
import { CONNECTIVITY_MARKER, createConnectivityLayer } from './layers/connectivity/connectivity-layer'
import { createSelectionRingLayer } from './layers/selection-ring/selection-ring-layer'
import { SIGNAL_CONTROLLER_MARKER, createSignalControllersLayer } from './layers/signal-controllers/signal-controllers-layer'
import { TRAFFIC_LOOP_MARKER, createTrafficLoopsLayer } from './layers/traffic-loops/traffic-loops-layer'
import { ZTL_GATE_MARKER, createZtlGatesLayer } from './layers/ztl-gates/ztl-gates-layer'
import type { MarkerLayerOptions } from './layers/shape-marker/marker-layer-props'
import { alarmRings, createAlarmLayers, type AlarmRing } from './layers/alarm-rings/alarm-rings-layer'
import { operatorList } from '../state/alarm-reducers'
import { SignalGroupsLayer } from './layers/signal-groups/signal-groups-layer'

interface KindLayer {
  spec: MarkerSpec
  create: (data: MarkerData, options: MarkerLayerOptions) => Layer
}

/** Drawing order, bottom to top: the many small loops first, the few large stations last. */
export const KIND_LAYERS: ReadonlyArray<[DeviceKind, KindLayer]> = [
  ['traffic-loop', { spec: TRAFFIC_LOOP_MARKER, create: createTrafficLoopsLayer }],
  ['connectivity', { spec: CONNECTIVITY_MARKER, create: createConnectivityLayer }],
  ['bike-counter', { spec: BIKE_COUNTER_MARKER, create: createBikeCountersLayer }],
  ['signal-controller', { spec: SIGNAL_CONTROLLER_MARKER, create: createSignalControllersLayer }],
  ['ztl-gate', { spec: ZTL_GATE_MARKER, create: createZtlGatesLayer }],
  ['air-quality', { spec: AIR_QUALITY_MARKER, create: createAirQualityLayer }],
]

export const MARKER_SPECS: Record<DeviceKind, MarkerSpec> = Object.fromEntries(KIND_LAYERS.map(([k, l]) => [k, l.spec])) as Record<DeviceKind, MarkerSpec>

/**
 * Turns the live state into deck.gl layers, keeping per-kind data arrays stable between deltas so
 * that only the style attributes are recomputed.
 */
export class DeviceLayers {
  private byKind = new Map<DeviceKind, LiveDevice[]>()
  private devicesRef: AppState['devices'] | null = null
  private data = new Map<DeviceKind, MarkerData>()

  build(state: AppState, conditions: ReadonlyMap<string, DeviceCondition>, sizeScale: number): Layer[] {
    if (state.devices !== this.devicesRef) this.splitByKind(state.devices)
    // The junction open in the signal workbench, under the devices; off while no workbench shows one.
    const junction = state.signalJunction
    const layers: Layer[] = [new SignalGroupsLayer({ id: 'signal-groups', visible: junction !== null, geometry: junction?.geometry ?? null, states: junction?.states ?? null, sizeScale })]
    for (const [kind, layer] of KIND_LAYERS) {
      const devices = this.byKind.get(kind) ?? []
      const data = buildMarkerData(this.data.get(kind) ?? null, devices, conditions, layer.spec)
      this.data.set(kind, data)
      layers.push(layer.create(data, { visible: state.visibleLayers.includes(kind), sizeScale }))
    }
    const selected = state.selection ? (state.devices.get(state.selection) ?? null) : null
    const selectedVisible = selected && state.visibleLayers.includes(selected.kind) ? selected : null
    layers.push(...this.alarmLayers(state, sizeScale))
    layers.push(createSelectionRingLayer(selectedVisible, sizeScale))
    return layers
  }

  private alarmsRef: AppState['controlRoom']['alarms'] | null = null
  private incidentsRef: AppState['controlRoom']['incidents'] | null = null
  private rings: AlarmRing[] = []
  private incidents: Incident[] = []
  private visibleRingsOf: [AlarmRing[] | null, AppState['visibleLayers'] | null] = [null, null]
  private visibleRings: AlarmRing[] = []

  /** Alarm rings on the devices of visible layers, and the open incidents; data arrays kept while unchanged. */
  private alarmLayers(state: AppState, sizeScale: number) {
    const { alarms, incidents } = state.controlRoom
    if (alarms !== this.alarmsRef) {
      this.alarmsRef = alarms
      this.rings = alarmRings(operatorList(alarms))
    }
    if (incidents !== this.incidentsRef) {
      this.incidentsRef = incidents
      this.incidents = [...incidents.values()]
    }
    if (this.visibleRingsOf[0] !== this.rings || this.visibleRingsOf[1] !== state.visibleLayers) {
      this.visibleRingsOf = [this.rings, state.visibleLayers]
      this.visibleRings = this.rings.filter((r) => r.alarm.deviceKind === null || state.visibleLayers.includes(r.alarm.deviceKind))
    }
    return createAlarmLayers(this.visibleRings, this.incidents, sizeScale)
  }

  private splitByKind(devices: AppState['devices']): void {
    const next = new Map<DeviceKind, LiveDevice[]>()
    for (const device of devices.values()) {
      const list = next.get(device.kind)
      if (list) list.push(device)
      else next.set(device.kind, [device])
    }
    // Keep the previous array when a kind's devices are the same objects in the same order.
    for (const [kind, list] of next) {
      const prev = this.byKind.get(kind)
      if (prev && prev.length === list.length && prev.every((d, i) => d === list[i])) next.set(kind, prev)
    }
    this.byKind = next
    this.devicesRef = devices
  }
}
