/**
 * `npm run bench:tiles` — vector tiles on PostgreSQL over the Bologna extent, z12–z16:
 *  - per zoom, median and p95 ms of one tile over HTTP (cache empty: the full render path) and
 *    of the bare ST_AsMVT query on a pool, interleaved tile by tile in the same run, and the total
 *    through the tile service in process (query + hash + gzip, no HTTP hop);
 *  - tiles/s with 8 concurrent clients, HTTP (cache empty) and bare; the HTTP overhead;
 *  - warm cache: ms per tile and cached tiles/s with 8 clients; the largest tile;
 *  - the embedded path (PGlite, ST_AsMVT-less: SQL clip + TypeScript encoder), in process.
 * The HTTP server is a child process (bench/lib/tile-server.ts). Prints figures; never pass/fail.
 * TILES_PER_ZOOM (default 60) sets the size of the tile list; TEST_DATABASE_URL the server.
 */
import { loadavg } from 'node:os'
import { openDb, type Db } from '../server/src/db/adapter'
import { migrate } from '../server/src/db/migrate'
import { cityExtent } from '../server/src/db/city'
import { renderTile } from '../server/src/tiles/tile-renderer'
import { TileService } from '../server/src/tiles/tile-service'
import { mvtSql } from '../server/src/tiles/tile-sql'
import { TILE_SOURCES, tileSource } from '../server/src/tiles/tile-sources'
import type { TileCoord } from '../server/src/tiles/tile-grid'
import { importCity } from '../geodata/src/import-city'
import { CITY_DATA_DIR, TEST_DATABASE_URL } from '../tests/helpers/test-env'
import { createDatabase, dropDatabase } from './lib/services'
import { startChild, stopChild } from './lib/processes'
import { cpuSeconds, pidsNamed } from './lib/proc-cpu'
import { benchTiles, getTile, median, ms, quantile, throughput } from './lib/tile-load'

const DB_NAME = 'gemello_bench_tiles'
const ZOOMS = [12, 13, 14, 15, 16]
const PER_ZOOM = Number(process.env.TILES_PER_ZOOM ?? 60)
const CONCURRENCY = 8
const WARM_REQUESTS = 20_000
const ROUNDS = 3
const BASE = tileSource('base')!

const load = () => `load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`
const url = (base: string, t: TileCoord, source = 'base') => `${base}/tiles/${source}/${t.z}/${t.x}/${t.y}.pbf`
const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

async function loadCity(db: Db, label: string): Promise<void> {
  await migrate(db)
  const r = await importCity(db, CITY_DATA_DIR)
  const rows = await db.query<{ t: string; n: number }>(
    `SELECT 'street_arc' t, count(*)::int n FROM street_arc UNION ALL SELECT 'area', count(*)::int FROM area UNION ALL SELECT 'device', count(*)::int FROM device
     UNION ALL SELECT 'road_edge', count(*)::int FROM road_edge UNION ALL SELECT 'land_use', count(*)::int FROM land_use UNION ALL SELECT 'building', count(*)::int FROM building
     UNION ALL SELECT 'sumo_lane', count(*)::int FROM sumo_lane`,
  )
  console.log(`${label}: city imported in ${(r.durationMs / 1000).toFixed(1)} s — ${rows.rows.map((x) => `${x.t} ${x.n}`).join(', ')}${r.failures.length ? ` — not imported: ${r.failures.map((f) => f.dataset).join(', ')}` : ''}`)
}

