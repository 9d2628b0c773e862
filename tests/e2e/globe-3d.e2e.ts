/**
 * The 3D twin in a real Chromium (WebGL through SwiftShader) against a real Gemello process with
 * Bologna's data and generated buildings around Piazza Maggiore (deterministic, seeded into the
 * embedded database before boot). Readiness waits only: the tiles are loaded when the page says so.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListDevicesResponse } from '../../client/src/api/rest-client'
import { generatedBuildings } from '../../server/src/tiles3d/testing/generated-buildings'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { GlobePage } from './pages/globe-page'
import { seedBuildings } from './seed-buildings'

const PIAZZA_MAGGIORE: [number, number] = [11.3432, 44.4937]
const buildings = generatedBuildings({ centre: PIAZZA_MAGGIORE, count: 64, seed: 5, spacingM: 45 })
// Building 0 is a plain block (no courtyard, one part): its roof is under the centre of its footprint.
const target = buildings[0]!
const ring = target.polygons[0]![0]!
const targetCentre: [number, number] = [(ring[0]![0] + ring[2]![0]) / 2, (ring[0]![1] + ring[2]![1]) / 2]

let gemello: GemelloProcess
let browser: Browser
let page: Page
let cspViolations: () => Promise<string[]>
let globe: GlobePage
let dataDir: string

beforeAll(async () => {
  dataDir = preparedDataDir('3d')
  await seedBuildings(dataDir, buildings, 'e2e-generated-buildings')
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await gemello.signInPage(page)
  cspViolations = await watchCsp(page)
  globe = new GlobePage(page, gemello.url)
})

afterAll(async () => {
  await browser?.close()
  await gemello?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('3D twin', () => {
  it('opens by URL, loads the building tileset from this server only and draws it', async () => {
    await globe.open('lang=en&view=3d')
    await globe.setCamera({ center: PIAZZA_MAGGIORE, zoom: 16.5, bearing: 20, pitch: 50 })
    const b = await globe.buildings()
    expect(b?.state).toBe('ready')
    expect(b?.tiles).toBeGreaterThan(0)
    expect(await globe.nonBackgroundShare()).toBeGreaterThan(0.2)
    expect(globe.foreignRequests()).toEqual([])
  })

  it('identifies a building by a click on it', async () => {
    await globe.setCamera({ center: targetCentre, zoom: 18.5, bearing: 0, pitch: 0 })
    const [x, y] = await globe.canvasCentre()
    expect(await globe.pick(x, y)).toMatchObject({ kind: 'building', id: target.id })
    await page.mouse.click(x, y)
    expect(await globe.selectedBuilding()).toBe(target.id)
    expect(await globe.buildingCardText()).toContain(target.id)
  })

  it('selects a device by a click on it, as the 2D map does: the device panel opens', async () => {
    const list = (await page.evaluate(async () => (await fetch('/api/devices?kind=traffic-loop&limit=1')).json())) as ListDevicesResponse
    const loop = list.devices[0]!
    await globe.setCamera({ center: loop.position, zoom: 17, bearing: 0, pitch: 0 })
    await globe.waitForDevice(loop.id)
    await globe.setCamera({ center: loop.position, zoom: 17, bearing: 0, pitch: 0 })
    const [x, y] = await globe.canvasCentre()
    await expect.poll(() => globe.pick(x, y), { timeout: 15_000 }).toMatchObject({ kind: 'device', id: loop.id })
    await page.mouse.click(x, y)
    expect(await globe.selectedDevice()).toBe(loop.id)
    await page.locator('.side-sheet').first().waitFor({ timeout: 15_000 })
  })

  it('keeps the place and the selection when switching 3D → 2D → 3D', async () => {
    const pose = { center: PIAZZA_MAGGIORE, zoom: 16.25, bearing: -25, pitch: 40 }
    await globe.setCamera(pose)
    const selected = await globe.selectedDevice()
    const before = (await globe.camera())!
    await globe.setViewMode('2d')
    expect(await globe.viewMode()).toBe('2d')
    expect(page.url()).not.toMatch(/view=3d/)
    const in2d = (await globe.camera())!
    expect(in2d.center[0]).toBeCloseTo(before.center[0], 5)
    expect(in2d.center[1]).toBeCloseTo(before.center[1], 5)
    expect(in2d.zoom).toBeCloseTo(before.zoom, 2)
    expect(in2d.bearing).toBeCloseTo(before.bearing, 1)
    expect(in2d.pitch).toBeCloseTo(before.pitch, 1)
    expect(await globe.selectedDevice()).toBe(selected)

    await page.getByRole('button', { name: '3D twin' }).click()
    await globe.waitReady3d()
    expect(page.url()).toMatch(/view=3d/)
    const back = (await globe.camera())!
    expect(back.center[0]).toBeCloseTo(in2d.center[0], 5)
    expect(back.center[1]).toBeCloseTo(in2d.center[1], 5)
    expect(back.zoom).toBeCloseTo(in2d.zoom, 2)
    expect(await globe.selectedDevice()).toBe(selected)
    expect(globe.foreignRequests()).toEqual([])
  })

  it('opens a 3D scene by URL: Milan centre, looking at the Duomo, with its real LiDAR buildings drawn', async () => {
    await page.goto(`${gemello.url}/?lang=en&scene=milan-centre`)
    await globe.waitReady3d()
    expect(await globe.viewMode()).toBe('3d')
    await expect.poll(async () => {
      const c = await globe.camera()
      return c ? Math.hypot((c.center[0] - 9.19) * 78_000, (c.center[1] - 45.4642) * 111_000) : Infinity
    }).toBeLessThan(50)
    await expect.poll(async () => (await globe.buildings())?.tiles ?? 0, { timeout: 120_000 }).toBeGreaterThan(0)
    expect(page.url()).toMatch(/scene=milan-centre.*view=3d|view=3d.*scene=milan-centre/)
  })

  it('breaks no rule of the Content Security Policy (no inline or eval\'d script; workers, WebAssembly and images as allowed)', async () => {
    expect(await cspViolations()).toEqual([])
  })
})
