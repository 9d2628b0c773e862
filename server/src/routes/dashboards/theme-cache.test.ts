import { describe, expect, it } from 'vitest'
import type { ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { ThemeCache } from './theme-dashboard-routes'

const built = (n: number) => ({ id: 'cases', generatedAtMs: n }) as unknown as ThemeDashboard

describe('ThemeCache: a public dashboard is built at most once per period', () => {
  it('serves the same build within the TTL, shares a build in progress, and rebuilds after', async () => {
    const c = new ThemeCache(60_000)
    let builds = 0
    const build = () => Promise.resolve(built(++builds))
    const [a, b] = await Promise.all([c.get('cases/90', 0, build), c.get('cases/90', 10, build)])
    expect(builds).toBe(1)
    expect(b).toBe(a)
    expect((await c.get('cases/90', 59_999, build)).generatedAtMs).toBe(1)
    expect((await c.get('cases/30', 59_999, build)).generatedAtMs).toBe(2)
    expect((await c.get('cases/90', 60_000, build)).generatedAtMs).toBe(3)
  })
  it('forgets a failed build, so the next request tries again', async () => {
    const c = new ThemeCache(60_000)
    await expect(c.get('works/0', 0, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down')
    expect((await c.get('works/0', 1, () => Promise.resolve(built(7)))).generatedAtMs).toBe(7)
  })
  it('with a TTL of 0 builds every time', async () => {
    const c = new ThemeCache(0)
    let builds = 0
    await c.get('k', 0, () => Promise.resolve(built(++builds)))
    await c.get('k', 0, () => Promise.resolve(built(++builds)))
    expect(builds).toBe(2)
  })
})
