import { useCallback, useEffect, useRef, useState } from 'react'
import type { Deployment } from '../../../contracts/signal-api'
import { DEPLOYMENT_POLL_MS, mergeDeployment, pendingDeployment } from './plan-versions'
import { useSignalServices } from './signal-services'

export interface Deployments {
  list: Deployment[]
  pending: Deployment | null
  /** A deployment the server just answered with (sending): shown at once, then followed. */
  add(d: Deployment): void
}

/**
 * The controller's deployments, kept current: pushed changes (`signal:deployment`) when the page has a
 * feed, and a poll of listSignalDeployments every 2 s while one is 'sending' (the fallback, and the
 * only way until the live connection relays the event). `onSettled` runs when one stops sending.
 */
export function useDeployments(controllerId: string, initial: readonly Deployment[] | undefined, onSettled: (d: Deployment) => void): Deployments {
  const { client, deployments: feed } = useSignalServices()
  const [list, setList] = useState<Deployment[]>([])
  const settled = useRef(onSettled)
  settled.current = onSettled

  const apply = useCallback((d: Deployment) => setList((l) => mergeDeployment(l, d)), [])

  // A deployment that stops sending (acknowledged, rejected, unconfirmed): the controller's plan changed or not.
  const seen = useRef(new Map<number, Deployment['status']>())
  useEffect(() => {
    for (const d of list) {
      if (seen.current.get(d.id) === 'sending' && d.status !== 'sending') settled.current(d)
      seen.current.set(d.id, d.status)
    }
  }, [list])

  useEffect(() => {
    if (initial) setList((l) => initial.reduce((acc, d) => mergeDeployment(acc, d), l))
  }, [initial])

  useEffect(() => {
    if (!feed) return
    return feed.subscribe((d) => {
      if (d.controllerId === controllerId) apply(d)
    })
  }, [feed, controllerId, apply])

  const pending = pendingDeployment(list)
  const pendingId = pending?.id ?? null
  useEffect(() => {
    if (pendingId === null) return
    const ac = new AbortController()
    const timer = setInterval(() => {
      client.listDeployments(controllerId, ac.signal).then(
        (ds) => ds.forEach(apply),
        () => undefined, // the next tick tries again; the status line still says 'sending'
      )
    }, DEPLOYMENT_POLL_MS)
    return () => {
      clearInterval(timer)
      ac.abort()
    }
  }, [client, controllerId, pendingId, apply])

  return { list, pending, add: apply }
}
