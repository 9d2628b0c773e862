import type { Page } from 'playwright-core'
import { signInThroughApi } from './sign-in'

/**
 * What the page objects of a panel opened from the control-room menu over the live map share (the
 * census editor, the scenario explorer): sign-in, waiting for the map, opening the panel from the menu.
 * Confirmations (delete, "discard the unsaved changes?") are accepted.
 */
export abstract class MenuPanelPage {
  constructor(
    readonly page: Page,
    protected readonly baseUrl: string,
    private readonly mapReadyTimeoutMs: number,
  ) {
    page.on('dialog', (d) => void d.accept())
  }

  signIn(username: string, password: string): Promise<void> {
    return signInThroughApi(this.page, this.baseUrl, username, password)
  }

  async waitMapReady(): Promise<void> {
    await this.page.waitForFunction(() => window.__gemello?.ready === true, undefined, { timeout: this.mapReadyTimeoutMs, polling: 200 })
  }

  /** The live map ready, then the menu item named `item`; resolves when `readyTestId` is on the page. */
  protected async openFromMenu(query: string, item: RegExp, readyTestId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?${query}`)
    await this.waitMapReady()
    await this.page.locator('.cr-menu > button').click()
    await this.page.locator('.cr-menu-item', { hasText: item }).click()
    await this.page.getByTestId(readyTestId).waitFor()
  }
}
