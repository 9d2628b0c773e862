import type { Page } from 'playwright-core'
import { pngStats, type PngStats } from '../png-pixels'
import { LiveMapPage } from './live-map-page'

/** The base map (the served MapLibre style) as an operator sees it: labels, theme, buildings, pixels. */
export class BaseMapPage extends LiveMapPage {
  constructor(private readonly p: Page, baseUrl: string) {
    super(p, baseUrl)
  }

  /** Centres the map (pitch and bearing in degrees) and resolves when it is drawn. */
  async view(lon: number, lat: number, zoom: number, pitch = 0, bearing = 0): Promise<void> {
    await this.p.evaluate(([lo, la, z, pi, be]) => window.__gemello!.view(lo!, la!, z!, pi, be), [lon, lat, zoom, pitch, bearing])
  }

  /** Waits until a style layer draws at least `min` features in the viewport, and returns their properties. */
  async rendered(layerId: string, min = 1, timeout = 30_000): Promise<Array<Record<string, unknown>>> {
    const handle = await this.p.waitForFunction(
      ([id, n]) => {
        const features = window.__gemello!.renderedFeatures(id as string)
        return features.length >= (n as number) ? features : null
      },
      [layerId, min] as const,
      { timeout, polling: 250 },
    )
    return (await handle.jsonValue()) as Array<Record<string, unknown>>
  }

  /** Street names drawn along the streets in view. */
  async streetLabels(min = 1): Promise<string[]> {
    const features = await this.rendered('roads-label', min)
    return [...new Set(features.map((f) => String(f.name ?? '')))]
  }

  theme(): Promise<string | undefined> {
    return this.p.locator('.live-map').evaluate((el) => (el as HTMLElement).dataset.theme)
  }

  /** Picks a theme in the layer panel, as an operator does, and waits for the new style to be drawn. */
  async chooseTheme(label: RegExp): Promise<void> {
    await this.p.locator('.theme-switch label', { hasText: label }).click()
    const want = (await this.p.locator('.theme-switch label', { hasText: label }).locator('input').getAttribute('value')) ?? ''
    await this.p.waitForFunction((t) => (document.querySelector('.live-map') as HTMLElement | null)?.dataset.theme === t, want)
  }

  /** Colour statistics of the map area only (panels excluded). */
  async mapPixels(): Promise<PngStats> {
    const box = await this.p.locator('.live-map').boundingBox()
    if (!box) throw new Error('the map is not on the page')
    const left = box.x + Math.min(360, box.width * 0.3)
    const clip = { x: left, y: box.y, width: box.x + box.width - left, height: box.height }
    return pngStats(await this.p.screenshot({ clip }))
  }

  /** The camera both views share (target, zoom, bearing, pitch). */
  camera(): Promise<{ center: [number, number]; zoom: number; bearing: number; pitch: number } | null> {
    return this.p.evaluate(() => window.__gemello!.camera?.() ?? null)
  }

  /** Waits until the camera looks within `metres` of a point at about `zoom`. */
  async waitCamera(lon: number, lat: number, zoom: number, metres = 30, timeout = 30_000): Promise<void> {
    await this.p.waitForFunction(
      ([lo, la, z, m]) => {
        const c = window.__gemello!.camera?.()
        if (!c) return false
        const d = Math.hypot((c.center[0] - lo!) * 79_000, (c.center[1] - la!) * 111_000)
        return d < m! && Math.abs(c.zoom - z!) < 0.05
      },
      [lon, lat, zoom, metres] as const,
      { timeout, polling: 200 },
    )
  }

  /** Labels of the scene's annotations on the map. */
  annotations(): Promise<string[]> {
    return this.p.locator('.annotation-marker').allTextContents()
  }

  /** Opens a scene from the picker, as an operator does. */
  async chooseScene(id: string): Promise<void> {
    await this.p.locator('.scene-picker select').selectOption(id)
  }

  /** Visibility of a style layer of the base map ('visible' or 'none'). */
  layerVisibility(layerId: string): Promise<string> {
    return this.p.evaluate((id) => window.__gemello!.layerVisibility(id), layerId)
  }
}
