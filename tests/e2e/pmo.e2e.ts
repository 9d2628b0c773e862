/**
 * The PMO portfolio in a real Chromium against a real Gemello process on the Bologna data (issue 11,
 * docs/pmo.md): a PMO officer creates a project through the sheet's form; its milestones, activities,
 * KPI, risk and site are then saved through the API (as a second PMO client would); the officer sees
 * the health and its reasons, the Gantt chart with the late milestone marked, marks that milestone
 * reached and sees the health change, finds the site on the map (a click opens the project), and
 * downloads the PDF report. A planner reads the portfolio without edit controls; an operator has no
 * PMO menu item. A user whose only role is pmo (no live:read, contracts/access.ts) opens the operations
 * center too: the map with the sites layer, the portfolio and the sheets the role may read — no live
 * layer, no live socket, no refused request, no console error.
 *
 * Set E2E_SCREENSHOTS=<dir> to keep screenshots (1920×1080, and the planner's at a 4K wall's scale).
 */
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProjectDetail } from '../../contracts/pmo-api'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { jsonCall } from '../helpers/json-call'
import { signIn } from '../helpers/staff-session'
import { PmoPanelPage } from './pages/pmo-panel-page'

const PMO = { username: 'ufficio-pmo', displayName: 'Elena Neri', roles: ['pmo', 'planner'], password: 'pmo-password-e2e' }
const PLANNER = { username: 'pianificatrice', displayName: 'Giulia Bianchi', roles: ['planner'], password: 'planner-password-e2e' }
const OPERATOR = { username: 'operatore-pmo', displayName: 'Marco Rossi', roles: ['operator'], password: 'operator-password-e2e' }
const PMO_ONLY = { username: 'solo-pmo', displayName: 'Laura Verdi', roles: ['pmo'], password: 'pmo-only-password-e2e' }
const ID = 'varchi-ztl-e2e'
/** Via Rizzoli towards Strada Maggiore: the site closes the road. */
const SITE: Array<[number, number]> = [[11.3431, 44.4975], [11.3462, 44.4981]]
/** A point on the site's first dash (about 5 m from its start). */
const ON_SITE: [number, number] = [SITE[0]![0] + (SITE[1]![0] - SITE[0]![0]) * 0.02, SITE[0]![1] + (SITE[1]![1] - SITE[0]![1]) * 0.02]
const shots = process.env.E2E_SCREENSHOTS ?? null

let gemello: GemelloProcess
let browser: Browser
let dataDir: string
const contexts: BrowserContext[] = []

const romeDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms)
const TODAY = romeDay(Date.now())
const dayOffset = (days: number) => romeDay(Date.parse(`${TODAY}T12:00:00Z`) + days * 86_400_000)

async function freshPage(scale = 1) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: scale })
  contexts.push(context)
  const page = await context.newPage()
  const csp = await watchCsp(page)
  return { page, pmo: new PmoPanelPage(page, gemello.url), csp }
}
const shot = async (p: PmoPanelPage, name: string) => {
  if (shots) await p.screenshot(path.join(shots, `pmo-${name}.png`))
}

