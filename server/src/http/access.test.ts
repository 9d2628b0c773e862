import express from 'express'
import { describe, expect, it } from 'vitest'
import { declareRoute, guarded, undeclaredRoutes } from './access'

describe('the route inventory', () => {
  it('lists every route nobody declared, in nested routers too, and none that were declared', () => {
    const app = express()
    guarded(app, 'get', '/t/declared', 'opendata:read', (_q, r) => void r.end())
    app.post('/t/forgotten', (_q, r) => void r.end())
    const nested = express.Router()
    nested.delete('/t/inner', (_q, r) => void r.end())
    app.use('/n', nested)
    app.all('/t/{*rest}', (_q, r) => void r.end())
    expect(undeclaredRoutes(app).sort()).toEqual(['ALL /t/{*rest}', 'DELETE /t/inner', 'POST /t/forgotten'])
    const other = express()
    guarded(other, 'all', '/u/{*rest}', 'anyone', (_q, r) => void r.end())
    expect(undeclaredRoutes(other)).toEqual([])
  })

  it('refuses one route declared with two different permissions', () => {
    declareRoute('put', '/t/twice', 'census:write')
    expect(() => declareRoute('put', '/t/twice', 'anyone')).toThrow(/declared twice/)
  })
})
