/**
 * The signal workbench in a real Chromium against a real Gemello process on the Bologna data
 * (issue 7, docs/signals.md): a traffic engineer opens junction 209's UTOPIA plan, breaks it with
 * one click and sees the violation where it is, undoes, lengthens the main green, saves, validates;
 * a second engineer approves (four-eyes: the author cannot); the first deploys, the simulated
 * controller verifies the hash and signature, switches at its safe point and acknowledges, and the
 * workbench shows the new plan running. The audit log holds every step with the plan hash.
 */
import { rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { jsonCall } from '../helpers/json-call'
import { SignalWorkbenchPage } from './pages/signal-workbench-page'

const ROSSI = { username: 'ing-rossi', displayName: 'Anna Rossi', roles: ['traffic_engineer'], password: 'engineer-password-e2e-1' }
const BIANCHI = { username: 'ing-bianchi', displayName: 'Luca Bianchi', roles: ['traffic_engineer'], password: 'engineer-password-e2e-2' }

let gemello: GemelloProcess
let browser: Browser
let dataDir: string
let admin: string
const contexts: BrowserContext[] = []

const api = <T>(method: string, route: string, body?: unknown) => jsonCall<T>(gemello.url, admin, method, route, body)

async function freshPage(): Promise<{ page: Page; bench: SignalWorkbenchPage; csp: () => Promise<string[]> }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  contexts.push(context)
  const page = await context.newPage()
  const csp = await watchCsp(page)
  return { page, bench: new SignalWorkbenchPage(page, gemello.url), csp }
}

