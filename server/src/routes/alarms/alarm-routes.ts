/**
 * The alarm list and its actions, the KPIs and the rules (ADR 0006). Every operator action and every
 * rule change is audited in its own transaction with the alarm's (rule's) state hash before and after;
 * a repeated action that changes nothing (acknowledging an acknowledged alarm) is answered, not audited.
 */
import type { Express } from 'express'
import { ALARM_ROUTES, AlarmActionSchema, type Alarm } from '../../../../contracts/alarm-api'
import { holders } from '../../../../contracts/access'
import { AlarmRuleSchema } from '../../../../contracts/alarm-rules'
import { appendAudit, stateHash } from '../../audit/audit-log'
import type { Db } from '../../db/adapter'
import { actOnAlarm, AlarmActionError, alarmKpis, alarmsByIds, alarmWithEvents, floodState, listAlarms, loadRules, operatorsSignedIn, putRule } from '../../db/alarms'
import { ApiError } from '../../http/api-error'
import { mount } from '../../http/route'
import { actorOf } from '../../http/actor'

export interface AlarmRouteDeps {
  db: Db
  now?: () => number
  /** Alarms changed through the API: push them to the screens. */
  publish(ids: string[]): void
  /** A rule was created or changed: the evaluator reloads. */
  rulesChanged(): void
}

function asApiError(err: unknown): never {
  if (err instanceof AlarmActionError) throw new ApiError(err.code, err.message)
  throw err
}

export function mountAlarmRoutes(app: Express, deps: AlarmRouteDeps): void {
  const { db } = deps
  const now = deps.now ?? Date.now

  mount(app, ALARM_ROUTES.listAlarms, async ({ query }) => {
    const t = now()
    const [alarms, flood] = await Promise.all([listAlarms(db, query.view, { limit: query.limit, ...(query.priority ? { priority: query.priority } : {}) }), floodState(db, t)])
    return { serverTimeMs: t, flood, alarms }
  })

  mount(app, ALARM_ROUTES.getAlarm, async ({ params }) => {
    const found = await alarmWithEvents(db, params.id)
    if (!found) throw new ApiError('ALARM_NOT_FOUND', `There is no alarm ${params.id}.`)
    return found
  })

  mount(app, ALARM_ROUTES.actOnAlarm, async ({ params, body, res }) => {
    const parsed = AlarmActionSchema.safeParse(body)
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message }))
      throw new ApiError('VALIDATION_FAILED', details.map((d) => `${d.path}: ${d.message}`).join('; '), details)
    }
    const action = parsed.data
    const who = actorOf(res)
    const t = now()
    const result = await db
      .transaction(async (tx) => {
        const r = await actOnAlarm(tx, params.id, action, who.actor, t)
        if (r.changed) {
          const detail: Record<string, unknown> = {}
          if (action.action === 'shelve') Object.assign(detail, { reason: action.reason, untilMs: action.untilMs })
          if (action.action === 'out-of-service') detail.reason = action.reason
          if (action.action === 'ack' && action.note) detail.note = action.note
          await appendAudit(tx, { ...who, action: `alarm.${action.action}`, target: `alarm:${params.id}`, beforeHash: stateHash(r.before), afterHash: stateHash(r.after), detail }, t)
        }
        return r
      })
      .catch(asApiError)
    if (result.changed) deps.publish([result.id])
    const [alarm] = await alarmsByIds(db, [result.id])
    return alarm satisfies Alarm | undefined
  })

  mount(app, ALARM_ROUTES.ackAlarms, async ({ body, res }) => {
    const who = actorOf(res)
    const t = now()
    const ids = [...new Set(body.ids)]
    const changed = await db
      .transaction(async (tx) => {
        const out: string[] = []
        for (const id of ids) {
          const r = await actOnAlarm(tx, id, { action: 'ack', ...(body.note ? { note: body.note } : {}) }, who.actor, t)
          if (!r.changed) continue
          await appendAudit(tx, { ...who, action: 'alarm.ack', target: `alarm:${id}`, beforeHash: stateHash(r.before), afterHash: stateHash(r.after), detail: { group: ids.length, ...(body.note ? { note: body.note } : {}) } }, t)
          out.push(r.id)
        }
        return out
      })
      .catch(asApiError)
    if (changed.length > 0) deps.publish(changed)
    return { alarms: await alarmsByIds(db, ids) }
  })

  mount(app, ALARM_ROUTES.alarmKpis, async ({ query }) => {
    const operators = await operatorsSignedIn(db, holders('alarm:act'))
    return alarmKpis(db, query.hours, now(), operators)
  })

  mount(app, ALARM_ROUTES.listAlarmRules, async () => ({ rules: await loadRules(db) }))

  mount(app, ALARM_ROUTES.putAlarmRule, async ({ params, body, res }) => {
    const parsed = AlarmRuleSchema.safeParse(body.rule)
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: ['body', 'rule', ...i.path.map(String)].join('.'), message: i.message }))
      throw new ApiError('VALIDATION_FAILED', details.map((d) => `${d.path}: ${d.message}`).join('; '), details)
    }
    const rule = parsed.data
    if (rule.id !== params.id) throw new ApiError('VALIDATION_FAILED', `body.rule.id: the rule's id (${rule.id}) must be the one in the path (${params.id})`, [{ path: 'body.rule.id', message: 'must equal the path id' }])
    const who = actorOf(res)
    const t = now()
    const { record } = await db.transaction(async (tx) => {
      const r = await putRule(tx, rule, who.actor, t)
      await appendAudit(tx, { ...who, action: r.before ? 'alarm_rule.update' : 'alarm_rule.create', target: `alarm_rule:${rule.id}@v${r.record.version}`, beforeHash: r.before ? stateHash(r.before) : null, afterHash: stateHash(rule), detail: { enabled: rule.enabled, type: rule.type, priority: rule.priority } }, t)
      return r
    })
    deps.rulesChanged()
    return record
  })
}
