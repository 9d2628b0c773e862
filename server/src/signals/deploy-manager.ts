/**
 * Sends signal plans to controllers and follows their answers (SIG-15; the protocol is
 * contracts/signal-deploy.ts, the storage server/src/db/signal-deployments.ts, docs/signals.md "Deploy").
 *
 * deploy → createDeployment (re-validated, next sequence, `sending`, audited) → the PlanCommand,
 * hashed and signed with the controller's plan key, published QoS 1, not retained, on
 * gemello/v1/signal-controller/<device>/cmd/plan at 0, 5, 12 and 22 s (4 sends at most, each recorded)
 * until the controller answers:
 *
 *   staged     re-sends stop; the controller has until its switch point (+ 10 s grace) to answer again
 *   activated  applyAck → `acknowledged`, the plan version `deployed`, the one it replaces `approved`
 *   refused    applyAck → `rejected` ("rejected by device": hash, signature, sequence…)
 *   nothing    30 s after the first send → markUnconfirmed ("not deployed")
 *
 * Every change is pushed to SIGNAL_ROOM as `signal:deployment`, and every outcome reconciles the
 * controller's "signal plan not deployed" alarm (deploy-alarms.ts: raised by a rejection or a missing
 * confirmation, cleared by a later acknowledged deployment).
 *
 * Several server processes: each subscribes to every controller's answers (non-shared), and applies
 * them; applyAck and markUnconfirmed change a deployment only while it is `sending`, so exactly one
 * process wins each outcome, and only the winner pushes the event and reconciles the alarm. A process
 * that stops while waiting leaves its deployment `sending`: the sweep (at start and every 5 s, in
 * every process) marks a deployment unconfirmed once nothing happened to it for 30 s — its last
 * send, or the switch time its controller announced.
 *
 * Answers that do not parse, name no known deployment, or come from a device that is not the
 * deployment's controller are logged and counted, never applied (the ACL already keeps a device to
 * its own ack topic; the deployment → controller → device check keeps it to its own deployments).
 * Answers are 6-level topics: the ingest never stores them as readings.
 */
import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import {
  DEPLOY_ACK_TIMEOUT_MS,
  DEPLOY_ACTIVATION_GRACE_MS,
  DEPLOY_MAX_ATTEMPTS,
  DEPLOY_MAX_STAGED_MS,
  DEPLOY_RETRY_AT_MS,
  deviceOfAckTopic,
  PLAN_ACK_SUBSCRIPTION,
  planCommandTopic,
  PlanAckSchema,
  signPlanCommand,
  type PlanAck,
  type PlanCommand,
} from '../../../contracts/signal-deploy'
import { SIGNAL_ROOM, type Deployment } from '../../../contracts/signal-api'
import type { SignalPlan } from '../../../contracts/schemas/signal-plan'
import type { Db } from '../db/adapter'
import { applyAck, createDeployment, getDeployment, lastKnownGood, markUnconfirmed, recordAttempt, recordStaged, staleDeployments } from '../db/signal-deployments'
import { controllerDoc, getPlanVersion, planHash, SignalError, type ChangedBy } from '../db/signals'
import type { BrokerHandle } from '../broker/broker'
import { ApiError } from '../http/api-error'
import type { DeployAlarmHook } from './deploy-alarms'

/** The Socket.IO event every staff screen in SIGNAL_ROOM receives: SignalDeploymentEventSchema. */
export const SIGNAL_DEPLOYMENT_EVENT = 'signal:deployment'

/** Time for the manager: injectable, so tests run 30 s of deploy protocol without waiting for it. */
export interface DeployClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: DeployClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
}

/** The part of an mqtt.js client the manager uses (the server role's own connection as the service identity). */
export type DeployMqtt = Pick<MqttClient, 'publishAsync' | 'subscribeAsync' | 'unsubscribeAsync' | 'on' | 'removeListener' | 'connected'>

/** Where plan keys come from: the MQTT keyring (contracts/mqtt-identity.ts), derived from the fleet's device key. */
export interface PlanKeySource {
  planKey(deviceId: string): Promise<Uint8Array>
}

/** A Socket.IO server or namespace (the /live namespace in production). */
export interface DeployEventSink {
  to(room: string): { emit(event: string, payload: unknown): unknown }
}

