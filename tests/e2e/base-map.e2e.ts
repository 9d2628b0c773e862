/**
 * The base map in a real Chromium against a real Gemello process (embedded database, Bologna's data):
 * the style and tiles served by us, street names drawn offline in the web font, the theme switch and
 * the 2.5D buildings. The simulator is off: the map must not depend on live data.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { BaseMapPage } from './pages/base-map-page'

const PIAZZA_MAGGIORE: [number, number] = [11.3426, 44.4939]
/** The bundle's buildings are Milan's (around the Duomo): Bologna has none offline. */
const MILAN_DUOMO: [number, number] = [9.1905, 45.4641]

let gemello: GemelloProcess
let browser: Browser
let page: Page
let cspViolations: () => Promise<string[]>
let map: BaseMapPage
let dataDir: string

beforeAll(async () => {
  dataDir = preparedDataDir('basemap')
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } })
  await gemello.signInPage(page)
  cspViolations = await watchCsp(page)
  map = new BaseMapPage(page, gemello.url)
})

afterAll(async () => {
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('base map of Bologna', () => {
  it('names the streets around Piazza Maggiore, with nothing fetched from elsewhere', async () => {
    await map.open('lang=en&theme=dark')
    await map.view(...PIAZZA_MAGGIORE, 16)
    const names = await map.streetLabels(5)
    expect(names.length).toBeGreaterThanOrEqual(5)
    expect(names.filter((n) => /^(Via|Piazza|Strada|Largo|Vicolo) /.test(n)).length).toBeGreaterThanOrEqual(3)
    const foreign = map.requests.filter((u) => !u.startsWith(gemello.url) && !u.startsWith('data:') && !u.startsWith('blob:'))
    expect(foreign).toEqual([])
    expect(map.requests.some((u) => /titillium-web-latin-400-normal.*\.woff2$/.test(u))).toBe(true)
  })

  it('draws a dark control-room map that is not blank', async () => {
    const px = await map.mapPixels()
    await map.screenshot(path.join(dataDir, 'dark-z16.png'))
    expect(px.colours).toBeGreaterThan(50)
    expect(px.dominantShare).toBeLessThan(0.85)
    expect(px.dominantLuma).toBeLessThan(60)
  })

  it('switches to the light theme from the layer panel and remembers it', async () => {
    await map.chooseTheme(/Light/)
    await map.view(...PIAZZA_MAGGIORE, 16)
    await map.streetLabels(5)
    expect((await map.mapPixels()).dominantLuma).toBeGreaterThan(190)
    await map.open('lang=en')
    expect(await map.theme()).toBe('light')
    await map.open('lang=en&theme=dark')
    expect(await map.theme()).toBe('dark')
  })

  it('stands the buildings up when zoomed in and tilted', async () => {
    await map.view(...MILAN_DUOMO, 17, 60, -20)
    const buildings = await map.rendered('buildings-extrusion', 20)
    expect(buildings.every((b) => typeof b.height === 'number' && (b.height as number) > 0)).toBe(true)
    await map.view(...MILAN_DUOMO, 15, 0, 0)
    const footprints = await map.rendered('buildings-footprint', 20)
    expect(footprints.length).toBeGreaterThanOrEqual(20)
  })
})

describe('scenes', () => {
  it('opens a scene by URL: its camera, its device kinds, its layer groups and its annotations', async () => {
    await map.open('lang=en&scene=piazza-maggiore')
    await map.waitCamera(11.3426, 44.4939, 16.5)
    const cam = await map.camera()
    expect(cam?.bearing).toBeCloseTo(-17, 0)
    expect(cam?.pitch).toBeCloseTo(45, 0)
    await page.waitForFunction(() => document.querySelectorAll('.annotation-marker').length === 2)
    expect((await map.annotations()).sort()).toEqual(['Fountain of Neptune', 'San Petronio basilica'])
    expect(await page.evaluate(() => window.__gemello!.visibleLayers())).toEqual(['ztl-gate', 'traffic-loop', 'bike-counter', 'air-quality', 'connectivity'])
    expect(await map.layerVisibility('buildings-footprint')).toBe('visible')
    expect(page.url()).toContain('scene=piazza-maggiore')
  })

  it('opens another scene from the picker: the SUMO network of Andrea Costa, with its signals', async () => {
    await map.chooseScene('andrea-costa')
    await map.waitCamera(11.32, 44.4957, 15.6)
    expect(page.url()).toContain('scene=andrea-costa')
    expect(await map.annotations()).toEqual(["Renato Dall'Ara stadium"])
    expect(await map.layerVisibility('network-lanes')).toBe('visible')
    expect(await map.layerVisibility('buildings-footprint')).toBe('none')
    const lanes = await map.rendered('network-lanes', 20)
    expect(lanes.every((l) => l.network !== undefined)).toBe(true)
  })

  it('says so when the scene of the address does not exist', async () => {
    await map.open('lang=en&scene=piazza-minore')
    await expect(page.locator('.scene-error').textContent()).resolves.toMatch(/Cannot open the scene: No scene "piazza-minore"/)
  })

  it('breaks no rule of the Content Security Policy (no inline or eval\'d script; workers, WebAssembly and images as allowed)', async () => {
    expect(await cspViolations()).toEqual([])
  })
})

