/**
 * The national platforms' settings (docs/cases.md "Platform settings"): each platform is on when its
 * address and credential are set, and then every other setting it needs is required — a half-configured
 * platform stops the start with the missing names, rather than failing each call later. Secrets are
 * never logged.
 */
import { z } from 'zod'
import type { AppIoSettings } from '../platforms/appio/appio-handler'
import type { GpdSettings } from '../platforms/gpd/gpd-handler'

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
}

export interface GpdConfig extends GpdSettings {
  segregationCode: string
  dueDays: number
}

export interface PlatformConfig {
  appio: Omit<AppIoSettings, 'followUrl'> | null
  gpd: GpdConfig | null
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
  return { appio, gpd, creditorFiscalCode: e.PAGOPA_CREDITOR_FISCAL_CODE }
}
