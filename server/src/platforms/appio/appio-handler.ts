/**
 * App IO (issue 10; specs/app-io, Swagger 2.0 v4.1.1): a citizen with a fiscal code hears of their
 * case's status changes on IO. The flow the specification prescribes: the profile first (POST
 * /profiles, the fiscal code in the body, never in a URL) — 404 (not on IO) or sender_allowed false
 * (they turned this service off) ends it as a normal outcome —, then the message (POST /messages) in
 * the citizen's preferred language, Italian or English, with its subject (10–120 characters) and body
 * (80–10,000).
 *
 * IO has no idempotency key: this is the outbox's one non-idempotent call. A timeout or a cut answer
 * after the request went out leaves the row ambiguous (a person decides); 429 and 5xx — IO did not take
 * the message — are retried.
 */
import type { CaseStatus } from '../../../../contracts/schemas/case'
import { classifyError, classifyHttp, type CallOutcome, type PlatformHandler } from '../outbox/outbox-worker'

export interface AppIoSettings {
  /** https://api.io.pagopa.it/api/v1 */
  baseUrl: string
  /** The service's Ocp-Apim-Subscription-Key (from IO's back office). */
  subscriptionKey: string
  /** Where a citizen follows their cases (the citizen pages), for the message's link. */
  followUrl: string
}

/** What the outbox row carries for one status message. */
export interface CaseStatusMessage {
  fiscalCode: string
  caseId: number
  serviceName: { it: string; en: string }
  status: CaseStatus
  /** The office's note for the citizen, if any. */
  note: string | null
}

const STATUS_WORDS: Record<CaseStatus, { it: string; en: string }> = {
  new: { it: 'ricevuta', en: 'received' },
  triaged: { it: 'presa in carico', en: 'accepted' },
  assigned: { it: 'assegnata a un ufficio', en: 'assigned to an office' },
  in_progress: { it: 'in lavorazione', en: 'in progress' },
  action_scheduled: { it: 'con intervento programmato', en: 'with work scheduled' },
  investigating: { it: 'in verifica', en: 'being investigated' },
  fixed: { it: 'risolta', en: 'fixed' },
  duplicate: { it: 'chiusa perché già segnalata', en: 'closed as already reported' },
  not_responsible: { it: 'chiusa: non di competenza del Comune', en: 'closed: not the Comune’s responsibility' },
  no_further_action: { it: 'chiusa senza ulteriori interventi', en: 'closed with no further action' },
  internal_referral: { it: 'inoltrata a un altro ufficio', en: 'referred to another office' },
  closed: { it: 'chiusa', en: 'closed' },
}

/** The message in Italian or English: subject 10–120 characters, body ≥ 80 (IO refuses shorter ones). */
export function statusMessage(m: CaseStatusMessage, lang: 'it' | 'en', followUrl: string): { subject: string; markdown: string } {
  const status = STATUS_WORDS[m.status][lang]
  const subject = (lang === 'it' ? `Segnalazione n. ${m.caseId}: ${status}` : `Report no. ${m.caseId}: ${status}`).slice(0, 120)
  const note = m.note ? `\n\n> ${m.note.replace(/\n+/g, ' ').slice(0, 2000)}` : ''
  const link = `${followUrl.replace(/\/$/, '')}/${m.caseId}`
  const markdown =
    lang === 'it'
      ? `La tua segnalazione **${m.serviceName.it}** (n. ${m.caseId}) è ora **${status}**.${note}\n\nPuoi seguirla qui: [${link}](${link}).\n\nComune di Bologna — questo messaggio è inviato dal servizio Segnalazioni.`
      : `Your report **${m.serviceName.en}** (no. ${m.caseId}) is now **${status}**.${note}\n\nFollow it here: [${link}](${link}).\n\nComune di Bologna — this message is sent by the Reports service.`
  return { subject, markdown }
}

export function appIoStatusHandler(s: AppIoSettings, o: { fetch?: typeof fetch } = {}): PlatformHandler {
  const call = (path: string, body: unknown, signal: AbortSignal) =>
    (o.fetch ?? fetch)(`${s.baseUrl.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'Ocp-Apim-Subscription-Key': s.subscriptionKey },
      body: JSON.stringify(body),
      signal,
    })
  return {
    platform: 'appio',
    operation: 'caseStatusMessage',
    idempotent: false,
    async call(item, signal): Promise<CallOutcome> {
      const m = item.payload as CaseStatusMessage
      // Asking for the profile changes nothing: safe to repeat.
      let profile: Response
      try {
        profile = await call('/profiles', { fiscal_code: m.fiscalCode }, signal)
      } catch (e) {
        return classifyError(e, true)
      }
      if (profile.status === 404) return { kind: 'done', http: 404, result: { skipped: 'the citizen is not on IO' } }
      const bad = classifyHttp(profile.status, true, profile.headers.get('retry-after'))
      if (bad) return bad
      const p = (await profile.json()) as { sender_allowed?: boolean; preferred_languages?: string[] }
      if (p.sender_allowed !== true) return { kind: 'done', http: 200, result: { skipped: 'the citizen turned this service off on IO' } }
      const lang = (p.preferred_languages ?? []).find((l) => l.startsWith('it') || l.startsWith('en'))?.startsWith('en') ? 'en' : 'it'
      let sent: Response
      try {
        sent = await call('/messages', { fiscal_code: m.fiscalCode, content: statusMessage(m, lang, s.followUrl) }, signal)
      } catch (e) {
        return classifyError(e, false)
      }
      const refused = classifyHttp(sent.status, false, sent.headers.get('retry-after'))
      if (refused) return refused
      const created = (await sent.json().catch(() => ({}))) as { id?: string }
      return { kind: 'done', http: sent.status, result: { messageId: created.id ?? null, lang } }
    },
  }
}
