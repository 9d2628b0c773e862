import { describe, expect, it } from 'vitest'
import { deviceCondition, effectiveQuality, judgeAirQuality, judgeGate, judgeLink, judgeTraffic } from './device-condition'
import { T0, aqState, liveDevice, liveState } from './test-factories'

const traffic = (occupancyPct: number, speedKmh: number | null) => ({ flowVehH: 900, occupancyPct, speedKmh, intervalS: 60 })

describe('judgeTraffic', () => {
  it('is normal at free flow', () => expect(judgeTraffic(traffic(8, 45)).severity).toBe('normal'))
  it('is high (heavy) from 25 % occupancy', () => expect(judgeTraffic(traffic(25, 35))).toEqual({ severity: 'high', reason: 'traffic_heavy' }))
  it('is high (heavy) when slow on a busy lane', () => expect(judgeTraffic(traffic(12, 18)).reason).toBe('traffic_heavy'))
  it('ignores a low speed on an empty lane', () => expect(judgeTraffic(traffic(3, 8)).severity).toBe('normal'))
  it('is critical (congested) from 40 % occupancy', () => expect(judgeTraffic(traffic(40, null))).toEqual({ severity: 'critical', reason: 'traffic_congested' }))
  it('is critical when crawling on a busy lane', () => expect(judgeTraffic(traffic(15, 9)).severity).toBe('critical'))
  it('flags values that break the schema as diagnostic', () => expect(judgeTraffic({ flowVehH: -1 }).severity).toBe('diagnostic'))
})

describe('judgeAirQuality', () => {
  const aq = (value: number, unit = 'ug/m3', validity = 'valid') => ({ value, unit, validity, averagingS: 3600 })
  it('is normal within the NO2 limit', () => expect(judgeAirQuality('no2', aq(120)).severity).toBe('normal'))
  it('is medium when approaching the NO2 limit', () => expect(judgeAirQuality('no2', aq(160)).severity).toBe('medium'))
  it('is high above the NO2 hourly limit of 200', () => expect(judgeAirQuality('no2', aq(201))).toEqual({ severity: 'high', reason: 'aq_limit' }))
  it('is critical above the NO2 alert threshold of 400', () => expect(judgeAirQuality('no2', aq(401)).severity).toBe('critical'))
  it('is high above the PM10 daily limit of 50', () => expect(judgeAirQuality('pm10', aq(51)).severity).toBe('high'))
  it('is high above the O3 information threshold of 180', () => expect(judgeAirQuality('o3', aq(181)).severity).toBe('high'))
  it('converts mg/m3 before comparing (CO)', () => expect(judgeAirQuality('co', aq(10.5, 'mg/m3')).severity).toBe('high'))
  it('converts ppb before comparing (NO2 110 ppb ≈ 210 µg/m³)', () => expect(judgeAirQuality('no2', aq(110, 'ppb')).severity).toBe('high'))
  it('never alarms on methane', () => expect(judgeAirQuality('ch4', aq(5000)).severity).toBe('normal'))
  it('does not judge an invalid value', () => expect(judgeAirQuality('no2', aq(900, 'ug/m3', 'invalid'))).toEqual({ severity: 'diagnostic', reason: 'aq_invalid' }))
})

describe('status values', () => {
  it('a gate in fault is high', () => expect(judgeGate({ status: 'fault', intervalS: 300, vehicles: 0 }).severity).toBe('high'))
  it('a degraded gate is medium', () => expect(judgeGate({ status: 'degraded', intervalS: 300, vehicles: 3 }).severity).toBe('medium'))
  it('a link down is high', () => expect(judgeLink({ status: 'down', connectedClients: 0, rxKbps: 0, txKbps: 0 }).reason).toBe('link_down'))
})

describe('effectiveQuality', () => {
  it('keeps the reported quality while young', () => {
    expect(effectiveQuality(liveState(), 60, T0 + 60_000)).toBe('good')
  })
  it('turns stale after 3 intervals at server time, even if the server said good', () => {
    expect(effectiveQuality(liveState(), 60, T0 + 181_000)).toBe('uncertain_stale')
  })
  it('turns no-comm after 10 intervals', () => {
    expect(effectiveQuality(liveState(), 60, T0 + 601_000)).toBe('bad_no_comm')
  })
  it('is never fresher than what the server said', () => {
    expect(effectiveQuality(liveState({ quality: 'uncertain_stale' }), 60, T0 + 1000)).toBe('uncertain_stale')
  })
})

describe('deviceCondition', () => {
  it('is no_data without states', () => {
    expect(deviceCondition(liveDevice(), [], T0).freshness).toBe('no_data')
  })
  it('is stale, not abnormal, when the only value is old', () => {
    const c = deviceCondition(liveDevice(), [liveState({ values: traffic(60, 5) })], T0 + 200_000)
    expect(c).toMatchObject({ freshness: 'stale', severity: 'normal', reason: 'stale' })
  })
  it('takes the worst fresh stream of a station', () => {
    const device = liveDevice({ id: 'aq-1', kind: 'air-quality', expectedIntervalS: 3600 })
    const c = deviceCondition(device, [aqState('no2', 90), aqState('o3', 190), aqState('pm10', 30)], T0 + 1000)
    expect(c).toMatchObject({ freshness: 'fresh', severity: 'high', reason: 'aq_limit' })
  })
  it('ignores the values of stale streams when another is fresh', () => {
    const device = liveDevice({ id: 'aq-1', kind: 'air-quality', expectedIntervalS: 3600 })
    const c = deviceCondition(device, [aqState('no2', 90), aqState('o3', 300, { observedAtMs: T0 - 4 * 3_600_000 })], T0)
    expect(c.severity).toBe('normal')
  })
  it('a bad reported quality is a diagnostic', () => {
    const c = deviceCondition(liveDevice(), [liveState({ reportedQuality: 'bad', quality: 'bad' })], T0 + 1000)
    expect(c).toMatchObject({ freshness: 'fresh', severity: 'diagnostic', reason: 'quality_bad' })
  })
})
