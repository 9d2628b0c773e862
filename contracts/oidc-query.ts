/**
 * What an OpenID Connect sign-in carries in its URLs, for the staff's provider (/api/auth/oidc/*) and
 * the citizens' gateway (/api/my/auth/*): where to go back to, and the provider's answer.
 */
import { z } from 'zod'

/** A path of this site (never another origin: no open redirect). */
export const ReturnToParamSchema = z
  .string()
  .max(512)
  .regex(/^\/(?!\/)[^\s\\]*$/, 'returnTo is a path of this site, e.g. /?scene=piazza-maggiore')

export const OidcCallbackQuerySchema = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
  session_state: z.string().max(256).optional(),
  iss: z.string().max(512).optional(),
})
