/**
 * A citizen on the citizen pages in a real Chromium against a real Gemello process on the Bologna data
 * (issue 10, docs/cases.md "Citizens"): signs in with "SPID" (a local OpenID Connect gateway that
 * signs them in at once, with level 2 and a fiscal code), reports a pothole on the map, sees it
 * received, and — after the office moves it on with a note — sees the new status and the note, and
 * is told on App IO; then asks for a driveway permit and gets its pagoPA notice number to pay. Gemello
 * talks to a loopback App IO and pagoPA GPD that validate every call against the published documents.
 * Each page passes axe-core's WCAG 2.1 A/AA rules and breaks no Content-Security-Policy rule.
 */
import { rmSync } from 'node:fs'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseDetail } from '../../contracts/case-api'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { jsonCall } from '../helpers/json-call'
import { startTestOp, type TestOp } from '../helpers/oidc-provider'
import { startAppIoMock, type AppIoMock } from '../helpers/platform-mock/appio-mock'
import { startGpdMock, type GpdMock } from '../helpers/platform-mock/gpd-mock'
import { waitFor } from '../helpers/wait-for'
import { preparedDataDir } from './data-dir'
import { CitizenPage, type AxeViolation } from './pages/citizen-page'

let gemello: GemelloProcess
let op: TestOp
let io: AppIoMock
let gpd: GpdMock
/** Set E2E_SCREENSHOTS=<dir> to keep a screenshot of each page for review. */
const shots = process.env.E2E_SCREENSHOTS
let browser: Browser
let dataDir: string
let admin: string
const contexts: BrowserContext[] = []
const ANNA = { fiscal: 'RSSNNA85M41A944K', given: 'Anna', family: 'Rossi' }

const api = <T>(method: string, route: string, body?: unknown) => jsonCall<T>(gemello.url, admin, method, route, body)
/** axe's findings as one line each (what a reviewer reads when the test fails). */
const described = (vs: AxeViolation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} [${n.why}]`).slice(0, 4).join(', ')}`)

