import { defineConfig } from 'vitest/config'

// Chaos suite (`npm run test:chaos`, docs/chaos.md): real processes killed on purpose — Mosquitto,
// Redis, PostgreSQL, Gemello servers and ingest workers — on loopback, one scenario file at a time.
export default defineConfig({
  test: {
    include: ['tests/chaos/**/*.chaos.ts'],
    testTimeout: 600_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    env: { GEMELLO_TEST_TARGET: 'services' },
  },
})
