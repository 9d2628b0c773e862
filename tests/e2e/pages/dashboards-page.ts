/**
 * Page object of the public dashboards (/cittadini/cruscotti and /cittadini/cruscotti/<id>): the list's
 * cards, a dashboard's choropleths (level and measure switches, areas, tooltip, selection), charts,
 * exports, a panel's embed code and sources — driven by roles, labels and test ids — and the axe-core check of the citizen
 * pages (CitizenPage.axe).
 */
import { readFileSync } from 'node:fs'
import type { Frame, Locator, Page } from 'playwright-core'
import { CitizenPage, type AxeViolation } from './citizen-page'

export class DashboardsPage {
  private readonly citizen: CitizenPage

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    this.citizen = new CitizenPage(page, baseUrl)
  }

  /** Opens a citizen page by its address, in a language (the address may carry its own query). */
  async open(path: string, lang = 'it'): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`)
    await this.page.locator('main#main h1').waitFor()
  }

  axe(): Promise<AxeViolation[]> {
    return this.citizen.axe()
  }

  /** Follows the header menu's item to the list; resolves once the cards are shown. */
  async followMenu(name: string | RegExp): Promise<void> {
    await this.page.getByRole('navigation', { name: /Menu principale|Main menu/ }).getByRole('link', { name }).click()
    await this.page.waitForURL(/\/cittadini\/cruscotti(\?.*)?$/)
    await this.page.getByTestId('dashboard-themes').waitFor()
  }

  /** The ids of the cards in a section of the list. */
  async listed(section: 'themes' | 'datasets'): Promise<string[]> {
    return this.page.locator(`[data-testid="dashboard-${section}"] [data-dashboard-id]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-dashboard-id') ?? ''))
  }

  /** Opens a dashboard from its card; resolves once it is drawn. */
  async openFromList(id: string): Promise<void> {
    await this.page.locator(`[data-dashboard-id="${id}"] .card-title a`).click()
    await this.page.waitForURL(new RegExp(`/cittadini/cruscotti/${id}(\\?.*)?$`))
    await this.ready(id)
  }

  /** Waits for a dashboard to be drawn with its latest answer. */
  async ready(id: string, where: Page | Frame = this.page): Promise<void> {
    await where.locator(`[data-testid="dashboard"][data-dashboard-id="${id}"][data-state="ready"]`).waitFor({ timeout: 60_000 })
  }

  panel(id: string, where: Page | Frame = this.page): Locator {
    return where.locator(`section[data-panel-id="${id}"]`)
  }

  /** A choropleth's map once its areas are drawn, at a level when given. */
  async map(panelId: string, level?: string, where: Page | Frame = this.page): Promise<Locator> {
    const map = this.panel(panelId, where).locator(`svg[data-testid="choropleth-map"][data-state="ready"]${level ? `[data-level="${level}"]` : ''}`)
    await map.waitFor({ timeout: 60_000 })
    return map
  }

  async switchLevel(panelId: string, name: string | RegExp): Promise<void> {
    await this.panel(panelId).getByRole('group', { name: /Livello delle aree|Level of the areas/ }).getByRole('button', { name }).click()
  }

  async switchMeasure(panelId: string, label: string): Promise<void> {
    await this.panel(panelId).getByLabel(/^(Misura|Measure)$/).selectOption({ label })
  }

  area(panelId: string, areaId: string): Locator {
    return this.panel(panelId).locator(`path[data-area-id="${areaId}"]`)
  }

  tooltip(panelId: string): Locator {
    return this.panel(panelId).getByTestId('choropleth-tooltip')
  }

  /** Clicks one of a panel's export buttons; resolves with the file's name and bytes. */
  async export(panelId: string, kind: 'csv' | 'png'): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.panel(panelId).getByTestId(`export-${kind}`).click()])
    const path = await download.path()
    return { name: download.suggestedFilename(), bytes: readFileSync(path) }
  }

  /** Opens a panel's "Embed" action; resolves with the <iframe> code it shows. */
  async embedCode(panelId: string): Promise<string> {
    await this.panel(panelId).getByTestId('panel-embed').click()
    return this.panel(panelId).getByTestId('panel-embed-code').inputValue()
  }

  /** The labels of a chart's reference lines. */
  async references(panelId: string): Promise<string[]> {
    return this.panel(panelId).locator('[data-testid="chart-reference"] text').allTextContents()
  }
}
