/**
 * The live map in a real Chromium against a real Gemello process (embedded database and broker,
 * Bologna's data). Readings come from outside, over MQTT, as a field device would send them.
 * The simulator is off so that the values on screen are exactly the ones this test published.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { LiveMapPage } from './pages/live-map-page'

let gemello: GemelloProcess
let browser: Browser
let page: Page
let cspViolations: () => Promise<string[]>
let map: LiveMapPage
let device: MqttClient
let dataDir: string
const traffic = (flowVehH: number) => ({ flowVehH, occupancyPct: 9.5, speedKmh: 44, intervalS: 60 })
let seq = Date.now()

async function publish(topic: string, body: unknown): Promise<void> {
  await device.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 })
}

beforeAll(async () => {
  dataDir = preparedDataDir('live-map')
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1600, height: 900 } })
  await gemello.signInPage(page)
  cspViolations = await watchCsp(page)
  map = new LiveMapPage(page, gemello.url)
  device = await (await import('../helpers/device-router')).connectAsEachDevice(gemello.mqttUrl, dataDir, { protocolVersion: 4, clientId: `e2e-device-${process.pid}`, reconnectPeriod: 500 })
})

afterAll(async () => {
  await device?.endAsync(true)
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('live map of Bologna', () => {
  it('loads offline and shows Bologna’s devices with their attributions', async () => {
    await map.open()
    const counts = await map.counts()
    expect(counts.byKind['traffic-loop']).toBeGreaterThanOrEqual(863)
    expect(counts.byKind['ztl-gate']).toBe(79)
    expect(counts.byKind['air-quality']).toBe(5)
    expect(await map.connection()).toBe('live')
    expect(await map.statusBarText()).toMatch(/Bologna/)
    const about = await map.openAbout()
    expect(about).toMatch(/Comune di Bologna/)
    expect(about).toMatch(/ARPAE/)
    // Offline: nothing was fetched from anywhere but this server.
    const foreign = map.requests.filter((u) => !u.startsWith(gemello.url) && !u.startsWith('data:') && !u.startsWith('blob:'))
    expect(foreign).toEqual([])
  })

  it('shows a reading published over MQTT by an outside device', async () => {
    await publish('gemello/v1/traffic-loop/loop-450/traffic', { seq: ++seq, observedAt: Date.now(), values: traffic(1234) })
    await map.waitFor(() => window.__gemello!.counts().states >= 1)
    await map.clickDevice('loop-450')
    await expect.poll(() => map.liveValuesText(), { timeout: 15_000 }).toMatch(/1,234/)
    const text = await map.liveValuesText()
    expect(text).toMatch(/44/) // speed
    expect(text).toMatch(/9\.5/) // occupancy
  })

  it('quarantines a malformed message, says so, and keeps working', async () => {
    await publish('gemello/v1/traffic-loop/loop-450/traffic', '{"seq": 1, "observedAt": ')
    await publish('gemello/v1/ztl-gate/ztl-varco-n-78/gate', { seq: 1, observedAt: Date.now(), values: { status: 'operational', intervalS: 300, vehicles: 4, plate: 'AB123CD' } })
    // The counter in the status bar follows the server's heartbeat (every 5 s).
    await expect.poll(async () => (await map.statusBarText()).match(/Quarantine\s*\n?\s*▲?\s*(\d+)/i)?.[1], { timeout: 20_000 }).toBe('2')
    const list = await map.openQuarantine(/plate/)
    expect(list).toMatch(/invalid_json|not valid JSON/i)
    expect(list).toMatch(/plate/)
    await map.closeSheets()
    await map.clickDevice('loop-450')
    await publish('gemello/v1/traffic-loop/loop-450/traffic', { seq: ++seq, observedAt: Date.now(), values: traffic(777) })
    await expect.poll(() => map.liveValuesText(), { timeout: 15_000 }).toMatch(/777/)
  })

  it('reconnects after a server restart and shows the same state', async () => {
    const before = await map.counts()
    const epoch = (await map.cursor())?.epoch
    const valuesBefore = await map.liveValuesText()
    await gemello.stop()
    await map.waitFor(() => window.__gemello!.connection() !== 'live', 30_000)
    await gemello.start()
    await map.waitConnection('live', 60_000)
    // Live again once the socket is back; the new server's snapshot (a new epoch) follows it.
    await expect.poll(async () => (await map.cursor())?.epoch, { timeout: 30_000 }).not.toBe(epoch)
    await map.waitFor(() => window.__gemello!.counts().states > 0, 30_000)
    const after = await map.counts()
    expect(after.devices).toBe(before.devices)
    expect(after.states).toBe(before.states)
    expect(await map.liveValuesText()).toMatch(/777/)
    expect(valuesBefore).toMatch(/777/)
  })

  it('ages a value to stale on screen while the server is frozen, and says the data is frozen', async () => {
    // A 60 s loop is stale 3 minutes after its observation: this reading has 12 s of freshness left.
    await publish('gemello/v1/traffic-loop/loop-1/traffic', { seq: ++seq, observedAt: Date.now() - 168_000, values: traffic(500) })
    await map.clickDevice('loop-1')
    await expect.poll(() => map.liveValuesText(), { timeout: 10_000 }).toMatch(/500/)
    expect(await page.locator('.badge-stale').count()).toBe(0)
    gemello.pause() // from now on the server sends nothing at all
    try {
      await page.locator('.badge-stale').first().waitFor({ timeout: 30_000 })
      await map.waitConnection('offline', 30_000)
      expect(await page.locator('body').innerText()).toMatch(/DISCONNECTED/i)
    } finally {
      gemello.resume()
    }
    await map.waitConnection('live', 30_000)
  })

  it('breaks no rule of the Content Security Policy (no inline or eval\'d script; workers, WebAssembly and images as allowed)', async () => {
    expect(await cspViolations()).toEqual([])
  })
})
