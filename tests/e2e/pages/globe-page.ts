import type { Page } from 'playwright-core'
import type { MapPose } from '../../../client/src/globe3d/camera-pose'
import type { GemelloTestApi3d } from '../../../client/src/app/test-hook-3d'

type Api = GemelloTestApi3d & { ready: boolean; select(id: string | null): void; selected(): string | null; hasDevice(id: string): boolean }

/** Page object of the 3D twin and the 2D ↔ 3D switch, through the DOM and window.__gemello. */
export class GlobePage {
  readonly requests: string[] = []
  constructor(private readonly page: Page, private readonly baseUrl: string) {
    page.on('request', (r) => this.requests.push(r.url()))
  }

  /** Requests that left this server (the twin must work with no internet). */
  foreignRequests(): string[] {
    return this.requests.filter((u) => !u.startsWith(this.baseUrl) && !u.startsWith('data:') && !u.startsWith('blob:'))
  }

  async open(query = 'lang=en&view=3d', timeout = 180_000): Promise<void> {
    await this.page.goto(`${this.baseUrl}/?${query}`)
    await this.waitReady3d(timeout)
  }

  async waitReady3d(timeout = 180_000): Promise<void> {
    await this.page.waitForFunction(() => (window.__gemello as unknown as Api | undefined)?.ready3d === true, undefined, { timeout, polling: 200 })
  }

  camera(): Promise<MapPose | null> {
    return this.page.evaluate(() => (window.__gemello as unknown as Api).camera())
  }

  /** Moves the 3D camera and waits until the building tiles in view are loaded and drawn. */
  async setCamera(pose: MapPose): Promise<void> {
    await this.page.evaluate((p) => (window.__gemello as unknown as Api).setCamera(p), pose)
  }

  async setViewMode(mode: '2d' | '3d'): Promise<void> {
    await this.page.evaluate((m) => (window.__gemello as unknown as Api).setViewMode(m), mode)
  }

  viewMode(): Promise<'2d' | '3d'> {
    return this.page.evaluate(() => (window.__gemello as unknown as Api).viewMode())
  }

  buildings(): ReturnType<Api['buildings']> extends infer R ? Promise<R> : never {
    return this.page.evaluate(() => (window.__gemello as unknown as Api).buildings()) as never
  }

  /** Page position of the centre of the 3D canvas. */
  async canvasCentre(): Promise<[number, number]> {
    const box = await this.page.locator('.globe-view canvas').boundingBox()
    if (!box) throw new Error('no 3D canvas')
    return [box.x + box.width / 2, box.y + box.height / 2]
  }

  pick(x: number, y: number) {
    return this.page.evaluate(([px, py]) => (window.__gemello as unknown as Api).pick3d(px!, py!), [x, y])
  }

  selectedBuilding(): Promise<string | null> {
    return this.page.evaluate(() => (window.__gemello as unknown as Api).selectedBuilding())
  }

  selectedDevice(): Promise<string | null> {
    return this.page.evaluate(() => (window.__gemello as unknown as Api).selected())
  }

  async waitForDevice(id: string, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction((want) => (window.__gemello as unknown as Api).hasDevice(want), id, { timeout, polling: 100 })
  }

  buildingCardText(): Promise<string> {
    return this.page.locator('.building-card').innerText()
  }

  /** Share of the 3D canvas's pixels that differ from its most common colour (0: blank). */
  async nonBackgroundShare(): Promise<number> {
    const png = await this.page.locator('.globe-view').screenshot()
    return this.page.evaluate(async (b64) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const c = document.createElement('canvas')
      c.width = img.width
      c.height = img.height
      const g = c.getContext('2d')!
      g.drawImage(img, 0, 0)
      const d = g.getImageData(0, 0, c.width, c.height).data
      const counts = new Map<number, number>()
      for (let i = 0; i < d.length; i += 4) {
        const key = ((d[i]! >> 3) << 10) | ((d[i + 1]! >> 3) << 5) | (d[i + 2]! >> 3)
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
      const top = Math.max(...counts.values())
      return 1 - top / (d.length / 4)
    }, png.toString('base64'))
  }

  screenshot(file: string): Promise<Buffer> {
    return this.page.screenshot({ path: file })
  }
}
