import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'

/**
 * A DATA_DIR of this test file's own, copied from the one in which the suite's global setup started
 * Gemello once (tests/e2e/global-setup.ts): the city is imported, the device keys exist, the test
 * administrator exists. Gemello started on it is a restart, as an operator's would be.
 */
export function preparedDataDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `gemello-e2e-${name}-`))
  cpSync(inject('e2eTemplateDataDir'), dir, { recursive: true })
  return dir
}
