import { useTranslation } from 'react-i18next'
import { holders, type Permission } from '../../../contracts/access'
import { allowed, useServices } from '../app/services'

export interface PermissionState {
  allowed: boolean
  /** Why not, naming the roles that may ("Not allowed for your roles: needs operator, …"); undefined when allowed. */
  reason: string | undefined
}

/** Whether the signed-in user may do this, and the reason shown on a disabled control when not. */
export function usePermission(permission: Permission): PermissionState {
  const { t } = useTranslation()
  const { session } = useServices()
  if (allowed(session, permission)) return { allowed: true, reason: undefined }
  return { allowed: false, reason: t('access.needs', { roles: holders(permission).map((r) => t(`roles.${r}`)).join(', ') }) }
}
