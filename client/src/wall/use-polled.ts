import { useEffect, useRef, useState } from 'react'
import { backoffDelayMs } from './backoff'

export interface Polled<T> {
  data: T | null
  /** Client clock of the last successful answer. */
  asOfMs: number | null
  /** The last failure, cleared by the next success. */
  error: string | null
  /** Client clock of the next attempt after a failure (null while all is well). */
  retryAtMs: number | null
}

/**
 * Polls a REST call every `intervalMs`; after a failure it retries with exponential back-off (the
 * data and its age stay on screen meanwhile), and it asks again at once when `refreshKey` changes —
 * the wall passes the count of live (re)connections, so a server that comes back is asked at once.
 */
export function usePolled<T>(fetcher: (signal: AbortSignal) => Promise<T>, intervalMs: number, refreshKey: unknown = 0): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: null, asOfMs: null, error: null, retryAtMs: null })
  const fetcherRef = useRef(fetcher)
  fetcherRef.current = fetcher
  const failures = useRef(0)

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let controller: AbortController | null = null
    let stopped = false
    const run = () => {
      controller = new AbortController()
      const signal = controller.signal
      fetcherRef.current(signal).then(
        (data) => {
          if (stopped) return
          failures.current = 0
          setState({ data, asOfMs: Date.now(), error: null, retryAtMs: null })
          timer = setTimeout(run, intervalMs)
        },
        (err: unknown) => {
          if (stopped || signal.aborted) return
          failures.current += 1
          const delay = backoffDelayMs(failures.current)
          setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err), retryAtMs: Date.now() + delay }))
          timer = setTimeout(run, delay)
        },
      )
    }
    run()
    return () => {
      stopped = true
      clearTimeout(timer)
      controller?.abort()
    }
  }, [intervalMs, refreshKey])

  return state
}
