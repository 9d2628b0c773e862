/**
 * `npm run signals -- validate --net <x.net.xml> <tls.add.xml>` checks every signal program of the
 * additional file against the conflicts and geometry of the network (signal groups, conflict matrix
 * and computed intergreens derived as on import, geodata/src/sumo/signal-model.ts), prints each
 * violation and exits 1 when any plan is rejected — so plans can be checked in a script.
 * `npm run signals -- validate <plan.json>` does the same for a Gemello workbench file
 * (`{ controller, plans }`, contracts/schemas/signal-plan.ts SignalWorkbenchFileSchema).
 * Options: --profile it|de, --kinematic-yellow warn|reject, --computed-intergreen warn|reject,
 * --json (the reports as JSON).
 * Exit 0: no plan rejected (warnings allowed); 1: a plan rejected; 2: usage or unreadable input.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { SAFETY_PROFILES, type SafetyProfile } from '../../../contracts/schemas/signal-plan'
import { validateSignals, type ValidatorOptions } from '../../../contracts/signal-safety/validator'
import type { ValidationReport, Violation } from '../../../contracts/signal-safety/violation'
import { deriveAllSignalModels } from '../../../geodata/src/sumo/signal-model'
import { parseSumoAdditional } from '../../../geodata/src/sumo/sumo-additional-parser'
import { parseSumoNet } from '../../../geodata/src/sumo/sumo-net-parser'

export interface CliIo {
  out(line: string): void
  err(line: string): void
  cwd: string
}

export const USAGE = [
  'Usage: npm run signals -- validate --net <network.net.xml> <programs.add.xml> [options]',
  '       npm run signals -- validate <workbench.json> [options]',
  'Options: --profile it|de   --kinematic-yellow warn|reject   --computed-intergreen warn|reject   --json',
].join('\n')

interface Args {
  net: string | null
  input: string
  opts: ValidatorOptions
  json: boolean
}

function parseArgs(argv: string[]): Args | string {
  const [command, ...rest] = argv
  if (command !== 'validate') return command ? `unknown command ${command}` : 'no command'
  let net: string | null = null
  let input: string | null = null
  const opts: ValidatorOptions = {}
  let json = false
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    const value = () => {
      const v = rest[++i]
      if (v === undefined) throw new Error(`${a} needs a value`)
      return v
    }
    try {
      if (a === '--net') net = value()
      else if (a === '--json') json = true
      else if (a === '--profile') {
        const p = value()
        if (!(SAFETY_PROFILES as readonly string[]).includes(p)) return `--profile must be ${SAFETY_PROFILES.join(' or ')}, got ${p}`
        opts.profile = p as SafetyProfile
      } else if (a === '--kinematic-yellow') {
        const k = value()
        if (k !== 'warn' && k !== 'reject') return `--kinematic-yellow must be warn or reject, got ${k}`
        opts.kinematicYellow = k
      } else if (a === '--computed-intergreen') {
        const k = value()
        if (k !== 'warn' && k !== 'reject') return `--computed-intergreen must be warn or reject, got ${k}`
        opts.computedIntergreen = k
      } else if (a.startsWith('--')) return `unknown option ${a}`
      else if (input === null) input = a
      else return `one input file only (got ${input} and ${a})`
    } catch (e) {
      return (e as Error).message
    }
  }
  if (input === null) return net ? 'the SUMO additional file with the programs is missing' : 'no input file'
  return { net, input, opts, json }
}

interface Checked {
  controllerId: string
  planIds: string[]
  report: ValidationReport
  notes: string[]
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}

class InputError extends Error {}

function checkSumo(netFile: string, addFile: string, opts: ValidatorOptions): Checked[] {
  const net = parseSumoNet(read(netFile), path.basename(netFile))
  const add = parseSumoAdditional(read(addFile), path.basename(addFile))
  const programs = add.additional.tlLogics
  if (programs.length === 0) throw new InputError(`${addFile} has no <tlLogic> program`)
  const models = deriveAllSignalModels(net.net, programs, { importedAt: new Date().toISOString(), by: 'signals validate', ...(opts.profile ? { profile: opts.profile } : {}) })
  return models.map((m) => ({ controllerId: m.controller.id, planIds: m.plans.map((p) => p.id), report: validateSignals(m.controller, m.plans, opts), notes: m.notes }))
}

function checkJson(file: string, opts: ValidatorOptions): Checked[] {
  let doc: unknown
  try {
    doc = JSON.parse(read(file))
  } catch (e) {
    if (e instanceof InputError) throw e
    throw new InputError(`${file} is not JSON: ${(e as Error).message}`)
  }
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as { controller?: { id?: unknown }; plans?: unknown }
  if (!d.controller || !Array.isArray(d.plans)) throw new InputError(`${file} must be a workbench file: { "controller": {…}, "plans": [ … ] }`)
  const plans = d.plans as Array<{ id?: unknown }>
  return [{ controllerId: String(d.controller.id ?? '?'), planIds: plans.map((p) => String(p?.id ?? '?')), report: validateSignals(d.controller, plans, opts), notes: [] }]
}

export function formatViolation(v: Violation): string {
  const where = [
    v.planId ? `plan ${v.planId}` : null,
    v.fromPlanId ? `(from ${v.fromPlanId})` : null,
    v.interval !== null ? `interval ${v.interval + 1}${v.intervalName ? ` "${v.intervalName}"` : ''}` : null,
    v.atS !== null ? `at ${v.atS.toFixed(1)} s` : null,
    v.context,
  ].filter(Boolean)
  return `  ${v.severity === 'reject' ? 'REJECT' : 'warn  '} ${v.rule} [${v.groups.join(' ')}] ${where.join(' ')}: ${v.message}`
}

export async function runSignalsCli(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(`${args}\n${USAGE}`)
    return 2
  }
  let checked: Checked[]
  try {
    const abs = (f: string) => path.resolve(io.cwd, f)
    checked = args.net ? checkSumo(abs(args.net), abs(args.input), args.opts) : checkJson(abs(args.input), args.opts)
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof Error)) throw e
    io.err(e.message)
    return 2
  }
  if (args.json) io.out(JSON.stringify(checked.map((c) => ({ controllerId: c.controllerId, plans: c.planIds, ...c.report })), null, 2))
  let rejected = 0
  for (const c of checked) {
    if (!c.report.ok) rejected++
    if (args.json) continue
    const verdict = c.report.ok ? (c.report.warnings > 0 ? 'accepted with warnings' : 'accepted') : 'REJECTED'
    io.out(`controller ${c.controllerId} (${c.planIds.join(', ')}): ${verdict} — ${c.report.rejects} rejection(s), ${c.report.warnings} warning(s) [${c.report.validatorVersion}, profile ${c.report.profile}]`)
    for (const v of c.report.violations) io.out(formatViolation(v))
  }
  if (!args.json) io.out(`${checked.length} controller(s), ${rejected} rejected`)
  return rejected > 0 ? 1 : 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runSignalsCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), cwd: process.cwd() })
  process.exit(code)
}
