/**
 * Names shared by the style and the client that draws it. The style has no `glyphs` URL: MapLibre
 * GL ≥ 5.11 then draws text with TinySDF from the CSS font family named in `text-font`, which the
 * client registers from @fontsource/titillium-web before the map is created (so it works offline).
 * MapLibre sniffs the weight from the name ("Semibold" → 600): the client registers that face under
 * this exact family name with weight 600.
 */
export const FONT_REGULAR = ['Titillium Web']
export const FONT_SEMIBOLD = ['Titillium Web Semibold']

/** Images the client draws with map.addImage from the colours in the style's metadata. */
export const STYLE_IMAGES = {
  signal: 'gemello-signal',
  detector: 'gemello-detector',
  ztlHatch: 'gemello-ztl-hatch',
} as const

/** Layer groups the layer panel toggles; the group is in each layer's metadata. */
export const LAYER_GROUPS = ['base', 'labels', 'buildings', 'network', 'signals'] as const
export type LayerGroup = (typeof LAYER_GROUPS)[number]

export const GROUP_KEY = 'gemello:group'

export function group(name: LayerGroup): Record<string, LayerGroup> {
  return { [GROUP_KEY]: name }
}
