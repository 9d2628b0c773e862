import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import en from '../app/i18n/signals.en.json'
import it_ from '../app/i18n/signals.it.json'
import { DEPLOYMENT_STATUSES, DEPLOYMENT_KINDS, DAY_TYPES, SUMO_DEMANDS, SUMO_RUN_STATUSES } from '../../../contracts/signal-api'
import { PLAN_CONTROLS, PLAN_STATUSES, SIGNAL_GROUP_TYPES, SIGNAL_STATES } from '../../../contracts/schemas/signal-plan'
import { SIG_RULES } from '../../../contracts/signal-safety/violation'
import { PLAN_FIELDS } from './plan-diff'
import { WORKBENCH_TABS } from './workbench-tabs'

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
}
const EN = new Set(keys(en))
const has = (key: string) => EN.has(key) || EN.has(`${key}_one`)

describe('signal workbench texts', () => {
  it('Italian and English have the same keys', () => {
    expect(keys(it_).sort()).toEqual([...EN].sort())
  })

  it('every key written in the code exists', () => {
    const dir = path.dirname(fileURLToPath(import.meta.url))
    const used = new Set<string>()
    for (const f of readdirSync(dir).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))) {
      for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/t\(['`](signals\.[A-Za-z0-9_.-]+)['`]/g)) used.add(m[1]!)
    }
    expect(used.size).toBeGreaterThan(100)
    expect([...used].filter((k) => !has(k))).toEqual([])
  })

  it('every value of the enumerations the code looks up has a text', () => {
    const families: Array<[string, readonly string[]]> = [
      ['signals.rules', SIG_RULES],
      ['signals.state', SIGNAL_STATES],
      ['signals.status', PLAN_STATUSES],
      ['signals.control', PLAN_CONTROLS],
      ['signals.groupType', SIGNAL_GROUP_TYPES],
      ['signals.deployment', DEPLOYMENT_STATUSES],
      ['signals.deployment.kind', DEPLOYMENT_KINDS],
      ['signals.evaluation.day', DAY_TYPES],
      ['signals.diff.field', PLAN_FIELDS],
      ['signals.diff.kind', ['same', 'changed', 'added', 'removed']],
      ['signals.tabs', WORKBENCH_TABS],
      ['signals.violations.context', ['cycle', 'wrap', 'transition', 'startup', 'matrix', 'structure', 'schedule']],
      ['signals.violations.severity', ['reject', 'warn']],
      ['signals.actions.why', ['noChanges', 'saveFirst', 'notDraft', 'notValidated', 'notApproved', 'alreadyRunning', 'nothingRunning', 'busy']],
      ['signals.actions', ['validated', 'approved']],
      ['signals.errors', ['FOUR_EYES', 'PLAN_REJECTED', 'PLAN_STATE', 'CONFLICT', 'DEPLOY_IN_PROGRESS', 'FORBIDDEN', 'VALIDATION_FAILED']],
      ['signals.corridor', ['outbound', 'inbound']],
      ['signals.matrix', ['crossing', 'merging']],
      ['signals.evaluation.clamped', ['min', 'max']],
      ['signals.sumo.status', SUMO_RUN_STATUSES],
      ['signals.sumo.demandKind', SUMO_DEMANDS],
      ['signals.sumo.demandSummary', SUMO_DEMANDS],
      ['signals.sumo.fit', ['loops', 'detectors']],
    ]
    const missing = families.flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)).filter((k) => !has(k))
    expect(missing).toEqual([])
  })
})
