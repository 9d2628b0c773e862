/**
 * The national platforms' settings (docs/cases.md "Platform settings"): each platform is on when its
 * address and credential are set, and then every other setting it needs is required — a half-configured
 * platform stops the start with the missing names, rather than failing each call later. Secrets are
 * never logged.
 */
import { z } from 'zod'
import type { AppIoSettings } from '../platforms/appio/appio-handler'
import type { GpdSettings } from '../platforms/gpd/gpd-handler'
import { SendSettingsSchema, type SendSettings } from '../platforms/send/send-client'

export const PLATFORM_ENV = {
  /** App IO (IO's back office gives the service's subscription key). */
  IO_API_URL: z.string().url().default('https://api.io.pagopa.it/api/v1'),
  IO_SUBSCRIPTION_KEY: z.string().min(16).optional(),
  /** pagoPA GPD: the debt-positions service and its subscription key; the creditor body and its account. */
  PAGOPA_GPD_URL: z.string().url().optional(),
  PAGOPA_GPD_SUBSCRIPTION_KEY: z.string().min(16).optional(),
  PAGOPA_CREDITOR_FISCAL_CODE: z.string().regex(/^[0-9]{11}$/, 'PAGOPA_CREDITOR_FISCAL_CODE is the body’s 11-digit fiscal code (Comune di Bologna: 01232710374)').default('01232710374'),
  PAGOPA_CREDITOR_NAME: z.string().min(1).max(140).default('Comune di Bologna'),
  PAGOPA_IBAN: z.string().regex(/^IT[0-9]{2}[A-Z][0-9]{10}[0-9A-Z]{12}$/, 'PAGOPA_IBAN is an Italian IBAN registered on pagoPA').optional(),
  PAGOPA_SEGREGATION_CODE: z.string().regex(/^[0-9]{2}$/, 'PAGOPA_SEGREGATION_CODE is the two digits pagoPA assigned to this service').optional(),
  PAGOPA_TRANSFER_CATEGORY: z.string().regex(/^[0-9]+\/[0-9A-Z]+\/$/, 'PAGOPA_TRANSFER_CATEGORY is a taxonomy code like 9/0301109AP/').default('9/0301109AP/'),
  /** Days a fee can be paid in. */
  PAGOPA_FEE_DUE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** SEND (legal notices): the B2B API and the api-key from SEND's back office; the sender is the pagoPA creditor above. */
  SEND_URL: z.string().url('SEND_URL is SEND’s B2B address, e.g. https://api.uat.notifichedigitali.it').optional(),
  SEND_API_KEY: z.string().min(16, 'SEND_API_KEY is the api-key SEND’s back office gave').optional(),
  /** The notices' code in SEND's taxonomy (6 digits and a capital letter). */
  SEND_TAXONOMY_CODE: z.string().regex(/^[0-9]{6}[A-Z]$/, 'SEND_TAXONOMY_CODE is a SEND taxonomy code: 6 digits and a capital letter, e.g. 010101P').optional(),
  /** FLAT_RATE: SEND does not charge the citizen; DELIVERY_MODE: the delivery's cost, with SEND_PA_FEE_EUROCENT and SEND_VAT_PERCENT. */
  SEND_NOTIFICATION_FEE_POLICY: z.enum(['FLAT_RATE', 'DELIVERY_MODE']).default('FLAT_RATE'),
  /** Paper when the citizen has no digital domicile: registered letter with receipt, or the judicial "890". */
  SEND_PHYSICAL_COMMUNICATION_TYPE: z.enum(['AR_REGISTERED_LETTER', 'REGISTERED_LETTER_890']).default('AR_REGISTERED_LETTER'),
  SEND_PA_FEE_EUROCENT: z.coerce.number().int().min(0).max(100).optional(),
  SEND_VAT_PERCENT: z.coerce.number().int().min(0).max(100).optional(),
}

export interface GpdConfig extends GpdSettings {
  segregationCode: string
  dueDays: number
}

export interface PlatformConfig {
  appio: Omit<AppIoSettings, 'followUrl'> | null
  gpd: GpdConfig | null
  /** SEND: legal notices an office sends (the sender is the pagoPA creditor body). */
  send: SendSettings | null
  /** The creditor body's fiscal code (pagoPA notices name it), configured or not. */
  creditorFiscalCode: string
}

