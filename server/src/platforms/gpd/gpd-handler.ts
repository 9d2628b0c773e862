/**
 * pagoPA GPD, Gestione Posizioni Debitorie (issue 10; specs/pagopa-gpd, OpenAPI 3.1 v1.1.37): a fee of a
 * citizen case becomes a debt position the citizen pays with its notice number (NAV) at any pagoPA
 * channel. The flow the specification and pagoPA's SANP prescribe:
 *   - create and publish in one call: POST /organizations/{ofc}/debtpositions?toPublish=true with a
 *     PaymentPositionModel; without a validityDate the position is VALID at once, payable (SANP "Stati
 *     della posizione debitoria V1"). One payment option (the IUV we generate, iuv.ts), one transfer to
 *     the Comune's IBAN with its taxonomy code; the transfers add up to the option's amount.
 *   - read: GET …/debtpositions/{iupd} — the position's status (VALID → PAID …) and the payment's date
 *     and receipt, which a polling job uses to see a fee paid (gpdPositionStatus).
 *   - cancel: POST …/debtpositions/{iupd}/invalidate — an office withdrawing a fee (gpdInvalidatePosition).
 *
 * Idempotency: the IUPD is the outbox row's key and GPD refuses a second position with the same IUPD or
 * IUV (409). A 409 after a call whose answer was lost is read back: the position GPD holds under the
 * IUPD with the same IUV and amount is ours — done, one effect; anything else is a refusal.
 * So every call here is idempotent: a timeout or a cut answer is retried; 429/5xx are retried (Retry-
 * After honoured); other 4xx are refusals. `error` strings never carry the debtor's data.
 */
import { classifyError, classifyHttp, type CallOutcome, type PlatformHandler } from '../outbox/outbox-worker'
import { isValidIuv, navOf } from './iuv'

export interface GpdSettings {
  /** https://api.uat.platform.pagopa.it/gpd/debt-positions-service/v1 (UAT) or api.platform.pagopa.it (production). */
  baseUrl: string
  /** The Ocp-Apim-Subscription-Key of the GPD product (pagoPA back office). */
  subscriptionKey: string
  /** The creditor body's fiscal code, 11 digits (Comune di Bologna: 01232710374). */
  organizationFiscalCode: string
  /** The creditor's name on the notice (≤ 140 characters), e.g. "Comune di Bologna". */
  companyName: string
  /** The office, on the notice (≤ 140 characters). */
  officeName?: string
  /** The creditor's account registered on pagoPA (GPD refuses an IBAN it does not know). */
  iban: string
  /** The transfer's pagoPA taxonomy code, "<kind of body>/<code>/", e.g. "9/0301109AP/". */
  category: string
}

/** What the outbox row carries for one fee (operation gpd/createPosition; idempotency key = iupd). */
export interface GpdFeePayload {
  /** GPD's id of the position, unique per creditor (iupdOf in iuv.ts). */
  iupd: string
  /** The 17-digit aux-digit-3 IUV (feeIuv in iuv.ts). */
  iuv: string
  /** Euro cents, ≥ 1. */
  amountCents: number
  /** The last day to pay, YYYY-MM-DD (Italian calendar day). */
  dueDate: string
  /** The reason for the payment ("causale"), on the notice and the receipt: clipped to 140 characters. */
  description: string
  debtor: { type: 'F' | 'G'; fiscalCode: string; fullName: string; email?: string }
  caseId: number
}

/** The position statuses of the specification (PaymentPositionModel.status). */
export type GpdStatus = 'DRAFT' | 'PUBLISHED' | 'VALID' | 'INVALID' | 'EXPIRED' | 'PARTIALLY_PAID' | 'PAID' | 'REPORTED'

/** A created position, the row's result. */
export interface GpdPositionCreated {
  iupd: string
  iuv: string
  nav: string
  status: GpdStatus | null
  /** The position was already at GPD (a repeated call after a lost answer). */
  alreadyCreated?: true
}

/** What a polling job needs of a position. */
export interface GpdPositionState {
  iupd: string
  status: GpdStatus
  paymentDate: string | null
  option: {
    iuv: string
    nav: string | null
    amountCents: number | null
    status: 'PO_UNPAID' | 'PO_PAID' | 'PO_PARTIALLY_REPORTED' | 'PO_REPORTED' | null
    paymentDate: string | null
    /** The receipt's id and who collected the payment, once paid. */
    idReceipt: string | null
    pspCompany: string | null
    paymentMethod: string | null
  } | null
}

export type GpdPositionRead = { kind: 'found'; position: GpdPositionState } | { kind: 'not-found' } | Exclude<CallOutcome, { kind: 'done' }>

interface Io {
  fetch?: typeof fetch
  signal?: AbortSignal
}

const TEXT_MAX = 140

