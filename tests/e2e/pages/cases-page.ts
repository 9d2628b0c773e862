import type { Locator, Page } from 'playwright-core'
import { MenuPanelPage } from './menu-panel-page'

type LonLat = [number, number]

/**
 * Page object of the offices' citizen cases (issue 10): the panel opened from the control-room menu,
 * its filters and list, one case with its actions, and the case points on the map (driven through
 * window.__gemello and real mouse events).
 */
export class CasesPage extends MenuPanelPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, 120_000)
  }

  open(query = 'lang=en'): Promise<void> {
    return this.openFromMenu(query, /Citizen cases|Segnalazioni dei cittadini/, 'case-filters')
  }

  row(id: number): Locator {
    return this.page.locator(`.case-row[data-case-id="${id}"]`)
  }

  detail(id: number): Locator {
    return this.page.locator(`.case-detail[data-case-id="${id}"]`)
  }

  async openCase(id: number): Promise<void> {
    await this.row(id).click()
    await this.detail(id).waitFor()
  }

  async filterState(state: string): Promise<void> {
    await this.page.locator('select[name="case-state"]').selectOption(state)
  }

  /** Chooses a status, writes the note for the citizen and sends; resolves when the case shows the new version. */
  async setStatus(id: number, status: string, note: string): Promise<void> {
    const d = this.detail(id)
    const before = Number(await d.getAttribute('data-version'))
    await d.locator('select[name="case-status"]').selectOption(status)
    await d.locator('textarea[name="case-status-note"]').fill(note)
    await d.getByRole('button', { name: /Change the status|Cambia lo stato/ }).click()
    await this.page.locator(`.case-detail[data-case-id="${id}"][data-version="${before + 1}"]`).waitFor()
  }

  async assign(id: number, username: string): Promise<void> {
    const d = this.detail(id)
    const before = Number(await d.getAttribute('data-version'))
    await d.locator('input[name="case-assignee"]').fill(username)
    await d.getByRole('button', { name: /^Save$|^Salva$/ }).click()
    await this.page.locator(`.case-detail[data-case-id="${id}"][data-version="${before + 1}"]`).waitFor()
  }

  async view([lon, lat]: LonLat, zoom: number): Promise<void> {
    await this.page.evaluate(([x, y, z]) => window.__gemello!.view(x!, y!, z!), [lon, lat, zoom] as const)
  }

  async clickMap([lon, lat]: LonLat): Promise<void> {
    const [x, y] = await this.page.evaluate(([a, b]) => window.__gemello!.project(a!, b!), [lon, lat] as const)
    await this.page.mouse.click(x, y)
  }

  /**
   * Clicks a case's point until its case opens: the point is drawn once the layer's GeoJSON arrived
   * and deck.gl rendered it (the layer panel's count says it is there; the click is retried while the
   * first frame with it is being drawn).
   */
  async clickCaseOnMap(at: LonLat, id: number): Promise<void> {
    await this.page.locator('.layer-counts', { hasText: /\d+ open|\d+ aperte/ }).first().waitFor()
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.clickMap(at)
      try {
        await this.detail(id).waitFor({ timeout: 1_500 })
        return
      } catch {
        // not drawn yet: click again
      }
    }
    throw new Error(`case #${id}'s point did not open the case`)
  }
}
