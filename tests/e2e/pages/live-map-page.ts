import type { Page } from 'playwright-core'
import type { DeviceWithState } from '../../../contracts/api'

type Counts = { devices: number; states: number; byKind: Record<string, number> }

/** Page object of the live map: what an operator sees and does, through the DOM and window.__gemello. */
export class LiveMapPage {
  readonly requests: string[] = []
  constructor(private readonly page: Page, private readonly baseUrl: string) {
    page.on('request', (r) => this.requests.push(r.url()))
  }

  async open(query = 'lang=en'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?${query}`)
    await this.waitReady()
  }

  async waitReady(timeout = 90_000): Promise<void> {
    await this.page.waitForFunction(() => window.__gemello?.ready === true, undefined, { timeout, polling: 200 })
  }

  counts(): Promise<Counts> {
    return this.page.evaluate(() => window.__gemello!.counts())
  }
  connection(): Promise<string> {
    return this.page.evaluate(() => window.__gemello!.connection())
  }
  cursor(): Promise<{ epoch: string; seq: number } | null> {
    return this.page.evaluate(() => window.__gemello!.cursor())
  }

  async waitFor<T>(fn: () => T, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction(fn, undefined, { timeout, polling: 100 })
  }

  async waitConnection(status: string, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction((s) => window.__gemello?.connection() === s, status, { timeout, polling: 100 })
  }

  private project(position: [number, number]): Promise<[number, number]> {
    return this.page.evaluate(([lon, lat]) => window.__gemello!.project(lon!, lat!), position)
  }

  /** Centres the map on a device, then clicks where it is drawn: deck.gl picking, as an operator would. */
  async clickDevice(id: string): Promise<void> {
    // From the page, with its session (the API needs a signed-in user).
    const device = (await this.page.evaluate(async (deviceId) => (await fetch(`/api/devices/${encodeURIComponent(deviceId)}`)).json(), id)) as DeviceWithState
    await this.page.evaluate(() => window.__gemello!.select(null))
    await this.page.evaluate(([lon, lat]) => window.__gemello!.view(lon!, lat!, 18), device.position)
    // Panning re-subscribes for the new area: wait until the device is there and drawn.
    await this.page.waitForFunction((want) => window.__gemello!.hasDevice(want), id, { timeout: 15_000, polling: 100 })
    await this.page.evaluate(([lon, lat]) => window.__gemello!.view(lon!, lat!, 18), device.position)
    const [x, y] = await this.project(device.position)
    await this.page.mouse.click(x, y)
    await this.page.waitForFunction((want) => window.__gemello!.selected() === want, id, { timeout: 10_000 })
  }

  async closeSheets(): Promise<void> {
    for (const button of await this.page.locator('.side-sheet-header button').all()) await button.click()
  }

  /** The live-values section of the open device panel. */
  liveValuesText(): Promise<string> {
    return this.page.locator('section[aria-labelledby="device-live"]').innerText()
  }

  statusBarText(): Promise<string> {
    return this.page.locator('header.status-bar').innerText()
  }

  /** Opens the quarantine list and returns its text once its entries have loaded. */
  async openQuarantine(expect: RegExp): Promise<string> {
    await this.page.locator('header.status-bar button.quarantine-button').click()
    const sheet = this.page.locator('.side-sheet').last()
    await sheet.getByText(expect).first().waitFor({ timeout: 15_000 })
    return sheet.innerText()
  }

  async openAbout(): Promise<string> {
    await this.page.getByRole('button', { name: /About/i }).click()
    return this.page.locator('.side-sheet').last().innerText()
  }

  screenshot(file: string): Promise<Buffer> {
    return this.page.screenshot({ path: file })
  }
}
