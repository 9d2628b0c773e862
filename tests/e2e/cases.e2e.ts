/**
 * The offices' citizen cases in a real Chromium against a real Gemello process on the Bologna data
 * (issue 10, docs/cases.md "The office screens"): a citizen's app reports a pothole through Open311,
 * the operator finds it in the cases panel and on the map, opens it by clicking its point, assigns it
 * and changes its status with a note — which the public Open311 GET then shows —, and a second
 * operator's open list follows the change live. A planner has no cases menu item.
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { jsonCall } from '../helpers/json-call'
import { CasesPage } from './pages/cases-page'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const OPERATOR = { username: 'operatore', displayName: 'Marco Rossi', roles: ['operator'], password: 'operator-password-e2e' }
const SECOND = { username: 'operatrice', displayName: 'Anna Verdi', roles: ['operator'], password: 'operator2-password-e2e' }
const PLANNER = { username: 'pianificatore', displayName: 'Giulia Bianchi', roles: ['planner'], password: 'planner-password-e2e' }
/** Via dell'Indipendenza by the Montagnola: inside the comune, on a street. */
const POTHOLE: [number, number] = [11.34521, 44.50213]

let gemello: GemelloProcess
let browser: Browser
let dataDir: string
let admin: string
let apiKey: string
const contexts: BrowserContext[] = []

const api = <T>(method: string, route: string, body?: unknown) => jsonCall<T>(gemello.url, admin, method, route, body)

async function freshPage(): Promise<{ page: Page; cases: CasesPage; csp: () => Promise<string[]> }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } })
  contexts.push(context)
  const page = await context.newPage()
  const csp = await watchCsp(page)
  return { page, cases: new CasesPage(page, gemello.url), csp }
}

/** A citizen's app posts a report through Open311 (form-encoded, with its api_key), as FixMyStreet apps do. */
async function report(description: string, at: [number, number]): Promise<number> {
  const form = new URLSearchParams({ api_key: apiKey, service_code: 'buca-stradale', long: String(at[0]), lat: String(at[1]), description, 'attribute[dimensione]': '2', email: 'cittadino@example.org', first_name: 'Lucia' })
  const res = await fetch(`${gemello.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
  expect(res.status).toBe(201)
  const [created] = (await res.json()) as Array<{ service_request_id: string }>
  return Number(created!.service_request_id)
}

/** The CLI's environment: the embedded database in the data dir, nothing of the test runner's. */
function cliEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir }
  for (const k of ['GEMELLO_TEST_TARGET', 'DATABASE_URL', 'MQTT_URL', 'REDIS_URL']) delete env[k]
  return env
}

beforeAll(async () => {
  dataDir = preparedDataDir('cases')
  // The Open311 client is registered with the CLI while the embedded database is not open (as an administrator would).
  const out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/src/open311/open311-cli.ts', 'add-client', 'App Segnalazioni E2E'], {
    cwd: ROOT,
    env: cliEnv(dataDir),
    encoding: 'utf8',
  })
  apiKey = /api_key (\S+)/.exec(out)![1]!
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  admin = await gemello.signIn()
  for (const user of [OPERATOR, SECOND, PLANNER]) expect((await api('POST', '/api/users', user)).status).toBe(200)
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the offices’ citizen cases', () => {
  it('finds an Open311 report in the list and on the map, assigns it and changes its status; the citizen reads the note; another operator’s list follows live', async () => {
    const id = await report('Buca profonda davanti al civico 40, pericolosa per le bici', POTHOLE)
    const { page, cases, csp } = await freshPage()
    await cases.signIn(OPERATOR.username, OPERATOR.password)
    await cases.open()
    await cases.row(id).waitFor()
    expect(await cases.row(id).innerText()).toMatch(new RegExp(`#${id} Pothole[\\s\\S]*New`))

    // Its point on the map opens it.
    await cases.view(POTHOLE, 17)
    await cases.clickCaseOnMap(POTHOLE, id)
    const detail = cases.detail(id)
    expect(await detail.innerText()).toMatch(/Buca profonda davanti al civico 40/)
    expect(await detail.innerText()).not.toMatch(/cittadino@example\.org|Lucia/) // contact data only on an audited request

    // A second operator watches the open list.
    const other = await freshPage()
    await other.cases.signIn(SECOND.username, SECOND.password)
    await other.cases.open()
    await other.cases.row(id).waitFor()

    await cases.assign(id, OPERATOR.username)
    await cases.setStatus(id, 'in_progress', 'Intervento programmato per domani mattina')
    expect(await detail.locator('.case-status').innerText()).toMatch(/In progress/)
    expect(await detail.locator('.case-events').innerText()).toMatch(/Intervento programmato per domani mattina/)

    // The citizen's app reads the status and the note through Open311.
    const pub = (await (await fetch(`${gemello.url}/open311/v2/requests/${id}.json`)).json()) as Array<{ status: string; status_notes: string | null }>
    expect(pub[0]).toMatchObject({ status: 'open', status_notes: 'Intervento programmato per domani mattina' })

    // The other operator's list shows the change without a reload.
    await other.page.waitForFunction((caseId) => /In progress/.test(document.querySelector(`.case-row[data-case-id="${caseId}"]`)?.textContent ?? ''), id, { timeout: 15_000 })

    // Closing takes it off the open list and the map.
    await cases.setStatus(id, 'fixed', 'Buca chiusa')
    await other.page.locator(`.case-row[data-case-id="${id}"]`).waitFor({ state: 'detached', timeout: 15_000 })
    expect(await csp()).toEqual([])
    expect(await other.csp()).toEqual([])
  })

  it('shows no cases to a planner', async () => {
    const { page, cases } = await freshPage()
    await cases.signIn(PLANNER.username, PLANNER.password)
    await page.goto(`${gemello.url}/?lang=en`)
    await cases.waitMapReady()
    await page.locator('.cr-menu > button').click()
    expect(await page.locator('.cr-menu-item', { hasText: /Citizen cases/ }).count()).toBe(0)
    expect(await page.locator('input[name="layer-citizen-cases"]').count()).toBe(0)
  })
})
