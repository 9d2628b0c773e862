import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

/** The Gemello server the dev server proxies to (REST, health, Socket.IO). */
const api = process.env.GEMELLO_API ?? 'http://127.0.0.1:8080'

/** A folder of this file's URL as a path (no node:* import: client/ stays browser-only by rule). */
const dir = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname)

// Run from the repository root: `npx vite --config client/vite.config.ts` (dev) or
// `npx vite build --config client/vite.config.ts` (→ client/dist, served by the server at /).
export default defineConfig({
  root: dir('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    // Libraries in their own chunks: they change less often than the app and stay cached.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'deckgl', test: /node_modules[\\/]@(deck|luma|math|loaders|probe)\.gl/ },
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
    },
  },
  preview: { host: '127.0.0.1', port: 4173 },
})
