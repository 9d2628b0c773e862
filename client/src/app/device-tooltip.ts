import type { TFunction } from 'i18next'
import type { LiveDevice } from '../../../contracts/schemas/live-state'
import type { AppState } from '../state/app-state'
import { deviceCondition } from '../state/device-condition'
import { serverNowMs, statesOf } from '../state/derived'
import type { Formatters } from './i18n/format'

/** Tooltip lines of a device on the map: name, kind and condition in words, and the age when not fresh. */
export function deviceTooltipLines(t: TFunction, fmt: Formatters, state: AppState, device: LiveDevice, clientNowMs: number): string[] {
  const now = serverNowMs(state, clientNowMs)
  const streams = [...statesOf(state.states, device.id).values()]
  const condition = deviceCondition(device, streams, now)
  const severity = condition.freshness === 'fresh' && condition.severity !== 'normal' ? `${t(`severity.${condition.severity}`)} · ` : ''
  const lines = [device.name, `${t(`kindOne.${device.kind}`)} · ${severity}${t(`condition.${condition.reason}`)}`]
  if (streams.length > 0) {
    const newest = Math.max(...streams.map((s) => s.observedAtMs))
    lines.push(t('device.lastUpdate', { age: fmt.ago(now - newest) }))
  }
  return lines
}
