/**
 * Page object of the open-data portal (/cittadini/dati and /cittadini/dati/<id>): the catalogue's
 * search, filters and result cards, a dataset's downloads, map or table preview and metadata — driven
 * by labels, roles and test ids — and the axe-core check of the citizen pages (CitizenPage.axe).
 */
import type { Page } from 'playwright-core'
import { CitizenPage, type AxeViolation } from './citizen-page'

export class OpenDataPortalPage {
  private readonly citizen: CitizenPage

  constructor(
    readonly page: Page,
    baseUrl: string,
  ) {
    this.citizen = new CitizenPage(page, baseUrl)
  }

  /** Opens a citizen page by its address, in a language. */
  open(path: string, lang = 'it'): Promise<void> {
    return this.citizen.open(path, lang)
  }

  axe(): Promise<AxeViolation[]> {
    return this.citizen.axe()
  }

  /** Follows the header menu's item to the catalogue; resolves once the results are shown. */
  async followMenu(name: string | RegExp): Promise<void> {
    await this.page.getByRole('navigation', { name: /Menu principale|Main menu/ }).getByRole('link', { name }).click()
    await this.page.waitForURL(/\/cittadini\/dati(\?.*)?$/)
    await this.page.getByTestId('opendata-count').waitFor()
  }

  async search(words: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: /Cerca nei dati aperti|Search the open data/ }).fill(words)
  }

  /** Ticks or unticks a filter checkbox by its label (theme or format). */
  async toggleFilter(label: RegExp): Promise<void> {
    await this.page.getByTestId('opendata-filters').locator('label', { hasText: label }).click()
  }

  async count(): Promise<string> {
    return (await this.page.getByTestId('opendata-count').innerText()).trim()
  }

  /** The ids of the datasets listed, in order. */
  async resultIds(): Promise<string[]> {
    return this.page.locator('[data-testid="opendata-results"] [data-dataset-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dataset-id') ?? ''))
  }

  async themesOf(id: string): Promise<string[]> {
    return this.page.locator(`[data-dataset-id="${id}"] [data-theme]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-theme') ?? ''))
  }

  /** Opens a dataset from its card; resolves once its page shows it. */
  async openDataset(id: string): Promise<void> {
    await this.page.locator(`[data-dataset-id="${id}"] .card-title a`).click()
    await this.page.waitForURL(new RegExp(`/cittadini/dati/${id}$`))
    await this.page.locator(`[data-testid="dataset"][data-dataset-id="${id}"]`).waitFor()
  }

  async title(): Promise<string> {
    return (await this.page.getByTestId('dataset-title').innerText()).trim()
  }

  async licenceIri(): Promise<{ text: string; href: string | null }> {
    const a = this.page.getByTestId('dataset-licence-iri')
    return { text: (await a.innerText()).trim(), href: await a.getAttribute('href') }
  }

  /** The preview map once its features are drawn: whether it has a canvas, and its text alternative. */
  async mapPreview(): Promise<{ canvas: boolean; alternative: string; features: number | null }> {
    const map = this.page.locator('[data-testid="dataset-map"][data-state="ready"]')
    await map.waitFor({ timeout: 60_000 })
    const alt = this.page.getByTestId('dataset-map-alt')
    const features = await alt.getAttribute('data-features')
    return { canvas: (await map.locator('canvas').count()) === 1, alternative: (await alt.innerText()).trim(), features: features === null ? null : Number(features) }
  }

  /** The address of a file's download link. */
  async downloadHref(format: 'csv' | 'geojson' | 'gpkg'): Promise<string> {
    const href = await this.page.getByTestId(`download-${format}`).getAttribute('href')
    if (!href) throw new Error(`no ${format} download link`)
    return href
  }

  /** The table preview once shown: its caption, header and rows. */
  async tablePreview(): Promise<{ caption: string; header: string[]; rows: string[][] }> {
    const table = this.page.getByTestId('dataset-table')
    await table.waitFor({ timeout: 60_000 })
    return {
      caption: (await table.locator('caption').innerText()).trim(),
      header: (await table.locator('thead th').allInnerTexts()).map((s) => s.trim()),
      rows: await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''))),
    }
  }

  async quality(): Promise<string> {
    return (await this.page.getByTestId('opendata-quality').innerText()).trim()
  }
}
