import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { viteStaticCopy } from 'vite-plugin-static-copy'

/** The Gemello server the dev server proxies to (REST, health, Socket.IO). */
const api = process.env.GEMELLO_API ?? 'http://127.0.0.1:8080'

/** A folder of this file's URL as a path (no node:* import: client/ stays browser-only by rule). */
const dir = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname)

/**
 * Cesium's static files (web workers, assets, widget CSS and images, third-party WASM), served at
 * /cesium/ where globe3d/cesium-base-url.ts points CESIUM_BASE_URL. Copied in dev and build.
 */
const cesiumBuild = dir('../node_modules/cesium/Build/Cesium')
const cesiumStatic = viteStaticCopy({
  targets: ['Workers', 'Assets', 'Widgets', 'ThirdParty'].map((d) => ({ src: `${cesiumBuild}/${d}`, dest: 'cesium' })),
})

// Run from the repository root: `npx vite --config client/vite.config.ts` (dev) or
// `npx vite build --config client/vite.config.ts` (→ client/dist, served by the server at /).
export default defineConfig({
  root: dir('.'),
  base: '/',
  plugins: [react(), cesiumStatic],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    // Libraries in their own chunks: they change less often than the app and stay cached.
    rolldownOptions: {
      // The operations center, and the citizen pages (/cittadini/) with their own entry.
      input: { main: dir('index.html'), cittadini: dir('cittadini.html') },
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'deckgl', test: /node_modules[\\/]@(deck|luma|math|loaders|probe)\.gl/ },
            { name: 'cesium', test: /node_modules[\\/](cesium|@cesium)[\\/]/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|i18next|react-i18next)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    // The contracts live beside client/.
    fs: { allow: [dir('..')] },
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/healthz': { target: api, changeOrigin: true },
      '/readyz': { target: api, changeOrigin: true },
      '/socket.io': { target: api, changeOrigin: true, ws: true },
      // The census's OGC API – Features (the census editor reads and writes features there).
      '/ogc': { target: api, changeOrigin: true },
      // The base-map style and the vector tiles; changeOrigin off so the style's tile URLs name this dev server.
      '/styles': { target: api },
      '/tiles': { target: api },
    },
  },
  preview: { host: '127.0.0.1', port: 4173 },
})