/** Fails fast on settings GPD would refuse every call for. */
function checkSettings(s: GpdSettings): void {
  if (!/^\d{11}$/.test(s.organizationFiscalCode)) throw new Error('GPD settings: organizationFiscalCode is 11 digits')
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,31}$/.test(s.iban)) throw new Error('GPD settings: iban is an IBAN in capitals without spaces')
  if (!/^\d+\/[0-9A-Z]+\/$/.test(s.category)) throw new Error('GPD settings: category is a pagoPA taxonomy code such as 9/0301109AP/')
  if (!s.companyName || s.companyName.length > TEXT_MAX || (s.officeName?.length ?? 0) > TEXT_MAX) throw new Error('GPD settings: companyName (and officeName) are 1–140 characters')
}

/** A text on one line, at most 140 UTF-16 units (GPD's Java limit) and so 140 code points (the document's). */
export function clipText(text: string): string {
  let out = ''
  for (const ch of text.replace(/\s+/g, ' ').trim()) {
    if (out.length + ch.length > TEXT_MAX) break
    out += ch
  }
  return out
}

/** Why a payload cannot become a position (null: it can). Never the debtor's data. */
export function gpdPayloadProblem(p: GpdFeePayload): string | null {
  if (typeof p?.iupd !== 'string' || !/^[\w-]{1,100}$/.test(p.iupd)) return 'the IUPD is not letters, digits, "_" and "-"'
  if (typeof p.iuv !== 'string' || !isValidIuv(p.iuv)) return 'the IUV is not 17 digits with their check digits (aux digit 3)'
  if (!Number.isSafeInteger(p.amountCents) || p.amountCents < 1) return 'the amount is not a whole number of cents ≥ 1'
  const day = typeof p.dueDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.dueDate) ? new Date(`${p.dueDate}T00:00:00Z`) : null
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== p.dueDate) return 'the due date is not a calendar day YYYY-MM-DD'
  if (typeof p.description !== 'string' || clipText(p.description) === '') return 'the description is empty'
  const d = p.debtor
  if (!d || (d.type !== 'F' && d.type !== 'G')) return 'the debtor type is not F (person) or G (organisation)'
  if (typeof d.fiscalCode !== 'string' || !(d.type === 'F' ? /^[A-Z0-9]{16}$/ : /^\d{11}$/).test(d.fiscalCode)) return 'the debtor’s fiscal code is malformed'
  if (typeof d.fullName !== 'string' || d.fullName.trim() === '') return 'the debtor’s name is empty'
  return null
}

/**
 * The PaymentPositionModel of a fee. The due date is the end of the day: the document wants an RFC 3339
 * date-time with its offset, GPD reads a Java LocalDateTime (Jackson, lenient, drops a trailing "Z"):
 * "…T23:59:59Z" is the one form both accept.
 */
export function gpdPositionBody(s: GpdSettings, p: GpdFeePayload): Record<string, unknown> {
  const text = clipText(p.description)
  return {
    iupd: p.iupd,
    type: p.debtor.type,
    fiscalCode: p.debtor.fiscalCode,
    fullName: p.debtor.fullName.trim(),
    ...(p.debtor.email ? { email: p.debtor.email } : {}),
    switchToExpired: false,
    companyName: s.companyName,
    ...(s.officeName ? { officeName: s.officeName } : {}),
    paymentOption: [
      {
        iuv: p.iuv,
        amount: p.amountCents,
        description: text,
        isPartialPayment: false,
        dueDate: `${p.dueDate}T23:59:59Z`,
        transfer: [{ idTransfer: '1', amount: p.amountCents, organizationFiscalCode: s.organizationFiscalCode, remittanceInformation: text, category: s.category, iban: s.iban }],
      },
    ],
  }
}

function gpdFetch(s: GpdSettings, io: Io, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  return (io.fetch ?? fetch)(`${s.baseUrl.replace(/\/$/, '')}/organizations/${encodeURIComponent(s.organizationFiscalCode)}/debtpositions${path}`, {
    method,
    headers: { accept: 'application/json', 'Ocp-Apim-Subscription-Key': s.subscriptionKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  })
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

/** Lets go of an answer whose body is not read (the connection goes back to the pool). */
async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined)
}

/** Reads a position (GET …/debtpositions/{iupd}): its status, and the payment's date and receipt once paid. */
export async function gpdPositionStatus(s: GpdSettings, iupd: string, io: Io = {}): Promise<GpdPositionRead> {
  let res: Response
  try {
    res = await gpdFetch(s, io, 'GET', `/${encodeURIComponent(iupd)}`)
  } catch (e) {
    return classifyError(e, true) as Exclude<CallOutcome, { kind: 'done' }>
  }
  const bad = res.status === 404 ? null : classifyHttp(res.status, true, res.headers.get('retry-after'))
  if (res.status === 404 || bad) {
    await discard(res)
    return bad ?? { kind: 'not-found' }
  }
  const p = (await res.json().catch(() => null)) as Record<string, unknown> | null
  if (!p || typeof p.status !== 'string') return { kind: 'retry', http: res.status, error: 'GPD answered without a position status' }
  const o = (Array.isArray(p.paymentOption) ? p.paymentOption[0] : null) as Record<string, unknown> | null
  return {
    kind: 'found',
    position: {
      iupd,
      status: p.status as GpdStatus,
      paymentDate: str(p.paymentDate),
      option: o
        ? {
            iuv: String(o.iuv ?? ''),
            nav: str(o.nav),
            amountCents: typeof o.amount === 'number' ? o.amount : null,
            status: str(o.status) as NonNullable<GpdPositionState['option']>['status'],
            paymentDate: str(o.paymentDate),
            idReceipt: str(o.idReceipt),
            pspCompany: str(o.pspCompany),
            paymentMethod: str(o.paymentMethod),
          }
        : null,
    },
  }
}

