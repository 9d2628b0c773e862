import type { Locator, Page } from 'playwright-core'
import { signInThroughApi } from './sign-in'
import type { WallLayout } from '../../../contracts/wall'
import type { TileReport } from '../../../client/src/wall/tile-registry'

export interface DomRect {
  x: number
  y: number
  width: number
  height: number
}

/** The grid box of the wall as the page laid it out: its size, the gap between cells and the padding around them. */
export interface WallGrid {
  width: number
  height: number
  gapPx: number
  paddingPx: number
}

/** Page object of the video wall (/wall?layout=<id>): what a wall screen shows, through the DOM and window.__gemelloWall. */
export class WallPage {
  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  /** Signs the page in through the sign-in API from one of Gemello's own pages (a wall signs in with a display account). */
  signIn(username: string, password: string): Promise<void> {
    return signInThroughApi(this.page, this.baseUrl, username, password)
  }

  async open(layout: string, query = 'lang=en', timeout = 180_000): Promise<void> {
    await this.page.goto(`${this.baseUrl}/wall?layout=${encodeURIComponent(layout)}&${query}`)
    await this.waitReady(timeout)
  }

  /** The layout is loaded and every tile has drawn its first data (the map and the 3D view included). */
  async waitReady(timeout = 180_000): Promise<void> {
    await this.page.waitForFunction(() => window.__gemelloWall?.ready === true, undefined, { timeout, polling: 250 })
  }

  layout(): Promise<WallLayout> {
    return this.page.evaluate(() => window.__gemelloWall!.layout()!)
  }

  tiles(): Promise<Record<string, TileReport>> {
    return this.page.evaluate(() => window.__gemelloWall!.tiles())
  }

  tile(id: string): Locator {
    return this.page.locator(`.wall-tile[data-tile-id="${id}"]`)
  }

  async grid(): Promise<WallGrid> {
    return this.page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('main.wall')!
      const s = getComputedStyle(el)
      return { width: el.clientWidth, height: el.clientHeight, gapPx: Number.parseFloat(s.rowGap), paddingPx: Number.parseFloat(s.paddingTop) }
    })
  }

  /** Where each tile is drawn, in CSS pixels from the wall's top-left. */
  tileRects(): Promise<Record<string, DomRect>> {
    return this.page.evaluate(() => {
      const wall = document.querySelector('main.wall')!.getBoundingClientRect()
      const out: Record<string, { x: number; y: number; width: number; height: number }> = {}
      for (const el of document.querySelectorAll<HTMLElement>('.wall-tile')) {
        const r = el.getBoundingClientRect()
        out[el.dataset.tileId!] = { x: r.left - wall.left, y: r.top - wall.top, width: r.width, height: r.height }
      }
      return out
    })
  }

  /**
   * The smallest font size of any visible text on the wall, and where it is. Marks inside icons drawn
   * to their viewBox (a priority shape's number) are left out: they repeat the word written beside them.
   */
  smallestText(): Promise<{ px: number; text: string; tile: string | null }> {
    return this.page.evaluate(() => {
      let smallest = { px: Infinity, text: '', tile: null as string | null }
      const walker = document.createTreeWalker(document.querySelector('main.wall')!, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = (n.textContent ?? '').trim()
        const el = n.parentElement
        if (!text || !el || el.closest('svg[viewBox]') || el.closest('.visually-hidden')) continue
        const style = getComputedStyle(el)
        const box = el.getBoundingClientRect()
        if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.height === 0) continue
        const px = Number.parseFloat(style.fontSize)
        if (px < smallest.px) smallest = { px, text: text.slice(0, 60), tile: el.closest<HTMLElement>('.wall-tile')?.dataset.tileId ?? null }
      }
      return smallest
    })
  }

  /** Every tile's data-age line, by tile id. */
  ages(): Promise<Record<string, string>> {
    return this.page.evaluate(() => {
      const out: Record<string, string> = {}
      for (const el of document.querySelectorAll<HTMLElement>('.wall-tile')) out[el.dataset.tileId!] = el.querySelector<HTMLElement>('.wall-age')?.innerText ?? ''
      return out
    })
  }

  alarmRow(deviceId: string): Locator {
    return this.page.locator(`.wall-tile-alarms .wall-alarm[data-device-id="${deviceId}"]`)
  }

  /**
   * Records in the page the moment (Date.now(), the machine's clock the test also reads) an alarm
   * row of the device first appears on the wall; read it with `alarmSeenAtMs`.
   */
  async watchAlarm(deviceId: string): Promise<void> {
    await this.page.evaluate((id) => {
      const w = window as unknown as { __alarmSeenAt?: number }
      delete w.__alarmSeenAt
      const selector = `.wall-tile-alarms .wall-alarm[data-device-id="${id}"]`
      if (document.querySelector(selector)) throw new Error(`an alarm of ${id} is already on the wall`)
      const observer = new MutationObserver(() => {
        if (document.querySelector(selector)) {
          w.__alarmSeenAt = Date.now()
          observer.disconnect()
        }
      })
      observer.observe(document.body, { childList: true, subtree: true })
    }, deviceId)
  }

  async alarmSeenAtMs(timeout = 30_000): Promise<number> {
    const handle = await this.page.waitForFunction(() => (window as unknown as { __alarmSeenAt?: number }).__alarmSeenAt, undefined, { timeout, polling: 'raf' })
    return (await handle.jsonValue()) as number
  }

  async waitConnection(status: string, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction((s) => document.querySelector('main.wall')?.getAttribute('data-connection') === s, status, { timeout, polling: 100 })
  }

  bannerText(): Promise<string> {
    return this.page.locator('.wall-banners').innerText()
  }

  /** Waits until every tile says its data is fresh (after a reconnection: the polled tiles asked again). */
  async waitAllFresh(timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(() => Object.values(window.__gemelloWall!.tiles()).every((t) => t.ready && t.ageState === 'fresh'), undefined, { timeout, polling: 250 })
  }

  focusCard(): Locator {
    return this.page.locator('.wall-focus-card')
  }

  screenshot(file: string): Promise<Buffer> {
    return this.page.screenshot({ path: file })
  }
}
