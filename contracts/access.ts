/**
 * Who may do what (ADR 0005): the roles, the permissions and the grants, as data. The HTTP guard, the
 * Socket.IO guard, the MQTT ACL and the tests all read this table; nothing else decides access.
 * Starting point: the role matrix of reliability-security.md §4.2 (one permission per capability,
 * split where the matrix gives a role only part of it). Deny by default: a permission no role holds
 * is refused to everyone, and an unknown role holds nothing.
 */
import { z } from 'zod'

export const ROLES = ['public', 'citizen', 'operator', 'traffic_engineer', 'planner', 'gis_editor', 'pmo', 'admin', 'display'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/** Staff roles: signed in through the staff provider or a local account (never citizens, never public). */
export const STAFF_ROLES: readonly Role[] = ['operator', 'traffic_engineer', 'planner', 'gis_editor', 'pmo', 'admin', 'display']

export const PERMISSIONS = {
  'opendata:read': 'Read open data and the public OGC collections',
  'live:read-aggregated': 'See the live map aggregated by area (no single device)',
  'live:read': 'See the live map and every device state (non-personal)',
  'ops:read': 'See the ingest health: quarantine, conflicting duplicates, metrics',
  'camera:view': 'Open a camera live view (every opening is audited)',
  'camera:configure': 'Configure cameras (purpose, legal basis, retention, DPIA), not view them',
  'alarm:act': 'Acknowledge and shelve alarms, open and run incidents, write the shift log, push to the wall',
  'alarm:configure': 'Create and change alarm rules (rationalisation)',
  'signal-plan:read': 'Read signal plans',
  'signal-plan:edit': 'Edit and validate signal plans',
  'signal-plan:switch': 'Switch a controller among already approved plans',
  'signal-plan:deploy': 'Deploy a signal plan (recent sign-in required)',
  'census:read-public': 'Read the public attributes of the infrastructure census',
  'census:read': 'Read the infrastructure census',
  'census:write': 'Create, change and retire census features',
  'case:own': 'Create citizen cases and follow one’s own',
  'case:read-all': 'Read every citizen case (personal data masked)',
  'case:act': 'Run the office cycle of citizen cases: accept, triage, route, assign, status, notes, links, duplicates',
  'case:reveal': 'See a reporter’s contact data, giving a reason (every reveal is audited)',
  'case:stats': 'Read citizen-case statistics and export them as CSV (no personal data)',
  'scenario:read': 'Read what-if scenarios, their estimates and SUMO verifications',
  'scenario:write': 'Create and version scenarios, branch them, change their status, queue SUMO verifications',
  'pmo:read': 'Read the project portfolio',
  'pmo:write': 'Manage the project portfolio',
  'dashboard:write': 'Load and remove the datasets of the configurable thematic dashboards (aggregated, public)',
  'users:admin': 'Manage users and roles (recent sign-in required)',
  'audit:read': 'Search the audit log',
  'api-token:own': 'Create, list and revoke one’s own personal access tokens (for QGIS, GDAL and scripts)',
} as const satisfies Record<string, string>

export type Permission = keyof typeof PERMISSIONS
export const PermissionSchema = z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]])

/** Permissions that need an authentication at most STEP_UP_MAX_AGE_MS old, whatever the session's age. */
export const STEP_UP: readonly Permission[] = ['signal-plan:deploy', 'users:admin']
export const STEP_UP_MAX_AGE_MS = 5 * 60_000

const ALL_STAFF_READ: Permission[] = ['opendata:read', 'census:read']
/** What every person on the staff holds (not a video wall's account): the reads, and their own access tokens. */
const ALL_STAFF: Permission[] = [...ALL_STAFF_READ, 'api-token:own']

/** The grants (§4.2). Public has no session; every other role adds to nothing but what is written here. */
export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  public: ['opendata:read', 'live:read-aggregated', 'census:read-public'],
  // Citizens read the census as the public does (census:read-public): internal notes, IP addresses and supply codes are staff-only.
  citizen: ['opendata:read', 'live:read-aggregated', 'case:own'],
  operator: [...ALL_STAFF, 'live:read', 'ops:read', 'camera:view', 'alarm:act', 'signal-plan:read', 'signal-plan:switch', 'case:read-all', 'case:act', 'case:reveal', 'case:stats'],
  traffic_engineer: [...ALL_STAFF, 'live:read', 'ops:read', 'camera:view', 'alarm:act', 'alarm:configure', 'signal-plan:read', 'signal-plan:edit', 'signal-plan:deploy', 'scenario:read', 'scenario:write'],
  planner: [...ALL_STAFF, 'live:read', 'signal-plan:read', 'pmo:read', 'scenario:read', 'scenario:write'],
  gis_editor: [...ALL_STAFF, 'live:read', 'census:write'],
  pmo: [...ALL_STAFF, 'pmo:write', 'pmo:read', 'scenario:read', 'case:stats', 'dashboard:write'],
  /**
   * A video wall's account (ADR 0006): sees the live city and the alarms, acts on nothing. Its session
   * has no idle timeout (an unattended wall must not sign out), only the absolute one.
   */
  display: ['live:read'],
  admin: [...ALL_STAFF, 'live:read', 'ops:read', 'camera:configure', 'alarm:configure', 'census:write', 'case:read-all', 'case:act', 'case:reveal', 'case:stats', 'pmo:read', 'scenario:read', 'scenario:write', 'dashboard:write', 'users:admin', 'audit:read'],
}

/** Whether any of `roles` holds `permission`. Unknown roles hold nothing. */
export function can(roles: readonly string[], permission: Permission): boolean {
  return roles.some((r) => (GRANTS as Record<string, readonly Permission[] | undefined>)[r]?.includes(permission) === true)
}

/** The roles that hold a permission (for messages: "needs operator or traffic engineer"). */
export function holders(permission: Permission): Role[] {
  return ROLES.filter((r) => GRANTS[r].includes(permission))
}