/** After a 409 on create: the position under this IUPD is ours when it has our IUV and amount. */
async function readBack(s: GpdSettings, p: GpdFeePayload, io: Io): Promise<CallOutcome> {
  const read = await gpdPositionStatus(s, p.iupd, io)
  if (read.kind === 'not-found') return { kind: 'refused', http: 409, error: 'HTTP 409: GPD holds no position with this IUPD, so another position already uses this IUV' }
  if (read.kind !== 'found') return read
  const o = read.position.option
  if (!o || o.iuv !== p.iuv || o.amountCents !== p.amountCents) return { kind: 'refused', http: 409, error: 'HTTP 409: GPD holds another position under this IUPD (different IUV or amount); not overwritten' }
  const result: GpdPositionCreated = { iupd: p.iupd, iuv: p.iuv, nav: o.nav ?? navOf(p.iuv), status: read.position.status, alreadyCreated: true }
  return { kind: 'done', http: 409, result }
}

/** The outbox handler gpd/createPosition: creates and publishes a fee's position (see the top of the file). */
export function gpdCreatePositionHandler(s: GpdSettings, o: { fetch?: typeof fetch } = {}): PlatformHandler {
  checkSettings(s)
  return {
    platform: 'gpd',
    operation: 'createPosition',
    idempotent: true,
    async call(item, signal): Promise<CallOutcome> {
      const p = item.payload as GpdFeePayload
      const problem = gpdPayloadProblem(p)
      if (problem) return { kind: 'refused', http: null, error: `the fee cannot become a GPD position: ${problem}` }
      const io: Io = { ...o, signal }
      let res: Response
      try {
        res = await gpdFetch(s, io, 'POST', '?toPublish=true', gpdPositionBody(s, p))
      } catch (e) {
        return classifyError(e, true)
      }
      const bad = res.status === 409 ? null : classifyHttp(res.status, true, res.headers.get('retry-after'))
      if (res.status === 409 || bad) await discard(res)
      if (res.status === 409) return readBack(s, p, io)
      if (bad) return bad
      const created = (await res.json().catch(() => ({}))) as { status?: unknown; paymentOption?: Array<{ nav?: unknown }> }
      const result: GpdPositionCreated = { iupd: p.iupd, iuv: p.iuv, nav: str(created.paymentOption?.[0]?.nav) ?? navOf(p.iuv), status: (str(created.status) as GpdStatus | null) ?? null }
      return { kind: 'done', http: res.status, result }
    },
  }
}

/**
 * Invalidates a position (POST …/{iupd}/invalidate): an office withdrawing a fee. A 409 (not in an
 * invalidable state) is read back: already INVALID is a repeat — done; paid or expired is a refusal.
 */
export async function gpdInvalidatePosition(s: GpdSettings, iupd: string, io: Io = {}): Promise<CallOutcome> {
  let res: Response
  try {
    res = await gpdFetch(s, io, 'POST', `/${encodeURIComponent(iupd)}/invalidate`)
  } catch (e) {
    return classifyError(e, true)
  }
  if (res.status !== 200) await discard(res)
  if (res.status === 409) {
    const read = await gpdPositionStatus(s, iupd, io)
    if (read.kind === 'found' && read.position.status === 'INVALID') return { kind: 'done', http: 409, result: { iupd, status: 'INVALID', alreadyInvalid: true } }
    if (read.kind === 'found') return { kind: 'refused', http: 409, error: `HTTP 409: the position is ${read.position.status}, GPD cannot invalidate it` }
    return read.kind === 'not-found' ? { kind: 'refused', http: 404, error: 'HTTP 404: GPD holds no position with this IUPD' } : read
  }
  if (res.status === 404) return { kind: 'refused', http: 404, error: 'HTTP 404: GPD holds no position with this IUPD' }
  const bad = classifyHttp(res.status, true, res.headers.get('retry-after'))
  if (bad) return bad
  const p = (await res.json().catch(() => ({}))) as { status?: unknown }
  return { kind: 'done', http: res.status, result: { iupd, status: str(p.status) ?? 'INVALID' } }
}

/** The outbox handler gpd/invalidatePosition (payload { iupd }; key e.g. `${iupd}:invalidate`). */
export function gpdInvalidatePositionHandler(s: GpdSettings, o: { fetch?: typeof fetch } = {}): PlatformHandler {
  checkSettings(s)
  return {
    platform: 'gpd',
    operation: 'invalidatePosition',
    idempotent: true,
    call: (item, signal) => gpdInvalidatePosition(s, (item.payload as { iupd: string }).iupd, { ...o, signal }),
  }
}
