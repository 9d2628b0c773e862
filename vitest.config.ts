import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { defineConfig } from 'vitest/config'

// Unit tests (*.test.ts) and integration tests (*.int.test.ts) run together under `npm test` on
// the embedded database and broker; `npm run test:services` runs only the integration tests on
// real PostgreSQL/PostGIS and Mosquitto; browser tests (*.e2e.ts) have their own config.
const services = process.env.GEMELLO_TEST_TARGET === 'services'
const EXCLUDE = ['node_modules/**', 'client/dist/**', '.gemello-data/**']
const SOURCE_DIRS = ['bench', 'client', 'contracts', 'geodata', 'ingest', 'scripts', 'server', 'simulator', 'tests']

/**
 * The integration files that use the shared Mosquitto or Redis of `test:services` (every ingest subscribes
 * to the same topics; our own Mosquitto and Redis configurations): found by what they import, so a new
 * one joins them by itself. They run one at a time; every other file has a database of its own and runs
 * two at a time, like under `npm test`.
 */
function sharedBrokerFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((f) => f.endsWith('.int.test.ts') && !f.includes('node_modules'))
      .map((f) => path.join(dir, f))
      .filter((f) => /helpers\/test-broker|testing\/test-broker|TEST_MQTT_URL|mosquitto|redis/i.test(readFileSync(f, 'utf8'))),
  )
}

export default defineConfig({
  test: {
    exclude: EXCLUDE,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    ...(services
      ? {
          projects: [
            { extends: true, test: { name: 'services', include: ['**/*.int.test.ts'], exclude: [...EXCLUDE, ...sharedBrokerFiles()], maxWorkers: 2, sequence: { groupOrder: 0 } } },
            { extends: true, test: { name: 'services-broker', include: sharedBrokerFiles(), maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } } },
          ],
        }
      : { include: ['**/*.test.ts'], maxWorkers: 2 }),
  },
})
