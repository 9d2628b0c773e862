/**
 * SEND (Piattaforma Notifiche, specs/send-pn: "API B2B per le Pubbliche Amministrazioni", OpenAPI
 * 3.0.3): the sender's settings, checked once when the adapter is built, and the one way this folder
 * calls SEND — the api-key in `x-api-key` (the only security the document declares), JSON both ways.
 */
import { z } from 'zod'

export const SendSettingsSchema = z
  .object({
    /** https://api.uat.notifichedigitali.it (collaudo) or https://api.notifichedigitali.it */
    baseUrl: z.url(),
    /** The api-key from SEND's back office (header x-api-key). */
    apiKey: z.string().min(1),
    /** The sender's fiscal code: Comune di Bologna 01232710374 (paTaxId: 11 digits). */
    senderTaxId: z.string().regex(/^\d{11}$/),
    /** As the citizen reads it (Denomination: 1–88 characters). */
    senderDenomination: z.string().min(1).max(88),
    /** The notice's code in SEND's taxonomy: 6 digits and a capital letter (e.g. 010101P). */
    taxonomyCode: z.string().regex(/^[0-9]{6}[A-Z]$/),
    /** FLAT_RATE: SEND does not charge the citizen; DELIVERY_MODE: the cost of the actual delivery, with paFee and vat. */
    notificationFeePolicy: z.enum(['FLAT_RATE', 'DELIVERY_MODE']),
    /** How paper is sent when there is no digital domicile: registered letter with receipt, or the judicial "890". */
    physicalCommunicationType: z.enum(['AR_REGISTERED_LETTER', 'REGISTERED_LETTER_890']),
    /** The sender's cost per notice in eurocent, 0–100 (SEND requires it with DELIVERY_MODE). */
    paFeeEurocent: z.number().int().min(0).max(100).optional(),
    /** VAT on paper costs in percent, 0–100 (SEND requires it with DELIVERY_MODE). */
    vatPercent: z.number().int().min(0).max(100).optional(),
  })
  .refine((s) => s.notificationFeePolicy === 'FLAT_RATE' || (s.paFeeEurocent !== undefined && s.vatPercent !== undefined), {
    message: 'DELIVERY_MODE needs paFeeEurocent and vatPercent',
  })
export type SendSettings = z.infer<typeof SendSettingsSchema>

export interface SendCallOptions {
  fetch?: typeof fetch
  signal?: AbortSignal
}

/** One call to SEND at `path` (with its query), `body` as JSON. */
export function sendCall(s: SendSettings, path: string, o: SendCallOptions & { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<Response> {
  return (o.fetch ?? fetch)(`${s.baseUrl.replace(/\/$/, '')}${path}`, {
    method: o.method ?? 'GET',
    headers: { accept: 'application/json, application/problem+json', 'x-api-key': s.apiKey, ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  })
}

/** The error codes of a SEND Problem answer (PN_GENERIC_INVALIDPARAMETER…): codes only — a Problem's details may quote the request's personal data. */
export async function problemCodes(r: Response): Promise<string[]> {
  const p = (await r.json().catch(() => null)) as { errors?: Array<{ code?: unknown }> } | null
  return (p?.errors ?? [])
    .map((e) => e.code)
    .filter((c): c is string => typeof c === 'string' && /^[A-Z0-9_]{1,80}$/.test(c))
    .slice(0, 5)
}
