/** The wall layouts over HTTP: the list for a picker, and one layout for /wall?layout=<id>. */
import type { Express } from 'express'
import { DASHBOARD_ROUTES } from '../../../../contracts/dashboard-api'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import type { WallLayoutCatalog } from './wall-layouts'

export function mountWallRoutes(app: Express, layouts: WallLayoutCatalog): void {
  mount(app, DASHBOARD_ROUTES.listWallLayouts, async () => ({ layouts: layouts.layouts.map(({ id, name }) => ({ id, name })) }))
  mount(app, DASHBOARD_ROUTES.getWallLayout, async ({ params }) => {
    const layout = layouts.layouts.find((l) => l.id === params.id)
    if (!layout) {
      const known = layouts.layouts.map((l) => l.id)
      throw new ApiError('NOT_FOUND', `No wall layout "${params.id}". Layouts: ${known.length > 0 ? known.join(', ') : 'none'}.`, [
        { path: 'params.id', message: `one of: ${known.join(', ')}` },
      ])
    }
    return layout
  })
}
