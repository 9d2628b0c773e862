/**
 * SEND legal notices through the outbox (docs/cases.md "The outbox"; specs/send-pn). The flow
 * the specification prescribes to a sender, every attempt from the start:
 *   1. POST /delivery/attachments/preload with the document's sha256 (base64) → an upload slot
 *      (url, secret, httpMethod, key);
 *   2. the PDF to that url with the method given, content-type, x-amz-meta-secret and
 *      x-amz-checksum-sha256 — the answer's x-amz-version-id is the document's versionToken;
 *   3. POST /delivery/v2.6/requests (sendNewNotificationV26) referring to key, versionToken and sha256
 *      → 202 with the notificationRequestId; SEND then evaluates the request (send-status.ts).
 *
 * paProtocolNumber + idempotenceToken are SEND's idempotency key (and the outbox row's): a request
 * repeated after its answer was lost (a timeout, a cut connection, a lapsed lease) is answered 409,
 * and the adapter reads the first one back by that pair — one notification. The document is the same
 * bytes each time (send-document.ts), so the repeated upload carries the same sha256.
 *
 * No error string holds personal data: HTTP statuses, SEND's error codes and the step only.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { OutboxItem } from '../outbox/outbox-store'
import { classifyError, classifyHttp, type CallOutcome, type PlatformHandler } from '../outbox/outbox-worker'
import { problemCodes, sendCall, SendSettingsSchema, type SendSettings } from './send-client'
import { caseNoticePdf } from './send-document'
import { SendError, sendRequestStatus } from './send-status'

const line = (max: number, min = 0) => z.string().min(min).max(max).regex(/^[^\r\n]*$/)

/** What the outbox row carries for one legal notice (operation send/legalNotice), within SEND's limits. */
export const SendNoticePayloadSchema = z.object({
  caseId: z.number().int().positive(),
  /** The protocol number the Comune's register gave the notice. */
  paProtocolNumber: line(256, 1),
  /** With paProtocolNumber, SEND's idempotency key (printable ASCII); also the outbox row's key. */
  idempotenceToken: z.string().min(1).max(256).regex(/^[ -~]*$/),
  /** The notice's title on SEND — SEND asks for no personal data in it. */
  subject: line(134, 1),
  /** A short description, no personal data either. */
  abstract: line(1024).optional(),
  recipient: z.object({
    /** Fiscal code (a person) or 11 digits (an organisation). */
    taxId: z.string().regex(/^([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]|[0-9]{11})$/),
    /** Name and surname, or the organisation's name. */
    denomination: line(88, 1),
    /** The recipient's PEC address, when the case has one. */
    digitalDomicile: z.email().max(320).optional(),
    physicalAddress: z.object({
      address: line(1024, 2),
      zip: z.string().max(15).regex(/^[\w -]*$/),
      municipality: line(256, 2),
      province: line(256),
      at: line(44).optional(),
      addressDetails: line(1024).optional(),
      foreignState: line(256).optional(),
    }),
  }),
  /** What the PDF says (send-document.ts); the bytes follow from it, identical on every attempt. */
  document: z.object({ title: line(512, 1), serviceName: line(256, 1), body: z.string().min(1).max(20_000), office: line(256, 1), date: z.iso.date(), lang: z.enum(['it', 'en']) }),
})
export type SendNoticePayload = z.infer<typeof SendNoticePayloadSchema>

export interface SendNoticeResult {
  notificationRequestId: string
  paProtocolNumber: string
  idempotenceToken: string
  /** The uploaded document's sha256, base64. */
  documentSha256: string
  /** True when SEND already had the request (409) and it was read back. */
  alreadySent: boolean
}

export interface SendHandlerOptions {
  fetch?: typeof fetch
  /** The document's bytes instead of the generated notice (e.g. a signed act); must give the same bytes on every attempt. */
  loadDocument?: (p: SendNoticePayload, signal: AbortSignal) => Promise<Uint8Array>
}

const PreloadAnswer = z.array(z.object({ preloadIdx: z.string().optional(), secret: z.string(), httpMethod: z.enum(['POST', 'PUT']), url: z.string(), key: z.string() })).min(1)
const SentAnswer = z.object({ notificationRequestId: z.string() })

/** The document of a payload, as generated. */
export const noticeDocument = (p: SendNoticePayload): Promise<Uint8Array> => caseNoticePdf({ caseId: p.caseId, subject: p.subject, ...p.document })

/** sendNewNotificationV26's body (NewNotificationRequestV26) for one recipient and one uploaded document. */
export function newNotificationRequest(s: SendSettings, p: SendNoticePayload, doc: { sha256: string; key: string; versionToken: string }) {
  const r = p.recipient
  return {
    paProtocolNumber: p.paProtocolNumber,
    idempotenceToken: p.idempotenceToken,
    subject: p.subject,
    ...(p.abstract ? { abstract: p.abstract } : {}),
    recipients: [
      {
        recipientType: /^\d{11}$/.test(r.taxId) ? ('PG' as const) : ('PF' as const),
        taxId: r.taxId,
        denomination: r.denomination,
        ...(r.digitalDomicile ? { digitalDomicile: { type: 'PEC' as const, address: r.digitalDomicile } } : {}),
        physicalAddress: r.physicalAddress,
      },
    ],
    documents: [{ digests: { sha256: doc.sha256 }, contentType: 'application/pdf' as const, ref: { key: doc.key, versionToken: doc.versionToken }, title: p.document.title, docIdx: '0' }],
    notificationFeePolicy: s.notificationFeePolicy,
    physicalCommunicationType: s.physicalCommunicationType,
    senderDenomination: s.senderDenomination,
    senderTaxId: s.senderTaxId,
    taxonomyCode: s.taxonomyCode,
    ...(s.paFeeEurocent !== undefined ? { paFee: s.paFeeEurocent } : {}),
    ...(s.vatPercent !== undefined ? { vat: s.vatPercent } : {}),
  }
}

