/**
 * The video wall (issue 6 items 6 and 8, ADR 0006 "The wall") in a real Chromium at 3840×2160 against
 * a real Gemello process (embedded database and broker, Bologna's data, the simulator off): the
 * control-room layout is drawn where the layout says, dark, no tile blank, text ≥ 28 px; a gate fault
 * published over MQTT is on the wall within 2 s; the wall says DISCONNECTED when the server stops and
 * recovers by itself when it is back; an operator's "push to wall" flies the map there and says who.
 *
 * The wall screens sign in with a display account (role display: live:read only); the operator who
 * pushes uses the operator's own screen in a third browser context. A few readings are published
 * first (loops, air-quality stations, access points) and an incident is opened, so that the charts,
 * cards and lists have something to show. The screenshots go to TEST_LOG_DIR/wall (or a temporary
 * folder, printed): look at them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { MqttClient } from 'mqtt'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tileRect } from '../../client/src/wall/grid-placement'
import { connectAsEachDevice } from '../helpers/device-router'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { jsonCall } from '../helpers/json-call'
import { signIn } from '../helpers/staff-session'
import { launchChromium, watchCsp } from './browser'
import { ControlRoomPage } from './pages/control-room-page'
import { WallPage } from './pages/wall-page'
import { pngStats } from './png-pixels'

const SAN_FELICE = 'ztl-varco-n-10-san-felice-direzione-centro'
const WALL = { width: 3840, height: 2160 }
const HOUR = 3_600_000
const DAY = 24 * HOUR
const OPERATOR = { username: 'operatore-wall', displayName: 'Marco Rossi', roles: ['operator'], password: 'operator-wall-password-e2e' }
/** The wall screens' account: role display (live:read only, no idle timeout). */
const DISPLAY = { username: 'videowall-1', displayName: 'Video wall, sala operativa', roles: ['display'], password: 'videowall-password-e2e' }

let gemello: GemelloProcess
let browser: Browser
let context: BrowserContext
let wall: WallPage
let devices: MqttClient
let dataDir: string
let admin: string
let shotsDir: string
let cspViolations: () => Promise<string[]>
const extraContexts: BrowserContext[] = []

