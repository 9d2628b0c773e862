/**
 * `npm run bench:boot` — time from starting Gemello (embedded mode, as `npm start` runs it, on the
 * Bologna data) to a live map in Chromium: process start → "Gemello is live" → page ready
 * (base map drawn, snapshot applied, device layers drawn, window.__gemello.ready). Twice: on an
 * empty DATA_DIR (first run: database created, PostGIS installed, city imported) and again on the
 * same DATA_DIR (every later start). Prints figures; never pass/fail.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { launchChromium } from '../tests/e2e/browser'
import { GemelloProcess, freePort } from '../tests/helpers/gemello-process'

async function once(gemello: GemelloProcess, label: string): Promise<void> {
  const t0 = Date.now()
  await gemello.start()
  const live = Date.now()
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } })
  // Signed in as a returning operator would be (the cookie the sign-in form sets): the bench times the map, not the typing.
  await gemello.signInPage(page)
  await page.goto(`${gemello.url}/?lang=en`)
  await page.waitForFunction(() => window.__gemello?.ready === true, undefined, { timeout: 120_000, polling: 100 })
  const ready = Date.now()
  const counts = await page.evaluate(() => window.__gemello!.counts())
  await browser.close()
  await gemello.stop()
  console.log(`${label.padEnd(28)} server live ${((live - t0) / 1000).toFixed(1)} s   live map ${((ready - t0) / 1000).toFixed(1)} s   (${counts.devices} devices, ${counts.states} live states)`)
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gemello-boot-'))
  const gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'on' })
  console.log(`Gemello boot benchmark — ${new Date().toISOString()} — embedded mode, Bologna data, simulator on`)
  try {
    await once(gemello, 'first start (empty DATA_DIR)')
    await once(gemello, 'second start')
    await once(gemello, 'third start')
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()
