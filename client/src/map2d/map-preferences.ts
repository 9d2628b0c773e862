import { MapLayerGroupSchema, type MapLayerGroup } from '../../../contracts/schemas/scene'
import { createStore, type Store } from '../state/store'

/** Base-map themes served at /styles/<theme>.json. */
export const MAP_THEMES = ['dark', 'light'] as const
export type MapTheme = (typeof MAP_THEMES)[number]

/**
 * Style layer groups an operator (or a scene) can switch; the style marks each layer's group in its
 * metadata. Declared once, in the scene contract.
 */
export const TOGGLE_GROUPS = MapLayerGroupSchema.options
export type ToggleGroup = MapLayerGroup

export interface MapPreferences {
  theme: MapTheme
  groups: Record<ToggleGroup, boolean>
}

export const MAP_PREFERENCES_STORAGE_KEY = 'gemello.map'

/** Dark for the control room; the SUMO network is an engineer's layer, off until asked for. */
export const DEFAULT_MAP_PREFERENCES: MapPreferences = { theme: 'dark', groups: { signals: true, buildings: true, network: false } }

function isTheme(value: unknown): value is MapTheme {
  return typeof value === 'string' && (MAP_THEMES as readonly string[]).includes(value)
}

/**
 * The preferences at boot: `?theme=` wins (a wall or a bookmark), then what this browser last chose,
 * then the defaults. A stored value that does not parse is ignored, not an error.
 */
export function readMapPreferences(search: string, stored: string | null): MapPreferences {
  const prefs: MapPreferences = { ...DEFAULT_MAP_PREFERENCES, groups: { ...DEFAULT_MAP_PREFERENCES.groups } }
  try {
    const saved = stored ? (JSON.parse(stored) as Partial<MapPreferences>) : null
    if (saved && isTheme(saved.theme)) prefs.theme = saved.theme
    for (const g of Object.keys(prefs.groups) as ToggleGroup[]) {
      const v = saved?.groups?.[g]
      if (typeof v === 'boolean') prefs.groups[g] = v
    }
  } catch {
    // Written by an older version or by hand: the defaults are the answer.
  }
  const asked = new URLSearchParams(search).get('theme')
  if (isTheme(asked)) prefs.theme = asked
  return prefs
}

export type MapPreferencesStore = Store<MapPreferences>

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

let shared: MapPreferencesStore | null = null

/** The page's one preferences store, read at first use and written back to localStorage on change. */
export function mapPreferences(): MapPreferencesStore {
  if (shared) return shared
  const store = createStore(readMapPreferences(window.location.search, storage()?.getItem(MAP_PREFERENCES_STORAGE_KEY) ?? null))
  store.subscribe(() => {
    try {
      storage()?.setItem(MAP_PREFERENCES_STORAGE_KEY, JSON.stringify(store.get()))
    } catch {
      // A full or disabled storage only loses the choice for the next visit.
    }
  })
  shared = store
  return store
}
