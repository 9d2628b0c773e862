/**
 * A signal controller as the simulator plays it: it takes plans from Gemello the way SIG-15 and
 * contracts/signal-deploy.ts say a real one (or its gateway) must, and its `stage` stream shows what
 * it runs (synthetic-streams.ts signalStageStream reads the PlanHistory).
 *
 * On gemello/v1/signal-controller/<device>/cmd/plan it checks, in order, refusing with the reason:
 *   the command's shape (invalid-plan) → it is addressed to this controller (wrong-controller) →
 *   the HMAC signature with its plan key (bad-signature) → sha256(canonical JSON of the plan as
 *   received) = planHash (hash-mismatch) → sequence > the one it runs (stale-sequence: a replayed
 *   older command) → the plan is this command's and has one state per signal group (invalid-plan);
 * then stages the plan and answers `staged` with the wall time to its running plan's next switch
 * point, switches there, records the switch in its PlanHistory and answers `activated`. A repeated
 * command (Gemello re-sends until it hears back) gets the same answer again. Answers go on
 * …/ack/plan, QoS 1, on the device's own connection.
 *
 * Timing: the switch point is computed on the simulated clock from the running plan (its cycle,
 * its switch points, entered at its first switch point when it was switched to) — before any
 * deployment, from the synthetic program (cycle `defaultCycleS`, switch point 0). `switchWithinMs`
 * (fast mode, for tests and demos) switches at the next switch point or after at most that many
 * wall milliseconds, whichever is first: with it the switch may happen before the safe point, which
 * a real controller never does. The new plan runs from its first switch point; the offset
 * (coordination with neighbours) is not re-synchronised.
 *
 * Faults, settable at any time: `silent` (never answers nor switches: Gemello's 30 s timeout) and
 * `tamper` (the plan is altered before its hash is checked, as if tampered in transit: refused).
 */
import type { SignalStageValues } from '../../contracts/schemas/reading'
import type { SignalPlan } from '../../contracts/schemas/signal-plan'
import { PlanCommandSchema, planAckTopic, planHashOf, verifyPlanCommand, type PlanAck, type PlanCommand, type PlanRefusal } from '../../contracts/signal-deploy'

/** One switch to a deployed plan, on the simulated clock. */
export interface PlanActivation {
  sinceMs: number
  plan: SignalPlan
  planId: string
  version: number
  sequence: number
  deploymentId: number
  /** The plan's cycle second at `sinceMs` (it is entered at its first switch point). */
  entrySecond: number
}

/** The plans a controller switched to, in order: what ran at any instant (readings can be regenerated). */
export class PlanHistory {
  private readonly list: PlanActivation[] = []

  add(a: PlanActivation): void {
    const last = this.list[this.list.length - 1]
    this.list.push(last && a.sinceMs < last.sinceMs ? { ...a, sinceMs: last.sinceMs } : a)
  }

  /** The plan running at `t` (simulated ms), or null before the first switch. */
  at(t: number): PlanActivation | null {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.sinceMs <= t) return this.list[i]!
    return null
  }

  latest(): PlanActivation | null {
    return this.list[this.list.length - 1] ?? null
  }

  get size(): number {
    return this.list.length
  }
}

const mod = (a: number, m: number) => ((a % m) + m) % m
const round1 = (v: number) => Math.round(v * 10) / 10

/** The running plan's cycle second at `t`. */
export function cycleSecondOf(a: PlanActivation, t: number): number {
  return mod((t - a.sinceMs) / 1000 + a.entrySecond, a.plan.cycleS)
}

/** What the stage stream reports while `a` runs: the program `<planId>@v<version>`, the interval running now, the plan's control. */
export function stageOf(a: PlanActivation, t: number): SignalStageValues {
  const sec = cycleSecondOf(a, t)
  let acc = 0
  let stage = a.plan.intervals.length - 1
  for (let i = 0; i < a.plan.intervals.length; i++) {
    acc += a.plan.intervals[i]!.durationS
    if (sec < acc - 1e-9) {
      stage = i
      break
    }
  }
  return { programId: `${a.planId}@v${a.version}`.slice(0, 64), stage: Math.min(255, Math.max(0, stage)), mode: a.plan.control, cycleSecond: Math.min(600, round1(sec)) }
}

