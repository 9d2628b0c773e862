/**
 * Scenes in the app: `?scene=<id>` opens one at start, the scene picker opens others. Opening a
 * scene fetches it, puts it in the store (its annotations show in both views), switches the device
 * kinds and base-map groups, and moves the camera — in the view the scene asks for.
 */
import { useCallback, useEffect, useState } from 'react'
import type { SceneSummary } from '../../../contracts/schemas/scene'
import type { RestClient } from '../api/rest-client'
import { mapPreferences } from '../map2d/map-preferences'
import type { AppStore } from '../state/app-state'
import { sceneGroups, scenePose, sceneUrl, withScene } from './scene-apply'
import type { ViewSwitchState } from './view-switch'

export interface SceneControls {
  scenes: SceneSummary[]
  current: string | null
  error: string | null
  open(id: string): void
  dismissError(): void
}

/** `enabled` false (a user without live:read, who may not read scenes): no scene is listed or opened. */
export function useScene(o: { api: RestClient; store: AppStore; views: Pick<ViewSwitchState, 'goTo'>; ready: boolean; initial: string | null; enabled?: boolean }): SceneControls {
  const { api, store, views, ready, initial, enabled = true } = o
  const [scenes, setScenes] = useState<SceneSummary[]>([])
  const [current, setCurrent] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { goTo } = views

  useEffect(() => {
    if (!enabled) return
    const abort = new AbortController()
    api
      .listScenes(abort.signal)
      .then((r) => setScenes(r.scenes))
      .catch((err: unknown) => {
        if (!abort.signal.aborted) console.warn('scene list not loaded', err)
      })
    return () => abort.abort()
  }, [api, enabled])

  const open = useCallback(
    (id: string) => {
      api
        .getScene(id)
        .then((scene) => {
          store.set((s) => withScene(s, scene))
          const prefs = mapPreferences()
          prefs.set((p) => sceneGroups(p, scene))
          goTo(scene.view, scenePose(scene))
          window.history.replaceState(window.history.state, '', sceneUrl(window.location.href, scene))
          setCurrent(scene.id)
          setError(null)
        })
        .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
    },
    [api, store, goTo],
  )

  // The scene of the address, once the app can show it (the city is known, a view is mounted).
  const [openedInitial, setOpenedInitial] = useState(false)
  useEffect(() => {
    if (!ready || openedInitial || !initial || !enabled) return
    setOpenedInitial(true)
    open(initial)
  }, [ready, openedInitial, initial, open, enabled])

  return { scenes, current, error, open, dismissError: () => setError(null) }
}