beforeAll(async () => {
  dataDir = preparedDataDir('signals')
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir })
  await gemello.start()
  browser = await launchChromium()
  admin = await gemello.signIn()
  for (const user of [ROSSI, BIANCHI]) expect((await api('POST', '/api/users', user)).status).toBe(200)
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the signal workbench', () => {
  it('edits, validates, approves with four eyes and deploys a Bologna plan to its controller', async () => {
    const rossi = await freshPage()
    await rossi.bench.signIn(ROSSI.username, ROSSI.password)
    await rossi.bench.open()
    // The 13 controllers of the joined network, imported with their UTOPIA plans.
    await rossi.bench.controllerRow('209').waitFor()
    expect(await rossi.page.locator('[data-testid^="signal-controller-2"]').count()).toBe(13)
    await rossi.bench.openController('209')
    for (const g of ['S1', 'S2', 'S3', 'S4', 'S5', 'S6']) await rossi.bench.row(g).waitFor()
    expect(await rossi.bench.rejects()).toBe(0)

    // One click turns S1's yellow into red: green straight to red, rejected where it is.
    await rossi.bench.cell('S1', 1).click()
    await rossi.page.locator('[data-testid="signal-violation"][data-rule="SIG-03"][data-severity="reject"]').first().waitFor()
    expect(await rossi.bench.rejects()).toBeGreaterThan(0)
    expect(await rossi.bench.row('S1').getAttribute('data-severity')).toBe('reject')
    await rossi.bench.button('undo').click()
    await rossi.page.waitForFunction(() => document.querySelector('[data-testid="signal-violations"]')?.getAttribute('data-rejects') === '0')

    // Main green 69 → 60 s: the cycle follows; save as a new draft, validate on the server.
    await rossi.bench.setDuration(0, 60)
    await rossi.page.waitForFunction(() => document.querySelector('[data-testid="signal-cycle"]')?.textContent?.trim() === '108')
    await rossi.page.getByTestId('signal-note').fill('Main green 60 s for the morning peak')
    await rossi.bench.button('save').click()
    await rossi.bench.versionBadge(2).waitFor()
    await rossi.bench.button('validate').click()
    await rossi.page.waitForFunction(() => /validated|convalid/i.test(document.querySelector('[data-testid="signal-version-badge-2"]')?.textContent ?? ''), undefined, { timeout: 15_000 })

    // The author cannot approve (four-eyes); the other engineer does.
    await rossi.bench.button('approve').click()
    await rossi.bench.actionMessage().filter({ hasText: /another traffic engineer|four-eyes/i }).waitFor({ timeout: 10_000 })
    const bianchi = await freshPage()
    await bianchi.bench.signIn(BIANCHI.username, BIANCHI.password)
    await bianchi.bench.open()
    await bianchi.bench.openController('209')
    await bianchi.bench.versionBadge(2).click()
    await bianchi.bench.button('approve').click()
    await bianchi.page.waitForFunction(() => /approved|approvat/i.test(document.querySelector('[data-testid="signal-version-badge-2"]')?.textContent ?? ''), undefined, { timeout: 15_000 })

    // Rossi deploys (signed in minutes ago: no step-up prompt); the simulated controller acknowledges at its safe point.
    await rossi.page.reload()
    await rossi.page.waitForFunction(() => window.__gemello?.connection() === 'live', undefined, { timeout: 90_000, polling: 200 })
    await rossi.page.locator('.cr-menu > button').click()
    await rossi.page.locator('.cr-menu-item', { hasText: 'Signal workbench' }).click()
    await rossi.bench.openController('209')
    await rossi.bench.versionBadge(2).click()
    await rossi.bench.button('deploy').click()
    await rossi.bench.deploymentStatus().waitFor()
    await rossi.page.waitForFunction(() => document.querySelector('[data-testid="signal-deployment-status"]')?.getAttribute('data-status') === 'acknowledged', undefined, { timeout: 150_000, polling: 500 })
    await rossi.page.waitForFunction(() => /209-utopia v2/.test(document.querySelector('[data-testid="signal-running"]')?.textContent ?? ''), undefined, { timeout: 15_000 })

    // The junction's approach lanes for the map, one per lane of every group that has lanes.
    const geometry = await rossi.page.evaluate(async () => (await fetch('/api/signal-controllers/209/geometry')).json() as Promise<{ features: Array<{ properties: { kind: string; groupId?: string } }> }>)
    const lanesOf = new Set(geometry.features.filter((f) => f.properties.kind === 'lane').map((f) => f.properties.groupId))
    expect(lanesOf.size).toBeGreaterThanOrEqual(5)
    expect(geometry.features.some((f) => f.properties.kind === 'junction')).toBe(true)

    // Verify the deployed plan in SUMO: 10 minutes of the scenario's own demand on the joined network.
    await rossi.page.getByTestId('signal-tab-sumo').click()
    await rossi.page.getByTestId('signal-sumo-demand').selectOption('scenario')
    await rossi.page.getByTestId('signal-sumo-duration').selectOption('600')
    await rossi.page.getByTestId('signal-sumo-start').click()
    await rossi.page.waitForFunction(() => document.querySelector('li[data-testid^="signal-sumo-run-"]')?.getAttribute('data-status') === 'done', undefined, { timeout: 180_000, polling: 1000 })
    await rossi.page.locator('[data-testid^="signal-sumo-approach-"]').first().waitFor({ timeout: 15_000 })

    const audit = await api<{ entries: Array<{ action: string; actor: string; detail: Record<string, unknown> }> }>('GET', '/api/audit?target=signal_plan:209/209-utopia@v2&limit=20')
    const actions = audit.body.entries.map((e) => `${e.action} ${e.actor}`)
    expect(actions).toEqual(expect.arrayContaining(['signal_plan.create ing-rossi', 'signal_plan.validate ing-rossi', 'signal_plan.approve ing-bianchi', 'signal_plan.deploy ing-rossi', 'signal_plan.deploy_acknowledged system:signals']))
    const deploy = audit.body.entries.find((e) => e.action === 'signal_plan.deploy')!
    expect(deploy.detail).toMatchObject({ planHash: expect.stringMatching(/^[0-9a-f]{64}$/), validatorVersion: expect.stringMatching(/^gemello-signal-safety\//) })
    expect(await rossi.csp()).toEqual([])
    expect(await bianchi.csp()).toEqual([])
  }, 420_000)

  it('lets an operator read plans but not edit or deploy them', async () => {
    const OP = { username: 'operatore-sig', displayName: 'Marta Verdi', roles: ['operator'], password: 'operator-password-e2e-s' }
    expect((await api('POST', '/api/users', OP)).status).toBe(200)
    const op = await freshPage()
    await op.bench.signIn(OP.username, OP.password)
    await op.bench.open()
    await op.bench.openController('210')
    await op.bench.row('S1').waitFor()
    const res = await op.page.evaluate(async () => (await fetch('/api/signal-controllers/210/deployments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ planId: '210-utopia', version: 1 }) })).status)
    expect(res).toBe(403)
  }, 180_000)
})
