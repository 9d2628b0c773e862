import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import type { WallFocus } from '../../../contracts/wall'
import type { AppState, AppStore } from '../state/app-state'
import { useStore } from '../state/store'
import { FOCUS_SHOWN_MS } from './wall-focus'

export interface ActiveFocus {
  focus: WallFocus
  /** Client clock of its arrival on this screen. */
  receivedAtMs: number
}

const FocusContext = createContext<ActiveFocus | null>(null)
const selectFocus = (s: AppState) => s.controlRoom.wallFocus

/**
 * Follows the pushes to the wall (`wall:focus` on the socket, in the store): the newest one is active
 * for FOCUS_SHOWN_MS after it arrived, then the wall goes back to saying nothing about it.
 */
export function WallFocusProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  const focus = useStore(store, selectFocus)
  const [active, setActive] = useState<ActiveFocus | null>(null)
  useEffect(() => {
    if (!focus) return
    setActive({ focus, receivedAtMs: Date.now() })
    const timer = setTimeout(() => setActive(null), FOCUS_SHOWN_MS)
    return () => clearTimeout(timer)
  }, [focus])
  return <FocusContext.Provider value={active}>{children}</FocusContext.Provider>
}

/** The push being shown, or null. */
export function useActiveFocus(): ActiveFocus | null {
  return useContext(FocusContext)
}

/** What the shown push points at, for tiles that mark it in their lists. */
export function useFocusTarget(): WallFocus['target'] | null {
  return useContext(FocusContext)?.focus.target ?? null
}
