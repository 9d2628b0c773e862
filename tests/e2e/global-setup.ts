import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { GemelloProcess, freePort } from '../helpers/gemello-process'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A DATA_DIR in which Gemello has started once on the Bologna data and stopped (tests/e2e/data-dir.ts). */
    e2eTemplateDataDir: string
  }
}

/** The first start, shared by the projects of the suite's config (vitest runs a global setup once per project). */
const shared = globalThis as { gemelloE2eTemplate?: { dir: Promise<string>; users: number } }

async function firstStart(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemello-e2e-template-'))
  const gemello = new GemelloProcess({ PORT: String(await freePort()), MQTT_PORT: String(await freePort()), DATA_DIR: dir, SIMULATOR: 'off' })
  try {
    await gemello.start()
  } finally {
    await gemello.stop()
  }
  return dir
}

/**
 * The browser suite's one true first start: Gemello on an empty DATA_DIR imports the city (≈ 30 s here,
 * ≈ 60 s on a slow CI machine), becomes live, and stops. Each browser test file then starts on a copy of
 * that directory (a restart: ≈ 7 s) instead of importing the city again. The first-run page without a
 * city and without an administrator stays tested from an empty directory (tests/e2e/access.e2e.ts).
 * Once per run: every project of the config gets the same directory, removed after the last one.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  shared.gemelloE2eTemplate ??= { dir: firstStart(), users: 0 }
  const template = shared.gemelloE2eTemplate
  template.users++
  const dir = await template.dir
  project.provide('e2eTemplateDataDir', dir)
  return () => {
    if (--template.users === 0) {
      rmSync(dir, { recursive: true, force: true })
      delete shared.gemelloE2eTemplate
    }
  }
}
