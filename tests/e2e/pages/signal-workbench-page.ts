import type { Locator, Page } from 'playwright-core'
import { signInThroughApi } from './sign-in'

/** Page object of the signal workbench (docs/signals.md): the controller list, the bar chart, the violations, the actions. */
export class SignalWorkbenchPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {
    // Deploy, switch and rollback ask for a confirmation.
    page.on('dialog', (d) => void d.accept())
  }

  /** Signs the page in through the sign-in API from one of Gemello's own pages. */
  signIn(username: string, password: string): Promise<void> {
    return signInThroughApi(this.page, this.baseUrl, username, password)
  }

  /** The live map, then the control-room menu's "Signal workbench". */
  async open(query = 'lang=en'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?${query}`)
    await this.page.waitForFunction(() => window.__gemello?.connection() === 'live', undefined, { timeout: 90_000, polling: 200 })
    await this.page.locator('.cr-menu > button').click()
    await this.page.locator('.cr-menu-item', { hasText: /Signal workbench|Banco semafori|semafor/i }).click()
    await this.page.getByTestId('signal-controller-list').waitFor()
  }

  controllerRow(id: string): Locator {
    return this.page.getByTestId(`signal-controller-${id}`)
  }

  async openController(id: string): Promise<void> {
    await this.controllerRow(id).locator('button').click()
    await this.page.locator(`[data-testid="signal-workbench-view"][data-controller="${id}"]`).waitFor()
    await this.page.getByTestId('signal-bar-chart').waitFor()
  }

  row(groupId: string): Locator {
    return this.page.getByTestId(`signal-row-${groupId}`)
  }

  cell(groupId: string, k: number): Locator {
    return this.page.getByTestId(`signal-cell-${groupId}-${k}`)
  }

  violations(): Locator {
    return this.page.getByTestId('signal-violation')
  }

  async rejects(): Promise<number> {
    return Number(await this.page.getByTestId('signal-violations').getAttribute('data-rejects'))
  }

  async setDuration(k: number, seconds: number): Promise<void> {
    const input = this.page.getByTestId(`signal-interval-duration-${k}`)
    await input.fill(String(seconds))
    await input.press('Enter')
  }

  cycle(): Promise<string> {
    return this.page.getByTestId('signal-cycle').innerText()
  }

  button(name: 'save' | 'validate' | 'approve' | 'deploy' | 'undo' | 'rollback'): Locator {
    return this.page.getByTestId(`signal-${name}`)
  }

  versionBadge(v: number): Locator {
    return this.page.getByTestId(`signal-version-badge-${v}`)
  }

  deploymentStatus(): Locator {
    return this.page.getByTestId('signal-deployment-status')
  }

  running(): Locator {
    return this.page.getByTestId('signal-running')
  }

  actionMessage(): Locator {
    return this.page.getByTestId('signal-action-message')
  }
}