beforeAll(async () => {
  if (shots) mkdirSync(shots, { recursive: true })
  dataDir = preparedDataDir('pmo')
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  const admin = await gemello.signIn()
  for (const user of [PMO, PLANNER, OPERATOR, PMO_ONLY]) expect((await jsonCall(gemello.url, admin, 'POST', '/api/users', user)).status).toBe(200)
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the PMO portfolio', () => {
  it('creates a project, shows its health, Gantt and site, marks the late milestone reached, and gives the report', async () => {
    const { page, pmo, csp } = await freshPage()
    await pmo.signIn(PMO.username, PMO.password)
    await pmo.open()
    await pmo.createProject({ id: ID, line: 'infrastrutture-smart', title: 'Nuovi varchi ZTL', status: 'in_progress', startDate: dayOffset(-200), endDate: dayOffset(300), source: 'PN Metro Plus 2021-2027', amount: '1,000,000' })
    expect(await pmo.health(ID)).toBe('on_track')

    // A second PMO client adds the plan: milestones (one 10 days late), activities, a KPI, a risk and the site.
    const cookie = await signIn(gemello.url, PMO.username, PMO.password)
    const got = await jsonCall<ProjectDetail>(gemello.url, cookie, 'GET', `/api/pmo/projects/${ID}`)
    expect(got.body.project.funding).toEqual([{ source: 'PN Metro Plus 2021-2027', plannedCents: 1_000_000_00 }])
    const project = {
      ...got.body.project,
      committedCents: 400_000_00,
      spentCents: 100_000_00,
      milestones: [
        { key: 'collaudo-1', title: 'Collaudo primo lotto', kind: 'deliverable', dueDate: dayOffset(-10), doneDate: null },
        { key: 'collaudo-2', title: 'Collaudo secondo lotto', kind: 'milestone', dueDate: dayOffset(200), doneDate: null },
      ],
      activities: [
        { key: 'progetto', title: 'Progettazione', startDate: dayOffset(-200), endDate: dayOffset(-100), progressPct: 100, after: [] },
        { key: 'posa', title: 'Posa dei varchi', startDate: dayOffset(-99), endDate: dayOffset(250), progressPct: 30, after: ['progetto'] },
      ],
      kpis: [{ key: 'varchi', title: 'Varchi attivi', unit: 'n', baseline: 0, target: 12, targetDate: dayOffset(300), direction: 'increase', live: null, actual: 6, actualDate: dayOffset(-1) }],
      risks: [{ key: 'fornitura', title: 'Ritardo della fornitura', probability: 3, impact: 4, mitigation: 'Penali nel contratto', owner: 'Settore Mobilità', status: 'open' }],
      site: { geometry: { type: 'LineString', coordinates: SITE }, closesRoad: true, fromDate: dayOffset(5), toDate: dayOffset(40) },
    }
    const put = await jsonCall<ProjectDetail>(gemello.url, cookie, 'PUT', `/api/pmo/projects/${ID}`, { project, baseVersion: 1, note: 'Piano dei lavori' })
    expect(put.status).toBe(200)
    expect(put.body.summary.health).toBe('at_risk')

    // The portfolio shows it at risk, with the reason in words.
    await pmo.open()
    expect(await pmo.row(ID).locator('.pmo-health').getAttribute('data-health')).toBe('at_risk')
    expect(await pmo.row(ID).innerText()).toMatch(/milestone late \(Collaudo primo lotto\)/)
    await shot(pmo, 'overview')

    // The project: health with reasons, the Gantt chart with bars, the arrow and the late diamond.
    await pmo.openProject(ID)
    expect(await pmo.health(ID)).toBe('at_risk')
    const detail = pmo.project(ID)
    expect(await detail.locator('.gantt-bar').count()).toBe(2)
    expect(await detail.locator('.gantt-arrow').count()).toBe(1)
    expect(await detail.locator('.gantt-diamond').count()).toBe(2)
    expect(await detail.locator('.gantt-diamond.is-late').getAttribute('data-key')).toBe('collaudo-1')
    expect(await detail.locator('.gantt-bar[data-key="posa"]').getAttribute('aria-label')).toMatch(/Posa dei varchi: .* 30 % done/)
    expect(await detail.locator('.pmo-kpis').innerText()).toMatch(/Varchi attivi[\s\S]*6 n/)
    await shot(pmo, 'project')

    // Reached today: no longer late, the project on track.
    await pmo.markMilestoneDone(ID, 'collaudo-1')
    expect(await pmo.health(ID)).toBe('on_track')
    expect(await detail.locator('.gantt-diamond.is-late').count()).toBe(0)
    expect(await detail.locator('.gantt-diamond.is-done').count()).toBe(1)

    // The site on the map opens the project.
    await pmo.backToPortfolio()
    await pmo.view(ON_SITE, 17)
    await pmo.clickSiteOnMap(ON_SITE, ID)
    await shot(pmo, 'map')

    // The report of the portfolio.
    const report = await pmo.fetchReport()
    expect(report.href).toMatch(/^\/api\/pmo\/report\.pdf\?lang=en/)
    expect(report).toMatchObject({ status: 200, contentType: 'application/pdf', head: '%PDF-' })
    expect(await csp()).toEqual([])
    expect(page.isClosed()).toBe(false)
  })

  it('lets a planner read the portfolio without edit controls', async () => {
    const { page, pmo } = await freshPage(2)
    await pmo.signIn(PLANNER.username, PLANNER.password)
    await pmo.open()
    await pmo.openProject(ID)
    expect(await pmo.project(ID).locator('.gantt-bar').count()).toBe(2)
    expect(await page.locator('.pmo-edit-form, .pmo-inline-edit, select[name^="risk-status-"]').count()).toBe(0)
    expect(await page.getByRole('button', { name: /^New project$/ }).count()).toBe(0)
    await shot(pmo, 'planner-4k')
  })

  it('opens the operations center for a user whose only role is pmo: the portfolio and its sites, no live layer, nothing refused', async () => {
    const { page, pmo, csp } = await freshPage()
    const refused: string[] = []
    const consoleErrors: string[] = []
    const live: string[] = []
    page.on('response', (r) => {
      if (r.status() === 401 || r.status() === 403) refused.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`)
    })
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/socket.io')) live.push(r.url())
    })
    page.on('websocket', (ws) => live.push(ws.url()))
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    await pmo.signIn(PMO_ONLY.username, PMO_ONLY.password)

    // The portfolio from the menu, which holds only what the role may read.
    await pmo.open()
    expect(await pmo.row(ID).count()).toBe(1)
    await page.locator('.cr-menu > button').click()
    expect(await page.locator('.cr-menu-item').allInnerTexts()).toEqual(['Infrastructure census', 'Scenario explorer', 'PMO portfolio'])
    await page.keyboard.press('Escape')

    // The sites layer is on from the start and draws the project's site; no device kind, no live status.
    expect(await page.locator('input[name="layer-pmo-sites"]').isChecked()).toBe(true)
    expect(await page.locator('.layer-panel > .layer-list input[type="checkbox"]').count()).toBe(1)
    expect(await page.locator('.legend').count()).toBe(0)
    expect(await page.locator('.connection-pill, .quarantine-button').count()).toBe(0)
    await pmo.view(ON_SITE, 17)
    await pmo.clickSiteOnMap(ON_SITE, ID)
    await shot(pmo, 'pmo-only')

    // The scenario explorer reads (scenario:read) without the live map.
    await page.locator('.cr-menu > button').click()
    await page.locator('.cr-menu-item', { hasText: /Scenario explorer/ }).click()
    await page.getByTestId('scenario-list').waitFor()

    expect(refused).toEqual([])
    expect(live).toEqual([])
    expect(consoleErrors).toEqual([])
    expect(await csp()).toEqual([])
  })

  it('shows no PMO menu item or layer to an operator', async () => {
    const { page, pmo } = await freshPage()
    await pmo.signIn(OPERATOR.username, OPERATOR.password)
    await page.goto(`${gemello.url}/?lang=en`)
    await pmo.waitMapReady()
    await page.locator('.cr-menu > button').click()
    await page.locator('.cr-menu-item').first().waitFor()
    expect(await page.locator('.cr-menu-item', { hasText: /PMO portfolio/ }).count()).toBe(0)
    expect(await page.locator('input[name="layer-pmo-sites"]').count()).toBe(0)
  })
})
