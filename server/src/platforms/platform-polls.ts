/**
 * Following what the platforms hold for a case (docs/cases.md "Legal notices and payments followed"):
 * two JobLoops, any number of server processes, one tick at a time under an advisory lock.
 *
 * - `case-fee-poll`: published fees → GPD's position (gpdPositionStatus); paid → the fee `paid` with its
 *   date and receipt reference, a public `payment` event, the case pushed to the screens.
 * - `case-notice-poll`: notices SEND took → the request's evaluation (sendRequestStatus: accepted with
 *   its IUN, or refused) and then the notification's progress (sendNotificationStatus: delivering,
 *   delivered, viewed, effective, unreachable, cancelled), a `notice` event on each change, pushed.
 *
 * A tick's transaction only picks the rows (at most `batch`, the longest unchecked first, each checked
 * at most every `recheckMs`) and marks them checked; the calls are made after it commits, each answer
 * recorded in its own short transaction — no database transaction waits on a platform. A platform
 * error is logged and that row is asked again on a later round; nothing throws out of the loop.
 */
import type { CaseSummary } from '../../../contracts/case-api'
import type { GpdConfig } from '../config/platform-config'
import type { Db } from '../db/adapter'
import { caseSummaries } from '../db/case-cycle'
import { claimFeesToPoll, markFeePaid, type FeeToPoll } from '../db/case-fees'
import { applyNoticeStatus, claimNoticesToPoll, type NoticeStatus, type NoticeToPoll } from '../db/case-notices'
import { JobLoop, type Job, type JobLogger } from '../jobs/job-loop'
import { gpdPositionStatus, type GpdPositionState } from './gpd/gpd-handler'
import type { SendSettings } from './send/send-client'
import { sendNotificationStatus, sendRequestStatus, type NotificationStatus } from './send/send-status'

export const CASE_FEE_POLL_LOCK = 74_290_022
export const CASE_NOTICE_POLL_LOCK = 74_290_023

export interface PollOptions {
  /** Between ticks (default 60 s). */
  intervalMs?: number
  /** A row is asked about again at most this often (fees 5 min, notices 2 min by default). */
  recheckMs?: number
  /** Rows asked about in one tick (default 50). */
  batch?: number
  /** One call's time limit (default 10 s). */
  timeoutMs?: number
}

interface PollDeps {
  db: Db
  log: JobLogger
  fetch?: typeof fetch
  /** After a change is committed: the cases as the list shows them (the screens' push). Must not throw. */
  onChange?: (cases: CaseSummary[]) => void
}

