import type { Locator, Page } from 'playwright-core'
import { signInThroughApi } from './sign-in'

/** Page object of the operator's control-room panels on the live map page: the alarm list, its detail, its actions. */
export class ControlRoomPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** Signs the page in through the sign-in API from one of Gemello's own pages (the form is tests/e2e/access.e2e.ts's). */
  signIn(username: string, password: string): Promise<void> {
    return signInThroughApi(this.page, this.baseUrl, username, password)
  }

  /** Opens the live map and waits for the live connection (the alarm list is fetched at every connection). */
  async open(query = 'lang=en'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?${query}`)
    await this.page.waitForFunction(() => window.__gemello?.connection() === 'live', undefined, { timeout: 90_000, polling: 200 })
  }

  /** The status bar's alarm cell (a button opening the list). */
  summary(): Locator {
    return this.page.locator('header.status-bar .alarm-summary')
  }

  async openAlarms(): Promise<void> {
    await this.summary().click()
    await this.panel().waitFor()
  }

  panel(): Locator {
    return this.page.locator('aside.alarm-panel')
  }

  row(deviceId: string): Locator {
    return this.panel().locator(`.alarm-list .alarm-row[data-device-id="${deviceId}"]`)
  }

  async waitAlarm(deviceId: string, timeout = 30_000): Promise<void> {
    await this.row(deviceId).first().waitFor({ timeout })
  }

  rowState(deviceId: string): Promise<string> {
    return this.row(deviceId).first().locator('.alarm-state').innerText()
  }

  ackButton(deviceId: string): Locator {
    return this.row(deviceId).first().getByRole('button', { name: /^Acknowledge/ })
  }

  async select(deviceId: string): Promise<void> {
    await this.row(deviceId).first().locator('.alarm-row-main').click()
    await this.detail().waitFor()
  }

  detail(): Locator {
    return this.panel().locator('.alarm-detail')
  }

  alarmId(deviceId: string): Promise<number> {
    return this.row(deviceId).first().getAttribute('data-alarm-id').then(Number)
  }

  screenshot(file: string): Promise<Buffer> {
    return this.page.screenshot({ path: file })
  }
}
