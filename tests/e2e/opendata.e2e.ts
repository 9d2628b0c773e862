/**
 * A visitor on the open-data portal in a real Chromium against a real Gemello process on the Bologna
 * data (issue 11, docs/opendata.md): no sign-in. From the citizen pages' menu to the catalogue; a
 * search narrows it, the count is said; the sensors' dataset shows its licence with the Italian
 * vocabulary's IRI, its features on a map with a text alternative, and a CSV whose download link
 * answers the file; the hourly traffic counts (seeded for the last hours) show their first rows as a
 * table. Each page passes axe-core's WCAG 2.1 A/AA rules and breaks no Content-Security-Policy rule.
 */
import { rmSync } from 'node:fs'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OpenDataCatalogue, OpenDataset } from '../../contracts/opendata-api'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { waitFor } from '../helpers/wait-for'
import { preparedDataDir } from './data-dir'
import type { AxeViolation } from './pages/citizen-page'
import { OpenDataPortalPage } from './pages/opendata-page'
import { seedRecentTrafficCounts } from './seed-recent-counts'

let gemello: GemelloProcess
/** Set E2E_SCREENSHOTS=<dir> to keep a screenshot of each page for review. */
const shots = process.env.E2E_SCREENSHOTS
let browser: Browser
let dataDir: string
let catalogue: OpenDataCatalogue
const contexts: BrowserContext[] = []
const LICENCE_IRI = 'https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40'

/** axe's findings as one line each (what a reviewer reads when the test fails). */
const described = (vs: AxeViolation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} [${n.why}]`).slice(0, 4).join(', ')}`)
const listed = (c: OpenDataCatalogue) => c.datasets.filter((d) => d.status === 'published' && d.distributions.length > 0)
const readCatalogue = async () => (await (await fetch(`${gemello.url}/api/opendata`)).json()) as OpenDataCatalogue

