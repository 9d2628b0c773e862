import type { Express } from 'express'
import { ROUTES, type DeviceWithState } from '../../../../contracts/api'
import type { Device } from '../../../../contracts/schemas/device'
import { liveQuality, streamIntervalS, type LiveState } from '../../../../contracts/schemas/live-state'
import { STREAMS, streamSpec } from '../../../../contracts/schemas/reading'
import type { Db } from '../../db/adapter'
import { listDevices, loadDevices, loadLatest, type LatestRow } from '../../db/devices'
import { readHistory, MAX_HISTORY_POINTS } from '../../db/history'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'

/** Presenter: a device and its latest rows → the REST shape, with quality judged at `now`. */
export function presentDevice(d: Device, latest: LatestRow[], now: number): DeviceWithState {
  const states: LiveState[] = latest.map((l) => ({
    deviceId: d.id,
    kind: d.kind,
    stream: l.stream,
    seq: l.seq,
    observedAtMs: l.observedAtMs,
    receivedAtMs: l.receivedAtMs,
    values: l.values,
    reportedQuality: l.quality,
    quality: liveQuality(l.quality, l.observedAtMs, streamIntervalS(d.kind, l.stream, d.expectedIntervalS), now),
  }))
  return { ...d, states }
}

export function mountDeviceRoutes(app: Express, db: Db, now: () => number): void {
  mount(app, ROUTES.listDevices, async ({ query }) => {
    const { total, devices } = await listDevices(db, query)
    const latest = await loadLatest(db, devices.map((d) => d.id))
    const byDevice = groupBy(latest, (l) => l.deviceId)
    const t = now()
    return { total, devices: devices.map((d) => presentDevice(d, byDevice.get(d.id) ?? [], t)) }
  })

  mount(app, ROUTES.getDevice, async ({ params }) => {
    const [d] = await loadDevices(db, [params.id])
    if (!d) throw new ApiError('DEVICE_NOT_FOUND', `No device "${params.id}". List devices with GET /api/devices.`)
    return presentDevice(d, await loadLatest(db, [d.id]), now())
  })

  mount(app, ROUTES.deviceHistory, async ({ params, query }) => {
    const [d] = await loadDevices(db, [params.id])
    if (!d) throw new ApiError('DEVICE_NOT_FOUND', `No device "${params.id}". List devices with GET /api/devices.`)
    const streams = Object.keys(STREAMS[d.kind])
    const stream = query.stream ?? (d.kind === 'air-quality' ? ((d.props.pollutants as string[] | undefined)?.[0] ?? streams[0]) : streams[0])
    const spec = stream ? streamSpec(d.kind, stream) : undefined
    if (!stream || !spec) throw new ApiError('STREAM_NOT_FOUND', `A ${d.kind} has no stream "${query.stream}"; its streams are: ${streams.join(', ')}.`)
    const toMs = query.to ?? now()
    const fromMs = query.from ?? toMs - 86_400_000
    if (fromMs >= toMs) throw new ApiError('VALIDATION_FAILED', 'from must be before to', [{ path: 'query.from', message: 'must be before to' }])
    const points = await readHistory(db, { deviceId: d.id, stream, shape: spec.shape, fromMs, toMs, agg: query.agg })
    if (points === null) {
      throw new ApiError('RANGE_TOO_LARGE', `More than ${MAX_HISTORY_POINTS} points in this window: narrow it, or use agg=1m, 15m or 1h.`)
    }
    return { deviceId: d.id, stream, agg: query.agg, fromMs, toMs, points }
  })
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const it of items) {
    const k = key(it)
    const list = m.get(k)
    if (list) list.push(it)
    else m.set(k, [it])
  }
  return m
}
