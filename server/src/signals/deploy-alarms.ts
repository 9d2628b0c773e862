/**
 * The "signal plan not deployed" alarm (SIG-15, ADR 0006): a rule of type `signal-deploy` in the alarm
 * table like every other rule (priority, cause, consequence, response, translations; the operators'
 * list, acknowledgement, shelving, KPIs and the wall treat it like any alarm), whose condition is not
 * judged from readings but from the deployments:
 *
 *   a controller's condition is active while its newest finished deployment (acknowledged, rejected or
 *   unconfirmed; `sending` ones do not count yet) was rejected by the device or never confirmed; it
 *   returns to normal when a later deployment to that controller is acknowledged.
 *
 * One alarm per controller device (subject = the device id, so it sits on the map at the junction).
 * `reconcile` recomputes the condition from the database and applies it through the evaluator's own
 * write path (applyConditions: the same rows, events, lifecycle and push to the screens), so it is
 * idempotent: the deploy manager calls it after each outcome it wrote, and for every controller at
 * start (a process that stopped between the two writes leaves nothing behind). The alarm evaluator
 * leaves these conditions alone (EXTERNAL_RULE_TYPES). A repeated failure while the alarm is still
 * active (acknowledged or not) is the same standing condition: it does not re-annunciate.
 */
import type { AlarmRule } from '../../../contracts/alarm-rules'
import type { Db } from '../db/adapter'
import { applyConditions, EVALUATOR, loadEngineDevices, loadRules, putRule } from '../db/alarms'
import type { ConditionChange } from '../domain/alarm-engine'
import { DEFAULT_RULES } from '../alarms/default-rules'

/** Serialises reconciliations across processes (the open-alarm index allows one open row per rule and subject). */
const DEPLOY_ALARM_LOCK = 74_290_077

export interface DeployAlarmHook {
  /** Brings the controllers' alarms in line with their deployments (every controller when null). Returns the alarm ids changed. */
  reconcile(controllerIds: readonly string[] | null, nowMs: number): Promise<string[]>
  /** Makes sure a rule of the alarm's type exists (called once at start). */
  ensureRule?(nowMs: number): Promise<unknown>
}

export interface DeployAlarmsOptions {
  db: Db
  /** Alarms changed: push them to the screens (start-server's publishAlarms). */
  publish(ids: string[]): void
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void }
}

interface Outcome {
  controller_id: string
  device_id: string | null
  id: number
  status: 'acknowledged' | 'rejected' | 'unconfirmed'
  plan_id: string
  version: number
  attempts: number
  detail: string | null
}

/** The alarm's subject for a controller: its device, or the controller itself when it has none. */
export const deployAlarmSubject = (controllerId: string, deviceId: string | null) => deviceId ?? `signal-controller:${controllerId}`

function message(o: Outcome): string {
  const what = `plan ${o.plan_id} v${o.version} (deployment ${o.id})`
  switch (o.status) {
    case 'rejected':
      return `${what} rejected by the device: ${o.detail ?? 'no reason given'}`
    case 'unconfirmed':
      return `${what} not deployed: ${o.detail ?? `no confirmation from the controller after ${o.attempts} sends`}`
    case 'acknowledged':
      return `${what} acknowledged by the controller: it runs the plan Gemello sent`
  }
}

export class DeployAlarms implements DeployAlarmHook {
  constructor(private readonly o: DeployAlarmsOptions) {}

  /**
   * Installs the default `signal-deploy` rule when the table has no rule of that type: the default
   * rules are seeded only into an empty table, so an installation older than the rule gets it here.
   * Rules cannot be deleted (only disabled), so a missing rule was never there. Returns whether it installed it.
   */
  async ensureRule(nowMs: number): Promise<boolean> {
    const rule = DEFAULT_RULES.find((r) => r.type === 'signal-deploy')
    if (!rule) return false
    const installed = await this.o.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [DEPLOY_ALARM_LOCK])
      const any = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM alarm_rule WHERE doc->>'type' = 'signal-deploy'`)
      if ((any.rows[0]?.n ?? 0) > 0) return false
      await putRule(tx, rule, EVALUATOR, nowMs)
      return true
    })
    if (installed) this.o.log?.info({ rule: rule.id }, 'alarm rules: the signal-deploy rule was installed')
    return installed
  }

  async reconcile(controllerIds: readonly string[] | null, nowMs: number): Promise<string[]> {
    const { db } = this.o
    const records = (await loadRules(db)).filter((r) => r.rule.type === 'signal-deploy')
    if (records.length === 0) return []
    const ids = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [DEPLOY_ALARM_LOCK])
      const r = await tx.query<Outcome>(
        `SELECT DISTINCT ON (d.controller_id) d.controller_id, c.device_id, d.id::int AS id, d.status, d.plan_id, d.version, d.attempts, d.detail
         FROM signal_deployment d JOIN signal_controller c ON c.id = d.controller_id
         WHERE d.status <> 'sending' AND ($1::text[] IS NULL OR d.controller_id = ANY($1::text[]))
         ORDER BY d.controller_id, d.sequence DESC`,
        [controllerIds ? [...controllerIds] : null],
      )
      const changes: ConditionChange[] = []
      const enabled = records.filter((x) => x.rule.enabled)
      for (const o of r.rows) {
        const subject = deployAlarmSubject(o.controller_id, o.device_id)
        for (const { rule } of enabled) {
          if (rule.scope.deviceIds && !(o.device_id && rule.scope.deviceIds.includes(o.device_id))) continue
          changes.push({ ruleId: rule.id, subject, deviceId: o.device_id, active: o.status !== 'acknowledged', atMs: nowMs, message: message(o), value: `${o.plan_id}@v${o.version}` })
        }
      }
      // A disabled rule's alarms end (the evaluator does this for the rules it evaluates).
      const disabled = records.filter((x) => !x.rule.enabled).map((x) => x.rule.id)
      if (disabled.length > 0) {
        const open = await tx.query<{ rule_id: string; subject: string; device_id: string | null }>('SELECT rule_id, subject, device_id FROM alarm WHERE closed_at IS NULL AND active AND rule_id = ANY($1::text[])', [disabled])
        for (const a of open.rows) changes.push({ ruleId: a.rule_id, subject: a.subject, deviceId: a.device_id, active: false, atMs: nowMs, message: 'the rule was disabled', value: null })
      }
      if (changes.length === 0) return []
      const devices = [...new Set(changes.map((c) => c.deviceId).filter((d): d is string => d !== null))]
      const districts = new Map((await loadEngineDevices(tx, devices)).map((d) => [d.id, d.district]))
      const rules = new Map<string, { rule: AlarmRule; version: number }>(records.map((x) => [x.rule.id, { rule: x.rule, version: x.version }]))
      return applyConditions(tx, changes, { rules, districtOf: (id) => districts.get(id) ?? null, suppressor: null, isChattering: () => false, nowMs })
    })
    if (ids.length > 0) this.o.publish(ids)
    return ids
  }
}
