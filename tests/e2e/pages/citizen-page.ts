import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: string[]; why: string }>
}

/**
 * Page object of the citizen pages (/cittadini/): Bootstrap Italia markup driven by labels and roles,
 * and an accessibility check with axe-core (WCAG 2.0/2.1 A and AA rules) evaluated in the page —
 * through the DevTools protocol, so the page's own CSP stays as it is.
 */
export class CitizenPage {
  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(path = '/cittadini/', lang = 'en'): Promise<void> {
    await this.page.goto(`${this.baseUrl}${path}?lang=${lang}`)
    await this.page.locator('main#main h1').waitFor()
  }

  /** A sign-in button (the page's own, or the header's): the local gateway signs the citizen in at once and sends them back. */
  async signIn(where: 'page' | 'header' = 'page'): Promise<void> {
    await this.page.locator(`${where === 'page' ? 'main' : 'header'} [data-testid="citizen-sign-in"]`).click()
    await this.page.locator('.citizen-who').waitFor()
  }

  /** axe-core's WCAG 2.1 AA violations of the page as it is now. */
  async axe(): Promise<AxeViolation[]> {
    await this.page.evaluate(AXE_SOURCE)
    return this.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }).axe
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
      type Node = { target: string[]; any?: Array<{ message?: string }> }
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: (v.nodes as unknown as Node[]).map((n) => ({ target: n.target, why: n.any?.[0]?.message ?? '' })) }))
    })
  }

  /** Fills the report form and sends it; resolves with the new report's number once its page is shown. */
  async report(o: { service: RegExp; answers: Record<string, string>; description: string }): Promise<number> {
    const form = this.page.locator('form')
    const options = await this.page.locator('#report-service option').allTextContents()
    const label = options.find((x) => o.service.test(x))
    if (!label) throw new Error(`no service matches ${o.service}: ${options.join(' | ')}`)
    await this.page.locator('#report-service').selectOption({ label })
    for (const [code, value] of Object.entries(o.answers)) {
      const el = this.page.locator(`#attr-${code}`)
      if ((await el.evaluate((x) => x.tagName)) === 'SELECT') await el.selectOption({ label: value })
      else await el.fill(value)
    }
    await this.page.getByLabel(/^Description$|^Descrizione$/).fill(o.description)
    await form.getByRole('button', { name: /Send the report|Invia la segnalazione/ }).click()
    await this.page.waitForURL(/\/cittadini\/segnalazioni\/\d+$/)
    await this.page.getByTestId('my-case').waitFor()
    return Number(/(\d+)$/.exec(this.page.url())![1])
  }

  async status(): Promise<string> {
    return (await this.page.locator('.citizen-status').first().innerText()).trim()
  }
}
