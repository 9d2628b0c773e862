/**
 * The scenario explorer in a real Chromium against a real Gemello process on the Bologna data (issue 9,
 * ADR 0009), with one real March 2024 weekday of Costa/Pasubio loop counts written to the history
 * before boot (the morning and the evening hour): a planner creates a scenario on that day at 08:00,
 * closes Via Aurelio Saffi by clicking it on the map, saves version 2 and compares: KPI cards with Δ and
 * % (the worse ones marked), the calibration's fit badge, the delta layer drawn (the closed link under
 * the pointer, the palette's colours on the canvas). She moves the time slider to 17:00 (the 08:00
 * layer stays while 17:00 is computed), splits the map (base left, scenario right), swipes, opens the
 * briefing in a new tab, queues a SUMO verification and cancels it, sees the flows as walls in 3D, and compares
 * two versions (A against B). Meanwhile a colleague saves a version: her
 * next save is a CONFLICT naming him, and she keeps her changes applied to his version (his stay).
 *
 * The first estimate on the embedded database can take tens of seconds: the waits are generous.
 * Set E2E_SCREENSHOTS=<dir> to keep a screenshot of each state for review.
 */
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ScenarioDetail } from '../../contracts/scenario-api'
import { DELTA_CLASSES } from '../../client/src/map2d/layers/scenario-links/link-style'
import { launchChromium, watchCsp } from './browser'
import { pngPixelsWhere } from './png-pixels'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { jsonCall } from '../helpers/json-call'
import { signIn } from '../helpers/staff-session'
import { ScenarioExplorerPage } from './pages/scenario-explorer-page'
import { seedLoopCounts } from './seed-loop-counts'

const ELENA = { username: 'plan-elena', displayName: 'Elena Conti', roles: ['planner'], password: 'planner-password-e2e-1' }
const PAOLO = { username: 'plan-paolo', displayName: 'Paolo Riva', roles: ['planner'], password: 'planner-password-e2e-2' }

/** Via Aurelio Saffi, the outbound carriageway west of Porta San Felice (a primary one-way edge, ~400 m). */
const SAFFI: [number, number] = [11.324588, 44.500123]
const MORNING = 8
const EVENING = 17
const ESTIMATE_MS = 360_000

let gemello: GemelloProcess
let browser: Browser
let dataDir: string
let date = ''
let admin: string
const contexts: BrowserContext[] = []
const shots = process.env.E2E_SCREENSHOTS ?? null

const api = <T>(cookie: string, method: string, route: string, body?: unknown) => jsonCall<T>(gemello.url, cookie, method, route, body)

async function freshPage(): Promise<{ page: Page; explorer: ScenarioExplorerPage; csp: () => Promise<string[]>; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  contexts.push(context)
  const page = await context.newPage()
  const csp = await watchCsp(page)
  return { page, explorer: new ScenarioExplorerPage(page, gemello.url), csp, context }
}

async function shot(explorer: ScenarioExplorerPage, name: string): Promise<void> {
  if (shots) await explorer.screenshot(path.join(shots, `scenarios-${name}.png`))
}

