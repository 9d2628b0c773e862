/**
 * What the signal-safety validator reports. A violation names the rule (SIG-01 … SIG-14), the
 * signal groups, the interval and the time, and whether it rejects the plan or only warns.
 */
export const SIG_RULES = ['SIG-01', 'SIG-02', 'SIG-03', 'SIG-04', 'SIG-05', 'SIG-06', 'SIG-07', 'SIG-08', 'SIG-09', 'SIG-10', 'SIG-11', 'SIG-12', 'SIG-13', 'SIG-14'] as const
export type SigRule = (typeof SIG_RULES)[number]

/**
 * Where in the expanded timeline: inside the cycle, across the cycle wrap (last interval → first),
 * across a switch from another plan, in the startup sequence, or not in time at all (the matrices,
 * the structure, the schedule).
 */
export type ViolationContext = 'cycle' | 'wrap' | 'transition' | 'startup' | 'matrix' | 'structure' | 'schedule'

export interface Violation {
  rule: SigRule
  severity: 'reject' | 'warn'
  context: ViolationContext
  /** The plan it concerns; null for controller-level findings. */
  planId: string | null
  /** For a transition: the plan switched from. */
  fromPlanId?: string
  groups: string[]
  /** Index and name of the interval where it happens (of planId). */
  interval: number | null
  intervalName?: string
  /** Seconds into planId's cycle where it happens (0.1 s resolution). */
  atS: number | null
  message: string
}

export interface ValidationReport {
  validatorVersion: string
  profile: 'it' | 'de'
  /** No rejection (warnings allowed). */
  ok: boolean
  rejects: number
  warnings: number
  violations: Violation[]
}

/** Bump when a rule changes what it accepts: deploys record it with the plan hash. */
export const VALIDATOR_VERSION = 'gemello-signal-safety/1'
