import { useEffect, useState } from 'react'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { useStore } from '../state/store'
import { liveCycleSecond } from './bar-geometry'

/**
 * The cycle second the controller reports (its signal-controller device's `stage` stream, when the
 * live map follows signal controllers), advanced with the clock; null when not enabled, not reported,
 * or the report is not good. Ticks twice a second only while there is something to show.
 */
export function useLiveCycleSecond(deviceId: string | null, cycleS: number, enabled: boolean): number | null {
  const { store } = useServices()
  const state = useStore(store, (s: AppState) => (deviceId ? (s.states.get(deviceId)?.get('stage') ?? null) : null))
  const offsetMs = useStore(store, (s: AppState) => s.clockOffsetMs)
  const [now, setNow] = useState(() => Date.now())
  const active = enabled && state !== null && state.quality === 'good'
  useEffect(() => {
    if (!active) return
    const id = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(id)
  }, [active])
  if (!active || !state) return null
  const cycleSecond = (state.values as { cycleSecond?: unknown }).cycleSecond
  return liveCycleSecond({ cycleSecond: typeof cycleSecond === 'number' ? cycleSecond : undefined, observedAtMs: state.observedAtMs }, now + offsetMs, cycleS)
}