beforeAll(async () => {
  dataDir = preparedDataDir('scenarios')
  if (shots) mkdirSync(shots, { recursive: true })
  date = await seedLoopCounts(dataDir, [MORNING, EVENING])
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  admin = await gemello.signIn()
  for (const user of [ELENA, PAOLO]) expect((await api(admin, 'POST', '/api/users', user)).status).toBe(200)
}, 600_000)

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('the scenario explorer', () => {
  let elena: Awaited<ReturnType<typeof freshPage>>
  let id = ''
  let closed: string[] = []

  it('creates a scenario and closes a street picked on the map', async () => {
    elena = await freshPage()
    const { explorer, page } = elena
    await explorer.signIn(ELENA.username, ELENA.password)
    await explorer.open()
    id = await explorer.create('Chiusura via Saffi e2e', date, MORNING)
    expect(id).toBe('chiusura-via-saffi-e2e')
    expect(page.url()).toContain(`scenario=${id}/1`)

    // Close a road: "Add…", then a click on the street; the street's edges are picked by name.
    await explorer.newEdit('close-road')
    expect((await explorer.state()).pick).toBe('edges')
    await explorer.view(SAFFI, 17.5)
    await explorer.clickMap(SAFFI)
    closed = await explorer.waitPicked(1)
    await page.locator('[data-testid="scenario-picked-edges"]', { hasText: 'Via Aurelio Saffi' }).waitFor()
    expect((await explorer.state()).highlighted).toEqual(closed)
    await shot(explorer, 'picked')
    await page.getByTestId('scenario-edit-done').click()
    await page.locator('[data-testid="scenario-edit-0"][data-kind="close-road"]', { hasText: 'Via Aurelio Saffi' }).waitFor()

    // An assumption, a note, save: version 2, and the address follows.
    await page.getByTestId('scenario-assumption-add').click()
    await page.getByTestId('scenario-assumption-0').fill('Cantiere su via Saffi per sei mesi')
    await explorer.save('Saffi chiusa verso il centro')
    await explorer.waitVersion(2)
    expect(page.url()).toContain(`scenario=${id}/2`)
    const stored = await api<ScenarioDetail>(await signIn(gemello.url, ELENA.username, ELENA.password), 'GET', `/api/scenarios/${id}`)
    expect(stored.body.latest.document.edits).toEqual([{ kind: 'close-road', edges: closed }])
    expect(stored.body.latest).toMatchObject({ author: ELENA.username, note: 'Saffi chiusa verso il centro', document: { assumptions: ['Cantiere su via Saffi per sei mesi'] } })
  }, 300_000)

  it('compares with the base: KPI cards with Δ and %, the fit badge, the delta layer drawn', async () => {
    const { explorer, page } = elena
    await explorer.tab('compare').click()
    await page.getByTestId('scenario-map-bar').waitFor()
    const s = await explorer.waitEstimate(MORNING, ESTIMATE_MS)
    expect(s.links).toBeGreaterThan(1000)
    expect(s.closed).toBeGreaterThan(0)
    expect(s.loops).toBeGreaterThan(10)

    // Every KPI has a card with the base, the Δ and the %; a worse one says so in words, not in colour alone.
    await explorer.kpi('vehHours').waitFor()
    expect(await page.locator('[data-testid^="scenario-kpi-"]').count()).toBe(9)
    const cards = await page.locator('[data-testid^="scenario-kpi-"]').evaluateAll((els) =>
      els.map((e) => ({ key: e.getAttribute('data-testid'), tone: e.getAttribute('data-tone'), delta: Number(e.getAttribute('data-delta')), text: e.textContent ?? '', word: e.querySelector('[data-testid="kpi-tone"]')?.textContent })),
    )
    console.log(`scenario KPIs at ${MORNING}:00\n${cards.map((c) => `  ${c.key}: ${c.text.replace(/\s+/g, ' ')}`).join('\n')}`)
    const vehHours = cards.find((c) => c.key === 'scenario-kpi-vehHours')!
    expect(vehHours.delta).not.toBe(0)
    for (const c of cards) {
      expect(c.text).toMatch(/Δ [+\u2212]?[\d,.]+ · ([+\u2212]?[\d.]+ %|—)/)
      expect(c.word).toBe(c.tone === 'worse' ? 'worse' : c.tone === 'better' ? 'better' : 'no change')
    }
    // Closing a road never makes the city faster: vehicle-hours do not fall.
    expect(vehHours.tone).not.toBe('better')
    // The fit badge: the share of loops under GEH 5, and whether the model fits.
    const fit = page.getByTestId('scenario-fit')
    expect(await fit.innerText()).toMatch(/% of loops with GEH < 5/)
    expect(await fit.innerText()).toMatch(/Model (fits|does not fit yet)/)

    // The delta layer: the closed street is drawn where it is, and the palette's colours are on the canvas.
    const middle = (await explorer.linkMiddle(closed[0]!))!
    await explorer.view(middle, 15)
    expect(await explorer.pickAt(middle)).toMatchObject({ edgeId: closed[0], closed: true })
    const colours = await explorer.mapColours(DELTA_CLASSES.filter((c) => c.sign !== 0).map((c) => c.colour))
    expect(colours.reduce((a, b) => a + b, 0)).toBeGreaterThan(200)
    await shot(explorer, 'compare-08')
  }, ESTIMATE_MS + 60_000)

  it('moves the time slider: the previous layer stays while the next hour is estimated', async () => {
    const { explorer, page } = elena
    const before = await explorer.state()
    await explorer.slideTo(EVENING)
    expect(await page.getByTestId('scenario-hour-text').innerText()).toBe('17:00')
    await page.locator('[data-testid="scenario-loading"][data-loading]').waitFor({ timeout: 10_000 })
    const meanwhile = await explorer.state()
    expect(meanwhile).toMatchObject({ hour: MORNING, revision: before.revision, loading: true })
    const after = await explorer.waitEstimate(EVENING, ESTIMATE_MS)
    expect(after.revision).not.toBe(before.revision)
    expect(page.url()).toContain('hour=17')
    await page.locator('[data-testid="scenario-compare"][data-hour="17"]').waitFor()
    await shot(explorer, 'compare-17')
  }, ESTIMATE_MS + 60_000)

  it('splits the map (base left, scenario right) and swipes between them', async () => {
    const { explorer, page } = elena
    const middle = (await explorer.linkMiddle(closed[0]!))!
    // Two more WebGL maps: slow to make on the test machine's software GPU.
    await explorer.mode('split').click({ timeout: 120_000 })
    await explorer.waitCompareReady(180_000)
    expect(await page.getByTestId('scenario-compare-map').getAttribute('data-mode')).toBe('split')
    const left = await explorer.comparePick('left', middle)
    const right = await explorer.comparePick('right', middle)
    expect(left).toMatchObject({ edgeId: closed[0] })
    expect(right).toMatchObject({ edgeId: closed[0], closed: true, flowVehH: 0 })
    expect(left!.flowVehH).toBeGreaterThan(0)
    expect(await page.locator('.compare-attribution').innerText()).toContain('OpenStreetMap')
    await shot(explorer, 'split')

    // Swipe: one map, the divider a keyboard-operable slider; the scenario shows right of it.
    await explorer.mode('swipe').click({ timeout: 120_000 })
    const divider = page.getByTestId('scenario-swipe-divider')
    await divider.waitFor()
    expect(await divider.getAttribute('aria-valuenow')).toBe('50')
    await divider.focus()
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('PageDown')
    expect(await divider.getAttribute('aria-valuenow')).toBe('38')
    await explorer.waitCompareReady(120_000)
    // One map seen: the scenario's clipped at the divider, the base's under it on the left.
    const clip = await page.evaluate(() => {
      const root = document.querySelector('[data-testid="scenario-compare-map"]')!.getBoundingClientRect()
      const right = document.querySelector<HTMLElement>('[data-testid="scenario-compare-right"]')!
      const divider = document.querySelector('[data-testid="scenario-swipe-divider"]')!.getBoundingClientRect()
      return { clip: right.style.clipPath, share: (divider.left + divider.width / 2 - root.left) / root.width, width: right.getBoundingClientRect().width / root.width }
    })
    expect(clip.clip).toMatch(/^inset\(0(px)? 0(px)? 0(px)? \d+px\)$/)
    expect(clip.share).toBeCloseTo(0.38, 1)
    expect(clip.width).toBeCloseTo(1, 2)
    expect(await explorer.comparePick('right', middle)).toMatchObject({ edgeId: closed[0], closed: true })
    await shot(explorer, 'swipe')
    await explorer.mode('map').click({ timeout: 120_000 })
    await page.getByTestId('scenario-compare-map').waitFor({ state: 'detached' })
  }, 480_000)

  it('opens the briefing of the version and hour in a new tab', async () => {
    const { page, context } = elena
    const [briefing] = await Promise.all([context.waitForEvent('page'), page.getByTestId('scenario-briefing').click()])
    await briefing.waitForLoadState('domcontentloaded')
    expect(briefing.url()).toContain(`/api/scenarios/${id}/versions/2/briefing?hour=17&lang=en`)
    expect(await briefing.locator('html').getAttribute('lang')).toBe('en')
    const text = await briefing.locator('body').innerText()
    expect(text).toContain('Chiusura via Saffi e2e')
    expect(text).toContain('Cantiere su via Saffi per sei mesi')
    await briefing.close()
  }, ESTIMATE_MS)

  it("says who saved a version meanwhile, and keeps the planner's changes on top of it", async () => {
    const { explorer, page } = elena
    await explorer.tab('edits').click()
    // Paolo saves version 3 through the API.
    const paolo = await signIn(gemello.url, PAOLO.username, PAOLO.password)
    const latest = (await api<ScenarioDetail>(paolo, 'GET', `/api/scenarios/${id}`)).body
    const saved = await api<ScenarioDetail>(paolo, 'POST', `/api/scenarios/${id}/versions`, { document: { ...latest.latest.document, assumptions: [...latest.latest.document.assumptions, 'Domanda 2024 invariata'] }, baseVersion: 2, note: 'ipotesi sulla domanda' })
    expect(saved.status).toBe(200)

    // Elena, still on version 2, renames the scenario and saves: CONFLICT, naming Paolo and version 3.
    await page.getByTestId('scenario-title').fill('Chiusura via Saffi e2e, fase 1')
    await explorer.save('titolo')
    const conflict = page.getByTestId('scenario-conflict')
    await conflict.waitFor()
    expect(await conflict.innerText()).toMatch(/plan-paolo saved version 3 meanwhile/)
    expect((await api<ScenarioDetail>(paolo, 'GET', `/api/scenarios/${id}`)).body.latestVersion).toBe(3)
    // Keep mine: her title on top of his version — his assumption stays.
    await page.getByTestId('scenario-conflict-keep').click()
    await page.getByTestId('scenario-merged').waitFor()
    await page.getByTestId('scenario-save').click()
    await explorer.waitVersion(4)
    const final = (await api<ScenarioDetail>(paolo, 'GET', `/api/scenarios/${id}`)).body
    expect(final.versions.map((v) => [v.version, v.author])).toEqual([
      [4, ELENA.username],
      [3, PAOLO.username],
      [2, ELENA.username],
      [1, ELENA.username],
    ])
    expect(final.latest.document).toMatchObject({ title: 'Chiusura via Saffi e2e, fase 1', assumptions: ['Cantiere su via Saffi per sei mesi', 'Domanda 2024 invariata'], edits: [{ kind: 'close-road', edges: closed }] })
  }, 120_000)

  it('queues a SUMO verification, follows its progress and cancels it', async () => {
    const { explorer, page } = elena
    await explorer.tab('sumo').click()
    await page.getByTestId('scenario-sumo-duration').selectOption('600')
    expect(await page.getByTestId('scenario-sumo-hour').inputValue()).toBe(String(EVENING))
    await page.getByTestId('scenario-sumo-start').click()
    const run = page.locator('li[data-testid^="scenario-sumo-run-"]').first()
    await run.waitFor({ timeout: 30_000 })
    expect(['queued', 'running']).toContain(await run.getAttribute('data-status'))
    expect(await run.getByRole('progressbar').getAttribute('aria-label')).toMatch(/^Progress of run \d+$/)
    await run.getByTestId('scenario-sumo-cancel').click()
    await page.waitForFunction(() => document.querySelector('li[data-testid^="scenario-sumo-run-"]')?.getAttribute('data-status') === 'cancelled', undefined, { timeout: 120_000, polling: 500 })
    expect(await page.getByTestId('scenario-sumo-detail').innerText()).toContain('The run was cancelled.')
  }, 180_000)

  it('stands the flows as walls in the 3D view', async () => {
    const { explorer, page } = elena
    await explorer.tab('compare').click()
    await explorer.waitEstimate(EVENING, ESTIMATE_MS)
    await explorer.mode('3d').click()
    await page.waitForFunction(() => (window.__gemello as { ready3d?: boolean } | undefined)?.ready3d === true, undefined, { timeout: 240_000, polling: 500 })
    await page.waitForFunction(() => ((window.__gemello as unknown as { scenarioWalls(): { count: number } | null }).scenarioWalls()?.count ?? 0) > 100, undefined, { timeout: 60_000, polling: 500 })
    // The camera is tilted to see them, and they are drawn: the grey 3D view has coloured walls (the delta palette).
    const camera = await page.evaluate(() => (window.__gemello as unknown as { camera(): { pitch: number } | null }).camera())
    expect(camera!.pitch).toBeGreaterThan(40)
    await expect.poll(async () => pngPixelsWhere(await page.locator('.globe-view').screenshot(), (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 60), { timeout: 60_000, interval: 1000 }).toBeGreaterThan(1500)
    await shot(explorer, '3d')
    await explorer.mode('map').click()
    await explorer.waitMapReady()
  }, ESTIMATE_MS + 300_000)

  it('compares scenario A with B (another version) at the same hour, and the address says so', async () => {
    const { explorer, page } = elena
    await page.getByTestId('scenario-compare-with').selectOption(`${id}/2`)
    await page.locator('[data-testid="scenario-compare"]', { hasText: 'A: Chiusura via Saffi e2e, fase 1 v4' }).waitFor({ timeout: ESTIMATE_MS })
    await explorer.waitEstimate(EVENING, ESTIMATE_MS)
    expect(page.url()).toContain(`compare=${id}/2`)
    // Versions 2 and 4 close the same street: B − A is nothing, and the cards say so in grey.
    const vehHours = explorer.kpi('vehHours')
    expect(await vehHours.getAttribute('data-tone')).toBe('same')
    expect(await vehHours.textContent()).toContain('A: ')
    expect(await page.getByTestId('scenario-map-bar').innerText()).toContain('Δ flow, B − A')
    await shot(explorer, 'a-vs-b')
    expect(await elena.csp()).toEqual([])
  }, ESTIMATE_MS)
})
