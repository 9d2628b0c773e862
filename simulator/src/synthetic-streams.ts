/**
 * SYNTHETIC streams: ZTL gates, bicycle counters, connectivity devices and signal controllers.
 * The bundle has their positions but no measurements, so values come from plausible profiles
 * (see docs/simulator.md). Every draw is keyed by (seed, device, stream, slot).
 */
import type { BikeCountValues, GateValues, LinkValues, SignalStageValues } from '../../contracts/schemas/reading'
import { SignalModeSchema } from '../../contracts/schemas/reading'
import { stageOf, type PlanHistory } from './signal-controller-sim'
import { bikeShare, profileAt, ROAD_TRAFFIC_PROFILE, WIFI_CLIENTS_PROFILE } from './daily-profiles'
import { binomial, poisson, rngFor, unitHash } from './prng'
import { bolognaLocal, HOUR_MS, MINUTE_MS, simDayType } from './source-calendar'
import { propText, seqOf, type SimDevice, type StreamSource } from './stream-source'
import { round } from './traffic-model'

/** Local time of the middle of the interval that ends at `t`, as (day type, fractional hour). */
function midpoint(t: number, intervalMs: number): { dayType: ReturnType<typeof simDayType>; hour: number } {
  const local = bolognaLocal(t - intervalMs / 2)
  return { dayType: simDayType(local.day), hour: local.hour + local.minute / 60 }
}

/** Bologna's ZTL cameras enforce 07:00–20:00 every day. */
const ZTL_ACTIVE_FROM_H = 7
const ZTL_ACTIVE_TO_H = 20

/**
 * ZTL camera gate, every 5 minutes: vehicles from the measured road-traffic profile × a per-gate
 * daily volume (1,500–8,000); 1–4 % of them unauthorized while the ZTL is active. Status per hour:
 * ~0.5 % degraded (30 % of transits missed), ~0.1 % fault (nothing counted). No images, no plates.
 */
export function ztlGateStream(device: SimDevice, seed: number): StreamSource {
  const intervalMs = 5 * MINUTE_MS
  const dailyVehicles = 1500 + 6500 * unitHash(seed, 'gate-volume', device.id)
  const unauthorizedShare = 0.01 + 0.03 * unitHash(seed, 'gate-unauthorized', device.id)
  return {
    deviceId: device.id,
    kind: 'ztl-gate',
    stream: 'gate',
    intervalMs,
    offsetMs: 0,
    valuesAt(t): GateValues {
      const u = unitHash(seed, 'gate-status', device.id, Math.floor((t - intervalMs) / HOUR_MS))
      const status = u < 0.001 ? 'fault' : u < 0.006 ? 'degraded' : 'operational'
      if (status === 'fault') return { status, intervalS: 300, vehicles: 0, unauthorized: 0 }
      const { dayType, hour } = midpoint(t, intervalMs)
      const rng = rngFor(seed, device.id, 'gate', seqOf(t, intervalMs))
      const expected = (profileAt(ROAD_TRAFFIC_PROFILE[dayType], hour) * dailyVehicles) / 12
      const vehicles = poisson(expected * (status === 'degraded' ? 0.7 : 1), rng)
      const active = hour >= ZTL_ACTIVE_FROM_H && hour < ZTL_ACTIVE_TO_H
      return { status, intervalS: 300, vehicles, unauthorized: active ? binomial(vehicles, unauthorizedShare, rng) : 0 }
    },
  }
}

/** Bicycle counter, every 15 minutes: a per-counter daily volume (300–3,000) on the synthetic commuter profile. */
export function bikeCounterStream(device: SimDevice, seed: number): StreamSource {
  const intervalMs = 15 * MINUTE_MS
  const dailyBikes = 300 + 2700 * unitHash(seed, 'bike-volume', device.id)
  return {
    deviceId: device.id,
    kind: 'bike-counter',
    stream: 'bikes',
    intervalMs,
    offsetMs: 0,
    valuesAt(t): BikeCountValues {
      const { dayType, hour } = midpoint(t, intervalMs)
      const rng = rngFor(seed, device.id, 'bikes', seqOf(t, intervalMs))
      return { intervalS: 900, bikes: poisson((bikeShare(dayType, hour) * dailyBikes) / 4, rng) }
    },
  }
}

/**
 * Connectivity device (public Wi-Fi access point), every 60 s: clients from the synthetic daily
 * profile × a per-device peak (10–120), 80–380 kbit/s per client down, 15–30 % of that up.
 * Status per 10 minutes: ~1 % degraded (throughput × 0.3), ~0.2 % down (no clients, no traffic).
 */
export function connectivityStream(device: SimDevice, seed: number): StreamSource {
  const intervalMs = MINUTE_MS
  const peakClients = 10 + 110 * unitHash(seed, 'link-peak', device.id)
  return {
    deviceId: device.id,
    kind: 'connectivity',
    stream: 'link',
    intervalMs,
    offsetMs: 0,
    valuesAt(t): LinkValues {
      const u = unitHash(seed, 'link-status', device.id, Math.floor((t - intervalMs) / (10 * MINUTE_MS)))
      const status = u < 0.002 ? 'down' : u < 0.012 ? 'degraded' : 'up'
      if (status === 'down') return { status, connectedClients: 0, rxKbps: 0, txKbps: 0 }
      const { hour } = midpoint(t, intervalMs)
      const rng = rngFor(seed, device.id, 'link', seqOf(t, intervalMs))
      const connectedClients = poisson(profileAt(WIFI_CLIENTS_PROFILE, hour) * peakClients, rng)
      const rxKbps = connectedClients * (80 + 300 * rng()) * (status === 'degraded' ? 0.3 : 1)
      return { status, connectedClients, rxKbps: round(rxKbps, 1), txKbps: round(rxKbps * (0.15 + 0.15 * rng()), 1) }
    },
  }
}

/**
 * Signal controller `stage` stream: until Gemello deploys a plan to it, a fixed-time program of
 * `props.stages` (default 4) equal stages over `props.cycleS` (default 90 s); once it switched to a
 * deployed plan (`history`, signal-controller-sim.ts), that plan: programId `<planId>@v<version>`,
 * the interval running now as the stage, the plan's control as the mode. Reported every
 * `expectedIntervalS` (default 5 s).
 */
export function signalStageStream(device: SimDevice, history?: PlanHistory): StreamSource {
  const intervalMs = Math.max(1, Math.round(device.expectedIntervalS || 5)) * 1000
  const cycleS = Math.min(600, Math.max(10, Number(device.props.cycleS) || 90))
  const stages = Math.min(32, Math.max(1, Math.round(Number(device.props.stages) || 4)))
  const programId = propText(device.props, 'programId') ?? 'utopia'
  const mode = SignalModeSchema.safeParse(device.props.mode)
  return {
    deviceId: device.id,
    kind: 'signal-controller',
    stream: 'stage',
    intervalMs,
    offsetMs: 0,
    valuesAt(t): SignalStageValues {
      const running = history?.at(t)
      if (running) return stageOf(running, t)
      const cycleSecond = (t / 1000) % cycleS
      return { programId, stage: Math.floor(cycleSecond / (cycleS / stages)), mode: mode.success ? mode.data : 'fixed', cycleSecond: round(cycleSecond, 1) }
    },
  }
}
