import type { Page } from 'playwright-core'

/** Signs the page in through the sign-in API from one of Gemello's own pages (the form itself is tests/e2e/access.e2e.ts's). */
export async function signInThroughApi(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/api/about`)
  const status = await page.evaluate(
    async (body) => (await fetch('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status,
    JSON.stringify({ username, password }),
  )
  if (status !== 200) throw new Error(`sign-in of ${username} failed: HTTP ${status}`)
}
