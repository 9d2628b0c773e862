import { defineConfig } from 'vitest/config'

// Chaos suite (`npm run test:chaos`, docs/chaos.md): real processes killed on purpose — Mosquitto,
// Redis, PostgreSQL, Gemello servers and ingest workers — on loopback. Each scenario has a world of its
// own (its Mosquitto, Redis and database on free ports), so the delivery scenarios, which assert counts
// (nothing lost, nothing duplicated) and wait for them with generous timeouts, run two at a time: they
// mostly wait on their streams (1,000 readings/s) and leave the CPU idle. The scenario that asserts how
// fast screens notice (server-restart: stale within 15–17 s, reconnected within 30 s) runs afterwards, alone.
const TIMED = ['tests/chaos/server-restart.chaos.ts']

export default defineConfig({
  test: {
    testTimeout: 600_000,
    hookTimeout: 240_000,
    pool: 'forks',
    env: { GEMELLO_TEST_TARGET: 'services' },
    projects: [
      { extends: true, test: { name: 'chaos', include: ['tests/chaos/**/*.chaos.ts'], exclude: TIMED, maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'chaos-timed', include: TIMED, maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
})
