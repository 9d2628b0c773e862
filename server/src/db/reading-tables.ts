import type { ValueShape } from '../../../contracts/schemas/reading'

/** How one metric is stored and aggregated. json = camelCase name in the contracts, col = SQL column. */
export interface MetricColumn {
  json: string
  col: string
  kind: 'float32' | 'float64' | 'int' | 'text'
  nullable: boolean
  /** How buckets aggregate it: avg for rates and levels, sum for counts, last for states. */
  agg: 'avg' | 'sum' | 'last' | 'max'
}

export interface ReadingTable {
  shape: ValueShape
  table: string
  metrics: MetricColumn[]
}

const m = (json: string, col: string, kind: MetricColumn['kind'], agg: MetricColumn['agg'], nullable = false): MetricColumn => ({
  json,
  col,
  kind,
  agg,
  nullable,
})

/** One typed history table per value shape (see migrations/0001_core.sql). */
export const READING_TABLES: Record<ValueShape, ReadingTable> = {
  traffic: {
    shape: 'traffic',
    table: 'traffic_reading',
    metrics: [
      m('flowVehH', 'flow_veh_h', 'float32', 'avg'),
      m('occupancyPct', 'occupancy_pct', 'float32', 'avg'),
      m('speedKmh', 'speed_kmh', 'float32', 'avg', true),
      m('intervalS', 'interval_s', 'int', 'sum'),
      m('lane', 'lane', 'int', 'last', true),
    ],
  },
  'air-quality': {
    shape: 'air-quality',
    table: 'air_quality_reading',
    metrics: [
      m('value', 'value', 'float64', 'avg'),
      m('unit', 'unit', 'text', 'last'),
      m('validity', 'validity', 'text', 'last'),
      m('averagingS', 'averaging_s', 'int', 'last'),
    ],
  },
  gate: {
    shape: 'gate',
    table: 'gate_reading',
    metrics: [
      m('status', 'status', 'text', 'last'),
      m('intervalS', 'interval_s', 'int', 'sum'),
      m('vehicles', 'vehicles', 'int', 'sum'),
      m('unauthorized', 'unauthorized', 'int', 'sum', true),
    ],
  },
  link: {
    shape: 'link',
    table: 'link_reading',
    metrics: [
      m('status', 'status', 'text', 'last'),
      m('connectedClients', 'connected_clients', 'int', 'avg'),
      m('rxKbps', 'rx_kbps', 'float32', 'avg'),
      m('txKbps', 'tx_kbps', 'float32', 'avg'),
    ],
  },
  'signal-stage': {
    shape: 'signal-stage',
    table: 'signal_stage_reading',
    metrics: [
      m('programId', 'program_id', 'text', 'last'),
      m('stage', 'stage', 'int', 'last'),
      m('mode', 'mode', 'text', 'last'),
      m('cycleSecond', 'cycle_second', 'float32', 'last', true),
    ],
  },
  'bike-count': {
    shape: 'bike-count',
    table: 'bike_count_reading',
    metrics: [m('intervalS', 'interval_s', 'int', 'sum'), m('bikes', 'bikes', 'int', 'sum')],
  },
}

/** True when a stored value equals what a device sent, allowing for float4 rounding. */
export function sameStoredValue(metric: MetricColumn, stored: unknown, incoming: unknown): boolean {
  const a = stored ?? null
  const b = incoming ?? null
  if (a === null || b === null) return a === b
  if (metric.kind === 'float32') return Math.fround(Number(b)) === Math.fround(Number(a))
  if (metric.kind === 'float64' || metric.kind === 'int') return Number(a) === Number(b)
  return String(a) === String(b)
}
