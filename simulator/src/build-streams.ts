/** Turns the device list into the streams the scheduler publishes, loading the city data each kind needs. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { airQualityPollutants, airQualityStream, type AirQualityGap } from './air-quality-stream'
import { ARPAE_DIR, readArpaeSeries } from './arpae-series'
import { LOOP_COUNTS_FILE, readLoopCounts } from './loop-counts'
import type { PlanHistory } from './signal-controller-sim'
import type { SimDevice, StreamSource } from './stream-source'
import { bikeCounterStream, connectivityStream, signalStageStream, ztlGateStream } from './synthetic-streams'
import { assignTrafficSources, trafficLoopStream, type TrafficSourceInfo } from './traffic-loop-stream'

export interface BuiltStreams {
  streams: StreamSource[]
  trafficSources: Record<string, TrafficSourceInfo>
  airQualityGaps: AirQualityGap[]
}

/** `planHistories`: the plans each simulated signal controller switched to (its stage stream shows them). */
export function buildStreams(devices: readonly SimDevice[], cityDataDir: string | null, seed: number, planHistories?: ReadonlyMap<string, PlanHistory>): BuiltStreams {
  const has = (kind: SimDevice['kind']) => devices.some((d) => d.kind === kind)
  const counts = cityDataDir && has('traffic-loop') ? readLoopCounts(requireFile(cityDataDir, LOOP_COUNTS_FILE)) : null
  const arpae = cityDataDir && has('air-quality') ? readArpaeSeries(requireFile(cityDataDir, ARPAE_DIR)) : null
  const assignments = assignTrafficSources(devices, counts, seed)
  const streams: StreamSource[] = []
  const airQualityGaps: AirQualityGap[] = []
  for (const device of devices) {
    switch (device.kind) {
      case 'traffic-loop': {
        const a = assignments.get(device.id)
        if (a) streams.push(trafficLoopStream(device, a, seed))
        break
      }
      case 'air-quality': {
        if (!arpae) {
          airQualityGaps.push({ deviceId: device.id, pollutant: '*', reason: 'no_series' })
          break
        }
        const { pollutants, gaps } = airQualityPollutants(device, arpae)
        airQualityGaps.push(...gaps)
        for (const p of pollutants) streams.push(airQualityStream(device, p, arpae))
        break
      }
      case 'ztl-gate':
        streams.push(ztlGateStream(device, seed))
        break
      case 'bike-counter':
        streams.push(bikeCounterStream(device, seed))
        break
      case 'connectivity':
        streams.push(connectivityStream(device, seed))
        break
      case 'signal-controller':
        streams.push(signalStageStream(device, planHistories?.get(device.id)))
        break
    }
  }
  return { streams, trafficSources: Object.fromEntries([...assignments].map(([id, a]) => [id, a.info])), airQualityGaps }
}

/** Returns `cityDataDir` after checking that `relative` exists in it; a clear error otherwise. */
function requireFile(cityDataDir: string, relative: string): string {
  const full = path.join(cityDataDir, relative)
  if (!existsSync(full)) {
    throw new Error(`City data not found: ${full}. Set CITY_DATA_DIR (or the cityDataDir option) to the folder holding bologna-opendata/, or pass null to run without real data.`)
  }
  return cityDataDir
}