async function main(): Promise<void> {
  console.log(`Gemello tile benchmark — ${new Date().toISOString()} — ${PER_ZOOM} tiles per zoom, z${ZOOMS[0]}–z${ZOOMS.at(-1)}, ${CONCURRENCY} concurrent clients — ${load()}`)
  const dbUrl = await createDatabase(TEST_DATABASE_URL, DB_NAME)
  const db = await openDb({ kind: 'server', url: dbUrl }, { poolSize: 8 })
  const server = await (async () => {
    await loadCity(db, 'PostgreSQL')
    return startChild('bench/lib/tile-server.ts', { BENCH_DATABASE_URL: dbUrl })
  })()
  const httpBase = String(server.ready.url)
  try {
    const bbox = (await cityExtent(db)) ?? [11.23, 44.42, 11.43, 44.56]
    const tiles = benchTiles(bbox, ZOOMS, PER_ZOOM)
    console.log(`tile list: ${tiles.length} tiles over [${bbox.map((v) => v.toFixed(3)).join(', ')}] (${ZOOMS.map((z) => `z${z} ${tiles.filter((t) => t.z === z).length}`).join(', ')})`)
    const bare = (t: TileCoord) => db.query(mvtSql(BASE, t.z), [t.z, t.x, t.y])

    // Warm PostgreSQL's buffers and the plan cache of every connection, then forget the tiles.
    await throughput(tiles, CONCURRENCY, bare)
    await throughput(tiles, CONCURRENCY, (t) => getTile(url(httpBase, t)))
    await server.request({ type: 'clear' })

    // 1. One client: bare query, the tile service in this process (no cache: query, hash, gzip)
    //    and the HTTP request, tile by tile.
    const seq: Record<number, { bare: number[]; service: number[]; http: number[] }> = Object.fromEntries(ZOOMS.map((z) => [z, { bare: [], service: [], http: [] }]))
    const service = new TileService(db, { cacheBytes: 0 })
    for (const t of tiles) {
      seq[t.z]!.bare.push(await time(() => bare(t)))
      seq[t.z]!.service.push(await time(() => service.tile(BASE, t)))
      seq[t.z]!.http.push(await time(() => getTile(url(httpBase, t))))
    }
    // 2. Eight clients, cache empty; three alternating rounds, the median of each (the machine is shared).
    const bareRounds: number[] = []
    const httpRounds: number[] = []
    const cpu = { bare: { pg: 0, server: 0, bench: 0 }, http: { pg: 0, server: 0, bench: 0 } }
    const serverPid = server.proc.pid ?? 0
    const account = async (k: 'bare' | 'http', fn: () => Promise<number>) => {
      const pg0 = cpuSeconds(pidsNamed('postgres'))
      const sv0 = cpuSeconds([serverPid])
      const b0 = process.cpuUsage()
      const tps = await fn()
      const b = process.cpuUsage(b0)
      cpu[k].pg += cpuSeconds(pidsNamed('postgres')) - pg0
      cpu[k].server += cpuSeconds([serverPid]) - sv0
      cpu[k].bench += (b.user + b.system) / 1e6
      return tps
    }
    for (let round = 0; round < ROUNDS; round++) {
      bareRounds.push(await account('bare', () => throughput(tiles, CONCURRENCY, bare)))
      await server.request({ type: 'clear' })
      httpRounds.push(await account('http', () => throughput(tiles, CONCURRENCY, (t) => getTile(url(httpBase, t)))))
    }
    const bareTps = median(bareRounds)
    const httpTps = median(httpRounds)
    // 3. Largest tile of every source; this pass fills the cache.
    let largest = { bytes: 0, gz: 0, what: '' }
    for (const source of TILE_SOURCES) {
      for (const t of tiles) {
        const r = await db.query<{ mvt: Uint8Array }>(mvtSql(source, t.z), [t.z, t.x, t.y])
        const bytes = r.rows[0]?.mvt.length ?? 0
        if (bytes > largest.bytes) largest = { bytes, gz: (await getTile(url(httpBase, t, source.id))).bytes, what: `${source.id} ${t.z}/${t.x}/${t.y}` }
      }
    }
    // 4. Warm cache.
    await throughput(tiles, CONCURRENCY, (t) => getTile(url(httpBase, t)))
    const warm: number[] = []
    for (let i = 0; i < 2000; i++) warm.push(await time(() => getTile(url(httpBase, tiles[i % tiles.length]!))))
    const warmList = Array.from({ length: WARM_REQUESTS }, (_, i) => tiles[i % tiles.length]!)
    const warmRounds: number[] = []
    const floorRounds: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      warmRounds.push(await throughput(warmList, CONCURRENCY, (t) => getTile(url(httpBase, t))))
      floorRounds.push(await throughput(warmList, CONCURRENCY, () => getTile(String(server.ready.floorUrl))))
    }
    const warmTps = median(warmRounds)
    const floorTps = median(floorRounds)
    const stats = await server.request<{ hits: number; misses: number; bytes: number; entries: number }>({ type: 'stats' })

    // 5. Embedded: PGlite, in this process, the same tiles through the TypeScript encoder.
    const embedded = await openDb({ kind: 'embedded', dataDir: null })
    await loadCity(embedded, 'embedded PGlite')
    const emb: Record<number, number[]> = Object.fromEntries(ZOOMS.map((z) => [z, []]))
    for (const t of tiles) await renderTile(embedded, BASE, t)
    for (const t of tiles) emb[t.z]!.push(await time(() => renderTile(embedded, BASE, t)))
    await embedded.close()

    console.log('\nbase source, ms per tile, one client (HTTP: cache empty, gzip; bare: ST_AsMVT on the pool)')
    console.log('zoom   tiles   HTTP median   HTTP p95   bare median   bare p95   overhead   embedded median   embedded p95')
    for (const z of ZOOMS) {
      const s = seq[z]!
      const over = (median(s.http) - median(s.bare)) / median(s.bare)
      console.log(
        `z${z}`.padEnd(7) + String(s.http.length).padStart(5) + ms(median(s.http)).padStart(14) + ms(quantile(s.http, 0.95)).padStart(11) +
          ms(median(s.bare)).padStart(14) + ms(quantile(s.bare, 0.95)).padStart(11) + `${(over * 100).toFixed(0)} %`.padStart(11) +
          ms(median(emb[z]!)).padStart(18) + ms(quantile(emb[z]!, 0.95)).padStart(15),
      )
    }
    const sum = (k: 'bare' | 'service' | 'http') => ZOOMS.reduce((a, z) => a + seq[z]![k].reduce((x, y) => x + y, 0), 0)
    const pct = (k: 'service' | 'http') => `${(((sum(k) - sum('bare')) / sum('bare')) * 100).toFixed(1)} %`
    console.log(`all zooms, total time: bare ${ms(sum('bare'))} ms, tile service in process ${ms(sum('service'))} ms (+${pct('service')}), HTTP ${ms(sum('http'))} ms (+${pct('http')}; target ≤ 15 %)`)
    console.log(`\n${CONCURRENCY} concurrent clients, cache empty (median of ${ROUNDS} rounds): HTTP ${httpTps.toFixed(0)} tiles/s, bare ST_AsMVT ${bareTps.toFixed(0)} tiles/s — overhead ${((bareTps / httpTps - 1) * 100).toFixed(1)} % (target ≤ 15 %); rounds HTTP ${httpRounds.map((v) => v.toFixed(0)).join('/')}, bare ${bareRounds.map((v) => v.toFixed(0)).join('/')}`)
    const perTile = (c: { pg: number; server: number; bench: number }) => `PostgreSQL ${ms((c.pg * 1000) / (ROUNDS * tiles.length))}, tile server ${ms((c.server * 1000) / (ROUNDS * tiles.length))}, bench client ${ms((c.bench * 1000) / (ROUNDS * tiles.length))}`
    console.log(`  CPU ms per tile — bare: ${perTile(cpu.bare)}; HTTP: ${perTile(cpu.http)} (PostgreSQL counts every backend of the shared server)`)
    console.log(`median z14 over HTTP: ${ms(median(seq[14]!.http))} ms (target ≤ 30 ms)`)
    console.log(`largest tile: ${(largest.bytes / 1024).toFixed(1)} KB (${(largest.gz / 1024).toFixed(1)} KB gzipped), ${largest.what} (target ≤ 500 KB)`)
    console.log(`warm cache: median ${ms(median(warm))} ms, p95 ${ms(quantile(warm, 0.95))} ms per tile, one client (target ≤ 2 ms)`)
    console.log(`warm cache: ${warmTps.toFixed(0)} tiles/s with ${CONCURRENCY} clients, median of ${ROUNDS} rounds (target ≥ 10,000) — cache ${stats.entries} tiles, ${(stats.bytes / 1024 / 1024).toFixed(1)} MiB`)
    console.log(`  reference: a bare node:http server sending 3 KB answers ${floorTps.toFixed(0)} requests/s to the same clients (${((warmTps / floorTps) * 100).toFixed(0)} % of it)`)
    console.log(`\nat the end: ${load()} (this machine has 2 cores; figures above a load of 2 include waiting for them)`)
  } finally {
    await stopChild(server)
    await db.close()
    await dropDatabase(TEST_DATABASE_URL, DB_NAME)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
