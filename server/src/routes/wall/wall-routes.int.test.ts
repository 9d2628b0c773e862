/**
 * The wall layouts over real HTTP and real sessions: the shipped layouts listed and served, an
 * unknown id answered 404 with the ids that exist, and nothing without a session.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ListWallLayoutsResponseSchema } from '../../../../contracts/dashboard-api'
import type { ErrorEnvelope } from '../../../../contracts/errors'
import { WallLayoutSchema } from '../../../../contracts/wall'
import { serveRoutes, type RouteApp } from '../../../../tests/helpers/route-app'
import { createTestDb, type TestDb } from '../../../../tests/helpers/test-db'
import { loadWallLayouts } from './wall-layouts'
import { mountWallRoutes } from './wall-routes'

const WALLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../scenes/walls')

let t: TestDb
let app: RouteApp
let url: string
let cookie: string

beforeAll(async () => {
  t = await createTestDb()
  const layouts = loadWallLayouts(WALLS)
  app = await serveRoutes(t.db, (a) => mountWallRoutes(a, layouts))
  url = app.url
  cookie = await app.account('wall-operator', ['operator'])
}, 120_000)

afterAll(async () => {
  await app?.close()
  await t?.drop()
})

const get = (p: string, withCookie = true) => fetch(`${url}${p}`, { headers: withCookie ? { cookie } : {} })

describe('GET /api/wall-layouts', () => {
  it('lists the layouts by id with their names', async () => {
    const res = await get('/api/wall-layouts')
    expect(res.status).toBe(200)
    expect(ListWallLayoutsResponseSchema.parse(await res.json())).toEqual({
      layouts: [
        { id: 'control-room', name: 'Control room' },
        { id: 'mobility', name: 'Mobility' },
      ],
    })
  })

  it('serves one layout as the contract describes it', async () => {
    const res = await get('/api/wall-layouts/control-room')
    expect(res.status).toBe(200)
    const layout = WallLayoutSchema.parse(await res.json())
    expect(layout).toMatchObject({ id: 'control-room', columns: 4, rows: 3 })
    expect(layout.tiles.find((tile) => tile.id === 'live-map')).toEqual({ id: 'live-map', type: 'map', col: 1, row: 1, colSpan: 2, rowSpan: 2, options: { scene: 'bologna-overview' } })
  })

  it('answers an unknown layout with 404 NOT_FOUND and the layouts that exist', async () => {
    const res = await get('/api/wall-layouts/lobby')
    expect(res.status).toBe(404)
    expect(((await res.json()) as ErrorEnvelope).error).toEqual({
      code: 'NOT_FOUND',
      message: 'No wall layout "lobby". Layouts: control-room, mobility.',
      details: [{ path: 'params.id', message: 'one of: control-room, mobility' }],
    })
  })

  it('needs a session with live:read', async () => {
    for (const p of ['/api/wall-layouts', '/api/wall-layouts/control-room']) {
      const res = await get(p, false)
      expect(res.status).toBe(401)
      expect(((await res.json()) as ErrorEnvelope).error.code).toBe('UNAUTHENTICATED')
    }
  })
})
