/**
 * The census editor in a real Chromium against a real Gemello process on the Bologna data (issue 8,
 * ADR 0008): a GIS editor draws a new pole on the map with terra-draw and fills its form (the
 * contract's checks inline), saves it (201, version 1) and finds it in the list; drags it a dozen
 * metres and saves (version 2); sees both versions in the history with their difference. Another
 * editor changes the pole through the OGC API meanwhile (PATCH with If-Match, version 3): the first
 * editor's next save is refused with 412 and the conflict view shows the other's values beside hers;
 * she re-applies her change on top of theirs and saves (version 4) — nothing overwritten. An operator
 * sees the census read-only; the public, signed out, sees no editor at all and cannot write.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { jsonCall } from '../helpers/json-call'
import { signIn } from '../helpers/staff-session'
import { CensusEditorPage } from './pages/census-editor-page'

const ANNA = { username: 'gis-anna', displayName: 'Anna Neri', roles: ['gis_editor'], password: 'gis-editor-password-e2e-1' }
const MARCO = { username: 'gis-marco', displayName: 'Marco Galli', roles: ['gis_editor'], password: 'gis-editor-password-e2e-2' }
const MARTA = { username: 'operatore-census', displayName: 'Marta Verdi', roles: ['operator'], password: 'operator-password-e2e-c' }

/** Via dell'Archiginnasio, beside Piazza Maggiore; the pole is then moved about 12 m east. */
const FIRST: [number, number] = [11.34262, 44.49295]
const MOVED: [number, number] = [11.34277, 44.49295]
const ZOOM = 19

interface Feature {
  id: number
  geometry: { type: string; coordinates: number[] }
  properties: Record<string, unknown>
}

let gemello: GemelloProcess
let browser: Browser
let dataDir: string
let admin: string
let poleId = 0
const contexts: BrowserContext[] = []

const api = <T>(method: string, route: string, body?: unknown) => jsonCall<T>(gemello.url, admin, method, route, body)

async function freshPage(): Promise<{ page: Page; census: CensusEditorPage; csp: () => Promise<string[]> }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  contexts.push(context)
  const page = await context.newPage()
  const csp = await watchCsp(page)
  return { page, census: new CensusEditorPage(page, gemello.url), csp }
}

async function item(id: number, cookie = admin): Promise<{ status: number; etag: string | null; feature: Feature }> {
  const res = await fetch(`${gemello.url}/ogc/collections/poles/items/${id}?f=json`, { headers: cookie ? { cookie } : {} })
  return { status: res.status, etag: res.headers.get('etag'), feature: (await res.json()) as Feature }
}

