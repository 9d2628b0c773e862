import { useCallback, useState } from 'react'
import type { Alarm, AlarmAction } from '../../../contracts/alarm-api'
import { useServices } from '../app/services'
import { applyAlarmChanges } from '../state/alarm-reducers'
import { errorMessage } from './action-error'

export interface AlarmActions {
  /** An action in flight (buttons wait for it). */
  busy: boolean
  error: string | null
  clearError(): void
  act(id: number, action: AlarmAction): Promise<boolean>
  ackMany(ids: number[]): Promise<boolean>
}

/**
 * Operator actions on alarms (alarm:act, audited by the server). The answer goes into the store at
 * once; the same change also arrives as a push, and the store keeps whichever is newer.
 */
export function useAlarmActions(): AlarmActions {
  const { api, store } = useServices()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const run = useCallback(
    async (call: () => Promise<Alarm[]>): Promise<boolean> => {
      setBusy(true)
      setError(null)
      try {
        const changed = await call()
        store.set((s) => ({ ...s, controlRoom: applyAlarmChanges(s.controlRoom, changed, null) }))
        return true
      } catch (err) {
        setError(errorMessage(err))
        return false
      } finally {
        setBusy(false)
      }
    },
    [store],
  )

  return {
    busy,
    error,
    clearError: () => setError(null),
    act: useCallback((id: number, action: AlarmAction) => run(async () => [await api.actOnAlarm(id, action)]), [api, run]),
    ackMany: useCallback((ids: number[]) => run(() => api.ackAlarms(ids)), [api, run]),
  }
}