/** Simulated seconds from `t` to the next switch point (0 when at one) of the running plan, or of the synthetic program. */
export function secondsToSwitchPoint(running: PlanActivation | null, t: number, defaultCycleS: number): number {
  if (!running) return mod(-t / 1000, defaultCycleS)
  const cycle = running.plan.cycleS
  const sec = cycleSecondOf(running, t)
  const points = running.plan.switchPoints.filter((p) => p >= 0 && p < cycle)
  let best = Infinity
  for (const p of points.length > 0 ? points : [0]) best = Math.min(best, mod(p - sec, cycle))
  return best < 1e-6 || cycle - best < 1e-6 ? 0 : best
}

export interface SignalControllerFaults {
  /** Never answers and never switches: Gemello marks the deployment unconfirmed after 30 s. */
  silent?: boolean
  /** Alters the plan before checking its hash, as if tampered in transit: refused (hash-mismatch). */
  tamper?: boolean
}

export interface SignalControllerSimOptions {
  deviceId: string
  /** The controller id commands must name; null accepts any (the signature still binds it to this device's key). */
  controllerId: string | null
  /** HMAC key: the device's plan key (MqttKeyring.planKey). */
  planKey: Uint8Array
  history: PlanHistory
  /** Simulated now, epoch ms. */
  now(): number
  /** Wall ms until simulated time `t`. */
  wallMsUntil(t: number): number
  /** The wall clock, epoch ms (default Date.now): when a staged plan switches, for repeated answers. */
  wallNow?(): number
  /** Publishes on the device's own connection, QoS 1. */
  publish(topic: string, payload: string): Promise<void>
  /** Fast mode: switch at the next switch point or after at most this many wall ms. */
  switchWithinMs?: number | null
  faults?: SignalControllerFaults
  /** The synthetic program's cycle before any deployment (default 90 s). */
  defaultCycleS?: number
  /** The sequence the controller runs at start (default 0: nothing deployed). */
  runningSequence?: number
  /** Every answer sent (tests, logs). */
  onAnswer?(ack: PlanAck): void
  log?(msg: string): void
  setTimer?(fn: () => void, ms: number): unknown
  clearTimer?(h: unknown): void
}

export interface SignalControllerStats {
  commands: number
  staged: number
  activated: number
  refused: Partial<Record<PlanRefusal, number>>
  /** Commands ignored by the silent fault. */
  ignored: number
  /** Payloads that are not a command at all (no deployment or sequence to answer to). */
  unanswerable: number
}

interface Pending {
  cmd: PlanCommand
  timer: unknown
  wallDueMs: number
}

const posInt = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null)

export class SignalControllerSim {
  faults: SignalControllerFaults
  runningSequence: number
  private running: { deploymentId: number; sequence: number; planHash: string } | null = null
  private pending: Pending | null = null
  private chain: Promise<void> = Promise.resolve()
  private stopped = false
  readonly stats: SignalControllerStats = { commands: 0, staged: 0, activated: 0, refused: {}, ignored: 0, unanswerable: 0 }

  constructor(private readonly o: SignalControllerSimOptions) {
    this.faults = { ...o.faults }
    this.runningSequence = o.runningSequence ?? 0
  }

  get deviceId(): string {
    return this.o.deviceId
  }

  /** A message on the command topic. Commands are handled one at a time, in order. */
  handle(payload: Buffer | string): Promise<void> {
    const next = this.chain.then(() => this.command(typeof payload === 'string' ? payload : payload.toString('utf8'))).catch((err: unknown) => this.o.log?.(`signal controller ${this.o.deviceId}: ${(err as Error).message}`))
    this.chain = next
    return next
  }

  /** Resolves when every command received so far is handled (not the pending switch). */
  settled(): Promise<void> {
    return this.chain
  }

  stop(): void {
    this.stopped = true
    if (this.pending) this.clear(this.pending.timer)
    this.pending = null
  }

