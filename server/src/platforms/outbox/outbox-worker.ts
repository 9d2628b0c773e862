/**
 * The outbox worker (docs/cases.md "The outbox"): claims a due row under a lease, asks the platform's
 * handler to make the call (with a timeout), and records what happened in one transaction with its
 * audit row, the breaker's count and, on success, the handler's own rows (the case's event). Any
 * number of workers in any number of processes: a row is claimed by one at a time, and a worker whose
 * lease lapsed (it stalled, or its process died between the call and the record) writes nothing —
 * another claims the row and calls again with the same idempotency key, so the platform does it once.
 *
 * Outcomes: done; retry (the call provably did not happen, or repeating it is harmless: network error,
 * 5xx, 429 with its Retry-After, a timeout of an idempotent call) with exponential backoff and jitter
 * until maxAttempts, then dead; refused (4xx: no retry); ambiguous (a call without an idempotency key
 * that may have happened — App IO's message after a timeout — is never repeated by itself).
 */
import type { Db, Queryable } from '../../db/adapter'
import type { JobLogger } from '../../jobs/job-loop'
import { claimOutboxItem, noteBreaker, openBreakers, recordOutcome, type BreakerPolicy, type OutboxItem, type Platform, type Recorded } from './outbox-store'

export type CallOutcome =
  | { kind: 'done'; http: number | null; result: unknown }
  | { kind: 'retry'; http: number | null; error: string; retryAfterS?: number }
  | { kind: 'refused'; http: number | null; error: string }
  | { kind: 'ambiguous'; http: number | null; error: string }

export interface PlatformHandler {
  platform: Platform
  operation: string
  /** Whether making the call twice has one effect (the platform honours an idempotency key, or the call changes nothing). */
  idempotent: boolean
  call(item: OutboxItem, signal: AbortSignal): Promise<CallOutcome>
  /** Rows written in the transaction that records the success (e.g. the case's event). */
  onDone?(tx: Queryable, item: OutboxItem, result: unknown, nowMs: number): Promise<void>
}

export interface OutboxPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** A call's time limit. */
  timeoutMs: number
  /** The claim's lease (longer than the time limit). */
  leaseS: number
  breaker: BreakerPolicy
}

export const DEFAULT_OUTBOX_POLICY: OutboxPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 3_600_000, timeoutMs: 15_000, leaseS: 60, breaker: { threshold: 5, openMs: 60_000 } }

/** How an HTTP answer of a platform classifies (409 is the handler's: it means "already done" for a keyed call). */
export function classifyHttp(status: number, idempotent: boolean, retryAfter: string | null = null): Exclude<CallOutcome, { kind: 'done' }> | null {
  if (status >= 200 && status < 300) return null
  if (status === 429 || status === 503) {
    const s = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined
    return { kind: 'retry', http: status, error: `HTTP ${status}: the platform asks to slow down`, ...(s !== undefined ? { retryAfterS: s } : {}) }
  }
  if (status >= 500) return { kind: 'retry', http: status, error: `HTTP ${status}: the platform failed` }
  if (status === 408) return idempotent ? { kind: 'retry', http: status, error: 'HTTP 408: the platform timed out' } : { kind: 'ambiguous', http: status, error: 'HTTP 408: the platform timed out; the call may have been made' }
  return { kind: 'refused', http: status, error: `HTTP ${status}: the platform refused the call` }
}

/** A thrown error of a call: a connection never made is safe to retry; a timeout or a cut answer only when the call is idempotent. */
export function classifyError(e: unknown, idempotent: boolean): CallOutcome {
  const code = (e as { code?: string; cause?: { code?: string } })?.cause?.code ?? (e as { code?: string })?.code
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return { kind: 'retry', http: null, error: `cannot reach the platform (${code})` }
  const name = (e as { name?: string })?.name
  const what = name === 'TimeoutError' || name === 'AbortError' ? 'no answer in time' : `the call broke off (${code ?? name ?? 'error'})`
  return idempotent ? { kind: 'retry', http: null, error: what } : { kind: 'ambiguous', http: null, error: `${what}; the call may have been made` }
}

export interface OutboxWorkerOptions {
  db: Db
  handlers: readonly PlatformHandler[]
  log: JobLogger
  /** This worker's name in the leases (default: pid and a random suffix). */
  holder?: string
  clock?: () => number
  /** 0..1, for the jitter (tests fix it). */
  random?: () => number
  policy?: Partial<OutboxPolicy>
}

