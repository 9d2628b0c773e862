/**
 * The public thematic dashboards in a real Chromium against a real Gemello process on the Bologna data
 * (issue 11 part 2, docs/dashboards.md): from the citizen pages' menu to the list; the citizen-cases
 * theme (reports posted through Open311) drawn as a choropleth that switches to the statistical areas
 * and another measure — the address follows, a reload restores it —, whose focused area names itself,
 * and whose panel downloads as CSV (one row per area) and as a PNG; the mobility and environment
 * themes with their charts and labelled legal limits; a dataset an administrator loads through the API
 * listed and mapped; the embeddable view in another site's <iframe>, and the plain page refused there;
 * one map's embed code pasted into another site's article, showing that map alone.
 * Each page passes axe-core's WCAG 2.1 A/AA rules and breaks no Content-Security-Policy rule.
 */
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ThemeDashboard } from '../../contracts/theme-dashboard-api'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { jsonCall } from '../helpers/json-call'
import { preparedDataDir } from './data-dir'
import type { AxeViolation } from './pages/citizen-page'
import { DashboardsPage } from './pages/dashboards-page'
import { pngPixelsNear } from './png-pixels'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Three reports inside the comune: by the Montagnola, in the Bolognina, in Savena. */
const REPORTS: Array<[number, number]> = [
  [11.34521, 44.50213],
  [11.3497, 44.5152],
  [11.3795, 44.4848],
]
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const BOM = '\uFEFF'

let gemello: GemelloProcess
/** Set E2E_SCREENSHOTS=<dir> to keep a screenshot of each page for review. */
const shots = process.env.E2E_SCREENSHOTS
let browser: Browser
let dataDir: string
let admin: string
let apiKey: string
/** Another site (another origin: localhost, not 127.0.0.1) whose page embeds the dashboards. */
let site: Server
let siteOrigin: string
/** What the other site's article page holds (a panel's embed code, pasted by a test). */
let article = ''
const contexts: BrowserContext[] = []

/** axe's findings as one line each (what a reviewer reads when the test fails). */
const described = (vs: AxeViolation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} [${n.why}]`).slice(0, 4).join(', ')}`)
const dashboardOf = async (id: string) => (await (await fetch(`${gemello.url}/api/public/dashboards/${id}`)).json()) as ThemeDashboard

async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  contexts.push(context)
  const page = await context.newPage()
  const csp = await watchCsp(page)
  return { page, dashboards: new DashboardsPage(page, gemello.url), csp }
}

