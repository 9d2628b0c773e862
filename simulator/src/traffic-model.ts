/**
 * From hourly counts to one-minute loop readings: a smooth per-minute rate that keeps each hour's
 * total, a Poisson vehicle count, speed from a BPR congestion curve and occupancy from flow and speed.
 */
import type { TrafficValues } from '../../contracts/schemas/reading'
import { normal, poisson, type Rng } from './prng'

/** Free-flow speed on an urban street. */
export const FREE_SPEED_KMH = 50
/** Capacity of one lane. */
export const LANE_CAPACITY_VEH_H = 1800
/** Mean vehicle length plus the detector's own length: what a vehicle "occupies" on the loop. */
export const EFFECTIVE_VEHICLE_LENGTH_M = 6.5
export const BPR_ALPHA = 0.15
export const BPR_BETA = 4
/** The contracts cap flow at 10,000 veh/h, i.e. 166 vehicles in a minute. */
export const MAX_VEHICLES_PER_MINUTE = 166

/** BPR (Bureau of Public Roads) curve: v = v0 / (1 + α (q/c)^β). Non-increasing in q. */
export function bprSpeedKmh(flowVehH: number, capacityVehH: number, freeSpeedKmh = FREE_SPEED_KMH): number {
  const x = Math.max(0, flowVehH) / capacityVehH
  return freeSpeedKmh / (1 + BPR_ALPHA * x ** BPR_BETA)
}

/**
 * Time occupancy of a loop, in %: vehicles per hour × effective length / speed
 * (q [veh/h] × L [m] / (v [km/h] × 1000 m/km) × 100), clamped to 0–100.
 */
export function occupancyPct(flowVehHPerLane: number, speedKmh: number): number {
  if (!(flowVehHPerLane > 0)) return 0
  if (!(speedKmh > 0)) return 100
  const occ = ((flowVehHPerLane * EFFECTIVE_VEHICLE_LENGTH_M) / (speedKmh * 1000)) * 100
  return Math.min(100, Math.max(0, occ))
}

/**
 * Lanes a loop's cross-section must have: an hourly count cannot exceed capacity, so a loop whose
 * busiest hour counts more than one lane's capacity spans ⌈peak / capacity⌉ lanes (the open data
 * gives no lane count; some loops count more than 5,000 veh/h).
 */
export function lanesFor(peakHourly: number): number {
  return Math.max(1, Math.ceil(peakHourly / LANE_CAPACITY_VEH_H))
}

/**
 * Expected vehicles in minute `minute` (0–59) of an hour counting `cur` vehicles, between hours
 * counting `prev` and `next`: the rate is interpolated linearly between hour centres, then scaled so
 * the 60 minutes add up to exactly `cur`.
 */
export function expectedMinuteCount(prev: number, cur: number, next: number, minute: number): number {
  if (!(cur > 0)) return 0
  let sum = 0
  for (let m = 0; m < 60; m++) sum += rawRate(prev, cur, next, m)
  return sum > 0 ? (rawRate(prev, cur, next, minute) / sum) * cur : cur / 60
}

function rawRate(prev: number, cur: number, next: number, minute: number): number {
  const t = (minute + 0.5) / 60
  return t < 0.5 ? prev + (cur - prev) * (t + 0.5) : cur + (next - cur) * (t - 0.5)
}

/**
 * One minute of a loop: `expectedVehicles` is the smooth mean for this minute, `lanes` its
 * cross-section. The count is Poisson; speed follows BPR on the expected (not the noisy) flow with
 * ±3 % measurement noise; occupancy is computed from the reported flow and speed, so the three agree.
 */
export function trafficMinute(expectedVehicles: number, lanes: number, rng: Rng): TrafficValues {
  const vehicles = Math.min(poisson(expectedVehicles, rng), MAX_VEHICLES_PER_MINUTE)
  const flowVehH = vehicles * 60
  const base = bprSpeedKmh((expectedVehicles * 60) / lanes, LANE_CAPACITY_VEH_H)
  const speedKmh = round(Math.min(80, Math.max(3, base * (1 + 0.03 * normal(rng)))), 1)
  return {
    flowVehH,
    occupancyPct: round(occupancyPct(flowVehH / lanes, speedKmh), 2),
    speedKmh,
    intervalS: 60,
    lane: null,
  }
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