export class OutboxWorker {
  private readonly policy: OutboxPolicy
  private readonly holder: string
  private readonly clock: () => number
  private readonly random: () => number
  private readonly handlers = new Map<string, PlatformHandler>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> | null = null
  private stopped = true

  constructor(private readonly o: OutboxWorkerOptions) {
    this.policy = { ...DEFAULT_OUTBOX_POLICY, ...o.policy, breaker: { ...DEFAULT_OUTBOX_POLICY.breaker, ...o.policy?.breaker } }
    this.holder = o.holder ?? `outbox-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    this.clock = o.clock ?? Date.now
    this.random = o.random ?? Math.random
    for (const h of o.handlers) this.handlers.set(`${h.platform}/${h.operation}`, h)
  }

  /** Claims and processes one due row: 'idle' when there was none. */
  async runOnce(): Promise<'idle' | 'ran'> {
    const nowMs = this.clock()
    const it = await claimOutboxItem(this.o.db, this.holder, this.policy.leaseS, nowMs, await openBreakers(this.o.db, nowMs))
    if (!it) return 'idle'
    const handler = this.handlers.get(`${it.platform}/${it.operation}`)
    let outcome: CallOutcome
    if (!handler) outcome = { kind: 'refused', http: null, error: `no adapter for ${it.platform}/${it.operation} in this server (is the platform configured?)` }
    else {
      try {
        outcome = await handler.call(it, AbortSignal.timeout(this.policy.timeoutMs))
      } catch (e) {
        outcome = classifyError(e, handler.idempotent)
      }
    }
    const at = this.clock()
    const recorded = this.toRecorded(it, outcome, at)
    const ok = await this.o.db.transaction(async (tx) => {
      if (!(await recordOutcome(tx, it, this.holder, recorded, at))) return false
      if (recorded.status === 'done' && handler?.onDone) await handler.onDone(tx, it, recorded.result, at)
      if (outcome.kind !== 'refused' || outcome.http !== null) await noteBreaker(tx, it.platform, outcome.kind === 'done' || outcome.kind === 'refused' ? 'success' : 'failure', this.policy.breaker, at)
      return true
    })
    if (!ok) this.o.log.warn({ outboxId: it.id, platform: it.platform }, 'outbox: the lease lapsed before the outcome was recorded; another worker repeats the call')
    else if (recorded.status !== 'done') this.o.log.warn({ outboxId: it.id, platform: it.platform, operation: it.operation, attempt: it.attempts, http: recorded.http, status: recorded.status }, `outbox: ${'error' in recorded ? recorded.error : ''}`)
    return 'ran'
  }

  /** Processes due rows until none is left (or `max`); how many were processed. */
  async drain(max = 1000): Promise<number> {
    let n = 0
    while (n < max && (await this.runOnce()) === 'ran') n++
    return n
  }

  private toRecorded(it: OutboxItem, o: CallOutcome, nowMs: number): Recorded {
    switch (o.kind) {
      case 'done':
        return { status: 'done', http: o.http, result: o.result }
      case 'refused':
        return { status: 'failed', http: o.http, error: o.error }
      case 'ambiguous':
        return { status: 'ambiguous', http: o.http, error: o.error }
      case 'retry': {
        if (it.attempts >= this.policy.maxAttempts) return { status: 'dead', http: o.http, error: `${o.error} (${it.attempts} attempts: given up)` }
        const backoff = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (it.attempts - 1))
        const delay = o.retryAfterS !== undefined ? Math.min(this.policy.maxDelayMs, o.retryAfterS * 1000) : backoff * (0.5 + 0.5 * this.random())
        return { status: 'queued', http: o.http, error: o.error, nextAttemptAtMs: nowMs + Math.round(delay) }
      }
    }
  }

  /** Polls every intervalMs (and at once after a row was processed). */
  start(intervalMs = 2_000): void {
    this.stopped = false
    const tick = () => {
      if (this.stopped) return
      this.running = this.drain(50)
        .catch((e: unknown) => this.o.log.error({ err: e instanceof Error ? e.message : String(e) }, 'outbox: could not look for due calls; trying again'))
        .finally(() => {
          this.running = null
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs)
        })
    }
    this.timer = setTimeout(tick, intervalMs)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }
}