/** A citizen's app posts a report through Open311 (form-encoded, with its api_key). */
async function report(at: [number, number]): Promise<void> {
  const form = new URLSearchParams({ api_key: apiKey, service_code: 'buca-stradale', long: String(at[0]), lat: String(at[1]), description: 'Buca profonda sulla carreggiata', 'attribute[dimensione]': '2', email: 'cittadino@example.org' })
  const res = await fetch(`${gemello.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
  expect(res.status).toBe(201)
}

/** The CLI's environment: the embedded database in the data dir, nothing of the test runner's. */
function cliEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir }
  for (const k of ['GEMELLO_TEST_TARGET', 'DATABASE_URL', 'MQTT_URL', 'REDIS_URL']) delete env[k]
  return env
}

beforeAll(async () => {
  dataDir = preparedDataDir('dashboards')
  const out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/src/open311/open311-cli.ts', 'add-client', 'App Segnalazioni E2E'], { cwd: ROOT, env: cliEnv(dataDir), encoding: 'utf8' })
  apiKey = /api_key (\S+)/.exec(out)![1]!
  // The other site: one page with two frames, the embeddable view and the plain page.
  site = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const src = (q: string) => `${gemello.url}/cittadini/cruscotti/cases?${q}`
    res.writeHead(u.pathname === '/' || u.pathname === '/article' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
    if (u.pathname === '/article') return void res.end(`<!doctype html><html lang="en"><title>An article</title><h1>Reports in Bologna</h1><p>As the map shows:</p>${article}`)
    res.end(`<!doctype html><html lang="en"><title>Another site</title><h1>Another site</h1><iframe name="embed" title="Cases" src="${src('embed=1&lang=en')}" width="1200" height="900"></iframe><iframe name="plain" title="Plain" src="${src('lang=en')}" width="600" height="300"></iframe>`)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off', DASHBOARD_EMBED_ORIGINS: siteOrigin })
  await gemello.start()
  browser = await launchChromium()
  admin = await gemello.signIn()
  for (const at of REPORTS) await report(at)
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  await new Promise((r) => site?.close(r))
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the public dashboards', () => {
  it('opens the cases theme from the menu; its map’s level, measure and area stay in the address; an area names itself; the panel downloads as CSV and PNG', async () => {
    const { page, dashboards, csp } = await freshPage()
    const cases = await dashboardOf('cases')
    const byArea = cases.panels.find((p) => p.id === 'cases-by-area')
    if (byArea?.kind !== 'choropleth') throw new Error('the cases theme has no "cases-by-area" choropleth')
    const statAreas = byArea.levels.area_statistica!
    expect(statAreas.reduce((n, r) => n + (r.values.received ?? 0), 0)).toBe(REPORTS.length)

    await dashboards.open('/cittadini/', 'it')
    await dashboards.followMenu('Cruscotti')
    expect(await page.locator('h1').innerText()).toBe('Cruscotti')
    expect(await dashboards.listed('themes')).toEqual(expect.arrayContaining(['mobility', 'environment', 'works', 'cases']))
    expect(described(await dashboards.axe())).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/dashboards-list.png`, fullPage: true })

    await dashboards.openFromList('cases')
    expect(await page.title()).toBe('Segnalazioni dei cittadini — Cruscotti — Comune di Bologna')
    await dashboards.map('cases-by-area', 'quartiere')
    await dashboards.switchLevel('cases-by-area', 'Aree statistiche')
    const map = await dashboards.map('cases-by-area', 'area_statistica')
    expect(await map.locator('path[data-area-id]').count()).toBe(statAreas.length)
    expect(page.url()).toMatch(/[?&]cases-by-area\.level=area_statistica(&|$)/)
    await dashboards.switchMeasure('cases-by-area', 'Quota oltre i tempi previsti')
    await page.waitForURL(/[?&]cases-by-area\.measure=breachedShare(&|$)/)
    // An area with a report: focus names it in the tooltip; Enter selects it, into the address.
    const reported = statAreas.find((r) => (r.values.received ?? 0) > 0)!
    const area = dashboards.area('cases-by-area', reported.areaId)
    await area.focus()
    await expect.poll(() => dashboards.tooltip('cases-by-area').innerText()).toContain(reported.name)
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`[?&]cases-by-area\\.area=${reported.areaId}(&|$)`))
    expect(await page.getByTestId('choropleth-selected').innerText()).toContain(reported.name)

    // A reload (or the shared link) shows the same view.
    await page.reload()
    await dashboards.ready('cases')
    const again = await dashboards.map('cases-by-area', 'area_statistica')
    expect(await again.getAttribute('data-measure')).toBe('breachedShare')
    expect(await dashboards.area('cases-by-area', reported.areaId).getAttribute('aria-pressed')).toBe('true')
    expect(await dashboards.panel('cases-by-area').getByRole('button', { name: 'Aree statistiche' }).getAttribute('aria-pressed')).toBe('true')

    // Share gives this address; Embed gives the <iframe> of the embeddable view.
    await page.getByTestId('dashboard-share').click()
    expect(await page.getByTestId('dashboard-share-url').inputValue()).toBe(`${gemello.url}/cittadini/cruscotti/cases?lang=it&cases-by-area.level=area_statistica&cases-by-area.measure=breachedShare&cases-by-area.area=${reported.areaId}`)
    await page.getByTestId('dashboard-embed').click()
    expect(await page.getByTestId('dashboard-embed-code').inputValue()).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/cittadini\/cruscotti\/cases\?lang=it&amp;embed=1&amp;cases-by-area\.level=area_statistica/)

    // The panel as CSV: the header, then one row per statistical area, with the reports counted.
    const csv = await dashboards.export('cases-by-area', 'csv')
    expect(csv.name).toBe('cases-cases-by-area.csv')
    const text = csv.bytes.toString('utf8')
    expect(text.startsWith(BOM)).toBe(true)
    const lines = text.slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe('Codice,Nome,Segnalazioni ricevute,Quota oltre i tempi previsti (%),Tempo per chiudere (mediana) (h)')
    expect(lines).toHaveLength(statAreas.length + 1)
    expect(lines.slice(1).reduce((n, l) => n + Number(l.split(',').at(-3)), 0)).toBe(REPORTS.length)

    // The panel as an image, with the counts' ramp drawn.
    await dashboards.switchMeasure('cases-by-area', 'Segnalazioni ricevute')
    const png = await dashboards.export('cases-by-area', 'png')
    expect(png.name).toBe('cases-cases-by-area.png')
    expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE)
    const [light, dark] = pngPixelsNear(png.bytes, ['#eff3ff', '#08519c'], 6)
    expect(light).toBeGreaterThan(1000)
    expect(dark).toBeGreaterThan(0)

    await dashboards.panel('cases-by-area').getByRole('button', { name: /Mostra come tabella/ }).click()
    expect(await dashboards.panel('cases-by-area').getByTestId('choropleth-table').locator('tbody tr').count()).toBe(statAreas.length)
    expect(described(await dashboards.axe())).toEqual([])
    if (shots) {
      await page.screenshot({ path: `${shots}/dashboards-cases.png`, fullPage: true })
      writeFileSync(`${shots}/dashboards-cases-by-area.png`, png.bytes)
    }
    expect(await csp()).toEqual([])
  })

  it('draws the mobility and environment themes: maps, charts, and the legal limits labelled; the period goes in the address', async () => {
    const { page, dashboards, csp } = await freshPage()
    await dashboards.open('/cittadini/cruscotti/mobility', 'en')
    await dashboards.ready('mobility')
    const mobility = await dashboardOf('mobility')
    for (const p of mobility.panels) {
      if (p.kind === 'chart') expect(await dashboards.panel(p.id).locator('svg[data-testid="chart"]').count()).toBe(1)
      if (p.kind === 'choropleth') await dashboards.map(p.id)
    }

    await dashboards.open('/cittadini/cruscotti/environment', 'en')
    await dashboards.ready('environment')
    const environment = await dashboardOf('environment')
    const limited = environment.panels.filter((p) => p.kind === 'chart' && p.references.length > 0)
    expect(limited.length).toBeGreaterThan(0)
    for (const p of limited) {
      if (p.kind !== 'chart') continue
      expect(await dashboards.references(p.id)).toEqual(p.references.map((r) => expect.stringContaining(r.label.en)))
    }
    expect(described(await dashboards.axe())).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/dashboards-environment.png`, fullPage: true })

    await page.getByLabel('Period').selectOption({ label: 'Last 30 days' })
    await page.waitForURL(/[?&]days=30(&|$)/)
    await dashboards.ready('environment')
    await page.reload()
    await dashboards.ready('environment')
    expect(await page.getByLabel('Period').inputValue()).toBe('30')
    expect(await csp()).toEqual([])
  })

  it('lists a dataset an administrator loads, and maps it by district', async () => {
    const content = ['quartiere;attivita;addetti', 'Navile;bar;3', 'Navile;negozio;4', 'Savena;bar;2', 'Santo Stefano;negozio;5', 'Porto-Saragozza;bar;1'].join('\n')
    const load = await jsonCall<{ placed: number }>(gemello.url, admin, 'PUT', '/api/dashboard-datasets/attivita-prova', {
      id: 'attivita-prova',
      title: { it: 'Attività di prova', en: 'Test activities' },
      description: { it: 'Un piccolo file di prova.', en: 'A small test file.' },
      source: { title: 'Attività di prova', licence: 'CC BY 4.0', attribution: 'Comune di Bologna', url: null },
      format: 'csv',
      content,
      area: { by: 'column', column: 'quartiere', level: 'quartiere' },
      categoryColumn: 'attivita',
      measures: [
        { id: 'attivita', label: { it: 'Attività', en: 'Activities' }, agg: 'count' },
        { id: 'addetti', label: { it: 'Addetti', en: 'Employees' }, column: 'addetti', agg: 'sum' },
      ],
    })
    expect(load.status).toBe(200)
    expect(load.body.placed).toBe(5)
    const navile = (await dashboardOf('attivita-prova')).panels.flatMap((p) => (p.kind === 'choropleth' ? (p.levels.quartiere ?? []) : [])).find((r) => r.name === 'Navile')!

    const { page, dashboards, csp } = await freshPage()
    await dashboards.open('/cittadini/cruscotti', 'it')
    expect(await dashboards.listed('datasets')).toEqual(['attivita-prova'])
    await dashboards.openFromList('attivita-prova')
    const map = await dashboards.map('areas', 'quartiere')
    expect(await map.locator('path[data-area-id]').count()).toBe(6)
    // Navile has the most activities (2): the darkest class; a district without rows is hatched, not zero.
    expect(await dashboards.area('areas', navile.areaId).getAttribute('fill')).toBe('#08519c')
    expect(await map.locator('path[data-class="nodata"]').count()).toBe(2)
    expect(await page.getByTestId('dashboard-sources').innerText()).toContain('Attività di prova — Comune di Bologna — licenza CC BY 4.0')
    expect(described(await dashboards.axe())).toEqual([])
    expect(await csp()).toEqual([])
  })

  it('is embedded by another site as the dashboard alone, with its sources and a link here; the plain page refuses to be framed', async () => {
    const { page, dashboards } = await freshPage()
    await page.goto(`${siteOrigin}/`)
    const embedded = page.frame({ name: 'embed' })!
    await dashboards.ready('cases', embedded)
    expect(await embedded.locator('.it-header-wrapper, .it-footer, nav.breadcrumb-container').count()).toBe(0)
    expect(await embedded.getByTestId('dashboard-sources').locator('li').count()).toBeGreaterThan(0)
    const open = embedded.getByTestId('dashboard-open')
    expect(await open.getAttribute('target')).toBe('_blank')
    expect(await open.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cittadini\/cruscotti\/cases\?lang=en$/)
    expect(await embedded.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([])
    // The plain page (no embed=1) answers frame-ancestors 'none': the browser shows nothing of it.
    const plain = page.frame({ name: 'plain' })!
    if (shots) await page.screenshot({ path: `${shots}/dashboards-embedded.png`, fullPage: true })
    expect(plain.url()).not.toContain('/cittadini/')
    expect(await plain.locator('#root').count()).toBe(0)
  })

  it('gives one map’s embed code at its view; pasted into another site’s article it shows that map alone, with the period, sources and a link here', async () => {
    const { page, dashboards } = await freshPage()
    const cases = await dashboardOf('cases')
    const byArea = cases.panels.find((p) => p.id === 'cases-by-area')
    if (byArea?.kind !== 'choropleth') throw new Error('the cases theme has no "cases-by-area" choropleth')
    await dashboards.open('/cittadini/cruscotti/cases', 'en')
    await dashboards.ready('cases')
    await dashboards.switchLevel('cases-by-area', 'Statistical areas')
    await page.waitForURL(/[?&]cases-by-area\.level=area_statistica(&|$)/)
    const code = await dashboards.embedCode('cases-by-area')
    expect(code).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/cittadini\/cruscotti\/cases\?lang=en&amp;embed=1&amp;panel=cases-by-area&amp;cases-by-area\.level=area_statistica" /)
    expect(code).toContain(`title="${byArea.title.en} — ${cases.title.en} — Comune di Bologna"`)
    expect(described(await dashboards.axe())).toEqual([])

    article = code
    await page.goto(`${siteOrigin}/article`)
    const embedded = (await (await page.locator('iframe').elementHandle())!.contentFrame())!
    await dashboards.ready('cases', embedded)
    const map = await dashboards.map('cases-by-area', 'area_statistica', embedded)
    expect(await map.locator('path[data-area-id]').count()).toBe(byArea.levels.area_statistica!.length)
    // That panel alone: no other panel, no key figure, no site header, no Embed action of its own.
    expect(await embedded.locator('section[data-panel-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-panel-id')))).toEqual(['cases-by-area'])
    expect(await embedded.locator('[data-panel-kind="kpi"]').count()).toBe(0)
    expect(await embedded.locator('.it-header-wrapper, .it-footer, nav.breadcrumb-container, [data-testid="panel-embed"]').count()).toBe(0)
    expect(await embedded.getByTestId('dashboard-title').innerText()).toBe(cases.title.en)
    expect(await embedded.getByTestId('dashboard-sources-line').innerText()).toContain(cases.sources[0]!.attribution)
    expect(await embedded.getByTestId('dashboard-open').getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cittadini\/cruscotti\/cases\?lang=en&cases-by-area\.level=area_statistica$/)
    expect(await embedded.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/dashboards-embedded-panel.png`, fullPage: true })

    // A key figure alone, as its own Embed action gives it.
    const kpi = cases.panels.find((p) => p.kind === 'kpi')!
    await dashboards.open(`/cittadini/cruscotti/cases?embed=1&panel=${kpi.id}`, 'en')
    await dashboards.ready('cases')
    expect(await page.locator('[data-panel-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-panel-id')))).toEqual([kpi.id])
    expect(described(await dashboards.axe())).toEqual([])

    // A panel the dashboard does not have: the whole dashboard.
    await dashboards.open('/cittadini/cruscotti/cases?embed=1&panel=no-such-panel', 'en')
    await dashboards.ready('cases')
    expect(await page.locator('[data-panel-kind="kpi"]').count()).toBe(cases.panels.filter((p) => p.kind === 'kpi').length)
    expect(await page.locator('section[data-panel-id]').count()).toBe(cases.panels.filter((p) => p.kind !== 'kpi').length)
  })
})
