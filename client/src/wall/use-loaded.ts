import { useEffect, useState } from 'react'
import { backoffDelayMs } from './backoff'

const never = () => false

export type Loaded<T> = { state: 'loading'; error: string | null } | { state: 'ok'; data: T } | { state: 'failed'; error: string }

/**
 * Loads something once, retrying with back-off until it arrives (a wall has nobody to press
 * "retry"); `final(err)` says which failures retrying cannot fix (a layout that does not exist).
 */
export function useLoaded<T>(load: (signal: AbortSignal) => Promise<T>, final: (err: unknown) => boolean = never): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ state: 'loading', error: null })
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const controller = new AbortController()
    let failures = 0
    const run = () => {
      load(controller.signal).then(
        (data) => !controller.signal.aborted && setState({ state: 'ok', data }),
        (err: unknown) => {
          if (controller.signal.aborted) return
          const message = err instanceof Error ? err.message : String(err)
          if (final(err)) {
            setState({ state: 'failed', error: message })
            return
          }
          setState({ state: 'loading', error: message })
          timer = setTimeout(run, backoffDelayMs(++failures))
        },
      )
    }
    run()
    return () => {
      controller.abort()
      clearTimeout(timer)
    }
    // Loads again only when `load` changes (the caller memoises it on what it loads); `final` is a rule, read once.
  }, [load])
  return state
}
