import type { Locator, Page } from 'playwright-core'
import { MenuPanelPage } from './menu-panel-page'

type LonLat = [number, number]

/**
 * Page object of the census editor (issue 8): the collections, a collection's features, a feature's
 * form, geometry (drawn and dragged on the map with terra-draw), history, diff and conflict view.
 * The map is driven through window.__gemello (view, project, renderedFeatures) and real mouse events.
 */
export class CensusEditorPage extends MenuPanelPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, 90_000)
  }

  /** The live map ready, then the control-room menu's "Infrastructure census". */
  open(query = 'lang=en'): Promise<void> {
    return this.openFromMenu(query, /Infrastructure census|Censimento/, 'census-collections')
  }

  /** A link as the OGC API's HTML pages give it: `/?census=<collection>/<id>`. */
  async openLink(collection: string, id: number, query = 'lang=en'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?${query}&census=${collection}/${id}`)
    await this.waitMapReady()
    await this.editor(id).waitFor()
  }

  async openCollection(id: string): Promise<void> {
    await this.page.getByTestId(`census-collection-${id}`).getByRole('button').click()
    await this.page.locator(`[data-testid="census-collection"][data-collection="${id}"]`).waitFor()
  }

  /** Centres the map and waits until it has drawn (and the census list followed the view). */
  async view([lon, lat]: LonLat, zoom: number): Promise<void> {
    await this.page.evaluate(([x, y, z]) => window.__gemello!.view(x!, y!, z!), [lon, lat, zoom] as const)
  }

  private project([lon, lat]: LonLat): Promise<[number, number]> {
    return this.page.evaluate(([x, y]) => window.__gemello!.project(x!, y!), [lon, lat] as const)
  }

  async clickMap(at: LonLat): Promise<void> {
    const [x, y] = await this.project(at)
    await this.page.mouse.click(x, y)
  }

  /** Presses on a position, drags in small steps and releases on another (terra-draw's drag). */
  async dragMap(from: LonLat, to: LonLat): Promise<void> {
    const [x0, y0] = await this.project(from)
    const [x1, y1] = await this.project(to)
    await this.page.mouse.move(x0, y0)
    await this.page.mouse.down()
    await this.page.mouse.move(x0 + (x1 - x0) * 0.1, y0 + (y1 - y0) * 0.1, { steps: 3 })
    await this.page.mouse.move(x1, y1, { steps: 12 })
    await this.page.mouse.up()
  }

  /** Waits until terra-draw draws its points (the one drawn, or the one selected for moving). */
  async waitDrawnPoint(): Promise<void> {
    await this.page.waitForFunction(() => window.__gemello!.renderedFeatures('census-draw-point').length > 0, undefined, { timeout: 15_000, polling: 100 })
  }

  async newFeature(): Promise<void> {
    await this.page.getByTestId('census-new').click()
    await this.drawing('draw')
  }

  /** What terra-draw does now, as the geometry section shows it. */
  async drawing(state: 'idle' | 'draw' | 'edit'): Promise<void> {
    await this.page.locator(`[data-testid="census-geometry"][data-drawing="${state}"]`).waitFor({ timeout: 15_000 })
  }

  featureRow(id: number): Locator {
    return this.page.getByTestId(`census-feature-${id}`)
  }

  editor(id?: number): Locator {
    return id === undefined ? this.page.getByTestId('census-editor') : this.page.locator(`[data-testid="census-editor"][data-id="${id}"]`)
  }

  async editorId(): Promise<number> {
    return Number(await this.editor().getAttribute('data-id'))
  }

  async waitVersion(v: number, timeout = 15_000): Promise<void> {
    await this.page.locator(`[data-testid="census-editor"][data-version="${v}"]:not([data-dirty])`).waitFor({ timeout })
  }

  field(name: string): Locator {
    return this.page.getByTestId(`census-field-${name}`)
  }

  fieldError(name: string): Locator {
    return this.page.getByTestId(`census-error-${name}`)
  }

  async fill(name: string, value: string): Promise<void> {
    const f = this.field(name)
    if ((await f.evaluate((el) => el.tagName)) === 'SELECT') await f.selectOption(value)
    else await f.fill(value)
  }

  async save(note?: string): Promise<void> {
    if (note !== undefined) await this.page.getByTestId('census-note').fill(note)
    await this.page.getByTestId('census-save').click()
  }

  back(): Locator {
    return this.page.getByTestId('census-back')
  }

  tab(name: 'attributes' | 'history'): Locator {
    return this.page.getByTestId(`census-tab-${name}`)
  }

  versionRow(v: number): Locator {
    return this.page.getByTestId(`census-version-${v}`)
  }

  diff(): Locator {
    return this.page.getByTestId('census-diff')
  }

  conflict(): Locator {
    return this.page.getByTestId('census-conflict')
  }

  conflictTheirs(name: string): Locator {
    return this.page.getByTestId(`census-conflict-theirs-${name}`)
  }

  message(): Locator {
    return this.page.getByTestId('census-message')
  }

  /** How many controls that change the census the page shows enabled. */
  async enabledWriteControls(): Promise<number> {
    return this.page.locator('[data-testid="census-new"]:enabled, [data-testid="census-save"], [data-testid="census-delete"], [data-testid="census-import-open"]:enabled, [data-testid^="census-pick-"]').count()
  }
}