export interface DeployLogger {
  info(o: object, m?: string): void
  warn(o: object, m?: string): void
  error(o: object, m?: string): void
}

export interface SignalDeployManagerOptions {
  db: Db
  io?: DeployEventSink | null
  alarms: DeployAlarmHook
  log: DeployLogger
  clock?: DeployClock
  /** When each send goes out after the first (default DEPLOY_RETRY_AT_MS: 0, 5, 12, 22 s). */
  retryAtMs?: readonly number[]
  timeoutMs?: number
  /** How often every process looks for deployments a stopped process left waiting (default 5 s). */
  sweepEveryMs?: number
}

export interface DeployConnection {
  mqtt: DeployMqtt
  /** Null when no device key is configured (an external broker with MQTT_USERNAME/PASSWORD only): nothing can be signed. */
  keys: PlanKeySource | null
}

export interface DeployStats {
  sends: number
  answers: number
  staged: number
  acknowledged: number
  rejected: number
  unconfirmed: number
  swept: number
  /** Answers that did not parse (JSON or schema). */
  malformed: number
  /** Answers naming no deployment still waiting here, or late and repeated ones. */
  unmatched: number
  /** Answers from a device that is not the deployment's controller's. */
  foreign: number
}

interface Flight {
  id: number
  controllerId: string
  deviceId: string
  /** The command without attempt and sentAtMs. */
  base: Omit<PlanCommand, 'attempt' | 'sentAtMs'>
  firstSentAtMs: number
  nextSend: number
  timers: Set<unknown>
  staged: boolean
}

export class SignalDeployManager {
  private conn: DeployConnection | null = null
  private readonly flights = new Map<number, Flight>()
  private chain: Promise<void> = Promise.resolve()
  private sweepTimer: unknown = null
  private stopped = false
  private readonly clock: DeployClock
  private readonly retryAtMs: readonly number[]
  private readonly timeoutMs: number
  private readonly onMessage = (topic: string, payload: Buffer) => this.onAnswer(topic, payload)
  private readonly onConnect = () => void this.subscribe()
  readonly stats: DeployStats = { sends: 0, answers: 0, staged: 0, acknowledged: 0, rejected: 0, unconfirmed: 0, swept: 0, malformed: 0, unmatched: 0, foreign: 0 }

  constructor(private readonly o: SignalDeployManagerOptions) {
    this.clock = o.clock ?? systemClock
    this.retryAtMs = (o.retryAtMs ?? DEPLOY_RETRY_AT_MS).slice(0, DEPLOY_MAX_ATTEMPTS)
    this.timeoutMs = o.timeoutMs ?? DEPLOY_ACK_TIMEOUT_MS
  }

  /**
   * Subscribes to every controller's answers, sweeps what a stopped process left waiting, installs
   * the alarm rule if missing and brings every controller's alarm in line with its deployments.
   */
  async start(conn: DeployConnection): Promise<void> {
    this.conn = conn
    this.stopped = false
    conn.mqtt.on('message', this.onMessage)
    conn.mqtt.on('connect', this.onConnect)
    if (conn.mqtt.connected) await this.subscribe()
    await this.o.alarms.ensureRule?.(this.clock.now())
    await this.run(() => this.sweep())
    await this.run(async () => void (await this.o.alarms.reconcile(null, this.clock.now())))
    this.scheduleSweep()
  }

