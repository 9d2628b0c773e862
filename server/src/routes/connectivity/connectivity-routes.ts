/**
 * Connectivity (issue 6 item 5): access points and field routers with status, clients, throughput
 * and data age; per district the count up, degraded, down and silent, the clients connected now and
 * the availability of the last 24 h (share of link readings with status up); the outage map.
 *
 * A device is silent when its last link reading is older than 10 expected intervals (the live map's
 * `bad_no_comm`), or when it never reported: its last status no longer says anything about now.
 */
import type { Express } from 'express'
import {
  AVAILABILITY_WINDOW_MS,
  CAMERA_ROUTES,
  SILENT_AFTER_INTERVALS,
  type AccessPoint,
  type ConnectivityResponse,
  type ConnectivityState,
  type ConnectivitySummary,
  type OutageCollection,
} from '../../../../contracts/camera-api'
import { liveQuality, streamIntervalS } from '../../../../contracts/schemas/live-state'
import { LinkValuesSchema } from '../../../../contracts/schemas/reading'
import type { Db } from '../../db/adapter'
import { linkReadingCounts, listAccessPoints, type AccessPointRow, type LinkReadingCounts } from '../../db/connectivity'
import { mount } from '../../http/route'

export interface ConnectivityRouteDeps {
  db: Db
  now?: () => number
}

/** One access point as the API shows it (presenter). */
export function presentAccessPoint(row: AccessPointRow, counts: LinkReadingCounts | undefined, nowMs: number): AccessPoint {
  const intervalS = streamIntervalS('connectivity', 'link', row.expectedIntervalS)
  const parsed = row.link ? LinkValuesSchema.safeParse(row.link.values) : null
  const link = row.link && parsed?.success ? { ...row.link, values: parsed.data } : null
  const ageMs = link ? nowMs - link.observedAtMs : null
  const silent = ageMs === null || ageMs > SILENT_AFTER_INTERVALS * intervalS * 1000
  const state: ConnectivityState = silent || !link ? 'silent' : link.values.status
  return {
    deviceId: row.deviceId,
    name: row.name,
    position: row.position,
    district: row.district,
    state,
    linkStatus: link?.values.status ?? null,
    connectedClients: link?.values.connectedClients ?? null,
    rxKbps: link?.values.rxKbps ?? null,
    txKbps: link?.values.txKbps ?? null,
    observedAtMs: link?.observedAtMs ?? null,
    dataAgeMs: ageMs,
    quality: link ? liveQuality(link.quality, link.observedAtMs, intervalS, nowMs) : null,
    expectedIntervalS: intervalS,
    availability: counts && counts.readings > 0 ? counts.up / counts.readings : null,
    readings: counts?.readings ?? 0,
  }
}

function emptySummary(district: string | null): ConnectivitySummary & { upReadings: number } {
  return { district, devices: 0, up: 0, degraded: 0, down: 0, silent: 0, clients: 0, availability: null, readings: 0, upReadings: 0 }
}

/** Counts per district (by name, devices outside every district last) and over all devices. */
export function summarise(points: readonly AccessPoint[], counts: ReadonlyMap<string, LinkReadingCounts>): { districts: ConnectivitySummary[]; total: ConnectivitySummary } {
  const byDistrict = new Map<string | null, ReturnType<typeof emptySummary>>()
  const total = emptySummary(null)
  for (const p of points) {
    let s = byDistrict.get(p.district)
    if (!s) byDistrict.set(p.district, (s = emptySummary(p.district)))
    for (const acc of [s, total]) {
      acc.devices++
      acc[p.state]++
      if (p.state !== 'silent') acc.clients += p.connectedClients ?? 0
      acc.readings += counts.get(p.deviceId)?.readings ?? 0
      acc.upReadings += counts.get(p.deviceId)?.up ?? 0
    }
  }
  const done = ({ upReadings, ...s }: ReturnType<typeof emptySummary>): ConnectivitySummary => ({ ...s, availability: s.readings > 0 ? upReadings / s.readings : null })
  const districts = [...byDistrict.values()].sort((a, b) => (a.district === null ? 1 : b.district === null ? -1 : a.district.localeCompare(b.district, 'it')))
  return { districts: districts.map(done), total: done(total) }
}

export async function readConnectivity(db: Db, nowMs: number): Promise<ConnectivityResponse> {
  const fromMs = nowMs - AVAILABILITY_WINDOW_MS
  const [rows, counts] = await Promise.all([listAccessPoints(db), linkReadingCounts(db, fromMs, nowMs)])
  const accessPoints = rows.map((r) => presentAccessPoint(r, counts.get(r.deviceId), nowMs))
  return { serverTimeMs: nowMs, window: { fromMs, toMs: nowMs }, accessPoints, ...summarise(accessPoints, counts) }
}

/** The outage map: down or silent devices as GeoJSON points. */
export function outageCollection(points: readonly AccessPoint[]): OutageCollection {
  return {
    type: 'FeatureCollection',
    features: points.flatMap((p) =>
      p.state === 'down' || p.state === 'silent'
        ? [
            {
              type: 'Feature' as const,
              id: p.deviceId,
              geometry: { type: 'Point' as const, coordinates: p.position },
              properties: { deviceId: p.deviceId, name: p.name, district: p.district, state: p.state, linkStatus: p.linkStatus, observedAtMs: p.observedAtMs, dataAgeMs: p.dataAgeMs },
            },
          ]
        : [],
    ),
  }
}

export function mountConnectivityRoutes(app: Express, deps: ConnectivityRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now
  mount(app, CAMERA_ROUTES.connectivity, () => readConnectivity(db, now()))
  mount(app, CAMERA_ROUTES.connectivityOutages, async () => {
    const nowMs = now()
    const points = (await listAccessPoints(db)).map((r) => presentAccessPoint(r, undefined, nowMs))
    return JSON.stringify(outageCollection(points))
  })
}
