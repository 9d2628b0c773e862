/**
 * Sign-in, a forbidden action and sign-out in a real Chromium against a real Gemello process
 * (ADR 0005): the operations center asks who you are, shows what your roles may not do as not
 * allowed (and the server refuses it too), and signing out ends the session on the server.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, watchCsp } from './browser'
import { GemelloProcess, freePort } from '../helpers/gemello-process'
import { preparedDataDir } from './data-dir'
import { TEST_ADMIN } from '../helpers/staff-session'

let gemello: GemelloProcess
let browser: Browser
let dataDir: string
const contexts: BrowserContext[] = []

beforeAll(async () => {
  dataDir = preparedDataDir('access')
  gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off' })
  await gemello.start()
  browser = await launchChromium()
  // A planner: may see the live map, may not open the ingest quarantine (ops:read).
  const admin = await gemello.signIn()
  const res = await fetch(`${gemello.url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ username: 'pianificatrice', displayName: 'Giulia Bianchi', roles: ['planner'], password: 'planner-password-e2e' }),
  })
  expect(res.status).toBe(200)
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await gemello?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

async function freshPage(): Promise<{ page: Page; csp: () => Promise<string[]> }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  contexts.push(context)
  const page = await context.newPage()
  return { page, csp: await watchCsp(page) }
}

async function signInWithForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('signing in to the operations center', () => {
  it('asks who you are, refuses a wrong password, and opens the live map for the administrator', async () => {
    const { page, csp } = await freshPage()
    await page.goto(`${gemello.url}/?lang=en`)
    await page.getByRole('heading', { name: 'Sign in to the operations center' }).waitFor()
    // The data attributions are shown before sign-in too.
    expect(await page.locator('.sign-in-attributions').textContent()).toContain('Comune di Bologna')
    await signInWithForm(page, TEST_ADMIN.username, 'not-the-password')
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor()
    await signInWithForm(page, TEST_ADMIN.username, TEST_ADMIN.password)
    await page.locator('.user-chip', { hasText: 'Administrator' }).waitFor()
    await page.waitForFunction(() => window.__gemello?.connection() === 'live', undefined, { timeout: 60_000, polling: 200 })
    // The administrator may read the quarantine and the audit log, where this sign-in is.
    expect(await page.getByRole('button', { name: /Quarantine/ }).isEnabled()).toBe(true)
    await page.getByRole('button', { name: 'Audit log' }).click()
    await page.locator('.audit-table tr[data-action="session.sign-in-failed"]').first().waitFor()
    await page.locator('.audit-table tr[data-action="session.sign-in"]').first().waitFor()
    expect(await csp()).toEqual([])
  })

  it('shows a planner the quarantine as not allowed, and the server refuses it as well', async () => {
    const { page, csp } = await freshPage()
    await page.goto(`${gemello.url}/?lang=en`)
    await signInWithForm(page, 'pianificatrice', 'planner-password-e2e')
    await page.locator('.user-chip', { hasText: 'Giulia Bianchi' }).waitFor()
    const quarantine = page.getByRole('button', { name: /Quarantine/ })
    expect(await quarantine.isDisabled()).toBe(true)
    expect(await quarantine.getAttribute('title')).toBe('Not allowed for your roles: needs operator, traffic engineer, administrator')
    expect(await page.getByRole('button', { name: 'Users' }).count()).toBe(0)
    const direct = await page.evaluate(async () => {
      const r = await fetch('/api/quarantine')
      return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code }
    })
    expect(direct).toEqual({ status: 403, code: 'FORBIDDEN' })
    expect(await csp()).toEqual([])
  })

  it('signs out: the sign-in page comes back, a reload stays signed out, and the old cookie opens nothing', async () => {
    const { page, csp } = await freshPage()
    await page.goto(`${gemello.url}/?lang=en`)
    await signInWithForm(page, 'pianificatrice', 'planner-password-e2e')
    await page.locator('.user-chip', { hasText: 'Giulia Bianchi' }).waitFor()
    const [cookie] = await page.context().cookies(gemello.url)
    expect(cookie).toMatchObject({ name: '__Host-gemello_session', httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
    expect(await page.evaluate(() => document.cookie)).toBe('')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You signed out.').waitFor()
    await page.reload()
    await page.getByRole('heading', { name: 'Sign in to the operations center' }).waitFor()
    const copied = await fetch(`${gemello.url}/api/devices?limit=1`, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } })
    expect(copied.status).toBe(401)
    expect(await csp()).toEqual([])
  })

  it('on a first run, the link printed on the console creates the administrator in the browser, once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gemello-e2e-firstrun-'))
    // No bootstrap administrator, no city data (the demo district boots fast): a true first run.
    const fresh = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dir, SIMULATOR: 'off', CITY_DATA_DIR: path.join(dir, 'no-city'), GEMELLO_ADMIN_USERNAME: '', GEMELLO_ADMIN_PASSWORD: '' })
    try {
      await fresh.start()
      const link = /First run — no staff account yet[^\n]*\n\s*(http:\/\/\S+#setup=[A-Za-z0-9_-]+)/.exec(fresh.output)?.[1]
      expect(link).toBeTruthy()
      const { page, csp } = await freshPage()
      await page.goto(link!.replace('/#', '/?lang=en#'))
      await page.getByRole('heading', { name: 'First run: create the administrator' }).waitFor()
      await page.getByLabel('Username').fill('anna')
      await page.getByLabel('Password', { exact: true }).fill('first-admin-password')
      await page.getByLabel('Repeat the password').fill('first-admin-password')
      await page.getByRole('button', { name: 'Create the administrator and sign in' }).click()
      await page.locator('.user-chip', { hasText: 'anna' }).waitFor()
      expect(page.url()).not.toContain('setup=')
      // The link is spent: another browser gets the normal sign-in page.
      const other = await freshPage()
      await other.page.goto(link!.replace('/#', '/?lang=en#'))
      await other.page.getByRole('heading', { name: 'Sign in to the operations center' }).waitFor()
      expect(await csp()).toEqual([])
    } finally {
      await fresh.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