beforeAll(async () => {
  dataDir = preparedDataDir('opendata')
  await seedRecentTrafficCounts(dataDir, { loops: 8, hours: 3 })
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  const startedAtMs = Date.now()
  await gemello.start()
  browser = await launchChromium()
  // The first refresh runs ≈ 5 s after the start and publishes dataset after dataset, then validates
  // the catalogue: its validation dated after the start says the refresh is complete.
  await waitFor(
    async () => {
      catalogue = await readCatalogue()
      return (catalogue.validation?.atMs ?? 0) >= startedAtMs && listed(catalogue).some((d) => d.id === 'sensori')
    },
    'the first open-data refresh, with "sensori" published',
    120_000,
    500,
  )
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('a visitor finds, previews and downloads open data', () => {
  it('searches the catalogue, opens the sensors (licence IRI, map, CSV) and the traffic counts (table); every page passes axe (WCAG 2.1 AA)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    contexts.push(context)
    const page = await context.newPage()
    const csp = await watchCsp(page)
    const portal = new OpenDataPortalPage(page, gemello.url)
    const total = listed(catalogue).length
    const sensors = catalogue.datasets.find((d) => d.id === 'sensori')!

    // From the citizen pages' menu to the catalogue: a page of its own, focus on its content.
    await portal.open('/cittadini/', 'it')
    if (shots) await page.screenshot({ path: `${shots}/opendata-home.png`, fullPage: true })
    await portal.followMenu('Dati aperti')
    expect(await page.locator('h1').innerText()).toBe('Dati aperti')
    expect(await page.title()).toBe('Dati aperti — Segnalazioni — Comune di Bologna')
    await waitFor(async () => (await page.evaluate(() => document.activeElement?.id)) === 'main', 'the focus on the new page’s content', 5_000)
    expect(await portal.count()).toBe(`${total} dataset trovati su ${total}`)
    expect(await portal.quality()).toMatch(catalogue.validation?.validated ? /^Metadati (non )?conformi a DCAT-AP_IT \(validazione SHACL del .+\): \d+ violazion[ei]\./ : /^(Metadati non validati|La validazione)/)
    expect(described(await portal.axe())).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/opendata-catalogue.png`, fullPage: true })

    // A search narrows the list and says how many are left (aria-live); a theme narrows it further.
    await portal.search('Sensori')
    await waitFor(async () => (await portal.count()) !== `${total} dataset trovati su ${total}`, 'the count after the search', 10_000)
    const found = await portal.resultIds()
    expect(found).toContain('sensori')
    expect(found.length).toBeLessThan(total)
    expect(await portal.count()).toBe(`${found.length} dataset ${found.length === 1 ? 'trovato' : 'trovati'} su ${total}`)
    expect(await page.getByTestId('opendata-count').getAttribute('aria-live')).toBe('polite')
    await portal.toggleFilter(/^Ambiente/)
    for (const id of await portal.resultIds()) expect(await portal.themesOf(id)).toContain('ENVI')
    await portal.toggleFilter(/^Ambiente/)
    expect(page.url()).toMatch(/[?&]q=Sensori/)
    if (shots) await page.screenshot({ path: `${shots}/opendata-search.png`, fullPage: true })

    // The sensors: licence with its vocabulary IRI, the map with its text alternative, the CSV.
    await portal.openDataset('sensori')
    expect(await portal.title()).toBe('Sensori del gemello digitale')
    expect(await page.title()).toBe('Sensori del gemello digitale — Dati aperti — Comune di Bologna')
    expect(await portal.licenceIri()).toEqual({ text: LICENCE_IRI, href: LICENCE_IRI })
    const map = await portal.mapPreview()
    expect(map.canvas).toBe(true)
    expect(map.features).toBe(sensors.rowCount)
    expect(map.alternative).toBe(`Mappa di ${sensors.rowCount} elementi (punti); scarica i dati per l’elenco completo.`)
    const csvHref = await portal.downloadHref('csv')
    expect(csvHref).toBe(`${gemello.url}/opendata/datasets/sensori/data.csv`)
    const csv = await fetch(csvHref)
    expect(csv.status).toBe(200)
    expect((await csv.text()).split('\r\n')[0]).toBe(['wkt', ...sensors.columns.map((c) => c.name)].join(','))
    expect(described(await portal.axe())).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/opendata-dataset-map.png`, fullPage: true })

    // Back to the results as they were: the search is in the address.
    await page.goBack()
    await page.getByTestId('opendata-results').waitFor()
    expect(await page.getByRole('searchbox').inputValue()).toBe('Sensori')

    // A table without geometry: its CSV's first rows (the traffic counts seeded for the last hours).
    const table = pickTable(catalogue)
    await portal.open(`/cittadini/dati/${table.id}`, 'en')
    const preview = await portal.tablePreview()
    expect(preview.header).toEqual(table.columns.map((c) => c.name))
    expect(preview.rows).toHaveLength(Math.min(20, table.rowCount!))
    expect(preview.caption).toMatch(table.rowCount! > 20 ? /^First 20 rows of / : /^All \d+ rows$/)
    expect(await page.getByTestId('dataset-metadata').innerText()).toMatch(/Update frequency\s+(Hourly|Daily)/)
    expect(described(await portal.axe())).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/opendata-dataset-table.png`, fullPage: true })
    expect(await csp()).toEqual([])
  })
})

/** The traffic counts when they have rows, else another dataset without geometry that has some. */
function pickTable(c: OpenDataCatalogue): OpenDataset {
  const tables = listed(c).filter((d) => d.geometry === null && (d.rowCount ?? 0) > 0)
  const chosen = tables.find((d) => d.id === 'traffico-spire-orario') ?? tables[0]
  if (!chosen) throw new Error(`no published dataset without geometry has rows: ${listed(c).map((d) => `${d.id}(${d.rowCount})`).join(', ')}`)
  return chosen
}
