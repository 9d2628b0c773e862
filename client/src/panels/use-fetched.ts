import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react'
import { errorMessage } from './action-error'

export interface Fetched<T> {
  data: T | null
  error: string | null
  /** Fetches again now (a Reload button). */
  reload(): void
  /** Replaces the data held (after an action answered with a changed item). */
  setData: Dispatch<SetStateAction<T | null>>
}

/**
 * A panel's data from one REST call: fetched when the panel opens, again every `everyMs` when given,
 * cancelled when it closes; the last good data stays on screen beside an error.
 */
export function useFetched<T>(fetch: (signal?: AbortSignal) => Promise<T>, everyMs?: number): Fetched<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(
    (signal?: AbortSignal) =>
      fetch(signal)
        .then((d) => {
          setData(d)
          setError(null)
        })
        .catch((err: unknown) => {
          if (!signal?.aborted) setError(errorMessage(err))
        }),
    [fetch],
  )
  useEffect(() => {
    const controller = new AbortController()
    void load(controller.signal)
    const timer = everyMs ? setInterval(() => void load(controller.signal), everyMs) : undefined
    return () => {
      clearInterval(timer)
      controller.abort()
    }
  }, [load, everyMs])
  return { data, error, reload: () => void load(), setData }
}