/** A failure of one step, named for the operator. */
const at = (step: string, o: Exclude<CallOutcome, { kind: 'done' }>): CallOutcome => ({ ...o, error: `${step}: ${o.error}` })
const thrown = (step: string, e: unknown): CallOutcome => {
  const c = classifyError(e, true)
  return c.kind === 'done' ? c : at(step, c)
}
const refusedWith = async (step: string, r: Response): Promise<CallOutcome | null> => {
  const bad = classifyHttp(r.status, true, r.headers.get('retry-after'))
  if (!bad) return null
  const codes = bad.kind === 'refused' ? await problemCodes(r) : []
  return at(step, codes.length ? { ...bad, error: `${bad.error} (${codes.join(', ')})` } : bad)
}

/** The outbox handler send/legalNotice; the settings are checked here (a wrong one throws at boot). */
export function sendNotificationHandler(settings: SendSettings, o: SendHandlerOptions = {}): PlatformHandler {
  const s = SendSettingsSchema.parse(settings)
  const f = o.fetch ?? fetch
  return {
    platform: 'send',
    operation: 'legalNotice',
    idempotent: true,
    async call(item: OutboxItem, signal: AbortSignal): Promise<CallOutcome> {
      const parsed = SendNoticePayloadSchema.safeParse(item.payload)
      // Which fields, never their values (personal data).
      if (!parsed.success) return { kind: 'refused', http: null, error: `payload: not a valid notice (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})` }
      const p = parsed.data
      let pdf: Uint8Array
      try {
        pdf = o.loadDocument ? await o.loadDocument(p, signal) : await noticeDocument(p)
      } catch (e) {
        if (!o.loadDocument) return { kind: 'refused', http: null, error: `document: cannot be written (${e instanceof Error ? e.message : String(e)})` }
        return thrown('document', e)
      }
      const sha256 = createHash('sha256').update(pdf).digest('base64')

      let r: Response
      try {
        r = await sendCall(s, '/delivery/attachments/preload', { fetch: f, signal, method: 'POST', body: [{ preloadIdx: '0', contentType: 'application/pdf', sha256 }] })
      } catch (e) {
        return thrown('preload', e)
      }
      const preloadFailed = await refusedWith('preload', r)
      if (preloadFailed) return preloadFailed
      const slots = PreloadAnswer.safeParse(await r.json().catch(() => null))
      if (!slots.success) return { kind: 'retry', http: r.status, error: 'preload: SEND gave no upload slot' }
      const slot = slots.data.find((x) => x.preloadIdx === '0') ?? slots.data[0]!

      try {
        // The slot's url is the storage's, signed: it gets the secret, never the api-key.
        r = await f(slot.url, { method: slot.httpMethod, headers: { 'content-type': 'application/pdf', 'x-amz-meta-secret': slot.secret, 'x-amz-checksum-sha256': sha256 }, body: new Uint8Array(pdf), signal })
      } catch (e) {
        return thrown('upload', e)
      }
      const uploadFailed = await refusedWith('upload', r)
      if (uploadFailed) return uploadFailed
      await r.arrayBuffer().catch(() => undefined)
      const versionToken = r.headers.get('x-amz-version-id')
      if (!versionToken) return { kind: 'retry', http: r.status, error: 'upload: the storage gave no x-amz-version-id' }

      const request = newNotificationRequest(s, p, { sha256, key: slot.key, versionToken })
      try {
        r = await sendCall(s, '/delivery/v2.6/requests', { fetch: f, signal, method: 'POST', body: request })
      } catch (e) {
        return thrown('send', e)
      }
      const result = { paProtocolNumber: p.paProtocolNumber, idempotenceToken: p.idempotenceToken, documentSha256: sha256 }
      if (r.status === 409) {
        // Already sent (an earlier attempt's answer was lost): read that request back.
        await r.arrayBuffer().catch(() => undefined)
        try {
          const first = await sendRequestStatus(s, { paProtocolNumber: p.paProtocolNumber, idempotenceToken: p.idempotenceToken }, { fetch: f, signal })
          const done: SendNoticeResult = { notificationRequestId: first.notificationRequestId, ...result, alreadySent: true }
          return { kind: 'done', http: 409, result: done }
        } catch (e) {
          // Not found right after a 409 is SEND still indexing it: asked again later, like a failure of its own.
          if (e instanceof SendError) return { kind: e.http === 404 ? 'retry' : e.kind, http: e.http, error: `send: 409, then the lookup failed: ${e.message}`, ...(e.retryAfterS !== undefined ? { retryAfterS: e.retryAfterS } : {}) }
          return thrown('send: 409, then the lookup', e)
        }
      }
      const sendFailed = await refusedWith('send', r)
      if (sendFailed) return sendFailed
      const sent = SentAnswer.safeParse(await r.json().catch(() => null))
      // Taken but unreadable: repeating it is answered 409 and read back.
      if (!sent.success) return { kind: 'retry', http: r.status, error: 'send: SEND’s answer has no notificationRequestId' }
      const done: SendNoticeResult = { notificationRequestId: sent.data.notificationRequestId, ...result, alreadySent: false }
      return { kind: 'done', http: r.status, result: done }
    },
  }
}
