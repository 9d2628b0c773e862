import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { validateStyleMin, type LayerSpecification, type StyleSpecification } from '@maplibre/maplibre-gl-style-spec'
import { describe, expect, it } from 'vitest'
import { buildBaseStyle } from './base-style'
import { GROUP_KEY, LAYER_GROUPS } from './style-fonts'
import { THEME_IDS } from './style-theme'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const ORIGIN = 'http://127.0.0.1:8080'

/** source → source-layer → attributes, read from the contract's table in docs/map-layers.md. */
function contract(): Map<string, Map<string, Set<string>>> {
  const out = new Map<string, Map<string, Set<string>>>()
  const doc = readFileSync(path.join(ROOT, 'docs/map-layers.md'), 'utf8')
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    const [, source, layer, , attributes] = cells
    if (!source?.startsWith('`') || !layer?.startsWith('`') || attributes === undefined) continue
    const names = [...attributes.matchAll(/`([^`]+)`/g)].flatMap((m) => (m[1] ?? '').split(',').map((a) => a.trim()))
    const attrs = new Set(names.filter((a) => /^[a-z_]+$/.test(a)))
    const s = out.get(source.slice(1, -1)) ?? new Map<string, Set<string>>()
    s.set(layer.slice(1, -1), attrs)
    out.set(source.slice(1, -1), s)
  }
  return out
}

/** Every attribute a layer reads with ['get', name] / ['has', name]. */
function attributesRead(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    if ((value[0] === 'get' || value[0] === 'has') && typeof value[1] === 'string' && value.length === 2) out.add(value[1])
    for (const v of value) attributesRead(v, out)
  } else if (value && typeof value === 'object') for (const v of Object.values(value)) attributesRead(v, out)
  return out
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) strings(v, out)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out)
  return out
}

const styles = THEME_IDS.map((theme) => [theme, buildBaseStyle(theme, { origin: ORIGIN })] as const)

describe('base-map style', () => {
  it.each(styles)('%s is a valid MapLibre style', (_theme, style) => {
    expect(validateStyleMin(style as StyleSpecification)).toEqual([])
  })

  it('has the same layers, in the same order, in both themes (a theme changes colours, not content)', () => {
    const [dark, light] = styles.map(([, s]) => s.layers.map((l) => `${l.id}:${l.type}:${'source-layer' in l ? l['source-layer'] : ''}`))
    expect(light).toEqual(dark)
  })

  it.each(styles)('%s draws only source layers and attributes of the map-layer contract', (_theme, style) => {
    const c = contract()
    expect(c.get('base')?.get('roads')).toContain('class') // the contract was parsed
    for (const layer of style.layers as Array<LayerSpecification & { source?: string; 'source-layer'?: string }>) {
      if (layer.type === 'background') continue
      // The area label points carry the attributes of the contract's `areas`.
      const attrs = layer.source === 'area-labels' ? c.get('base')?.get('areas') : c.get(layer.source ?? '')?.get(layer['source-layer'] ?? '')
      expect(attrs, `${layer.id}: ${layer.source}/${layer['source-layer']} is not in docs/map-layers.md`).toBeDefined()
      for (const a of attributesRead([layer.filter, layer.layout, layer.paint])) expect(attrs, `${layer.id} reads "${a}"`).toContain(a)
    }
  })

  it.each(styles)('%s loads nothing from another host: no glyphs, no sprite, tiles from our origin only', (_theme, style) => {
    expect(style.glyphs).toBeUndefined()
    expect(style.sprite).toBeUndefined()
    const urls = strings(style).filter((s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('//'))
    expect(urls.length).toBeGreaterThan(0)
    for (const url of urls) expect(url.startsWith(`${ORIGIN}/tiles/`) || url.startsWith(`${ORIGIN}/styles/`), url).toBe(true)
    expect(Object.values(style.sources).map((s) => ('url' in s ? s.url : 'data' in s ? s.data : undefined))).toEqual([
      `${ORIGIN}/tiles/base.json`,
      `${ORIGIN}/tiles/network.json`,
      `${ORIGIN}/styles/area-labels.geojson`,
    ])
  })

  it.each(styles)('%s puts every layer in a group the layer panel knows', (_theme, style) => {
    for (const layer of style.layers) expect(LAYER_GROUPS, layer.id).toContain((layer.metadata as Record<string, string> | undefined)?.[GROUP_KEY])
  })

  it('labels streets along their lines with the street name, in the web font', () => {
    const [, style] = styles[0]!
    const label = style.layers.find((l) => l.id === 'roads-label')
    expect(label?.type).toBe('symbol')
    const layout = (label as { layout: Record<string, unknown> }).layout
    expect(layout['symbol-placement']).toBe('line')
    expect(layout['text-field']).toEqual(['get', 'name'])
    expect(layout['text-font']).toEqual(['Titillium Web'])
  })

  it('draws buildings flat up to z16 and extruded from their base to their height above', () => {
    const [, style] = styles[0]!
    const flat = style.layers.find((l) => l.id === 'buildings-footprint')
    const extruded = style.layers.find((l) => l.id === 'buildings-extrusion')
    expect(flat?.maxzoom).toBe(16)
    expect(extruded?.type).toBe('fill-extrusion')
    expect(JSON.stringify(extruded)).toContain('["get","height"]')
    expect(JSON.stringify(extruded)).toContain('["get","base"]')
  })

  it('keeps the alarm colours of docs/ui.md off the dark map', () => {
    const [, dark] = styles.find(([t]) => t === 'dark')!
    const colours = strings(dark.layers).map((s) => s.toLowerCase())
    for (const alarm of ['#e5352b', '#f08c1a', '#e6cf1f', '#2fb2d8']) expect(colours).not.toContain(alarm)
  })

  it('refuses an origin that is not scheme://host[:port]', () => {
    expect(() => buildBaseStyle('dark', { origin: 'http://evil.example/"x' })).toThrow(/origin/)
    expect(() => buildBaseStyle('dark', { origin: '127.0.0.1:8080' })).toThrow(/origin/)
  })
})
