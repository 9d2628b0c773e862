import type { DeviceKind } from '../../../contracts/schemas/device'

/** One value of a live state as a panel shows it; `label` and `enumKey` are i18n keys. */
export type ShownValue =
  | { label: string; kind: 'number'; value: number; unit: string | null; digits: number }
  | { label: string; kind: 'enum'; enumKey: string }

const UNIT_TEXT: Record<string, string> = { 'ug/m3': 'µg/m³', 'mg/m3': 'mg/m³', ppm: 'ppm', ppb: 'ppb' }

function num(values: Record<string, unknown>, key: string): number | null {
  const v = values[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function str(values: Record<string, unknown>, key: string): string | null {
  const v = values[key]
  return typeof v === 'string' ? v : null
}

function pushNumber(out: ShownValue[], label: string, value: number | null, unit: string | null, digits = 0): void {
  if (value !== null) out.push({ label, kind: 'number', value, unit, digits })
}

/** The values worth showing for a stream, in reading order, with units. Unknown fields are skipped. */
export function shownValues(kind: DeviceKind, values: Record<string, unknown>): ShownValue[] {
  const out: ShownValue[] = []
  switch (kind) {
    case 'traffic-loop':
      pushNumber(out, 'metric.flow', num(values, 'flowVehH'), 'veh/h')
      pushNumber(out, 'metric.speed', num(values, 'speedKmh'), 'km/h')
      pushNumber(out, 'metric.occupancy', num(values, 'occupancyPct'), '%', 1)
      break
    case 'air-quality': {
      const unit = str(values, 'unit')
      pushNumber(out, 'metric.concentration', num(values, 'value'), unit ? (UNIT_TEXT[unit] ?? unit) : null, 1)
      const validity = str(values, 'validity')
      if (validity) out.push({ label: 'metric.validity', kind: 'enum', enumKey: `enum.validity.${validity}` })
      break
    }
    case 'ztl-gate': {
      const status = str(values, 'status')
      if (status) out.push({ label: 'metric.status', kind: 'enum', enumKey: `enum.gate.${status}` })
      pushNumber(out, 'metric.vehicles', num(values, 'vehicles'), null)
      pushNumber(out, 'metric.unauthorized', num(values, 'unauthorized'), null)
      break
    }
    case 'connectivity': {
      const status = str(values, 'status')
      if (status) out.push({ label: 'metric.status', kind: 'enum', enumKey: `enum.link.${status}` })
      pushNumber(out, 'metric.clients', num(values, 'connectedClients'), null)
      pushNumber(out, 'metric.rx', num(values, 'rxKbps'), 'kbit/s')
      pushNumber(out, 'metric.tx', num(values, 'txKbps'), 'kbit/s')
      break
    }
    case 'bike-counter':
      pushNumber(out, 'metric.bikes', num(values, 'bikes'), null)
      break
    case 'signal-controller': {
      const mode = str(values, 'mode')
      if (mode) out.push({ label: 'metric.mode', kind: 'enum', enumKey: `enum.signal.${mode}` })
      pushNumber(out, 'metric.stage', num(values, 'stage'), null)
      break
    }
  }
  return out
}

/** Unit of a history metric for chart axes. */
export const METRIC_UNITS: Record<string, string> = {
  flowVehH: 'veh/h',
  speedKmh: 'km/h',
  occupancyPct: '%',
  vehicles: '',
  bikes: '',
  connectedClients: '',
}

export interface ChartSpec {
  /** History metrics, first on the left axis, second (if any) on the right axis. */
  metrics: string[]
}

/** What the device panel charts for a stream. */
export function chartSpec(kind: DeviceKind): ChartSpec | null {
  switch (kind) {
    case 'traffic-loop':
      return { metrics: ['flowVehH', 'speedKmh'] }
    case 'air-quality':
      return { metrics: ['value'] }
    case 'ztl-gate':
      return { metrics: ['vehicles'] }
    case 'bike-counter':
      return { metrics: ['bikes'] }
    case 'connectivity':
      return { metrics: ['connectedClients'] }
    case 'signal-controller':
      return null
  }
}
