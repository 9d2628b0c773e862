/**
 * Deploying signal plans end to end (SIG-15, reliability-security §1.3 cases 19–21), on the real
 * database (PGlite, or PostgreSQL under test:services) and the real broker (the embedded aedes with
 * the ACL, or Mosquitto): the deploy manager signs and sends, the simulator's signal controller
 * verifies, stages, switches and answers over MQTT, the screens in SIGNAL_ROOM get
 * `signal:deployment` through a real Socket.IO client of the real /live server, and the "signal plan
 * not deployed" alarm is raised and cleared through the alarm tables. The manager runs on a
 * hand-driven clock: 30 s of retries and timeout take no wall time.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../../contracts/events'
import { SignalDeploymentEventSchema, type Deployment } from '../../../contracts/signal-api'
import { PlanAckSchema, PlanCommandSchema, planAckTopic, planCommandTopic, type PlanAck, type PlanCommand } from '../../../contracts/signal-deploy'
import { SignalControllerSchema, SignalPlanSchema } from '../../../contracts/schemas/signal-plan'
import { junction, plan, withRows } from '../../../contracts/signal-safety/testing/signal-factories'
import type { Alarm } from '../../../contracts/alarm-api'
import { startSimulator, type Simulator } from '../../../simulator/src/simulator'
import { createTestBroker, type TestBroker } from '../../../tests/helpers/test-broker'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { deviceCredentials, serviceCredentials, testKeyring } from '../../../tests/helpers/test-mqtt-identity'
import { waitFor } from '../../../tests/helpers/wait-for'
import { listAlarms } from '../db/alarms'
import { getDeployment, runningPlans } from '../db/signal-deployments'
import { getPlanVersion, importController, SignalError } from '../db/signals'
import { LiveMirror } from '../realtime/live-mirror'
import { RealtimeServer } from '../realtime/realtime-server'
import { DeployAlarms } from './deploy-alarms'
import { SIGNAL_DEPLOYMENT_EVENT, SignalDeployManager, type DeployClock } from './deploy-manager'

/** A clock the test moves: timers fire in order as it passes them. */
class ManualClock implements DeployClock {
  t = Math.floor(Date.now() / 1000) * 1000
  private readonly timers = new Map<number, { at: number; fn: () => void }>()
  private ids = 0
  now(): number {
    return this.t
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids
    this.timers.set(id, { at: this.t + ms, fn })
    return id
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number)
  }
  advance(ms: number): void {
    const until = this.t + ms
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | null = null
      for (const e of this.timers) if (e[1].at <= until && (!next || e[1].at < next[1].at)) next = e
      if (!next) break
      this.timers.delete(next[0])
      this.t = next[1].at
      next[1].fn()
    }
    this.t = until
  }
}

const RUN = randomBytes(3).toString('hex')
const DEV = `signal-J1-${RUN}`
const OTHER = `signal-J9-${RUN}`
const BY = { actor: 'eng-rossi', actorRole: 'traffic_engineer' }
const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined }

let t: TestDb
let broker: TestBroker
let clock: ManualClock
let server: MqttClient
let spy: MqttClient
let sim: Simulator
let http: Server
let realtime: RealtimeServer
let screen: Socket
let mgr: SignalDeployManager
const events: Deployment[] = []
const published: string[] = []
const commands: PlanCommand[] = []
const answers: PlanAck[] = []
const stages: Array<{ programId: string; stage: number }> = []

function manager(): SignalDeployManager {
  return new SignalDeployManager({ db: t.db, io: realtime.io.of('/live'), alarms: new DeployAlarms({ db: t.db, publish: (ids) => published.push(...ids) }), log: silentLog, clock })
}
const controller = () => sim.controllers.get(DEV)!
const status = async (id: number) => (await getDeployment(t.db, id))!.status
/** Until the deployment has status `s` and the manager finished what follows (event, alarm). */
const untilStatus = async (id: number, s: Deployment['status']) => {
  await waitFor(async () => (await status(id)) === s, `deployment ${id} ${s}`)
  await mgr.settled()
}
const versionStatus = async (planId: string) => (await getPlanVersion(t.db, 'J1', planId, 1))!.status
const deployAlarm = async (): Promise<Alarm | undefined> => (await listAlarms(t.db, 'open', { limit: 100 })).find((a) => a.ruleId === 'signal-plan-not-deployed' && a.subject === DEV)
/** Moves the manager's clock in 1 s steps, letting each step's sends and expiries finish. */
async function pass(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1000) {
    clock.advance(Math.min(1000, ms - done))
    await mgr.settled()
  }
}

