import type { Locator, Page } from 'playwright-core'
import { MenuPanelPage } from './menu-panel-page'

type LonLat = [number, number]

/**
 * Page object of the PMO portfolio sheet (issue 11): the overview opened from the control-room menu,
 * a project with its Gantt chart and the PMO's edits, the "New project" form, the report link, and the
 * projects' sites on the map (driven through window.__gemello and real mouse events).
 */
export class PmoPanelPage extends MenuPanelPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, 120_000)
  }

  /** The sheet from the menu; resolves when the overview is there (a load failure is thrown with its message). */
  async open(query = 'lang=en'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?${query}`)
    await this.waitMapReady()
    await this.page.locator('.cr-menu > button').click()
    await this.page.locator('.cr-menu-item', { hasText: /PMO portfolio|Portafoglio PMO/ }).click()
    const failed = this.page.locator('.pmo-panel [role="alert"]')
    await this.page.getByTestId('pmo-overview').or(failed).first().waitFor()
    if (await failed.count()) throw new Error(`the portfolio did not load: ${await failed.first().innerText()}`)
  }

  row(id: string): Locator {
    return this.page.locator(`.pmo-project-row[data-project-id="${id}"]`)
  }

  project(id: string): Locator {
    return this.page.locator(`.pmo-project[data-project-id="${id}"]`)
  }

  async version(id: string): Promise<number> {
    return Number(await this.project(id).getAttribute('data-version'))
  }

  async openProject(id: string): Promise<void> {
    await this.row(id).click()
    await this.project(id).waitFor()
  }

  async backToPortfolio(): Promise<void> {
    await this.page.getByRole('button', { name: /Back to the portfolio|Torna al portafoglio/ }).click()
    await this.page.getByTestId('pmo-overview').waitFor()
  }

  /** The project's health as the header shows it (on_track, at_risk, …). */
  health(id: string): Promise<string | null> {
    return this.project(id).locator('.pmo-row-head .pmo-health').getAttribute('data-health')
  }

  /** Fills the "New project" form and creates; resolves when the new project is open. */
  async createProject(f: { id: string; line: string; title: string; status: string; startDate: string; endDate: string; source: string; amount: string }): Promise<void> {
    await this.page.getByRole('button', { name: /^New project$|^Nuovo progetto$/ }).click()
    const form = this.page.getByTestId('pmo-new-project')
    await form.locator('input[name="pmo-new-id"]').fill(f.id)
    await form.locator('select[name="pmo-new-line"]').selectOption(f.line)
    await form.locator('input[name="pmo-new-title"]').fill(f.title)
    await form.locator('select[name="pmo-new-status"]').selectOption(f.status)
    await form.locator('input[name="pmo-new-startDate"]').fill(f.startDate)
    await form.locator('input[name="pmo-new-endDate"]').fill(f.endDate)
    await form.locator('input[name="pmo-new-fundingSource"]').fill(f.source)
    await form.locator('input[name="pmo-new-fundingEuros"]').fill(f.amount)
    await form.getByRole('button', { name: /Create the project|Crea il progetto/ }).click()
    const problems = form.locator('.field-error, [role="alert"]')
    await this.project(f.id).or(problems).first().waitFor()
    if (await problems.count()) throw new Error(`the project was not created: ${(await problems.allInnerTexts()).join(' | ')}`)
  }

  /** Marks a milestone reached today (the date the form proposes); resolves when the next version is shown. */
  async markMilestoneDone(id: string, key: string): Promise<void> {
    const before = await this.version(id)
    await this.project(id).locator(`button[name="milestone-done-${key}"]`).click()
    await this.page.locator(`.pmo-project[data-project-id="${id}"][data-version="${before + 1}"]`).waitFor()
  }

  async view([lon, lat]: LonLat, zoom: number): Promise<void> {
    await this.page.evaluate(([x, y, z]) => window.__gemello!.view(x!, y!, z!), [lon, lat, zoom] as const)
  }

  async clickMap([lon, lat]: LonLat): Promise<void> {
    const [x, y] = await this.page.evaluate(([a, b]) => window.__gemello!.project(a!, b!), [lon, lat] as const)
    await this.page.mouse.click(x, y)
  }

  /**
   * Clicks a project's site until its project opens: the site is drawn once the layer's GeoJSON
   * arrived (the layer panel counts it) and deck.gl rendered it; the click is retried meanwhile.
   */
  async clickSiteOnMap(at: LonLat, id: string): Promise<void> {
    await this.page.locator('.layer-counts', { hasText: /[1-9]\d* (site|sit[oi])/ }).first().waitFor()
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.clickMap(at)
      try {
        await this.project(id).waitFor({ timeout: 1_500 })
        return
      } catch {
        // not drawn yet: click again
      }
    }
    throw new Error(`the site of ${id} did not open its project`)
  }

  /** The report link's address and what fetching it (with the page's session) answers. */
  async fetchReport(): Promise<{ href: string; status: number; contentType: string | null; head: string }> {
    const href = (await this.page.getByTestId('pmo-report').getAttribute('href')) ?? ''
    const r = await this.page.evaluate(async (url) => {
      const res = await fetch(url)
      const bytes = new Uint8Array(await res.arrayBuffer())
      return { status: res.status, contentType: res.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) }
    }, href)
    return { href, ...r }
  }

  screenshot(path: string): Promise<Buffer> {
    return this.page.screenshot({ path })
  }
}