async function api<T>(route: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const r = await jsonCall<T>(gemello.url, admin, init.method ?? 'GET', route, init.body)
  if (r.status < 200 || r.status >= 300) throw new Error(`${route}: HTTP ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

let seq = 1
async function publish(kind: string, deviceId: string, stream: string, observedAt: number, values: Record<string, unknown>): Promise<void> {
  await devices.publishAsync(`gemello/v1/${kind}/${deviceId}/${stream}`, JSON.stringify({ seq: seq++, observedAt, values }), { qos: 1 })
}

/** A small deterministic wobble, so the seeded series are not flat lines. */
const wobble = (i: number, k: number) => Math.sin(i * 1.7 + k * 0.9) * 0.5 + 0.5

/**
 * Readings as field devices would send them: a few loops per district over the last six hours (two
 * congested now), the five air-quality stations over the last days (De Amicis above the NO₂ hourly
 * limit in the last hour), and every access point now (one degraded).
 */
async function seedCity(): Promise<void> {
  const now = Date.now()
  const loops = (await api<{ devices: Array<{ id: string }> }>('/api/devices?kind=traffic-loop&limit=1000')).devices
  const sample = loops.filter((_, i) => i % 36 === 0)
  for (const [i, loop] of sample.entries()) {
    for (let k = 6; k >= 0; k--) {
      const congested = k === 0 && i < 2
      const flowVehH = Math.round(300 + 900 * wobble(i, k))
      const speedKmh = congested ? 8 : Math.round(28 + 24 * wobble(i + 3, k))
      const occupancyPct = congested ? 46 : Math.round((4 + 14 * wobble(i + 5, k)) * 10) / 10
      await publish('traffic-loop', loop.id, 'traffic', now - k * HOUR - 30_000, { flowVehH, occupancyPct, speedKmh, intervalS: 60 })
    }
  }
  const stations = (await api<{ devices: Array<{ id: string }> }>('/api/devices?kind=air-quality')).devices
  const lastHour = Math.floor(now / HOUR) * HOUR - HOUR
  for (const [i, station] of stations.entries()) {
    for (let k = 23; k >= 0; k--) {
      const peak = station.id === 'aq-de-amicis' && k === 0
      await publish('air-quality', station.id, 'no2', lastHour - k * HOUR, { value: peak ? 236 : Math.round(22 + 40 * wobble(i, k)), unit: 'ug/m3', validity: 'valid', averagingS: 3600 })
      await publish('air-quality', station.id, 'o3', lastHour - k * HOUR, { value: Math.round(40 + 70 * wobble(i + 2, k)), unit: 'ug/m3', validity: 'valid', averagingS: 3600 })
    }
    for (let d = 6; d >= 0; d--) {
      await publish('air-quality', station.id, 'pm10', now - d * DAY - 60_000, { value: Math.round(18 + 26 * wobble(i + 1, d)), unit: 'ug/m3', validity: d === 0 ? 'provisional' : 'valid', averagingS: 86_400 })
    }
  }
  const points = (await api<{ devices: Array<{ id: string }> }>('/api/devices?kind=connectivity&limit=1000')).devices
  for (const [i, ap] of points.entries()) {
    await publish('connectivity', ap.id, 'link', now - 20_000, { status: i === 3 ? 'degraded' : 'up', connectedClients: Math.round(2 + 14 * wobble(i, 1)), rxKbps: 800 + i * 10, txKbps: 200 + i * 5 })
  }
}

beforeAll(async () => {
  dataDir = preparedDataDir('wall')
  shotsDir = process.env.TEST_LOG_DIR ? path.join(process.env.TEST_LOG_DIR, 'wall') : mkdtempSync(path.join(tmpdir(), 'gemello-wall-shots-'))
  mkdirSync(shotsDir, { recursive: true })
  console.log(`wall screenshots: ${shotsDir}`)
  // Fixed ports: the reconnection test restarts this process in place.
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  admin = await gemello.signIn()
  await api('/api/users', { method: 'POST', body: OPERATOR })
  await api('/api/users', { method: 'POST', body: DISPLAY })
  devices = await connectAsEachDevice(gemello.mqttUrl, dataDir, { protocolVersion: 4, clientId: `e2e-wall-${process.pid}`, reconnectPeriod: 500 })
  await seedCity()
  // An open incident, as an operator opens one (the wall lists it).
  const operator = await signIn(gemello.url, OPERATOR.username, OPERATOR.password)
  const created = await fetch(`${gemello.url}/api/incidents`, {
    method: 'POST',
    headers: { cookie: operator, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'road-works', title: 'Lavori Hera in via Irnerio, una corsia chiusa', priority: 'low', position: [11.3502, 44.4987], assignee: OPERATOR.username }),
  })
  expect(created.status).toBe(200)
  browser = await launchChromium()
  context = await browser.newContext({ viewport: WALL, deviceScaleFactor: 1 })
  const page = await context.newPage()
  wall = new WallPage(page, gemello.url)
  await wall.signIn(DISPLAY.username, DISPLAY.password)
  cspViolations = await watchCsp(page)
}, 300_000)

afterAll(async () => {
  await devices?.endAsync(true)
  for (const c of extraContexts) await c.close()
  await context?.close()
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the video wall at 3840×2160', () => {
  it('draws the control-room layout: tiles where the layout says, dark, none blank, every data age shown, text ≥ 28 px', async () => {
    await wall.open('control-room')
    const layout = await wall.layout()
    expect(layout.id).toBe('control-room')

    // Tiles where the layout puts them (the grid arithmetic of client/src/wall/grid-placement.ts).
    const grid = await wall.grid()
    expect(grid).toMatchObject({ width: WALL.width, height: WALL.height })
    const rects = await wall.tileRects()
    expect(Object.keys(rects).sort()).toEqual(layout.tiles.map((t) => t.id).sort())
    for (const tile of layout.tiles) {
      const want = tileRect(layout, tile, grid, grid.gapPx, grid.paddingPx)
      const got = rects[tile.id]!
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(got[k] - want[k]), `${tile.id}.${k}: ${got[k]} vs ${want[k]}`).toBeLessThanOrEqual(1.5)
    }

    // Every tile has data and says how old it is.
    const reports = await wall.tiles()
    for (const tile of layout.tiles) expect(reports[tile.id], tile.id).toMatchObject({ ready: true, ageState: 'fresh' })
    const ages = await wall.ages()
    for (const tile of layout.tiles) expect(ages[tile.id], tile.id).toMatch(/^data \d+ (sec|min) old$/)

    // Readable at 5 m: no visible text under 28 px on the 4K wall.
    const smallest = await wall.smallestText()
    expect(smallest.px, `"${smallest.text}" in ${smallest.tile}`).toBeGreaterThanOrEqual(28)

    // The picture: dark (ISA-101 greys), and no tile blank.
    const shot = await wall.screenshot(path.join(shotsDir, 'wall-control-room-3840x2160.png'))
    const stats = pngStats(shot)
    expect(stats).toMatchObject({ width: WALL.width, height: WALL.height })
    expect(stats.dominantLuma).toBeLessThan(50)
    for (const tile of layout.tiles) {
      // The body, below the title line: a tile whose body is one flat colour shows nothing.
      const s = pngStats(await wall.tile(tile.id).locator('.wall-tile-body').screenshot())
      expect(s.dominantShare, `${tile.id}: the body is one colour`).toBeLessThan(0.995)
      expect(s.colours, `${tile.id}: too few colours to hold anything`).toBeGreaterThan(6)
      expect(s.dominantLuma, `${tile.id}: not dark`).toBeLessThan(60)
    }
  })

  it('shows a gate fault published over MQTT within 2 s, with its priority in colour, shape and word', async () => {
    await wall.watchAlarm(SAN_FELICE)
    const publishedAt = Date.now()
    await publish('ztl-gate', SAN_FELICE, 'gate', publishedAt, { status: 'fault', intervalS: 300, vehicles: 0 })
    const seenAt = await wall.alarmSeenAtMs(30_000)
    const latencyMs = seenAt - publishedAt
    console.log(`gate fault published → alarm on the wall: ${latencyMs} ms`)
    expect(latencyMs).toBeLessThanOrEqual(2000)

    const row = wall.alarmRow(SAN_FELICE).first()
    expect(await row.getAttribute('data-display')).toBe('unacknowledged')
    const text = await row.innerText()
    expect(text).toMatch(/MEDIUM/)
    expect(text).toMatch(/UNACK/)
    expect(text).toMatch(/San Felice/i)
    expect(await row.locator('.wall-priority.is-filled svg path').count()).toBe(1)
    // The gate's district card counts it at once, from the same push.
    await expect.poll(() => wall.page.locator('.wall-district[data-unacked]:not([data-unacked="0"])').count()).toBeGreaterThanOrEqual(1)
    await wall.screenshot(path.join(shotsDir, 'wall-alarm.png'))
  })

  it('says DISCONNECTED when the server stops, and recovers by itself with the alarm still listed', async () => {
    await gemello.stop()
    await wall.waitConnection('offline', 30_000)
    expect(await wall.bannerText()).toMatch(/DISCONNECTED — data frozen/)
    await expect.poll(async () => (await wall.tiles()).alarms?.ageState, { timeout: 15_000 }).toBe('stale')
    expect(await wall.tile('alarms').locator('.wall-age').innerText()).toMatch(/STALE/)
    await wall.screenshot(path.join(shotsDir, 'wall-disconnected.png'))

    await gemello.start()
    await wall.waitConnection('live', 60_000)
    await wall.waitAllFresh(90_000)
    expect(await wall.bannerText()).toBe('')
    await wall.alarmRow(SAN_FELICE).first().waitFor({ timeout: 15_000 })
  })

  it('follows an operator’s push on every wall screen: the map flies there and says who pushed what', async () => {
    // A second wall screen, smaller, with another layout: both follow the same socket events.
    const secondContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    extraContexts.push(secondContext)
    const second = new WallPage(await secondContext.newPage(), gemello.url)
    await second.signIn(DISPLAY.username, DISPLAY.password)
    await second.open('mobility')

    const operatorContext = await browser.newContext({ viewport: { width: 1600, height: 900 } })
    extraContexts.push(operatorContext)
    const operator = new ControlRoomPage(await operatorContext.newPage(), gemello.url)
    await operator.signIn(OPERATOR.username, OPERATOR.password)
    await operator.open()
    await operator.openAlarms()
    await operator.waitAlarm(SAN_FELICE)
    await operator.select(SAN_FELICE)

    expect(await wall.page.evaluate(() => window.__gemelloWall!.focus())).toBeNull()
    await operator.detail().getByRole('button', { name: /^Push to wall$/ }).click()

    const gate = await api<{ position: [number, number] }>(`/api/devices/${SAN_FELICE}`)
    for (const screen of [wall, second]) {
      const card = screen.focusCard()
      await card.waitFor({ timeout: 20_000 })
      const text = await card.innerText()
      expect(text).toMatch(new RegExp(`PUSHED TO THE WALL by ${OPERATOR.username}`))
      expect(text).toMatch(/San Felice/i)
      expect(await card.getAttribute('data-focus-target')).toMatch(/^alarm:\d+$/)
      const mapTile = (await screen.layout()).tiles.find((t) => t.type === 'map')!.id
      // The map flies to the gate (the operator's screen sent the alarm's position) at street zoom.
      await screen.page.waitForFunction(
        ({ id, at }) => {
          const v = window.__gemelloWall!.views()[id]
          return v !== undefined && Math.abs(v.center[0] - at[0]) < 1e-4 && Math.abs(v.center[1] - at[1]) < 1e-4 && v.zoom > 16.5
        },
        { id: mapTile, at: gate.position },
        { timeout: 15_000, polling: 200 },
      )
    }
    // The pushed alarm is marked in the list.
    await wall.page.locator(`.wall-alarm.is-focused[data-device-id="${SAN_FELICE}"]`).waitFor({ timeout: 5000 })
    await wall.waitReady(30_000)
    await wall.screenshot(path.join(shotsDir, 'wall-push.png'))
    await second.screenshot(path.join(shotsDir, 'wall-mobility-1920x1080-push.png'))
    // Three browsers drawing maps in software (SwiftShader) on two cores: minutes on a busy CI machine.
    // The test is about what the walls show, not how fast (the 2 s figure is the gate-fault test's).
  }, 300_000)

  it('breaks no rule of the Content Security Policy', async () => {
    expect(await cspViolations()).toEqual([])
  })
})