  private async command(text: string): Promise<void> {
    if (this.stopped) return
    this.stats.commands++
    if (this.faults.silent) {
      this.stats.ignored++
      return
    }
    let raw: Record<string, unknown>
    try {
      const v: unknown = JSON.parse(text)
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object')
      raw = v as Record<string, unknown>
    } catch {
      this.stats.unanswerable++
      return
    }
    const deploymentId = posInt(raw.deploymentId)
    const sequence = posInt(raw.sequence)
    if (deploymentId === null || sequence === null) {
      this.stats.unanswerable++
      return
    }
    const ref = { deploymentId, sequence, planHash: typeof raw.planHash === 'string' ? raw.planHash.slice(0, 64) : '' }
    const parsed = PlanCommandSchema.safeParse(raw)
    if (!parsed.success) return this.refuse(ref, 'invalid-plan', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '))
    const cmd = parsed.data
    if (this.o.controllerId !== null && cmd.controllerId !== this.o.controllerId) return this.refuse(ref, 'wrong-controller', `this is controller ${this.o.controllerId}, not ${cmd.controllerId}`)
    if (!(await verifyPlanCommand(this.o.planKey, cmd))) return this.refuse(ref, 'bad-signature', 'the signature does not verify with this controller’s plan key')
    // The plan as received, not as re-parsed: defaults filled in by a schema must not change what is hashed.
    const received = this.faults.tamper ? tampered(raw.plan) : raw.plan
    const hash = await planHashOf(received)
    if (hash !== cmd.planHash) return this.refuse(ref, 'hash-mismatch', `the plan received hashes to ${hash.slice(0, 12)}…, the command says ${cmd.planHash.slice(0, 12)}…`)
    // Gemello re-sends until it hears back: the same command gets the same answer.
    if (this.running && this.running.deploymentId === cmd.deploymentId && this.running.sequence === cmd.sequence && this.running.planHash === cmd.planHash) return this.answer(ref, 'activated', { detail: 'already running' })
    const p = this.pending
    if (p && p.cmd.deploymentId === cmd.deploymentId && p.cmd.sequence === cmd.sequence && p.cmd.planHash === cmd.planHash) return this.answer(ref, 'staged', { activateInMs: Math.max(0, Math.round(p.wallDueMs - this.wallNow())) })
    if (cmd.sequence <= this.runningSequence || (p && cmd.sequence <= p.cmd.sequence)) return this.refuse(ref, 'stale-sequence', `this controller runs sequence ${this.runningSequence}${p ? ` and has ${p.cmd.sequence} staged` : ''}: ${cmd.sequence} is not newer`)
    if (cmd.plan.id !== cmd.planId || cmd.plan.controllerId !== cmd.controllerId) return this.refuse(ref, 'invalid-plan', `the plan is ${cmd.plan.controllerId}/${cmd.plan.id}, the command names ${cmd.controllerId}/${cmd.planId}`)
    const bad = cmd.plan.intervals.findIndex((i) => i.states.length !== cmd.groups.length)
    if (bad >= 0) return this.refuse(ref, 'invalid-plan', `interval ${bad + 1} has ${cmd.plan.intervals[bad]!.states.length} states for ${cmd.groups.length} signal groups`)
    this.stage(cmd)
    await this.answer(ref, 'staged', { activateInMs: Math.round(this.pending!.wallDueMs - this.wallNow()) })
  }

  private stage(cmd: PlanCommand): void {
    // A newer command replaces one still waiting for its switch point.
    if (this.pending) this.clear(this.pending.timer)
    const now = this.o.now()
    const switchAt = now + secondsToSwitchPoint(this.o.history.latest(), now, this.o.defaultCycleS ?? 90) * 1000
    let wall = this.o.wallMsUntil(switchAt)
    if (this.o.switchWithinMs !== undefined && this.o.switchWithinMs !== null) wall = Math.min(wall, this.o.switchWithinMs)
    wall = Math.max(0, Math.round(wall))
    const pending: Pending = { cmd, wallDueMs: this.wallNow() + wall, timer: null }
    pending.timer = this.schedule(() => {
      const next = this.chain.then(() => this.activate(pending))
      this.chain = next.catch((err: unknown) => this.o.log?.(`signal controller ${this.o.deviceId}: ${(err as Error).message}`))
    }, wall)
    this.pending = pending
  }

  private async activate(p: Pending): Promise<void> {
    if (this.stopped || this.pending !== p || this.faults.silent) return
    this.pending = null
    const { cmd } = p
    const at = this.o.now()
    const before = this.o.history.at(at)
    const from = before ? `${before.planId}@v${before.version} at cycle second ${round1(cycleSecondOf(before, at))}` : 'the local program'
    this.o.history.add({ sinceMs: at, plan: cmd.plan, planId: cmd.planId, version: cmd.version, sequence: cmd.sequence, deploymentId: cmd.deploymentId, entrySecond: Math.min(...(cmd.plan.switchPoints.length > 0 ? cmd.plan.switchPoints : [0])) })
    this.runningSequence = cmd.sequence
    this.running = { deploymentId: cmd.deploymentId, sequence: cmd.sequence, planHash: cmd.planHash }
    await this.answer({ deploymentId: cmd.deploymentId, sequence: cmd.sequence, planHash: cmd.planHash }, 'activated', { detail: `switched from ${from}` })
  }

  private refuse(ref: { deploymentId: number; sequence: number; planHash: string }, reason: PlanRefusal, detail: string): Promise<void> {
    this.stats.refused[reason] = (this.stats.refused[reason] ?? 0) + 1
    this.o.log?.(`signal controller ${this.o.deviceId}: deployment ${ref.deploymentId} refused (${reason}): ${detail}`)
    return this.answer(ref, 'refused', { reason, detail })
  }

  private async answer(ref: { deploymentId: number; sequence: number; planHash: string }, status: PlanAck['status'], extra: { reason?: PlanRefusal; detail?: string; activateInMs?: number }): Promise<void> {
    if (status === 'staged') this.stats.staged++
    if (status === 'activated') this.stats.activated++
    const ack: PlanAck = {
      deploymentId: ref.deploymentId,
      sequence: ref.sequence,
      planHash: ref.planHash,
      status,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.detail ? { detail: extra.detail.slice(0, 500) } : {}),
      ...(extra.activateInMs !== undefined ? { activateInMs: Math.max(0, extra.activateInMs) } : {}),
      runningSequence: this.runningSequence,
      atMs: this.o.now(),
    }
    this.o.onAnswer?.(ack)
    await this.o.publish(planAckTopic(this.o.deviceId), JSON.stringify(ack))
  }

