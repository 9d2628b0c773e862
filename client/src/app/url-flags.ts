/** Flags read from the page URL once at boot. */
export interface UrlFlags {
  /** `?wall=1`: video-wall mode — type ×2, no interactive chrome. */
  wall: boolean
  /** `?lang=it|en`: forces the UI language. */
  lang: string | null
  /** `?view=3d`: opens the 3D twin instead of the 2D map. */
  view: '2d' | '3d'
  /** `?scene=<id>`: opens a saved scene (docs/scenes.md). */
  scene: string | null
  /** `?census=<collection>[/<id>]`: opens the census editor there (the OGC API's HTML pages link here). */
  census: string | null
}

export function parseUrlFlags(search: string): UrlFlags {
  const params = new URLSearchParams(search)
  const wall = params.get('wall')
  return { wall: wall === '1' || wall === 'true', lang: params.get('lang'), view: params.get('view') === '3d' ? '3d' : '2d', scene: params.get('scene'), census: params.get('census') }
}
