/** The connectivity panel's outage list: access points down or silent, worst first, then by district and name. */
import type { AccessPoint } from '../../../contracts/camera-api'

const RANK = { down: 0, silent: 1 } as const

export function outageList(points: readonly AccessPoint[]): AccessPoint[] {
  return points
    .filter((p): p is AccessPoint & { state: 'down' | 'silent' } => p.state === 'down' || p.state === 'silent')
    .sort((a, b) => RANK[a.state] - RANK[b.state] || (a.district ?? '\uffff').localeCompare(b.district ?? '\uffff') || a.name.localeCompare(b.name))
}
