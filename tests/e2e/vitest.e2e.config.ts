import { defineConfig } from 'vitest/config'

// Browser suite: real Chromium (playwright-core, Debian's /usr/bin/chromium) against a real
// Gemello process. Each file owns a server (on free ports, on its own copy of the data directory) and a
// browser, and spends most of its time waiting on them: two files run at a time. The files that assert
// a latency or what the GPU-less renderer has drawn by a deadline run afterwards, alone: the wall (a gate
// fault on the wall within 2 s, tiles' pixels), the base map (the light theme's pixels) and the 3D twin
// (LiDAR buildings drawn) — beside another file on two cores they missed. E2E_WORKERS=1 runs every
// file one at a time.
const ALONE = ['tests/e2e/wall.e2e.ts', 'tests/e2e/base-map.e2e.ts', 'tests/e2e/globe-3d.e2e.ts']
const workers = Math.max(1, Number(process.env.E2E_WORKERS ?? 2))

export default defineConfig({
  test: {
    // Gemello's first start on the Bologna data, once for the suite; each file starts on a copy.
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.e2e.ts'], exclude: ALONE, maxWorkers: workers, fileParallelism: workers > 1, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'e2e-alone', include: ALONE, maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
})
