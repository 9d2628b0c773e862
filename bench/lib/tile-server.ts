/**
 * Child process of the tile benchmark: the tile routes of Gemello (createApp + mountTileRoutes
 * behind withTileFastPath, as gemello.ts builds its server) on the benchmark database, so that the HTTP server and the
 * benchmark's clients do not share one event loop. Beside it, a bare node:http server sending a
 * fixed 3 KB body: the most requests per second these clients can make on this machine. IPC: 'clear' empties the tile cache,
 * 'stats' returns its counters, 'stop' exits.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { openDb } from '../../server/src/db/adapter'
import { createApp } from '../../server/src/http/app'
import { mountTileRoutes, withTileFastPath } from '../../server/src/tiles/tile-routes'
import { TileService } from '../../server/src/tiles/tile-service'

async function main(): Promise<void> {
  const db = await openDb({ kind: 'server', url: process.env.BENCH_DATABASE_URL! }, { poolSize: 8 })
  const service = new TileService(db, { cacheBytes: Number(process.env.BENCH_CACHE_BYTES ?? 256 * 1024 * 1024) })
  const app = createApp({ clientDir: null, mountRoutes: (a) => mountTileRoutes(a, service) })
  const server = createServer(withTileFastPath(service, app)).listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  server.keepAliveTimeout = 65_000
  server.on('connection', (s) => s.setNoDelay(true))
  const body = Buffer.alloc(3 * 1024, 7)
  const floor = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/vnd.mapbox-vector-tile')
    res.end(body)
  }).listen(0, '127.0.0.1')
  await new Promise((r) => floor.once('listening', r))
  floor.keepAliveTimeout = 65_000
  process.on('message', async (m: { type: string; reqId?: number }) => {
    if (m.type === 'clear') {
      service.cache.clear()
      process.send!({ reqId: m.reqId, type: 'ok' })
    } else if (m.type === 'stats') {
      process.send!({ reqId: m.reqId, type: 'ok', ...service.cache.stats() })
    } else if (m.type === 'stop') {
      for (const s of [server, floor]) {
        s.closeAllConnections()
        s.close()
      }
      await db.close()
      process.exit(0)
    }
  })
  process.send!({
    type: 'ready',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    floorUrl: `http://127.0.0.1:${(floor.address() as AddressInfo).port}`,
  })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