  private wallNow(): number {
    return this.o.wallNow ? this.o.wallNow() : Date.now()
  }

  private schedule(fn: () => void, ms: number): unknown {
    if (this.o.setTimer) return this.o.setTimer(fn, ms)
    const t = setTimeout(fn, ms)
    t.unref()
    return t
  }

  private clear(h: unknown): void {
    if (this.o.clearTimer) this.o.clearTimer(h)
    else clearTimeout(h as NodeJS.Timeout)
  }
}

/** The plan with one value changed: what a man in the middle (or a corrupted link) would deliver. */
function tampered(plan: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(plan ?? null)) as { intervals?: Array<{ durationS?: number }>; name?: string } | null
  if (copy && Array.isArray(copy.intervals) && copy.intervals[0] && typeof copy.intervals[0].durationS === 'number') copy.intervals[0].durationS += 1
  else if (copy && typeof copy === 'object') copy.name = `${copy.name ?? ''}*`
  return copy
}

/** The controller id a simulated signal-controller device answers for: props.controllerId, props.tlsId, or its id without `signal-`. */
export function controllerIdOf(device: { id: string; props: Record<string, unknown> }): string | null {
  for (const k of ['controllerId', 'tlsId']) {
    const v = device.props[k]
    if (typeof v === 'string' && v.trim() !== '') return v.trim()
    if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  }
  return device.id.startsWith('signal-') ? device.id.slice('signal-'.length) : null
}