beforeAll(async () => {
  dataDir = preparedDataDir('census')
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir })
  await gemello.start()
  browser = await launchChromium()
  admin = await gemello.signIn()
  for (const user of [ANNA, MARCO, MARTA]) expect((await api('POST', '/api/users', user)).status).toBe(200)
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the census editor', () => {
  it('draws a pole, moves it, shows its history and resolves a concurrent change without overwriting it', async () => {
    const anna = await freshPage()
    const { census, page } = anna
    await census.signIn(ANNA.username, ANNA.password)
    await census.open()
    await census.openCollection('poles')
    await census.view(FIRST, ZOOM)

    // Draw: "New pole", then a click on the map where it stands.
    await census.newFeature()
    await census.clickMap(FIRST)
    await census.drawing('edit')
    await census.waitDrawnPoint()
    const lon = Number((await page.getByTestId('census-lon').inputValue()).replace(',', '.'))
    expect(Math.abs(lon - FIRST[0])).toBeLessThan(1e-5)

    // The form is the asset type's; the contract's checks answer as one types.
    await census.fill('heightM', '50')
    await census.fieldError('heightM').filter({ hasText: 'At most 40 m' }).waitFor()
    await census.fill('heightM', '8.5')
    await census.fieldError('heightM').waitFor({ state: 'detached' })
    await census.fill('material', 'steel')
    await census.fill('armCount', '1')
    await census.fill('name', 'Palo Archiginnasio 1')
    await census.save('Nuovo palo dal rilievo')
    await census.waitVersion(1)
    poleId = await census.editorId()
    expect(poleId).toBeGreaterThan(0)
    const created = await item(poleId)
    expect(created.etag).toBe(`"${poleId}:v1"`)
    expect(created.feature.properties).toMatchObject({ name: 'Palo Archiginnasio 1', heightM: 8.5, material: 'steel', armCount: 1, status: 'functional', _version: 1 })

    // It is in the list of the collection's features in view.
    await census.back().click()
    await census.featureRow(poleId).waitFor()
    await census.featureRow(poleId).click()
    await census.editor(poleId).waitFor()
    await census.drawing('edit')

    // Move: drag the point about 12 m east on the map, save: version 2.
    await census.view(FIRST, ZOOM)
    await census.waitDrawnPoint()
    await census.dragMap(FIRST, MOVED)
    await page.locator('[data-testid="census-editor"][data-dirty]').waitFor()
    await census.save('Spostato sul marciapiede')
    await census.waitVersion(2)
    const moved = (await item(poleId)).feature
    expect(Math.abs(moved.geometry.coordinates[0]! - MOVED[0])).toBeLessThan(2e-5)
    expect(Math.abs(moved.geometry.coordinates[1]! - MOVED[1])).toBeLessThan(2e-5)

    // History: two versions, newest first, and their difference (the move, drawn on the map too).
    await census.tab('history').click()
    await census.versionRow(2).waitFor()
    expect(await page.locator('tr[data-testid^="census-version-"]').count()).toBe(2)
    expect(await census.versionRow(2).innerText()).toContain('gis-anna')
    expect(await census.versionRow(2).innerText()).toContain('Spostato sul marciapiede')
    await page.locator('[data-testid="census-diff"][data-from="1"][data-to="2"]').waitFor()
    expect(await page.getByTestId('census-diff-geometry').innerText()).toMatch(/Moved 1\d(\.\d)? m/)
    await page.waitForFunction(() => window.__gemello!.renderedFeatures('census-overlay-point-before').length === 1, undefined, { timeout: 10_000 })
    await census.tab('attributes').click()

    // Meanwhile Marco (QGIS or a script) changes the pole through the OGC API, naming version 2.
    const marco = await signIn(gemello.url, MARCO.username, MARCO.password)
    const patched = await fetch(`${gemello.url}/ogc/collections/poles/items/${poleId}`, {
      method: 'PATCH',
      headers: { cookie: marco, 'content-type': 'application/merge-patch+json', 'if-match': `"${poleId}:v2"`, 'x-gemello-note': encodeURIComponent('Nome dal catasto') },
      body: JSON.stringify({ properties: { name: 'Palo Marco', armCount: 2 } }),
    })
    expect(patched.status).toBe(200)
    expect(patched.headers.get('etag')).toBe(`"${poleId}:v3"`)

    // Anna, still on version 2, changes the height and saves: 412, the conflict view, nothing overwritten.
    await census.fill('heightM', '9')
    await census.save('Altezza misurata')
    await census.conflict().waitFor()
    expect(await page.getByTestId('census-conflict-who').innerText()).toMatch(/gis-marco changed this feature at .* \(version 3\)/)
    expect(await census.conflictTheirs('name').innerText()).toBe('Palo Marco')
    expect(await census.conflictTheirs('armCount').innerText()).toBe('2')
    expect((await item(poleId)).feature.properties).toMatchObject({ name: 'Palo Marco', heightM: 8.5, _version: 3 })

    // Re-apply hers on top of his, then save with his ETag: version 4 holds both changes.
    await page.getByTestId('census-conflict-reapply').click()
    await census.conflict().waitFor({ state: 'detached' })
    expect(await census.field('name').inputValue()).toBe('Palo Marco')
    expect(await census.field('heightM').inputValue()).toBe('9')
    await census.save('Altezza misurata')
    await census.waitVersion(4)
    expect((await item(poleId)).feature.properties).toMatchObject({ name: 'Palo Marco', armCount: 2, heightM: 9, _version: 4 })
    const history = await api<{ versions: Array<{ version: number; editor: string; note: string | null; lastWriterWins: boolean }> }>('GET', `/api/census/poles/${poleId}/history`)
    expect(history.body.versions.map((v) => [v.version, v.editor, v.lastWriterWins])).toEqual([
      [1, 'gis-anna', false],
      [2, 'gis-anna', false],
      [3, 'gis-marco', false],
      [4, 'gis-anna', false],
    ])
    expect(history.body.versions.map((v) => v.note)).toEqual(['Nuovo palo dal rilievo', 'Spostato sul marciapiede', 'Nome dal catasto', 'Altezza misurata'])
    expect(await anna.csp()).toEqual([])
  }, 420_000)

  it('shows the census read-only to an operator; the public sees no editor and cannot write', async () => {
    expect(poleId).toBeGreaterThan(0)
    const marta = await freshPage()
    await marta.census.signIn(MARTA.username, MARTA.password)
    await marta.census.openLink('poles', poleId)
    await marta.page.locator('.census-editor .permission-note').waitFor()
    expect(await marta.census.field('name').isDisabled()).toBe(true)
    expect(await marta.census.enabledWriteControls()).toBe(0)
    await marta.census.back().click()
    await marta.census.featureRow(poleId).waitFor()
    expect(await marta.census.enabledWriteControls()).toBe(0)
    // A click on the pole on the map opens it (census features take the map's clicks while the census is open).
    await marta.census.view(MOVED, ZOOM)
    await marta.page.waitForFunction((id) => window.__gemello!.renderedFeatures('census-point').some((f) => f.id === id), poleId, { timeout: 15_000, polling: 100 })
    await marta.census.clickMap(MOVED)
    await marta.census.editor(poleId).waitFor()
    const refused = await marta.page.evaluate(
      async (id) => (await fetch(`/ogc/collections/poles/items/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json', 'if-match': `"${id}:v4"` }, body: JSON.stringify({ properties: { heightM: 1 } }) })).status,
      poleId,
    )
    expect(refused).toBe(403)

    // Signed out, the link leads to the sign-in page: no census, no write button.
    const visitor = await freshPage()
    await visitor.page.goto(`${gemello.url}/?lang=en&census=poles/${poleId}`)
    await visitor.page.getByRole('heading', { name: 'Sign in to the operations center' }).waitFor()
    expect(await visitor.page.getByTestId('census-panel').count()).toBe(0)
    expect(await visitor.census.enabledWriteControls()).toBe(0)
    const publicRead = await item(poleId, '')
    expect(publicRead.status).toBe(200)
    expect(publicRead.feature.properties).not.toHaveProperty('notes')
    const anonymous = await fetch(`${gemello.url}/ogc/collections/poles/items/${poleId}`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json', 'if-match': `"${poleId}:v4"` }, body: '{"properties":{"heightM":1}}' })
    expect(anonymous.status).toBe(401)
    expect(await marta.csp()).toEqual([])
  }, 240_000)
})
