import { defineConfig } from 'vitest/config'

// Browser suite: real Chromium (playwright-core, Debian's /usr/bin/chromium) against a real
// Gemello process. One file at a time: each owns a server and a browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    // Gemello's first start on the Bologna data, once for the suite; each file starts on a copy.
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
  },
})
