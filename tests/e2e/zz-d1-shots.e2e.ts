/* Temporary review script (not part of the suite): screenshots of every control-room panel. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { MqttClient } from 'mqtt'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, it } from 'vitest'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { connectAsEachDevice } from '../helpers/device-router'
import { ControlRoomPage } from './pages/control-room-page'

const OUT = '/tmp/d1/shots'
let gemello: GemelloProcess
let browser: Browser
let dataDir: string
let admin: string
let devices: MqttClient

async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${gemello.url}${route}`, { method, headers: { cookie: admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return (await res.json()) as T
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gemello-d1-'))
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  admin = await gemello.signIn()
  await api('POST', '/api/users', { username: 'operatore', displayName: 'Marco Rossi', roles: ['operator'], password: 'operator-password-e2e' })
  devices = await connectAsEachDevice(gemello.mqttUrl, dataDir, { protocolVersion: 4, clientId: `d1-${process.pid}`, reconnectPeriod: 500 })
})
afterAll(async () => {
  await devices?.endAsync(true)
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

it('shots', async () => {
  const gates = (await api<{ devices: Array<{ id: string }> }>('GET', '/api/devices?kind=ztl-gate&limit=14')).devices.map((d) => d.id)
  const links = (await api<{ devices: Array<{ id: string }> }>('GET', '/api/devices?kind=connectivity&limit=6')).devices.map((d) => d.id)
  for (const g of gates) await devices.publishAsync(`gemello/v1/ztl-gate/${g}/gate`, JSON.stringify({ seq: Date.now(), observedAt: Date.now(), values: { status: 'fault', intervalS: 300, vehicles: 3, unauthorized: 1 } }), { qos: 1 })
  for (const [i, l] of links.entries()) await devices.publishAsync(`gemello/v1/connectivity/${l}/link`, JSON.stringify({ seq: Date.now(), observedAt: Date.now(), values: { status: i < 3 ? 'down' : 'up', connectedClients: 10 + i, rxKbps: 100, txKbps: 50 } }), { qos: 1 })
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } })
  const page: Page = await context.newPage()
  const csp = await watchCsp(page)
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()) })
  const room = new ControlRoomPage(page, gemello.url)
  await room.signIn('operatore', 'operator-password-e2e')
  await room.open()
  await room.openAlarms()
  await page.locator('.flood-banner').waitFor({ timeout: 30_000 })
  await page.screenshot({ path: `${OUT}/01-flood.png` })
  const measure = () => page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth, parts: [...document.querySelectorAll('header.status-bar > *')].map((e) => `${e.className}:${Math.round(e.getBoundingClientRect().width)}`), cells: [...document.querySelectorAll('header.status-bar .status-cells > *, header.status-bar .status-actions > *')].map((e) => `${e.className}:${Math.round(e.getBoundingClientRect().width)}`) }))
  console.log('W1600', JSON.stringify(await measure()))
  await page.setViewportSize({ width: 1400, height: 900 })
  console.log('W1400', JSON.stringify(await measure()))
  await page.setViewportSize({ width: 1600, height: 900 })
  const porto = page.locator('.alarm-group', { hasText: 'Porto' })
  await porto.locator('.alarm-group-toggle').click()
  await page.screenshot({ path: `${OUT}/02-flood-open.png` })
  await porto.locator('.alarm-group-head button.text-button').click()
  await page.waitForTimeout(1500)
  await page.screenshot({ path: `${OUT}/03-flood-acked.png` })
  // Select first alarm, shelve form
  await page.locator('.alarm-group .alarm-row-main').first().click()
  await page.getByRole('button', { name: 'Shelve…' }).click()
  await page.getByRole('button', { name: 'Shelve', exact: true }).click()
  await page.screenshot({ path: `${OUT}/04-shelve-form.png` })
  await page.locator('textarea[name="shelve-reason"]').fill('Maintenance visit booked for 10:00')
  await page.getByRole('button', { name: 'Shelve', exact: true }).click()
  await page.waitForTimeout(1000)
  await page.getByRole('tab', { name: 'Shelved' }).click()
  await page.waitForTimeout(1000)
  await page.screenshot({ path: `${OUT}/05-shelved-tab.png` })
  await page.getByRole('tab', { name: /Alarm list/ }).click()
  // Incident from an alarm: no checkboxes in flood groups; use "New incident" via menu instead
  await page.getByRole('button', { name: /Control room/ }).click()
  await page.screenshot({ path: `${OUT}/06-menu.png` })
  await page.getByRole('button', { name: 'Incidents' }).click()
  await page.getByRole('button', { name: 'New incident', exact: true }).click()
  await page.locator('input[name="incident-title"]').fill('Gate fault at San Felice')
  await page.locator('input[name="incident-assignee"]').fill('Mario Rossi')
  await page.getByRole('button', { name: 'Open the incident' }).click()
  await page.screenshot({ path: `${OUT}/07-incident-error.png` })
  await page.locator('input[name="incident-assignee"]').fill('operatore')
  await page.getByRole('button', { name: 'Open the incident' }).click()
  await page.locator('.incident-detail').waitFor()
  await page.locator('textarea[name="incident-note"]').fill('Called the maintainer, ticket 4411')
  await page.getByRole('button', { name: 'Add the note' }).click()
  await page.waitForTimeout(800)
  // Conflict: change the incident behind the page's back (admin cannot: alarm:act) -> use operator API from page
  const id = Number(await page.locator('.incident-detail').getAttribute('data-incident-id'))
  await page.evaluate(async (i) => {
    const d = (await (await fetch(`/api/incidents/${i}`)).json()) as { incident: { version: number } }
    await fetch(`/api/incidents/${i}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: d.incident.version, title: 'Changed elsewhere' }) })
  }, id)
  await page.waitForTimeout(1500)
  await page.screenshot({ path: `${OUT}/08-incident-detail.png` })
  await page.getByRole('button', { name: 'Control room' }).click()
  await page.getByRole('button', { name: 'Alarm KPIs' }).click()
  await page.locator('.kpi-cards').waitFor()
  await page.screenshot({ path: `${OUT}/09-kpi.png` })
  await page.getByRole('button', { name: 'Control room' }).click()
  await page.getByRole('button', { name: 'Shift log' }).click()
  await page.getByLabel('Hand-over note').check()
  await page.locator('textarea[name="shift-log-text"]').fill('Quiet night; 14 gates reported faults at 05:30 (flood), grouped and acknowledged.')
  await page.locator('textarea[name="shift-log-open-items"]').fill('Follow ticket 4411 with the gate maintainer.')
  await page.getByRole('button', { name: 'Write in the log' }).click()
  await page.waitForTimeout(800)
  await page.screenshot({ path: `${OUT}/10-shift-log.png` })
  await page.getByRole('button', { name: 'Control room' }).click()
  await page.getByRole('button', { name: 'Cameras' }).click()
  await page.locator('.camera-table').waitFor()
  await page.locator('.camera-table .link-button').first().click()
  await page.screenshot({ path: `${OUT}/11-cameras-operator.png` })
  await page.getByRole('button', { name: 'Control room' }).click()
  await page.getByRole('button', { name: 'Connectivity' }).click()
  await page.locator('.connectivity-table').waitFor()
  await page.screenshot({ path: `${OUT}/12-connectivity.png` })
  // Italian
  await page.goto(`${gemello.url}/?lang=it`)
  await page.waitForFunction(() => window.__gemello?.connection() === 'live', undefined, { timeout: 90_000 })
  await page.locator('.alarm-summary').click()
  await page.locator('.alarm-row-main').first().waitFor().catch(() => {})
  await page.locator('.alarm-group-toggle').first().click().catch(() => {})
  await page.locator('.alarm-row-main').first().click().catch(() => {})
  await page.waitForTimeout(800)
  await page.screenshot({ path: `${OUT}/13-italian.png` })
  console.log('CSP', await csp())
  // Admin cameras
  const ctx2 = await browser.newContext({ viewport: { width: 1600, height: 900 } })
  const p2 = await ctx2.newPage()
  await gemello.signInPage(p2)
  await p2.goto(`${gemello.url}/?lang=en`)
  await p2.waitForFunction(() => window.__gemello?.connection() === 'live', undefined, { timeout: 90_000 })
  await p2.getByRole('button', { name: 'Control room' }).click()
  await p2.getByRole('button', { name: 'Cameras' }).click()
  await p2.locator('.camera-table .link-button').first().click()
  await p2.locator('input[name="camera-retentionDays"]').fill('30')
  await p2.locator('textarea[name="camera-purpose"]').fill('ZTL access enforcement, Codice della Strada art. 7')
  await p2.locator('input[name="camera-streamUrl"]').fill('http://cam.example/live')
  await p2.getByRole('button', { name: 'Save the record' }).click()
  await p2.waitForTimeout(500)
  await p2.screenshot({ path: `${OUT}/14-cameras-admin.png` })
  await ctx2.close()
  await context.close()
}, 240_000)