beforeAll(async () => {
  t = await createTestDb()
  broker = await createTestBroker()
  clock = new ManualClock()
  for (const [id, tls] of [
    [DEV, 'J1'],
    [OTHER, 'J9'],
  ]) {
    await t.db.query(`INSERT INTO device (id, kind, name, geom, expected_interval_s, source, props) VALUES ($1, 'signal-controller', $1, ST_SetSRID(ST_MakePoint(11.34, 44.49), 4326), 1, 'generated', $2::jsonb)`, [id, JSON.stringify({ tlsId: tls })])
  }
  const day = SignalPlanSchema.parse(plan())
  const alt = SignalPlanSchema.parse(plan(withRows({ 0: [32, 'G', 'R', 'G'] }), { id: 'alt', name: 'Longer main green', cycleS: 74 }))
  const imports = [
    // No schedule: each plan validates on its own (a schedule naming both would make each alone incomplete).
    { controller: SignalControllerSchema.parse(junction({ schedule: [] })), plans: [day, alt], networkId: null, deviceId: DEV, dataset: 'test' },
    { controller: SignalControllerSchema.parse(junction({ id: 'J2', schedule: [] })), plans: [SignalPlanSchema.parse(plan(undefined, { controllerId: 'J2' }))], networkId: null, deviceId: null, dataset: 'test' },
  ]
  await t.db.transaction(async (tx) => {
    for (const input of imports) await importController(tx, input, { actor: 'system:import', actorRole: 'system' }, clock.now())
  })

  // The screens: the real /live server (no sessions: a protocol-test principal with signal-plan:read).
  http = createServer()
  realtime = new RealtimeServer(http, {
    mirror: new LiveMirror({ retainEntries: 100 }),
    defaultCadenceMs: 100,
    sessions: null,
    heartbeat: () => ({ ingest: { brokerConnected: true, dbHealthy: true, pending: 0, lastCommitAtMs: null, workers: 1 }, quarantine: { total: 0, lastReason: null, lastAtMs: null }, liveFeed: 'up', rootCause: null }),
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  screen = connectSocket(`http://127.0.0.1:${(http.address() as AddressInfo).port}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'] })
  screen.on(SIGNAL_DEPLOYMENT_EVENT, (e: unknown) => events.push(SignalDeploymentEventSchema.parse(e).deployment))
  await new Promise<void>((resolve) => screen.once('live:heartbeat', () => resolve()))

  const opts = { protocolVersion: broker.protocolVersion, reconnectPeriod: 0, connectTimeout: 5000 }
  server = await mqtt.connectAsync(broker.url, { ...opts, ...(await serviceCredentials()), clientId: broker.clientId('signals'), clean: true })
  spy = await mqtt.connectAsync(broker.url, { ...opts, ...(await serviceCredentials()), clientId: broker.clientId('signals-spy'), clean: true })
  spy.on('message', (topic, payload) => {
    const parsed = (schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }) => {
      try {
        const r = schema.safeParse(JSON.parse(payload.toString()))
        return r.success ? r.data : null
      } catch {
        return null
      }
    }
    const v = parsed(topic === planCommandTopic(DEV) ? PlanCommandSchema : PlanAckSchema)
    if (v && topic === planCommandTopic(DEV)) commands.push(v as PlanCommand)
    if (v && topic === planAckTopic(DEV)) answers.push(v as PlanAck)
  })
  await spy.subscribeAsync([planCommandTopic(DEV), planAckTopic(DEV)], { qos: 1 })

  sim = await startSimulator({
    mqttUrl: broker.url,
    protocolVersion: broker.protocolVersion,
    devices: [{ id: DEV, kind: 'signal-controller', position: [11.34, 44.49], expectedIntervalS: 1, props: { tlsId: 'J1' } }],
    cityDataDir: null,
    seed: 1,
    keyring: await testKeyring(),
    clientIdPrefix: `t-sigsim-${RUN}`,
    signalControllers: { switchWithinMs: 200 },
    onPublish: (e) => {
      if (e.stream === 'stage') stages.push(JSON.parse(e.payload.toString()).values as { programId: string; stage: number })
    },
  })

  mgr = manager()
  await mgr.start({ mqtt: server, keys: await testKeyring() })
}, 120_000)

afterAll(async () => {
  await mgr?.stop()
  await sim?.stop()
  screen?.close()
  await realtime?.close()
  http?.closeAllConnections()
  await server?.endAsync(true)
  await spy?.endAsync(true)
  await broker?.close()
  await t?.drop()
})

describe('deploying a signal plan', () => {
  it('installs the "signal plan not deployed" rule, priority high, with its texts', async () => {
    const r = await t.db.query<{ doc: { type: string; priority: string; translations: { it: { name: string } } } }>(`SELECT doc FROM alarm_rule WHERE id = 'signal-plan-not-deployed'`)
    expect(r.rows[0]!.doc).toMatchObject({ type: 'signal-deploy', priority: 'high', translations: { it: { name: 'Piano semaforico non attivato' } } })
  })

  it('sends it signed; the controller verifies, stages, switches and acknowledges; the version is deployed and the screens are told', async () => {
    const d = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    expect(d).toMatchObject({ status: 'sending', attempts: 1, sequence: 1, kind: 'deploy', requestedBy: 'eng-rossi' })
    await untilStatus(d.id, 'acknowledged')
    expect(await versionStatus('day')).toBe('deployed')
    expect((await runningPlans(t.db, 'J1')).get('J1')).toMatchObject({ planId: 'day', version: 1, deploymentId: d.id })
    await waitFor(() => answers.filter((a) => a.deploymentId === d.id).length >= 2, 'both answers on the wire')
    expect(answers.filter((a) => a.deploymentId === d.id).map((a) => a.status)).toEqual(['staged', 'activated'])
    expect(commands).toHaveLength(1)
    expect(commands[0]).toMatchObject({ deploymentId: d.id, controllerId: 'J1', sequence: 1, planId: 'day', version: 1, planHash: d.planHash, groups: ['A', 'B', 'P'], attempt: 1 })
    await waitFor(() => events.some((e) => e.id === d.id && e.status === 'acknowledged'), 'signal:deployment acknowledged on the socket')
    const seen = events.filter((e) => e.id === d.id)
    expect(seen.map((e) => e.status)).toEqual(['sending', 'sending', 'acknowledged'])
    expect(seen[1]!.detail).toMatch(/^staged by the controller: switching at its next switch point/)
    // The running stage is streamed live: the controller's stage stream reports the deployed plan.
    await waitFor(() => stages.some((s) => s.programId === 'day@v1'), 'a stage reading of day@v1')
    expect(await deployAlarm()).toBeUndefined()
  })

  it('switches to another approved plan: it becomes deployed, the previous one approved again', async () => {
    const d = await mgr.deploy('J1', { planId: 'alt', version: 1 }, 'switch', BY)
    await untilStatus(d.id, 'acknowledged')
    expect([await versionStatus('alt'), await versionStatus('day')]).toEqual(['deployed', 'approved'])
    await waitFor(() => stages.some((s) => s.programId === 'alt@v1'), 'a stage reading of alt@v1')
    expect(mgr.stats).toMatchObject({ sends: 2, acknowledged: 2, staged: 2, malformed: 0 })
  })

  it('refuses to deploy to a controller without a device, and a second deployment while one waits', async () => {
    await expect(mgr.deploy('J2', { planId: 'day', version: 1 }, 'deploy', BY)).rejects.toMatchObject({ code: 'PLAN_STATE' })
    controller().faults.silent = true
    const d = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    const err = await mgr.deploy('J1', { planId: 'alt', version: 1 }, 'deploy', BY).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SignalError)
    expect(err).toMatchObject({ code: 'DEPLOY_IN_PROGRESS' })
    await pass(31_000)
    expect(await status(d.id)).toBe('unconfirmed')
    controller().faults.silent = false
    // Back to a clean slate for the cases below: a good deployment clears that alarm.
    const ok = await mgr.deploy('J1', { planId: 'alt', version: 1 }, 'deploy', BY)
    await untilStatus(ok.id, 'acknowledged')
    await waitFor(async () => (await deployAlarm())?.active === false, 'the alarm back to normal')
  })

  it('case 19: a plan tampered in transit is refused by the device — rejected, and a high-priority alarm on the controller', async () => {
    controller().faults.tamper = true
    const d = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    await untilStatus(d.id, 'rejected')
    const stored = (await getDeployment(t.db, d.id))!
    expect(stored.detail).toContain('refused by the controller: hash-mismatch')
    // Nothing changed on the controller: it still runs the plan it acknowledged last.
    expect((await runningPlans(t.db, 'J1')).get('J1')).toMatchObject({ planId: 'alt', version: 1 })
    expect(await versionStatus('day')).toBe('approved')
    const alarm = await deployAlarm()
    expect(alarm).toMatchObject({ priority: 'high', active: true, acked: false, deviceId: DEV, ruleType: 'signal-deploy', ruleName: 'Signal plan not deployed' })
    expect(alarm!.message).toContain('rejected by the device: refused by the controller: hash-mismatch')
    expect(alarm!.response.length).toBeGreaterThan(20)
    expect(published).toContain(String(alarm!.id))
    await waitFor(() => events.some((e) => e.id === d.id && e.status === 'rejected'), 'the rejection on the socket')
    controller().faults.tamper = false
  })

  it('case 19: a replayed older command is refused (stale-sequence), and so is a deployment below what the controller runs', async () => {
    const before = answers.length
    // The first command, captured on the wire, replayed: signed and intact, but its sequence is old.
    await spy.publishAsync(planCommandTopic(DEV), JSON.stringify(commands[0]), { qos: 1 })
    await waitFor(() => answers.length > before, 'the answer to the replay')
    expect(answers[before]).toMatchObject({ status: 'refused', reason: 'stale-sequence', deploymentId: commands[0]!.deploymentId, sequence: 1 })
    expect((await runningPlans(t.db, 'J1')).get('J1')).toMatchObject({ planId: 'alt', version: 1 })
    expect(await status(commands[0]!.deploymentId)).toBe('acknowledged')
    // A controller that runs a higher sequence (Gemello's database restored from an older backup) refuses too.
    const running = controller().runningSequence
    controller().runningSequence = 1000
    const d = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    await untilStatus(d.id, 'rejected')
    expect((await getDeployment(t.db, d.id))!.detail).toContain('stale-sequence')
    controller().runningSequence = running
  })

  it('a later acknowledged deployment clears the alarm (returned to normal, awaiting acknowledgement)', async () => {
    expect((await deployAlarm())?.active).toBe(true)
    const d = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    await untilStatus(d.id, 'acknowledged')
    await waitFor(async () => (await deployAlarm())?.active === false, 'the alarm cleared')
    expect(await deployAlarm()).toMatchObject({ active: false, acked: false, display: 'rtn-unacknowledged', listed: true })
  })

  it('case 21: no answer — 4 sends at 0, 5, 12 and 22 s, unconfirmed at 30 s with a high alarm, and nothing after', async () => {
    controller().faults.silent = true
    const from = commands.length
    const d = await mgr.deploy('J1', { planId: 'alt', version: 1 }, 'deploy', BY)
    const t0 = clock.now()
    await pass(29_000)
    expect(await status(d.id)).toBe('sending')
    await pass(1_000)
    expect(await status(d.id)).toBe('unconfirmed')
    await waitFor(() => commands.length - from >= 4, 'the four sends on the wire')
    await pass(120_000)
    await new Promise((r) => setTimeout(r, 300))
    const sent = commands.slice(from)
    expect(sent.map((c) => [c.attempt, c.sentAtMs - t0])).toEqual([
      [1, 0],
      [2, 5_000],
      [3, 12_000],
      [4, 22_000],
    ])
    expect(new Set(sent.map((c) => c.signature)).size).toBe(1)
    const stored = (await getDeployment(t.db, d.id))!
    expect(stored).toMatchObject({ status: 'unconfirmed', attempts: 4, acknowledgedAtMs: null })
    expect(stored.detail).toContain('no answer from the controller within 30 s after 4 send(s)')
    expect(await deployAlarm()).toMatchObject({ priority: 'high', active: true })
    expect(events.filter((e) => e.id === d.id).map((e) => `${e.status}/${e.attempts}`)).toEqual(['sending/1', 'sending/2', 'sending/3', 'sending/4', 'unconfirmed/4'])
    expect(await versionStatus('alt')).toBe('approved')

    // The controller switches after all and says so: it does run the plan, so the record says so too.
    const dev = await mqtt.connectAsync(broker.url, { protocolVersion: broker.protocolVersion, ...(await deviceCredentials(DEV)), clientId: broker.clientId('sig-late'), reconnectPeriod: 0 })
    await dev.publishAsync(planAckTopic(DEV), JSON.stringify({ deploymentId: d.id, sequence: d.sequence, planHash: d.planHash, status: 'activated', runningSequence: d.sequence, atMs: Date.now() }), { qos: 1 })
    await dev.endAsync()
    await untilStatus(d.id, 'acknowledged')
    expect((await getDeployment(t.db, d.id))!.detail).toContain('activated by the controller after it had been marked unconfirmed')
    expect(await versionStatus('alt')).toBe('deployed')
    expect(await deployAlarm()).toMatchObject({ active: false, acked: false })
    controller().runningSequence = d.sequence // what the real controller would now run
  })

  it('a server that stopped while sending: the next start marks the deployment unconfirmed (+ alarm); one restarted sooner sweeps it later', async () => {
    controller().faults.silent = false
    const ok = await mgr.deploy('J1', { planId: 'alt', version: 1 }, 'deploy', BY)
    await untilStatus(ok.id, 'acknowledged')
    expect((await deployAlarm())?.active).toBe(false)
    controller().faults.silent = true
    const d = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    await mgr.stop() // the process goes away while waiting
    clock.advance(31_000)
    mgr = manager()
    await mgr.start({ mqtt: server, keys: await testKeyring() })
    expect(mgr.stats.swept).toBe(1)
    expect((await getDeployment(t.db, d.id))!).toMatchObject({ status: 'unconfirmed', attempts: 1 })
    expect((await getDeployment(t.db, d.id))!.detail).toContain('the server sending it stopped while waiting')
    expect(await deployAlarm()).toMatchObject({ active: true, priority: 'high' })

    // Restarted within the 30 s: nothing to sweep at start; the periodic sweep takes it once it is 30 s old.
    const e = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    await mgr.stop()
    clock.advance(10_000)
    mgr = manager()
    await mgr.start({ mqtt: server, keys: await testKeyring() })
    expect(await status(e.id)).toBe('sending')
    await pass(30_000)
    expect(await status(e.id)).toBe('unconfirmed')
    expect(mgr.stats.swept).toBe(1)

    // The controller answers again; a deployment acknowledged clears the alarm.
    controller().faults.silent = false
    const back = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    await untilStatus(back.id, 'acknowledged')
    await waitFor(async () => (await deployAlarm())?.active === false, 'the alarm cleared')
  })

  it('rolls back to the last plan acknowledged before the running one', async () => {
    const d = await mgr.rollback('J1', BY)
    expect(d).toMatchObject({ kind: 'rollback', planId: 'alt', version: 1 })
    await untilStatus(d.id, 'acknowledged')
    expect([await versionStatus('alt'), await versionStatus('day')]).toEqual(['deployed', 'approved'])
  })

  it('counts and ignores malformed answers and answers from a device that is not the controller’s', async () => {
    const before = { ...mgr.stats }
    const dev = await mqtt.connectAsync(broker.url, { protocolVersion: broker.protocolVersion, ...(await deviceCredentials(DEV)), clientId: broker.clientId('sig-dev'), reconnectPeriod: 0 })
    await dev.publishAsync(planAckTopic(DEV), 'not json', { qos: 1 })
    await dev.publishAsync(planAckTopic(DEV), JSON.stringify({ deploymentId: 1, status: 'activated' }), { qos: 1 })
    await dev.endAsync()
    const other = await mqtt.connectAsync(broker.url, { protocolVersion: broker.protocolVersion, ...(await deviceCredentials(OTHER)), clientId: broker.clientId('sig-other'), reconnectPeriod: 0 })
    const last = commands[commands.length - 1]!
    await other.publishAsync(planAckTopic(OTHER), JSON.stringify({ deploymentId: last.deploymentId, sequence: last.sequence, planHash: last.planHash, status: 'refused', reason: 'hash-mismatch', runningSequence: 0, atMs: Date.now() }), { qos: 1 })
    await other.endAsync()
    await waitFor(() => mgr.stats.malformed === before.malformed + 2 && mgr.stats.foreign === before.foreign + 1, 'the bad answers counted')
    await mgr.settled()
    expect(await status(last.deploymentId)).toBe('acknowledged')
    // Still answering.
    const d = await mgr.deploy('J1', { planId: 'day', version: 1 }, 'deploy', BY)
    await untilStatus(d.id, 'acknowledged')
  })
})
