import type { Locator, Page } from 'playwright-core'
import type { GemelloScenarioTestApi, ScenarioTestView } from '../../../client/src/app/test-hook-scenario'
import type { GemelloTestApi } from '../../../client/src/app/test-hook'
import { pngPixelsNear } from '../png-pixels'
import { MenuPanelPage } from './menu-panel-page'

type LonLat = [number, number]
type Api = GemelloTestApi & GemelloScenarioTestApi & { ready3d?: boolean }

/**
 * Page object of the scenario explorer (issue 9): the list, a new scenario, the edits (streets picked
 * on the map), the compare view (KPI cards, fit badge, time slider, compare modes) and the briefing.
 * The maps are driven through window.__gemello (view, project, the scenario test API) and real
 * mouse and keyboard events.
 */
export class ScenarioExplorerPage extends MenuPanelPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl, 120_000)
  }

  /** The live map ready, then the control-room menu's "Scenario explorer". */
  open(query = 'lang=en'): Promise<void> {
    return this.openFromMenu(query, /Scenario explorer|Esploratore di scenari/, 'scenario-list')
  }

  async view([lon, lat]: LonLat, zoom: number): Promise<void> {
    await this.page.evaluate(([x, y, z]) => window.__gemello!.view(x!, y!, z!), [lon, lat, zoom] as const)
  }

  async clickMap([lon, lat]: LonLat): Promise<void> {
    const [x, y] = await this.page.evaluate(([a, b]) => window.__gemello!.project(a!, b!), [lon, lat] as const)
    await this.page.mouse.click(x, y)
  }

  /** New scenario → title, observed base → Create; resolves when version 1 is open in the editor. */
  async create(title: string, date: string, hour: number): Promise<string> {
    await this.page.getByTestId('scenario-new').click()
    await this.page.getByTestId('scenario-create-title').fill(title)
    await this.page.getByTestId('scenario-base-date').fill(date)
    await this.page.getByTestId('scenario-base-hour').selectOption(String(hour))
    const id = await this.page.getByTestId('scenario-create-id').inputValue()
    await this.page.getByTestId('scenario-create-submit').click()
    await this.waitVersion(1)
    return id
  }

  scenarioView(): Locator {
    return this.page.getByTestId('scenario-view')
  }

  async waitVersion(v: number, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="scenario-view"][data-version="${v}"]:not([data-dirty])`).waitFor({ timeout })
  }

  tab(name: 'edits' | 'compare' | 'sumo' | 'history'): Locator {
    return this.page.getByTestId(`scenario-tab-${name}`)
  }

  /** Opens the form of a new edit of a kind. */
  async newEdit(kind: string): Promise<void> {
    await this.page.getByTestId('scenario-new-edit-kind').selectOption(kind)
    await this.page.getByTestId('scenario-new-edit').click()
    await this.page.locator(`[data-testid="scenario-edit-form"][data-kind="${kind}"]`).waitFor()
  }

  /** Waits until the open edit form holds at least `n` streets picked on the map. */
  async waitPicked(n: number): Promise<string[]> {
    await this.page.waitForFunction((min) => Number(document.querySelector('[data-testid="scenario-edit-form"]')?.getAttribute('data-edges') ?? 0) >= min, n, { timeout: 15_000, polling: 100 })
    return this.page.locator('[data-testid="scenario-picked-edges"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-edge') ?? ''))
  }

  async save(note: string): Promise<void> {
    await this.page.getByTestId('scenario-note').fill(note)
    await this.page.getByTestId('scenario-save').click()
  }

  state(): Promise<ScenarioTestView> {
    return this.page.evaluate(() => (window.__gemello as unknown as Api).scenario())
  }

  /** Waits until the maps hold the estimate of an hour (and nothing is being computed). */
  async waitEstimate(hour: number, timeout = 300_000): Promise<ScenarioTestView> {
    const handle = await this.page.waitForFunction(
      (h) => {
        const s = (window.__gemello as unknown as Api).scenario()
        return s.hour === h && !s.loading && s.links > 0 ? s : null
      },
      hour,
      { timeout, polling: 500 },
    )
    return (await handle.jsonValue()) as ScenarioTestView
  }

  kpi(key: string): Locator {
    return this.page.getByTestId(`scenario-kpi-${key}`)
  }

  linkMiddle(edgeId: string): Promise<LonLat | null> {
    return this.page.evaluate((id) => (window.__gemello as unknown as Api).scenarioLinkMiddle(id), edgeId)
  }

  /** What the live map's delta layer draws at a coordinate. */
  async pickAt([lon, lat]: LonLat): ReturnType<GemelloScenarioTestApi['scenarioPick']> extends infer R ? Promise<R> : never {
    return this.page.evaluate(
      ([a, b]) => {
        const api = window.__gemello as unknown as Api
        const [x, y] = api.project(a!, b!)
        return api.scenarioPick(x, y)
      },
      [lon, lat] as const,
    ) as never
  }

  async waitCompareReady(timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(() => (window.__gemello as unknown as Api).compareReady(), undefined, { timeout, polling: 250 })
  }

  /** What one side of the split or swipe maps draws at a coordinate. */
  comparePick(side: 'left' | 'right', [lon, lat]: LonLat, dx = 0): ReturnType<GemelloScenarioTestApi['comparePick']> extends infer R ? Promise<R> : never {
    return this.page.evaluate(
      ([s, a, b, d]) => {
        const api = window.__gemello as unknown as Api
        const p = api.compareProject(s as 'left' | 'right', a as number, b as number)
        return p ? api.comparePick(s as 'left' | 'right', p[0] + (d as number), p[1]) : null
      },
      [side, lon, lat, dx] as const,
    ) as never
  }

  /** Moves the time slider with the keyboard, as a person would, to an hour. */
  async slideTo(hour: number): Promise<void> {
    const slider = this.page.getByTestId('scenario-hour')
    const now = Number(await slider.inputValue())
    await slider.focus()
    for (let i = 0; i < Math.abs(hour - now); i++) await this.page.keyboard.press(hour > now ? 'ArrowRight' : 'ArrowLeft')
  }

  mode(name: 'map' | 'split' | 'swipe' | '3d'): Locator {
    return this.page.getByTestId(`scenario-mode-${name}`)
  }

  /** Pixels of the map area left of the sheet near each colour (delta layer classes), as counts. */
  async mapColours(colours: readonly string[]): Promise<number[]> {
    const sheet = await this.page.getByTestId('scenario-panel').boundingBox()
    const map = await this.page.locator('.live-map').boundingBox()
    if (!map || !sheet) throw new Error('the map or the sheet is not on the page')
    const clip = { x: map.x, y: map.y, width: Math.max(1, sheet.x - map.x), height: map.height }
    return pngPixelsNear(await this.page.screenshot({ clip }), colours, 24)
  }

  screenshot(file: string): Promise<Buffer> {
    return this.page.screenshot({ path: file })
  }
}