beforeAll(async () => {
  dataDir = preparedDataDir('citizen')
  op = await startTestOp({ clientId: 'gemello-cittadini', clientSecret: 'citizen-client-secret' })
  op.user = { sub: 'spid-anna', preferred_username: 'spid-anna', name: 'Anna Rossi', roles: [], claims: { fiscal_number: `TINIT-${ANNA.fiscal}`, acr: 'https://www.spid.gov.it/SpidL2', given_name: ANNA.given, family_name: ANNA.family } }
  io = await startAppIoMock()
  io.profiles.set(ANNA.fiscal, { sender_allowed: true, preferred_languages: ['en_GB'] })
  gpd = await startGpdMock()
  const port = await freePort()
  gemello = new GemelloProcess({
    PORT: String(port),
    MQTT_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    SIMULATOR: 'off',
    CITIZEN_OIDC_ISSUER: op.issuer,
    CITIZEN_OIDC_CLIENT_ID: 'gemello-cittadini',
    CITIZEN_OIDC_CLIENT_SECRET: 'citizen-client-secret',
    CASE_PERSONAL_RETENTION_DAYS: '180',
    CITIZEN_OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/api/my/auth/callback`,
    IO_API_URL: io.baseUrl,
    IO_SUBSCRIPTION_KEY: io.key,
    PAGOPA_GPD_URL: gpd.baseUrl,
    PAGOPA_GPD_SUBSCRIPTION_KEY: gpd.key,
    PAGOPA_CREDITOR_FISCAL_CODE: gpd.organizationFiscalCode,
    PAGOPA_IBAN: 'IT60X0542811101000000123456',
    PAGOPA_SEGREGATION_CODE: '47',
  })
  await gemello.start()
  browser = await launchChromium()
  admin = await gemello.signIn()
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  await op?.close()
  await io?.close()
  await gpd?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('a citizen reports a pothole and follows it', () => {
  it('signs in with SPID, reports on the map, and sees the office’s status change and note; every page passes axe (WCAG 2.1 AA)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    contexts.push(context)
    const page = await context.newPage()
    const csp = await watchCsp(page)
    const citizen = new CitizenPage(page, gemello.url)

    await citizen.open('/cittadini/', 'en')
    expect(await page.locator('h1').innerText()).toBe('Reports to the Comune')
    expect(described(await citizen.axe())).toEqual([])
    await citizen.signIn()
    expect(await page.locator('.citizen-who').innerText()).toMatch(/Anna Rossi \(RSSNNA•+944K\)/)
    await page.waitForURL(/\/cittadini\/segnala$/)

    await page.getByTestId('report-map').locator('canvas').waitFor()
    // The privacy notice names the period this server keeps the reporter's data (CASE_PERSONAL_RETENTION_DAYS).
    expect(await page.locator('form').innerText()).toContain('deletes it 180 days after the report is closed')
    expect(described(await citizen.axe())).toEqual([])
    const id = await citizen.report({ service: /Pothole/, answers: { dimensione: 'Medium (30 cm – 1 m)' }, description: 'Deep pothole in front of number 3, dangerous for bikes' })
    expect(await citizen.status()).toBe('Received')
    expect(described(await citizen.axe())).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/citizen-received.png`, fullPage: true })

    // The office moves it on with a note for the citizen.
    const office = (await api<CaseDetail>('GET', `/api/cases/${id}`)).body
    expect(office.case).toMatchObject({ serviceCode: 'buca-stradale', source: 'web' })
    expect((await api('PATCH', `/api/cases/${id}`, { version: office.case.version, status: 'in_progress', statusNote: 'Crew on site tomorrow morning' })).status).toBe(200)

    await page.reload()
    await page.getByTestId('my-case').waitFor()
    expect(await citizen.status()).toBe('In progress')
    expect(await page.getByTestId('my-case-note').innerText()).toBe('Crew on site tomorrow morning')
    expect(await page.locator('.citizen-history').innerText()).toMatch(/In progress: “Crew on site tomorrow morning”/)
    // …and is told on App IO, once, in English (their IO language), with the office's note.
    await waitFor(() => io.messages.length === 1, 'the App IO message', 20_000, 200)
    expect(io.messages[0]).toMatchObject({ fiscal_code: ANNA.fiscal, subject: `Report no. ${id}: in progress` })
    expect(io.messages[0]!.markdown).toContain('Crew on site tomorrow morning')
    expect(io.violations).toEqual([])

    // A driveway permit has a fee: the citizen gets the pagoPA notice number to pay it with.
    await citizen.open('/cittadini/segnala', 'en')
    const permit = await citizen.report({ service: /Driveway|driveway/, answers: { larghezza_m: '3.5' }, description: 'Driveway permit for the garage at number 12' })
    await waitFor(
      async () => {
        await page.reload()
        return (await page.locator('#fee-title').innerText()).trim() === 'Payment: To pay'
      },
      'the fee published at pagoPA',
      30_000,
      1_000,
    )
    const fee = await page.getByTestId('my-case-fee').innerText()
    expect(fee).toMatch(/€50\.00/)
    expect(fee).toMatch(/347\d{15}/)
    expect(fee).toContain(gpd.organizationFiscalCode)
    expect(gpd.positions.size).toBe(1)
    expect(gpd.violations).toEqual([])
    expect(await page.getByRole('link', { name: 'Pay with pagoPA' }).getAttribute('href')).toBe('https://checkout.pagopa.it/')
    expect(described(await citizen.axe())).toEqual([])
    if (shots) await page.screenshot({ path: `${shots}/citizen-fee.png`, fullPage: true })
    expect(permit).toBeGreaterThan(id)

    // My reports lists it; in Italian too.
    await citizen.open('/cittadini/le-mie-segnalazioni', 'it')
    expect(await page.getByTestId('my-cases').innerText()).toMatch(new RegExp(`Buca nella strada — n\\. ${id}[\\s\\S]*In lavorazione`))
    expect(described(await citizen.axe())).toEqual([])
    expect(await csp()).toEqual([])
  })
})
