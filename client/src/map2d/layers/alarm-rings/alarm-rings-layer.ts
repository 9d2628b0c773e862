import { ScatterplotLayer, TextLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import type { Alarm } from '../../../../../contracts/alarm-api'
import type { Incident } from '../../../../../contracts/incident-api'
import { PRIORITY_STYLE } from '../../../state/alarm-style'
import { PALETTE, hexToRgba } from '../../palette'

/** One ring per device with listed alarms: the most urgent alarm's priority colour, its ISA-18.2 number beside it. */
export interface AlarmRing {
  position: [number, number]
  alarm: Alarm
  count: number
}

/** The listed alarms with a position, one per device (the most urgent; alarms arrive priority first). */
export function alarmRings(listed: readonly Alarm[]): AlarmRing[] {
  const byDevice = new Map<string, AlarmRing>()
  for (const a of listed) {
    if (!a.position || !a.deviceId) continue
    const cur = byDevice.get(a.deviceId)
    if (cur) cur.count++
    else byDevice.set(a.deviceId, { position: a.position, alarm: a, count: 1 })
  }
  return [...byDevice.values()]
}

/**
 * Rings around devices in alarm (colour = priority, thicker while unacknowledged) with the priority
 * number as text — colour is never the only code — and open incidents as white squares marked "I".
 */
export function createAlarmLayers(rings: readonly AlarmRing[], incidents: readonly Incident[], sizeScale: number): Layer[] {
  return [
    new ScatterplotLayer<AlarmRing>({
      id: 'alarm-rings',
      data: rings,
      pickable: false,
      stroked: true,
      filled: false,
      billboard: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (r) => r.position,
      getRadius: 13 * sizeScale,
      getLineWidth: (r) => (r.alarm.acked ? 2 : 4) * sizeScale,
      getLineColor: (r) => hexToRgba(PRIORITY_STYLE[r.alarm.priority].colour),
      updateTriggers: { getLineWidth: rings, getLineColor: rings },
    }),
    new TextLayer<AlarmRing>({
      id: 'alarm-rank',
      data: rings,
      pickable: false,
      billboard: true,
      sizeUnits: 'pixels',
      getPosition: (r) => r.position,
      getText: (r) => String(PRIORITY_STYLE[r.alarm.priority].rank) + (r.count > 1 ? `+${r.count - 1}` : ''),
      getSize: 12 * sizeScale,
      getColor: (r) => hexToRgba(PRIORITY_STYLE[r.alarm.priority].colour),
      getPixelOffset: [14 * sizeScale, -14 * sizeScale],
      getTextAnchor: 'start',
      fontWeight: 700,
      outlineWidth: 3,
      outlineColor: hexToRgba(PALETTE.mapBackground),
      fontSettings: { sdf: true },
    }),
    new ScatterplotLayer<Incident>({
      id: 'incidents',
      data: incidents,
      pickable: false,
      stroked: true,
      filled: true,
      billboard: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (i) => i.position,
      getRadius: 10 * sizeScale,
      getFillColor: hexToRgba(PALETTE.surface, 230),
      getLineWidth: 2 * sizeScale,
      getLineColor: (i) => hexToRgba(PRIORITY_STYLE[i.priority].colour),
    }),
    new TextLayer<Incident>({
      id: 'incident-label',
      data: incidents,
      pickable: false,
      billboard: true,
      sizeUnits: 'pixels',
      getPosition: (i) => i.position,
      getText: () => 'I',
      getSize: 13 * sizeScale,
      getColor: hexToRgba(PALETTE.text),
      fontWeight: 700,
    }),
  ]
}