export interface PollRun {
  asked: number
  changed: number[]
  failed: number
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** A paid position: PAID (or reported after it), or its payment option paid. */
export function paidAt(p: GpdPositionState, nowMs: number): number | null {
  const paid = p.status === 'PAID' || p.status === 'REPORTED' || p.option?.status === 'PO_PAID' || p.option?.status === 'PO_REPORTED'
  if (!paid) return null
  const at = Date.parse(p.option?.paymentDate ?? p.paymentDate ?? '')
  return Number.isFinite(at) ? at : nowMs
}

/** SEND's notification status → the notice's; null: nothing to record (still accepted, or a status of the notification's own payment). */
export function noticeStatusOf(s: NotificationStatus): NoticeStatus | null {
  switch (s) {
    case 'DELIVERING':
      return 'delivering'
    case 'DELIVERED':
      return 'delivered'
    case 'VIEWED':
      return 'viewed'
    case 'EFFECTIVE_DATE':
      return 'effective'
    case 'UNREACHABLE':
    case 'RETURNED_TO_SENDER':
      return 'unreachable'
    case 'CANCELLED':
      return 'cancelled'
    case 'REFUSED':
      return 'refused'
    default:
      return null
  }
}

async function pushChanged(d: PollDeps, ids: number[]): Promise<void> {
  if (ids.length === 0 || !d.onChange) return
  d.onChange(await caseSummaries(d.db, ids))
}

export function feePollJob(d: PollDeps & { gpd: GpdConfig }, o: PollOptions = {}): Job<{ fees: FeeToPoll[]; run: PollRun }> {
  const timeoutMs = o.timeoutMs ?? 10_000
  return {
    name: 'case-fee-poll',
    intervalMs: o.intervalMs ?? 60_000,
    lockKey: CASE_FEE_POLL_LOCK,
    run: async (tx, nowMs) => ({ fees: await claimFeesToPoll(tx, nowMs, o.batch ?? 50, o.recheckMs ?? 300_000), run: { asked: 0, changed: [], failed: 0 } }),
    afterCommit: async ({ fees, run }, nowMs) => {
      for (const fee of fees) {
        run.asked++
        try {
          const read = await gpdPositionStatus(d.gpd, fee.iupd, { ...(d.fetch ? { fetch: d.fetch } : {}), signal: AbortSignal.timeout(timeoutMs) })
          if (read.kind !== 'found') {
            run.failed++
            d.log.warn({ job: 'case-fee-poll', caseId: fee.caseId, http: 'http' in read ? read.http : null }, `fee poll: GPD ${read.kind === 'not-found' ? 'holds no position with this IUPD' : read.error}; asked again later`)
            continue
          }
          const at = paidAt(read.position, nowMs)
          if (at === null) continue
          const o = read.position.option
          const changed = await markFeePaid(d.db, fee, { paidAtMs: at, idReceipt: o?.idReceipt ?? null, pspCompany: o?.pspCompany ?? null }, nowMs)
          if (changed !== null) run.changed.push(changed)
        } catch (e) {
          run.failed++
          d.log.warn({ job: 'case-fee-poll', caseId: fee.caseId, err: errorText(e) }, 'fee poll: could not read or record the position; asked again later')
        }
      }
      await pushChanged(d, run.changed).catch((e: unknown) => d.log.warn({ job: 'case-fee-poll', err: errorText(e) }, 'fee poll: could not push the changed cases'))
    },
    describe: ({ run }) => (run.changed.length ? `${run.changed.length} fee(s) paid` : null),
  }
}

/** What SEND says of one notice now: its next status (and IUN), or null when nothing changed. */
async function askSend(s: SendSettings, n: NoticeToPoll, io: { fetch?: typeof fetch; signal: AbortSignal }): Promise<{ status: NoticeStatus; iun?: string; sinceMs?: number | null; errors?: string[] } | null> {
  if (n.status === 'requested') {
    if (!n.notificationRequestId) return null
    const r = await sendRequestStatus(s, n.notificationRequestId, io)
    if (r.status === 'ACCEPTED') return { status: 'accepted', iun: r.iun }
    if (r.status === 'REFUSED') return { status: 'refused', errors: r.errors.map((e) => e.code) }
    return null
  }
  if (!n.iun) return null
  const r = await sendNotificationStatus(s, n.iun, io)
  const next = noticeStatusOf(r.status)
  return next && next !== n.status ? { status: next, sinceMs: r.sinceMs } : null
}

export function noticePollJob(d: PollDeps & { send: SendSettings }, o: PollOptions = {}): Job<{ notices: NoticeToPoll[]; run: PollRun }> {
  const timeoutMs = o.timeoutMs ?? 10_000
  return {
    name: 'case-notice-poll',
    intervalMs: o.intervalMs ?? 60_000,
    lockKey: CASE_NOTICE_POLL_LOCK,
    run: async (tx, nowMs) => ({ notices: await claimNoticesToPoll(tx, nowMs, o.batch ?? 50, o.recheckMs ?? 120_000), run: { asked: 0, changed: [], failed: 0 } }),
    afterCommit: async ({ notices, run }, nowMs) => {
      for (const n of notices) {
        run.asked++
        try {
          const next = await askSend(d.send, n, { ...(d.fetch ? { fetch: d.fetch } : {}), signal: AbortSignal.timeout(timeoutMs) })
          if (!next) continue
          const changed = await applyNoticeStatus(d.db, n, next, nowMs)
          if (changed !== null) run.changed.push(changed)
        } catch (e) {
          run.failed++
          // SendError messages carry statuses and SEND's codes only, never the recipient.
          d.log.warn({ job: 'case-notice-poll', caseId: n.caseId, noticeId: n.id, err: errorText(e) }, 'notice poll: could not read or record the notice’s status; asked again later')
        }
      }
      await pushChanged(d, [...new Set(run.changed)]).catch((e: unknown) => d.log.warn({ job: 'case-notice-poll', err: errorText(e) }, 'notice poll: could not push the changed cases'))
    },
    describe: ({ run }) => (run.changed.length ? `${run.changed.length} legal notice(s) moved on` : null),
  }
}

export interface PlatformPolls {
  fees: JobLoop<{ fees: FeeToPoll[]; run: PollRun }> | null
  notices: JobLoop<{ notices: NoticeToPoll[]; run: PollRun }> | null
  start(): void
  stop(): Promise<void>
}

/** The polls of the configured platforms (none without GPD and SEND). */
export function platformPolls(o: PollDeps & { gpd: GpdConfig | null; send: SendSettings | null; clock?: () => number; fee?: PollOptions; notice?: PollOptions }): PlatformPolls {
  const clock = o.clock ? { clock: o.clock } : {}
  const fees = o.gpd ? new JobLoop({ db: o.db, log: o.log, ...clock, job: feePollJob({ ...o, gpd: o.gpd }, o.fee) }) : null
  const notices = o.send ? new JobLoop({ db: o.db, log: o.log, ...clock, job: noticePollJob({ ...o, send: o.send }, o.notice) }) : null
  return {
    fees,
    notices,
    start() {
      fees?.start(15_000)
      notices?.start(20_000)
    },
    async stop() {
      await Promise.all([fees?.stop(), notices?.stop()])
    },
  }
}
