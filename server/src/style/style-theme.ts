/**
 * The colours of the two base-map themes. The dark one is the control room's (ISA-101: greys for
 * everything normal, the alarm colours of docs/ui.md are never used here, so a red, amber, yellow or
 * cyan mark on the map is always a device in an abnormal state). The light one is for offices, close
 * to Bootstrap Italia (Designers Italia): light greys, white streets, PA blue only for boundaries.
 */
export const THEME_IDS = ['dark', 'light'] as const
export type ThemeId = (typeof THEME_IDS)[number]

export function isThemeId(value: string): value is ThemeId {
  return (THEME_IDS as readonly string[]).includes(value)
}

/** Road classes from motorway to service, in drawing order (the last is drawn on top). */
export const ROAD_RANKS = ['service', 'minor', 'tertiary', 'secondary', 'primary', 'motorway'] as const
export type RoadRank = (typeof ROAD_RANKS)[number]

export interface StyleTheme {
  id: ThemeId
  name: string
  background: string
  land: { residential: string; commercial: string; industrial: string; green: string; farmland: string; railway: string; civic: string }
  water: string
  waterLine: string
  building: { fill: string; outline: string; extrusion: string; extrusionTall: string; estimatedOpacity: number }
  road: Record<RoadRank, { fill: string; casing: string }>
  areas: { quartiere: string; zona: string; areaStatistica: string; ztlFill: string; ztlLine: string; ztlHatch: string }
  labels: { street: string; streetHalo: string; district: string; zone: string; area: string; halo: string }
  network: { lane: string; junction: string; junctionLine: string; detector: string; signal: string }
  /** MapLibre `light` of the 2.5D buildings. */
  light: { color: string; intensity: number }
}

export const DARK_THEME: StyleTheme = {
  id: 'dark',
  name: 'Gemello control room (dark)',
  background: '#141619',
  land: {
    residential: '#17191c',
    commercial: '#18191d',
    industrial: '#191a1e',
    green: '#161a18',
    farmland: '#16181a',
    railway: '#1a1b1f',
    civic: '#18191d',
  },
  water: '#111820',
  waterLine: '#1c2530',
  building: { fill: '#22252a', outline: '#2d3137', extrusion: '#2b2f35', extrusionTall: '#363a41', estimatedOpacity: 0.75 },
  road: {
    service: { fill: '#2a2d32', casing: '#101214' },
    minor: { fill: '#33373d', casing: '#0f1113' },
    tertiary: { fill: '#3c4047', casing: '#0f1113' },
    secondary: { fill: '#454950', casing: '#0e1012' },
    primary: { fill: '#4f545c', casing: '#0e1012' },
    motorway: { fill: '#5e636b', casing: '#0c0d0f' },
  },
  areas: {
    quartiere: '#5a5f67',
    zona: '#3f434a',
    areaStatistica: '#2c2f34',
    ztlFill: '#1b1d21',
    ztlLine: '#4f545c',
    ztlHatch: '#25282d',
  },
  labels: {
    street: '#9aa0a9',
    streetHalo: '#141619',
    district: '#7d838c',
    zone: '#6e747d',
    area: '#5a5f67',
    halo: '#141619',
  },
  network: { lane: '#3d5060', junction: '#1f262d', junctionLine: '#34414d', detector: '#8c96a3', signal: '#c9ced6' },
  light: { color: '#ffffff', intensity: 0.25 },
}

export const LIGHT_THEME: StyleTheme = {
  id: 'light',
  name: 'Gemello office (light)',
  background: '#f2f3f5',
  land: {
    residential: '#eceef1',
    commercial: '#ebe9ee',
    industrial: '#e6e7ea',
    green: '#dfeadf',
    farmland: '#edf0e6',
    railway: '#e4e5e8',
    civic: '#ece9e4',
  },
  water: '#c6dcef',
  waterLine: '#a9c6e0',
  building: { fill: '#dcdfe4', outline: '#c3c8d0', extrusion: '#d9dde3', extrusionTall: '#c9ced6', estimatedOpacity: 0.7 },
  road: {
    service: { fill: '#ffffff', casing: '#d3d8de' },
    minor: { fill: '#ffffff', casing: '#c5cbd3' },
    tertiary: { fill: '#ffffff', casing: '#b3bac4' },
    secondary: { fill: '#fbfbf7', casing: '#a5adb8' },
    primary: { fill: '#f4f1e8', casing: '#98a1ad' },
    motorway: { fill: '#d9e2ee', casing: '#7e91a8' },
  },
  areas: {
    quartiere: '#4d8fd6',
    zona: '#8fa1b3',
    areaStatistica: '#c3cbd4',
    ztlFill: '#0066cc',
    ztlLine: '#7fa6d3',
    ztlHatch: '#d3dff0',
  },
  labels: {
    street: '#33485c',
    streetHalo: '#ffffff',
    district: '#004d99',
    zone: '#5c6f82',
    area: '#7a8794',
    halo: '#f7f8f9',
  },
  network: { lane: '#8ba6c2', junction: '#dde5ee', junctionLine: '#a8bbd0', detector: '#455a70', signal: '#17324d' },
  light: { color: '#ffffff', intensity: 0.4 },
}

export const THEMES: Record<ThemeId, StyleTheme> = { dark: DARK_THEME, light: LIGHT_THEME }
