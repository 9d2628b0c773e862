/**
 * The case cycle's timers (docs/cases.md "The office cycle"): the SLA job flags open cases whose
 * expected date passed (one internal event each, pushed to the screens), the retention job deletes
 * the reporter's personal data once its period after the case closed ran out. Both are JobLoops: any
 * number of server processes may run them, one tick at a time under an advisory lock.
 */
import type { CaseSummary } from '../../../contracts/case-api'
import type { Db } from '../db/adapter'
import { caseSummaries } from '../db/case-cycle'
import { flagSlaBreaches, purgePersonal } from '../db/case-timers'
import { JobLoop, type Job, type JobLogger } from '../jobs/job-loop'

export const CASE_SLA_JOB_LOCK = 74_290_020
export const CASE_RETENTION_JOB_LOCK = 74_290_021
const SLA_BATCH = 500
const PURGE_BATCH = 1000

export function slaJob(o: { db: Db; intervalMs?: number; onBreach?: (cases: CaseSummary[]) => void }): Job<number[]> {
  return {
    name: 'case-sla',
    intervalMs: o.intervalMs ?? 60_000,
    lockKey: CASE_SLA_JOB_LOCK,
    run: (tx, nowMs) => flagSlaBreaches(tx, nowMs, SLA_BATCH),
    afterCommit: async (ids) => {
      if (ids.length > 0 && o.onBreach) o.onBreach(await caseSummaries(o.db, ids))
    },
    describe: (ids) => (ids.length ? `${ids.length} case(s) past their SLA` : null),
    more: (ids) => ids.length === SLA_BATCH,
  }
}

export function retentionJob(o: { intervalMs?: number }): Job<number> {
  return {
    name: 'case-personal-retention',
    intervalMs: o.intervalMs ?? 3_600_000,
    lockKey: CASE_RETENTION_JOB_LOCK,
    run: (tx, nowMs) => purgePersonal(tx, nowMs, PURGE_BATCH),
    describe: (n) => (n ? `deleted the personal data of ${n} closed case(s) past their retention period` : null),
    more: (n) => n === PURGE_BATCH,
  }
}

export interface CaseJobs {
  sla: JobLoop<number[]>
  retention: JobLoop<number>
  start(): void
  stop(): Promise<void>
}

export function caseJobs(o: { db: Db; log: JobLogger; clock?: () => number; onBreach?: (cases: CaseSummary[]) => void }): CaseJobs {
  const clock = o.clock ? { clock: o.clock } : {}
  const sla = new JobLoop({ db: o.db, log: o.log, ...clock, job: slaJob({ db: o.db, ...(o.onBreach ? { onBreach: o.onBreach } : {}) }) })
  const retention = new JobLoop({ db: o.db, log: o.log, ...clock, job: retentionJob({}) })
  return {
    sla,
    retention,
    start() {
      sla.start(5_000)
      retention.start(60_000)
    },
    async stop() {
      await Promise.all([sla.stop(), retention.stop()])
    },
  }
}