  /** Stops following deployments here (they stay `sending`; a process's sweep takes them over). */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.sweepTimer !== null) this.clock.clearTimeout(this.sweepTimer)
    this.sweepTimer = null
    for (const f of this.flights.values()) this.cancel(f)
    this.flights.clear()
    const c = this.conn
    if (c) {
      c.mqtt.removeListener('message', this.onMessage)
      c.mqtt.removeListener('connect', this.onConnect)
      if (c.mqtt.connected) await c.mqtt.unsubscribeAsync(PLAN_ACK_SUBSCRIPTION).catch(() => undefined)
    }
    await this.chain
    this.conn = null
  }

  /** Resolves when every step queued so far (sends, answers, expiries, sweeps) is done. */
  settled(): Promise<void> {
    return this.chain
  }

  /** Deployments this process is waiting for. */
  inFlight(): number[] {
    return [...this.flights.keys()]
  }

  /**
   * Deploys (or switches to, kind 'switch') an approved plan version: createDeployment (SignalError:
   * NOT_FOUND, PLAN_STATE, PLAN_REJECTED, DEPLOY_IN_PROGRESS), then the first send. Returns the
   * deployment as stored after it (status `sending`, attempts 1). ApiError NOT_READY when the plan
   * cannot be sent now (no broker connection, no device key).
   */
  async deploy(controllerId: string, target: { planId: string; version: number }, kind: Deployment['kind'], by: ChangedBy): Promise<Deployment> {
    const conn = this.ready()
    const c = await controllerDoc(this.o.db, controllerId)
    if (!c.deviceId) throw new SignalError('PLAN_STATE', `controller ${controllerId} has no signal-controller device to send a plan to (import bologna-signal-controllers, which makes signal-${controllerId})`)
    const created = await createDeployment(this.o.db, controllerId, target, kind, by, this.clock.now())
    const d = created.deployment
    await this.run(async () => {
      if (!created.deviceId) return void (await this.finishUnconfirmed(d.id, 'the controller has no device to send the plan to'))
      await this.launch(conn, d, created.plan.plan, created.groups, created.deviceId)
    })
    return (await getDeployment(this.o.db, d.id)) ?? d
  }

  /** Goes back to the last plan the controller acknowledged before the running one (re-validated like any deployment). */
  async rollback(controllerId: string, by: ChangedBy): Promise<Deployment> {
    this.ready()
    await controllerDoc(this.o.db, controllerId)
    const lkg = await lastKnownGood(this.o.db, controllerId)
    if (!lkg) throw new SignalError('PLAN_STATE', `controller ${controllerId} acknowledged no other plan before the one it runs: there is nothing to roll back to`)
    return this.deploy(controllerId, lkg, 'rollback', by)
  }

  /**
   * Sends a deployment still `sending` from what is stored (the first send, or taking over one this
   * process does not follow yet): the remaining sends of DEPLOY_RETRY_AT_MS and the 30 s deadline.
   */
  async send(deploymentId: number): Promise<void> {
    const conn = this.ready()
    await this.run(async () => {
      if (this.flights.has(deploymentId)) return
      const d = await getDeployment(this.o.db, deploymentId)
      if (!d || d.status !== 'sending') return
      const c = await controllerDoc(this.o.db, d.controllerId)
      const v = await getPlanVersion(this.o.db, d.controllerId, d.planId, d.version)
      if (!c.deviceId || !v) return void (await this.finishUnconfirmed(d.id, !v ? 'the plan version is gone' : 'the controller has no device to send the plan to'))
      await this.launch(conn, d, v.plan, c.doc.signalGroups.map((g) => g.id), c.deviceId)
    })
  }

  // --- sending ------------------------------------------------------------------------------

  private ready(): DeployConnection {
    const c = this.conn
    if (!c || this.stopped) throw new ApiError('NOT_READY', 'signal deployment is not available yet (the server is starting or stopping): try again in a moment')
    if (!c.keys) throw new ApiError('NOT_READY', 'no device key is configured (DEVICE_KEY or DEVICE_KEY_FILE): plans cannot be signed for the controllers, so none is sent')
    if (!c.mqtt.connected) throw new ApiError('NOT_READY', 'the MQTT broker is not reachable now: the plan cannot be sent to the controller; try again when it is back')
    return c
  }

  private async launch(conn: DeployConnection, d: Deployment, plan: SignalPlan, groups: string[], deviceId: string): Promise<void> {
    if (planHash(plan) !== d.planHash) return void (await this.finishUnconfirmed(d.id, 'the stored plan no longer matches the hash it was validated with: not sent'))
    const unsigned = { deploymentId: d.id, controllerId: d.controllerId, sequence: d.sequence, planId: d.planId, version: d.version, planHash: d.planHash, groups }
    const signature = await signPlanCommand(await conn.keys!.planKey(deviceId), unsigned)
    const now = this.clock.now()
    // Taking over after a restart: the deadline counts from the first send, which was at the latest at the last one recorded.
    const first = d.attempts > 0 ? Math.min(now, d.requestedAtMs) : now
    const f: Flight = { id: d.id, controllerId: d.controllerId, deviceId, base: { ...unsigned, signature, plan }, firstSentAtMs: first, nextSend: d.attempts, timers: new Set(), staged: false }
    this.flights.set(d.id, f)
    this.at(f, first + this.timeoutMs, () => this.expire(f))
    if (f.nextSend < this.retryAtMs.length) {
      if (d.attempts === 0) await this.attempt(f)
      else this.scheduleNext(f)
    }
  }

  private async attempt(f: Flight): Promise<void> {
    if (this.flights.get(f.id) !== f || f.staged) return
    const conn = this.conn
    if (!conn) return
    const now = this.clock.now()
    const n = await recordAttempt(this.o.db, f.id, now)
    if (n === 0) return this.end(f) // answered or expired meanwhile (another process)
    f.nextSend = n
    const cmd: PlanCommand = { ...f.base, attempt: n, sentAtMs: now }
    this.stats.sends++
    // Not awaited: the broker's PUBACK may take a while (or never come while it is away); the deadline rules.
    conn.mqtt.publishAsync(planCommandTopic(f.deviceId), JSON.stringify(cmd), { qos: 1, retain: false }).catch((err: unknown) => {
      this.o.log.warn({ deployment: f.id, attempt: n, err: (err as Error).message }, 'signal plan: send failed')
    })
    this.o.log.info({ deployment: f.id, controller: f.controllerId, device: f.deviceId, attempt: n }, 'signal plan sent')
    const d = await getDeployment(this.o.db, f.id)
    if (d) this.emit(d)
    this.scheduleNext(f)
  }

  private scheduleNext(f: Flight): void {
    const k = f.nextSend
    if (k >= this.retryAtMs.length) return
    this.at(f, f.firstSentAtMs + this.retryAtMs[k]!, () => this.attempt(f))
  }

  private async expire(f: Flight): Promise<void> {
    if (this.flights.get(f.id) !== f) return
    this.end(f)
    await this.finishUnconfirmed(
      f.id,
      f.staged
        ? 'the controller staged the plan but did not confirm the switch by its switch point: not deployed'
        : `no answer from the controller within ${Math.round(this.timeoutMs / 1000)} s after ${f.nextSend} send(s): not deployed`,
    )
  }

  private async finishUnconfirmed(id: number, detail: string): Promise<void> {
    const d = await markUnconfirmed(this.o.db, id, detail, this.clock.now())
    if (!d) return
    this.stats.unconfirmed++
    this.o.log.warn({ deployment: d.id, controller: d.controllerId, attempts: d.attempts }, `signal plan not deployed: ${detail}`)
    this.emit(d)
    await this.reconcile(d.controllerId)
  }

  // --- answers --------------------------------------------------------------------------------

  private async subscribe(): Promise<void> {
    const c = this.conn
    if (!c || this.stopped) return
    await c.mqtt.subscribeAsync(PLAN_ACK_SUBSCRIPTION, { qos: 1 }).catch((err: unknown) => this.o.log.warn({ err: (err as Error).message }, 'signal plans: cannot subscribe to the controllers’ answers'))
  }

  private onAnswer(topic: string, payload: Buffer): void {
    const deviceId = deviceOfAckTopic(topic)
    if (deviceId === null) return
    this.stats.answers++
    let ack: PlanAck
    try {
      const parsed = PlanAckSchema.safeParse(JSON.parse(payload.toString('utf8')))
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '))
      ack = parsed.data
    } catch (err) {
      this.stats.malformed++
      this.o.log.warn({ device: deviceId, bytes: payload.length, problem: (err as Error).message.slice(0, 200) }, 'signal plan answer ignored: malformed')
      return
    }
    void this.run(() => this.answer(deviceId, ack))
  }

  private async answer(deviceId: string, ack: PlanAck): Promise<void> {
    const { db } = this.o
    const d = await getDeployment(db, ack.deploymentId)
    const c = d ? await controllerDoc(db, d.controllerId).catch(() => null) : null
    if (!d || !c) {
      this.stats.unmatched++
      this.o.log.warn({ device: deviceId, deployment: ack.deploymentId }, 'signal plan answer ignored: no such deployment')
      return
    }
    if (c.deviceId !== deviceId) {
      this.stats.foreign++
      this.o.log.warn({ device: deviceId, deployment: d.id, controller: d.controllerId }, 'signal plan answer ignored: the device is not this deployment’s controller')
      return
    }
    const now = this.clock.now()
    const f = this.flights.get(d.id)
    if (ack.status === 'staged') {
      const inMs = Math.min(ack.activateInMs ?? 0, DEPLOY_MAX_STAGED_MS)
      const due = now + inMs + DEPLOY_ACTIVATION_GRACE_MS
      const staged = await recordStaged(db, d.controllerId, ack, `staged by the controller: switching at its next switch point, in ${Math.round(inMs / 1000)} s`, due)
      if (!staged) return void this.stats.unmatched++
      this.stats.staged++
      if (f && !f.staged) {
        // The controller has it: no more sends; it has until its switch point to confirm.
        f.staged = true
        this.cancel(f)
        this.at(f, due, () => this.expire(f))
        this.emit(staged)
      }
      return
    }
    const done = await applyAck(db, d.controllerId, ack, now)
    if (f) this.end(f)
    if (!done) {
      this.stats.unmatched++
      return
    }
    if (done.status === 'acknowledged') this.stats.acknowledged++
    else this.stats.rejected++
    this.o.log[done.status === 'acknowledged' ? 'info' : 'warn']({ deployment: done.id, controller: done.controllerId, status: done.status, reason: ack.reason ?? null }, `signal plan ${done.status} by the controller`)
    this.emit(done)
    await this.reconcile(done.controllerId)
  }

  // --- the sweep ------------------------------------------------------------------------------

  private scheduleSweep(): void {
    if (this.stopped) return
    this.sweepTimer = this.clock.setTimeout(() => {
      void this.run(() => this.sweep()).finally(() => this.scheduleSweep())
    }, this.o.sweepEveryMs ?? 5000)
  }

  /** Deployments nothing happened to for 30 s, not followed here (a stopped process's): unconfirmed. */
  private async sweep(): Promise<void> {
    const stale = await staleDeployments(this.o.db, this.clock.now() - this.timeoutMs)
    for (const d of stale) {
      if (this.flights.has(d.id)) continue
      this.stats.swept++
      await this.finishUnconfirmed(d.id, `no answer from the controller: the server sending it stopped while waiting (${d.attempts} send(s)); not deployed`)
    }
  }

  // --- plumbing -------------------------------------------------------------------------------

  private emit(d: Deployment): void {
    try {
      this.o.io?.to(SIGNAL_ROOM).emit(SIGNAL_DEPLOYMENT_EVENT, { deployment: d })
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'signal:deployment not pushed; screens refetch')
    }
  }

  private async reconcile(controllerId: string): Promise<void> {
    try {
      await this.o.alarms.reconcile([controllerId], this.clock.now())
    } catch (err) {
      // The next outcome or the next start reconciles again.
      this.o.log.error({ controller: controllerId, err: (err as Error).message }, 'signal-deploy alarm not updated')
    }
  }

  private at(f: Flight, atMs: number, fn: () => Promise<void>): void {
    const h = this.clock.setTimeout(() => {
      f.timers.delete(h)
      void this.run(fn)
    }, Math.max(0, atMs - this.clock.now()))
    f.timers.add(h)
  }

  private cancel(f: Flight): void {
    for (const h of f.timers) this.clock.clearTimeout(h)
    f.timers.clear()
  }

  private end(f: Flight): void {
    this.cancel(f)
    if (this.flights.get(f.id) === f) this.flights.delete(f.id)
  }

  /** One step at a time: an answer never races the send or the expiry of the same deployment. */
  private run(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn).catch((err: unknown) => {
      this.o.log.error({ err: (err as Error).message }, 'signal deploy step failed')
    })
    this.chain = next
    return next
  }
}

/**
 * The server role's own MQTT connection for deployments, as the service identity (the only one the
 * ACL lets publish commands; it reads every answer). Clean session: an answer that arrives while no
 * process listens is covered by the sweep. Reconnects by itself; the manager re-subscribes.
 */
export function connectDeployMqtt(broker: BrokerHandle): MqttClient {
  const creds = broker.auth.service
  const client = mqtt.connect(broker.url, {
    clientId: `gemello-signals-${process.pid}-${randomBytes(3).toString('hex')}`,
    ...(creds ? { username: creds.username, password: creds.password } : {}),
    clean: true,
    protocolVersion: broker.protocolVersion,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    resubscribe: false,
    log: () => undefined,
  })
  client.on('error', () => undefined)
  return client
}
