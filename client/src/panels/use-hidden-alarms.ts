import { useEffect, useState } from 'react'
import type { Alarm, AlarmView } from '../../../contracts/alarm-api'
import { useServices } from '../app/services'
import type { AppState } from '../state/app-state'
import { useStore } from '../state/store'
import { errorMessage } from './action-error'

export type HiddenView = Extract<AlarmView, 'shelved' | 'suppressed' | 'out-of-service'>

const selectAlarms = (s: AppState) => s.controlRoom.alarms

/**
 * The alarms kept off the operator's list (shelved, suppressed, out of service), from the server's
 * view of them; fetched again shortly after any alarm change arrives, so the view stays current.
 */
export function useHiddenAlarms(view: HiddenView | null): { alarms: Alarm[] | null; error: string | null } {
  const { api, store } = useServices()
  const changes = useStore(store, selectAlarms)
  const [alarms, setAlarms] = useState<Alarm[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => setAlarms(null), [view])
  useEffect(() => {
    if (view === null) return
    const controller = new AbortController()
    const timer = setTimeout(() => {
      api
        .listAlarms({ view, limit: 1000 }, controller.signal)
        .then((r) => {
          setAlarms(r.alarms)
          setError(null)
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setError(errorMessage(err))
        })
    }, 250)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [api, view, changes])
  return { alarms, error }
}
