import type { Express } from 'express'
import { ROUTES } from '../../../../contracts/api'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import type { SceneCatalog } from './scene-catalog'

export function mountSceneRoutes(app: Express, catalog: SceneCatalog): void {
  mount(app, ROUTES.listScenes, async () => ({
    scenes: catalog.scenes.map(({ id, title, description, view }) => ({ id, title, description, view })),
  }))
  mount(app, ROUTES.getScene, async ({ params }) => {
    const scene = catalog.scenes.find((s) => s.id === params.id)
    if (!scene) {
      const known = catalog.scenes.map((s) => s.id).join(', ')
      throw new ApiError('SCENE_NOT_FOUND', `No scene "${params.id}". Scenes: ${known}.`)
    }
    return scene
  })
}
