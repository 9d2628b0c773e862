/** The dashboards' data for React: the list, one dashboard (asked again when the period changes), a level's areas. */
import { useEffect, useState } from 'react'
import type { AreaLevel, DashboardAreaCollection, ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import type { DashboardList, DashboardsClient } from './dashboards-client'

export interface Loaded<T> {
  data: T | null
  error: { code: string; message: string } | null
  loading: boolean
}

const failure = (err: unknown) => ({ code: typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'ERROR', message: err instanceof Error ? err.message : String(err) })

/** Loads with `load` whenever `key` changes; the previous answer stays shown while the next one comes. */
function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: true })
  useEffect(() => {
    const c = new AbortController()
    setState((s) => ({ ...s, loading: true }))
    load(c.signal).then(
      (data) => !c.signal.aborted && setState({ data, error: null, loading: false }),
      (err: unknown) => !c.signal.aborted && setState({ data: null, error: failure(err), loading: false }),
    )
    return () => c.abort()
    // `load` is a new closure each render: `key` names what it loads.
  }, [key])
  return state
}

export function useDashboardList(client: DashboardsClient): Loaded<DashboardList> {
  return useLoad('list', (signal) => client.list(signal))
}

export function useDashboard(client: DashboardsClient, id: string, days: number | null): Loaded<ThemeDashboard> {
  return useLoad(`${id}?${days ?? ''}`, (signal) => client.dashboard(id, days, signal))
}

export function useAreas(client: DashboardsClient, level: AreaLevel): Loaded<DashboardAreaCollection> {
  return useLoad(level, () => client.areas(level))
}
