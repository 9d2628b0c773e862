/**
 * 3D building tiles benchmark (`npx tsx bench/tiles3d-bench.ts`; prints figures, never pass/fail):
 *  1. generation: the Milan centre footprints of the bundle → tileset.json + batched GLBs, in
 *     process (median of 5) and through the server's cache (database read included);
 *  2. time to first render in headless Chromium (WebGL through SwiftShader): from the tileset
 *     request to the first frame with every tile in view loaded (Cesium's allTilesLoaded), cold
 *     (server generates) and warm (server and browser caches).
 * Needs the built client (npm run build). The buildings are read straight from the bundle's
 * GeoJSON (missing heights: 10 m, flagged estimated) so the bench does not depend on the importer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { openDb } from '../server/src/db/adapter'
import { migrate } from '../server/src/db/migrate'
import { BuildingTilesCache } from '../server/src/tiles3d/building-tiles-cache'
import type { BuildingFootprint, LonLat } from '../server/src/tiles3d/building-mesh'
import { buildBuildingTileset } from '../server/src/tiles3d/building-tileset'
import { insertBuildings } from '../server/src/tiles3d/testing/generated-buildings'
import { CITY_DATA_DIR } from '../tests/helpers/test-env'
import { launchChromium } from '../tests/e2e/browser'
import { GemelloProcess, freePort } from '../tests/helpers/gemello-process'
import { GlobePage } from '../tests/e2e/pages/globe-page'
import { seedBuildings } from '../tests/e2e/seed-buildings'

const FILE = path.join(CITY_DATA_DIR, 'buildings/milan_centro_osm_footprints_lidar_height.geojson')
const DUOMO: LonLat = [9.1919, 45.4641]
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const ms = (x: number) => `${x.toFixed(0)} ms`

function milanBuildings(): BuildingFootprint[] {
  const fc = JSON.parse(readFileSync(FILE, 'utf8')) as {
    features: Array<{ properties: { cat: number; height_med: number | null }; geometry: { type: string; coordinates: unknown } }>
  }
  return fc.features.map((f) => {
    const h = f.properties.height_med
    const measured = typeof h === 'number' && h > 0
    return {
      id: `milan-${f.properties.cat}`,
      heightM: measured ? h : 10,
      baseM: 0,
      estimated: !measured,
      polygons: (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as LonLat[][][],
    }
  })
}

async function generation(buildings: BuildingFootprint[]): Promise<void> {
  const times: number[] = []
  let tiles = 0
  let bytes = 0
  let gz = 0
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    const r = await buildBuildingTileset(buildings, { version: 'bench', contentPrefix: 'bench/' })
    times.push(performance.now() - t0)
    tiles = r.contents.size
    bytes = [...r.contents.values()].reduce((s, b) => s + b.byteLength, 0)
    gz = [...r.contents.values()].reduce((s, b) => s + gzipSync(b).byteLength, 0)
  }
  console.log(`generation, in process: ${buildings.length} buildings → ${tiles} GLB tiles, ${(bytes / 1e6).toFixed(2)} MB (${(gz / 1e6).toFixed(2)} MB gzip)`)
  console.log(`  median ${ms(median(times))}, min ${ms(Math.min(...times))} (5 runs)`)

  const db = await openDb({ kind: 'embedded', dataDir: null })
  await migrate(db)
  await insertBuildings(db, buildings, 'bench-milan-buildings')
  const cache = new BuildingTilesCache(db)
  const built = await cache.current()
  const t0 = performance.now()
  await cache.current()
  const warm = performance.now() - t0
  console.log(`generation, server cache on embedded PGlite (query + build): ${ms(built!.generationMs)}; warm tileset lookup ${warm.toFixed(1)} ms`)
  await db.close()
}

async function firstRender(buildings: BuildingFootprint[]): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gemello-bench-3d-'))
  await seedBuildings(dataDir, buildings, 'bench-milan-buildings')
  // No city data: the demo district boots in seconds; the buildings are the seeded ones.
  const gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dataDir, SIMULATOR: 'off', CITY_DATA_DIR: path.join(dataDir, 'no-city') })
  const browser = await launchChromium()
  try {
    await gemello.start()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await gemello.signInPage(page)
    const globe = new GlobePage(page, gemello.url)
    await page.goto(`${gemello.url}/?lang=en`)
    await page.waitForFunction(() => window.__gemello?.ready === true, undefined, { timeout: 120_000, polling: 100 })
    const pose = { center: DUOMO, zoom: 16, bearing: 30, pitch: 50 }
    await page.evaluate((p) => window.__gemello!.view(p.center[0]!, p.center[1]!, p.zoom, p.pitch, p.bearing), pose)
    for (const run of ['cold (server generates the tileset)', 'warm (server and browser caches)', 'warm']) {
      const t0 = Date.now()
      await globe.setViewMode('3d')
      const total = Date.now() - t0
      const b = (await globe.buildings())!
      const render = b.tilesLoadedMs !== null && b.tilesetRequestedMs !== null ? b.tilesLoadedMs - b.tilesetRequestedMs : NaN
      console.log(`first render, ${run}: tileset request → all tiles in view drawn ${ms(render)} (${b.tiles} tiles); switch click → 3D ready ${ms(total)}`)
      await globe.setViewMode('2d')
    }
    const foreign = globe.foreignRequests()
    if (foreign.length > 0) console.log(`WARNING: requests left the server: ${foreign.slice(0, 5).join(', ')}`)
  } finally {
    await browser.close()
    await gemello.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const buildings = milanBuildings()
console.log(`3D tiles benchmark — ${FILE}`)
await generation(buildings)
await firstRender(buildings)
