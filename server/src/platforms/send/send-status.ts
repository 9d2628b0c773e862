/**
 * What a polling job reads back from SEND after a notice went out (send-handler.ts): the request's
 * evaluation (GET /delivery/v2.6/requests, retrieveNotificationRequestStatusV26 — WAITING, then
 * ACCEPTED with the IUN or REFUSED with error codes) and then the notification's progress
 * (GET /delivery/v2.9/notifications/sent/{iun}, retrieveSentNotificationV29 — ACCEPTED, DELIVERING,
 * DELIVERED, VIEWED, EFFECTIVE_DATE, UNREACHABLE, CANCELLED…). Only statuses, codes and times come
 * back from here: the answers also echo the recipient, which stays out.
 */
import { z } from 'zod'
import { classifyHttp } from '../outbox/outbox-worker'
import { problemCodes, sendCall, type SendCallOptions, type SendSettings } from './send-client'

/** A failed read: 'retry' (SEND unavailable, 5xx, 429 — try later) or 'refused' (4xx: it would be refused again). */
export class SendError extends Error {
  constructor(
    readonly kind: 'retry' | 'refused',
    readonly http: number | null,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message)
  }
}

export const NOTIFICATION_STATUSES = ['IN_VALIDATION', 'ACCEPTED', 'REFUSED', 'DELIVERING', 'DELIVERED', 'VIEWED', 'EFFECTIVE_DATE', 'PAID', 'UNREACHABLE', 'CANCELLED', 'RETURNED_TO_SENDER'] as const
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number]

const RequestStatusAnswer = z.object({
  notificationRequestId: z.string(),
  notificationRequestStatus: z.enum(['WAITING', 'ACCEPTED', 'REFUSED']),
  retryAfter: z.number().int().optional(),
  iun: z.string().optional(),
  errors: z.array(z.object({ code: z.string(), element: z.string().optional() })).optional(),
})
const SentNotificationAnswer = z.object({
  iun: z.string(),
  notificationStatus: z.enum(NOTIFICATION_STATUSES),
  notificationStatusHistory: z.array(z.object({ status: z.enum(NOTIFICATION_STATUSES), activeFrom: z.string() })),
})

export type SendRequestStatus = { notificationRequestId: string } & (
  | { status: 'WAITING'; retryAfterS: number | null }
  | { status: 'ACCEPTED'; iun: string }
  | { status: 'REFUSED'; errors: Array<{ code: string; element: string | null }> }
)

async function read<T>(r: Response, schema: z.ZodType<T>, what: string): Promise<T> {
  const bad = classifyHttp(r.status, true, r.headers.get('retry-after'))
  if (bad) {
    const codes = await problemCodes(r)
    throw new SendError(bad.kind === 'retry' ? 'retry' : 'refused', r.status, `${what}: ${bad.error}${codes.length ? ` (${codes.join(', ')})` : ''}`, 'retryAfterS' in bad ? bad.retryAfterS : undefined)
  }
  const parsed = schema.safeParse(await r.json().catch(() => null))
  if (!parsed.success) throw new SendError('retry', r.status, `${what}: SEND's answer is not the documented one`)
  return parsed.data
}

const callFailed = (what: string) => (e: unknown) => {
  const code = (e as { cause?: { code?: string } })?.cause?.code ?? (e as { name?: string })?.name ?? 'error'
  throw new SendError('retry', null, `${what}: cannot reach SEND (${code})`)
}

/**
 * The evaluation of a notification request, by its notificationRequestId or by the sender's
 * paProtocolNumber and idempotenceToken (how the sender finds a request whose answer it lost).
 */
export async function sendRequestStatus(s: SendSettings, ref: string | { paProtocolNumber: string; idempotenceToken: string }, o: SendCallOptions = {}): Promise<SendRequestStatus> {
  const q = new URLSearchParams(typeof ref === 'string' ? { notificationRequestId: ref } : ref)
  const what = 'request status'
  const a = await read(await sendCall(s, `/delivery/v2.6/requests?${q}`, o).catch(callFailed(what)), RequestStatusAnswer, what)
  const base = { notificationRequestId: a.notificationRequestId }
  if (a.notificationRequestStatus === 'ACCEPTED') {
    if (!a.iun) throw new SendError('retry', 200, `${what}: accepted without an IUN`)
    return { ...base, status: 'ACCEPTED', iun: a.iun }
  }
  if (a.notificationRequestStatus === 'REFUSED') return { ...base, status: 'REFUSED', errors: (a.errors ?? []).map((e) => ({ code: e.code, element: e.element ?? null })) }
  return { ...base, status: 'WAITING', retryAfterS: a.retryAfter ?? null }
}

/** A notification's status and since when (its history's last step). */
export async function sendNotificationStatus(s: SendSettings, iun: string, o: SendCallOptions = {}): Promise<{ iun: string; status: NotificationStatus; sinceMs: number | null }> {
  const what = 'notification status'
  const a = await read(await sendCall(s, `/delivery/v2.9/notifications/sent/${encodeURIComponent(iun)}`, o).catch(callFailed(what)), SentNotificationAnswer, what)
  const last = a.notificationStatusHistory.at(-1)
  const sinceMs = last ? Date.parse(last.activeFrom) : NaN
  return { iun: a.iun, status: a.notificationStatus, sinceMs: Number.isFinite(sinceMs) ? sinceMs : null }
}