type PlatformEnv = z.output<z.ZodObject<typeof PLATFORM_ENV>>

/** The platforms that are on, or the problems of the ones half set up. */
export function platformConfig(e: PlatformEnv, problems: string[]): PlatformConfig {
  const appio = e.IO_SUBSCRIPTION_KEY ? { baseUrl: e.IO_API_URL, subscriptionKey: e.IO_SUBSCRIPTION_KEY } : null
  let gpd: GpdConfig | null = null
  if (e.PAGOPA_GPD_URL || e.PAGOPA_GPD_SUBSCRIPTION_KEY) {
    const missing = (['PAGOPA_GPD_URL', 'PAGOPA_GPD_SUBSCRIPTION_KEY', 'PAGOPA_IBAN', 'PAGOPA_SEGREGATION_CODE'] as const).filter((k) => !e[k])
    if (missing.length > 0) problems.push(`${missing.join(', ')}: required to ask fees through pagoPA GPD (docs/cases.md, "Platform settings")`)
    else
      gpd = {
        baseUrl: e.PAGOPA_GPD_URL!,
        subscriptionKey: e.PAGOPA_GPD_SUBSCRIPTION_KEY!,
        organizationFiscalCode: e.PAGOPA_CREDITOR_FISCAL_CODE,
        companyName: e.PAGOPA_CREDITOR_NAME,
        iban: e.PAGOPA_IBAN!,
        category: e.PAGOPA_TRANSFER_CATEGORY,
        segregationCode: e.PAGOPA_SEGREGATION_CODE!,
        dueDays: e.PAGOPA_FEE_DUE_DAYS,
      }
  }
  return { appio, gpd, send: sendConfig(e, problems), creditorFiscalCode: e.PAGOPA_CREDITOR_FISCAL_CODE }
}

/** SEND is on with its address and api-key; then the taxonomy code (and, with DELIVERY_MODE, the fee and VAT) are required. */
function sendConfig(e: PlatformEnv, problems: string[]): SendSettings | null {
  if (!e.SEND_URL && !e.SEND_API_KEY) return null
  const needed = ['SEND_URL', 'SEND_API_KEY', 'SEND_TAXONOMY_CODE', ...(e.SEND_NOTIFICATION_FEE_POLICY === 'DELIVERY_MODE' ? (['SEND_PA_FEE_EUROCENT', 'SEND_VAT_PERCENT'] as const) : [])] as const
  const missing = needed.filter((k) => e[k] === undefined)
  if (missing.length > 0) {
    problems.push(`${missing.join(', ')}: required to send legal notices through SEND${e.SEND_NOTIFICATION_FEE_POLICY === 'DELIVERY_MODE' ? ' with SEND_NOTIFICATION_FEE_POLICY=DELIVERY_MODE' : ''} (docs/cases.md, "Platform settings")`)
    return null
  }
  const s = SendSettingsSchema.safeParse({
    baseUrl: e.SEND_URL,
    apiKey: e.SEND_API_KEY,
    senderTaxId: e.PAGOPA_CREDITOR_FISCAL_CODE,
    senderDenomination: e.PAGOPA_CREDITOR_NAME,
    taxonomyCode: e.SEND_TAXONOMY_CODE,
    notificationFeePolicy: e.SEND_NOTIFICATION_FEE_POLICY,
    physicalCommunicationType: e.SEND_PHYSICAL_COMMUNICATION_TYPE,
    ...(e.SEND_PA_FEE_EUROCENT !== undefined ? { paFeeEurocent: e.SEND_PA_FEE_EUROCENT } : {}),
    ...(e.SEND_VAT_PERCENT !== undefined ? { vatPercent: e.SEND_VAT_PERCENT } : {}),
  })
  if (s.success) return s.data
  // The one setting SEND limits more than pagoPA: the sender's name, as the citizen reads it.
  for (const i of s.error.issues) problems.push(i.path[0] === 'senderDenomination' ? 'PAGOPA_CREDITOR_NAME: SEND shows the sender in at most 88 characters; shorten it to send legal notices' : `SEND settings: ${i.path.join('.')}: ${i.message}`)
  return null
}
