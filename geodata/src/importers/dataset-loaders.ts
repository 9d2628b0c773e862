/**
 * For each dataset of the manifest: read its file (pure readers) and turn the records into the
 * rows the writers store. No database here.
 */
import path from 'node:path'
import type { DatasetId } from '../manifest'
import { readArpaeStations } from '../readers/arpae-stations'
import { readAreas, type AreaKind, type AreaRecord } from '../readers/areas'
import { readBikeCounters } from '../readers/bike-counters'
import { readLoopRegistry } from '../readers/loop-registry'
import type { ReadResult, RowProblem } from '../readers/read-result'
import type { Envelope } from '../readers/row-checks'
import type { SourceCrsUsed } from '../readers/source-crs'
import { readStreetArcs, type StreetArcRecord } from '../readers/street-arcs'
import { readZtlGates } from '../readers/ztl-gates'
import { routersForGates } from './connectivity-devices'
import type { DeviceRow, WriteOutcome } from './write-devices'
import type { Queryable } from '../../../server/src/db/adapter'
import { CITY_LAYER_LOADERS } from './city-layer-loaders'
import { SUMO_LOADERS } from '../sumo/sumo-loaders'

/** What a dataset's file turned into, before writing. */
export interface DatasetContent {
  /** Rows (or features) in the source file. */
  rows: number
  /** Rows the reader refused. */
  rejected: number
  problems: RowProblem[]
  /** GeoJSON files: the CRS the file was read in (converted to EPSG:4326) and where it came from. */
  sourceCrs?: SourceCrsUsed
  devices?: DeviceRow[]
  streetArcs?: StreetArcRecord[]
  areas?: AreaRecord[]
  /**
   * For datasets with their own tables: writes the content inside the import transaction
   * (replacing the dataset's previous rows) and says what went in.
   */
  write?: (tx: Queryable, dataset: string) => Promise<WriteOutcome>
}

export interface DatasetLoadOptions {
  envelope?: Envelope
  /** GeoJSON files: the source CRS ('EPSG:3003'), overriding the file's `crs` member (`--crs`). */
  crs?: string
  /** The dataset's other files that exist next to `file` (its entry's alsoReads): what the checksum covered. */
  alsoReads?: readonly string[]
}

export type DatasetLoader = (file: string, opts: DatasetLoadOptions) => DatasetContent | Promise<DatasetContent>

const withoutRecords = <T>(r: ReadResult<T>) => ({ rows: r.rows, rejected: r.rejected, problems: r.problems, sourceCrs: r.sourceCrs })

function areas(kind: AreaKind): DatasetLoader {
  return (file, opts) => {
    const r = readAreas(file, kind, opts)
    return { ...withoutRecords(r), areas: r.records }
  }
}

export const DATASET_LOADERS: Record<DatasetId, DatasetLoader> = {
  'bologna-loops': (file, opts) => {
    const r = readLoopRegistry(file, opts)
    const devices: DeviceRow[] = r.records.map((l) => ({
      row: l.row,
      id: `loop-${l.idUni}`,
      kind: 'traffic-loop',
      name: l.name,
      position: l.position,
      expectedIntervalS: 60,
      source: 'open-data',
      props: { ...l.props },
    }))
    return { ...withoutRecords(r), devices }
  },
  'bologna-ztl-gates': (file, opts) => {
    const r = readZtlGates(file, opts)
    const devices: DeviceRow[] = r.records.map((g) => ({
      row: g.row,
      id: g.deviceId,
      kind: 'ztl-gate',
      name: g.name,
      position: g.position,
      expectedIntervalS: 300,
      source: 'open-data',
      props: { ...g.props },
    }))
    return { ...withoutRecords(r), devices }
  },
  'bologna-bike-counters': (file, opts) => {
    const r = readBikeCounters(file, opts)
    const devices: DeviceRow[] = r.records.map((b) => ({
      row: b.row,
      id: b.deviceId,
      kind: 'bike-counter',
      name: b.name,
      position: b.position,
      expectedIntervalS: 900,
      source: 'open-data',
      props: { ...b.props },
    }))
    return { ...withoutRecords(r), devices }
  },
  'arpae-stations': (file, opts) => {
    const r = readArpaeStations(file, { ...opts, seriesDir: path.dirname(file) })
    const devices: DeviceRow[] = r.records.map((s) => ({
      row: s.row,
      id: s.deviceId,
      kind: 'air-quality',
      name: s.name,
      position: s.position,
      expectedIntervalS: 3600,
      source: 'open-data',
      props: { ...s.props },
    }))
    return { ...withoutRecords(r), devices }
  },
  'generated-connectivity': (file, opts) => {
    // Generated from the gates that pass validation; refused gates get no router (their problems are the gates dataset's).
    const r = readZtlGates(file, opts)
    const problems = r.rejected > 0 ? [{ row: 0, problem: `kept: ${r.rejected} gate row(s) refused by the gate reader get no router (see bologna-ztl-gates)` }] : []
    return { rows: r.records.length, rejected: 0, problems, devices: routersForGates(r.records) }
  },
  'bologna-streets': (file, opts) => {
    const r = readStreetArcs(file, opts)
    return { ...withoutRecords(r), streetArcs: r.records }
  },
  'bologna-quartieri': areas('quartiere'),
  'bologna-zone': areas('zona'),
  'bologna-aree-statistiche': areas('area_statistica'),
  'bologna-ztl': areas('ztl'),
  ...CITY_LAYER_LOADERS,
  ...SUMO_LOADERS,
}
