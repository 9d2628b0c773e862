import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import type { VersionKey } from '../api/scenario-client'
import { errorMessage } from '../panels/action-error'
import { useScenarioServices } from './scenario-services'
import { estimateReducer, initialEstimateState, type EstimateResult, type EstimateState } from './estimate-state'

/** How long the slider must rest on an hour before its estimate is asked for. */
export const SLIDER_DEBOUNCE_MS = 350

export interface Estimate {
  state: EstimateState
  /** The slider moved: the estimate of that hour is asked for once it rests there. */
  setHour(hour: number): void
  /** Asks again (after an error). */
  retry(): void
}

const keyText = (k: VersionKey | null) => (k ? `${k.id}/${k.version}` : '')

/**
 * The fast estimate of a version at the slider's hour — and of the scenario compared, at the same hour —
 * with their links: estimate first, then links (the server computes once and caches per version and
 * hour), the request aborted when the hour or the version changes, the previous answer kept on
 * screen until the next one arrives. Nothing is asked while `enabled` is false.
 */
export function useEstimate({ version, compare, initialHour, enabled }: { version: VersionKey | null; compare: VersionKey | null; initialHour: number | null; enabled: boolean }): Estimate {
  const { client } = useScenarioServices()
  const [state, dispatch] = useReducer(estimateReducer, initialHour, initialEstimateState)
  const [attempt, setAttempt] = useState(0)
  const requests = useRef(0)
  const versionText = keyText(version)
  const compareText = keyText(compare)
  const target = `${versionText}|${compareText}`
  const lastTarget = useRef(target)

  const hour = state.hour
  // Another version or comparison: nothing of the previous one is shown; the slider keeps its hour.
  useEffect(() => {
    if (lastTarget.current !== target) dispatch({ type: 'reset', hour })
    // Only a new target resets; the hour is read as it is then.
  }, [target])

  useEffect(() => {
    if (!enabled || !version) return
    const ac = new AbortController()
    // The first answer for a version comes at once; a slider move waits until it rests.
    const delay = lastTarget.current === target && requests.current > 0 ? SLIDER_DEBOUNCE_MS : 0
    lastTarget.current = target
    const timer = setTimeout(() => {
      const seq = ++requests.current
      dispatch({ type: 'start', seq, hour })
      const h = hour ?? undefined
      void (async (): Promise<EstimateResult> => {
        const estimate = await client.estimate(version, h, ac.signal)
        const other = compare ? await client.estimate(compare, estimate.hour, ac.signal) : null
        const links = await client.links(version, estimate.hour, ac.signal)
        const otherLinks = compare ? await client.links(compare, estimate.hour, ac.signal) : null
        return { hour: estimate.hour, estimate, links, compare: other && otherLinks ? { estimate: other, links: otherLinks } : null }
      })().then(
        (result) => dispatch({ type: 'done', seq, result }),
        (err: unknown) => {
          if (!ac.signal.aborted) dispatch({ type: 'failed', seq, message: errorMessage(err) })
        },
      )
    }, delay)
    return () => {
      clearTimeout(timer)
      ac.abort()
    }
    // version and compare are read through their text key (target): a new object for the same version is the same request.
  }, [client, target, hour, enabled, attempt])

  const setHour = useCallback((h: number) => dispatch({ type: 'hour', hour: h }), [])
  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  return { state, setHour, retry }
}
