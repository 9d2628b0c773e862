/**
 * Where the built client serves Cesium's static files (Workers, Assets, Widgets, ThirdParty; see
 * client/vite.config.ts). Imported before `cesium` so that the value is there when Cesium looks.
 */
export const CESIUM_BASE_URL = '/cesium/'

declare global {
  interface Window {
    CESIUM_BASE_URL?: string
  }
}

window.CESIUM_BASE_URL ??= CESIUM_BASE_URL
