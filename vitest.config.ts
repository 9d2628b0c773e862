import { defineConfig } from 'vitest/config'

// Unit tests (*.test.ts) and integration tests (*.int.test.ts) run together under `npm test` on
// the embedded database and broker; `npm run test:services` runs only the integration tests on
// real PostgreSQL/PostGIS and Mosquitto; browser tests (*.e2e.ts) have their own config.
export default defineConfig({
  test: {
    include: process.env.GEMELLO_TEST_TARGET === 'services' ? ['**/*.int.test.ts'] : ['**/*.test.ts'],
    exclude: ['node_modules/**', 'client/dist/**', '.gemello-data/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // On the shared Mosquitto every ingest subscribes to the same topics: files run one at a time there.
    maxWorkers: process.env.GEMELLO_TEST_TARGET === 'services' ? 1 : 2,
    fileParallelism: process.env.GEMELLO_TEST_TARGET !== 'services',
  },
})
