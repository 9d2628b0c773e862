/**
 * The numbers behind the safety rules (../shared/docs/reference/reliability-security.md §1.2), per
 * profile. Italy (default) follows the Codice della Strada and its Regolamento: green → yellow → red,
 * no red+amber, yellow never under 3 s (the legal floor); the ITE kinematic yellow and the ministry's
 * 4 s (urban) / 5 s (extra-urban) recommendation are warnings. Germany follows RiLSA: red+amber
 * 1–2 s allowed, amber 3/4/5 s at 50/60/70 km/h is required, pedestrians have no amber.
 * Values marked (verify) in the reference are defaults a traffic engineer should confirm.
 */
import type { SafetyProfile, SignalGroup } from '../schemas/signal-plan'

export interface ProfileParams {
  id: SafetyProfile
  /** Red+amber (RY) allowed before green, and its bounds. */
  redAmber: { allowed: boolean; minS: number; maxS: number }
  /** Pedestrian heads have a yellow (IT: the "tempo di sgombero"); DE: green → red. */
  pedestrianYellow: boolean
  /** Below this, a vehicle yellow is rejected (IT legal floor; MMU 2.7 s with margin). */
  yellowFloorS: number
  /** Above this, rejected (MUTCD cap, decision D7). */
  yellowMaxS: number
  /** Above this (urban), a warning (decision D7). */
  yellowWarnAboveS: number
  /** The ITE kinematic yellow: a warning (IT) or required (option). */
  kinematicYellow: 'warn' | 'reject'
  /**
   * An intergreen matrix value below the one computed from the geometry (RiLSA formula): required
   * in Germany; a warning in Italy, whose norms give no formula (the matrix itself is always enforced).
   */
  computedIntergreen: 'warn' | 'reject'
  /** MIT 67906/2007 recommendation, a warning when below (IT only). */
  recommendedYellowS: { urban: number; extraUrban: number } | null
  /** RiLSA amber by posted speed (DE only): required. */
  amberBySpeed: Array<{ upToKmh: number; amberS: number }> | null
  minGreenVehicleS: number
  minGreenPedestrianS: number
  /** Walking speed for clearance, m/s; sensitive sites (schools, hospitals, elderly). */
  pedestrianSpeedMs: number
  pedestrianSpeedSensitiveMs: number
  /** MUTCD buffer between the end of a pedestrian clearance and a conflicting vehicle green: a warning. */
  pedestrianBufferS: number
  pedestrianMaxRedWarnS: number
  cycleWarn: { minS: number; maxS: number }
  /** Intergreen computation (RiLSA-style, verify): clearing-vehicle length and speeds, m and m/s. */
  intergreen: {
    lengthM: Record<SignalGroup['type'], number>
    clearingSpeedMs: { straight: number; turning: number; cyclist: number }
    enteringSpeedMs: Record<SignalGroup['type'], number>
  }
  /** Italy: the failure / off mode must be flashing yellow (art. 169 c.3). */
  failureModes: ReadonlyArray<'flashing-yellow' | 'dark'>
  /** Fixed-time operation is forbidden in this window (art. 169 c.1–2), minutes of the day. */
  nightWindow: { fromMin: number; toMin: number } | null
}

const COMMON = {
  yellowFloorS: 3.0,
  yellowMaxS: 6.0,
  yellowWarnAboveS: 5.0,
  minGreenVehicleS: 5,
  minGreenPedestrianS: 5,
  pedestrianBufferS: 3,
  pedestrianMaxRedWarnS: 90,
  cycleWarn: { minS: 30, maxS: 120 },
  intergreen: {
    lengthM: { vehicle: 6, cyclist: 0, tram: 15, pedestrian: 0 },
    clearingSpeedMs: { straight: 10, turning: 7, cyclist: 4 },
    enteringSpeedMs: { vehicle: 11.1, cyclist: 5, tram: 11.1, pedestrian: 1.5 },
  },
} as const

export const PROFILES: Record<SafetyProfile, ProfileParams> = {
  it: {
    ...COMMON,
    id: 'it',
    redAmber: { allowed: false, minS: 0, maxS: 0 },
    pedestrianYellow: true,
    kinematicYellow: 'warn',
    computedIntergreen: 'warn',
    recommendedYellowS: { urban: 4, extraUrban: 5 },
    amberBySpeed: null,
    pedestrianSpeedMs: 1.0,
    pedestrianSpeedSensitiveMs: 0.8,
    failureModes: ['flashing-yellow'],
    nightWindow: { fromMin: 23 * 60, toMin: 7 * 60 },
  },
  de: {
    ...COMMON,
    id: 'de',
    redAmber: { allowed: true, minS: 1, maxS: 2 },
    pedestrianYellow: false,
    kinematicYellow: 'warn',
    computedIntergreen: 'reject',
    recommendedYellowS: null,
    amberBySpeed: [
      { upToKmh: 50, amberS: 3 },
      { upToKmh: 60, amberS: 4 },
      { upToKmh: Infinity, amberS: 5 },
    ],
    pedestrianSpeedMs: 1.2,
    // RiLSA: 20 % more time near schools and the elderly = 1.2 / 1.2.
    pedestrianSpeedSensitiveMs: 1.0,
    failureModes: ['flashing-yellow', 'dark'],
    nightWindow: null,
  },
}

export interface ValidatorOptions {
  profile?: SafetyProfile
  /** Make the ITE kinematic yellow a rejection instead of a warning. */
  kinematicYellow?: 'warn' | 'reject'
  /** Make an intergreen matrix value below the computed minimum a rejection (or a warning). */
  computedIntergreen?: 'warn' | 'reject'
}

export function profileOf(controllerProfile: SafetyProfile, opts: ValidatorOptions = {}): ProfileParams {
  const base = PROFILES[opts.profile ?? controllerProfile]
  return { ...base, kinematicYellow: opts.kinematicYellow ?? base.kinematicYellow, computedIntergreen: opts.computedIntergreen ?? base.computedIntergreen }
}

const G_MS2 = 9.81
const DECEL_MS2 = 3.05
const REACTION_S = 1.0

/** Rounded up to the next multiple of `step`, robust to binary fractions (3.5000000001 → 3.5). */
export function ceilTo(value: number, step: number): number {
  return Math.ceil(Math.round((value / step) * 1e6) / 1e6) * step
}

/** ITE kinematic yellow `t + v/(2a + 2gG)` at the posted approach speed (the reference's worked values). */
export function iteYellowS(speedKmh: number, gradePct: number): number {
  const v = speedKmh / 3.6
  return REACTION_S + v / (2 * DECEL_MS2 + 2 * G_MS2 * (gradePct / 100))
}

/** The yellow a vehicle group needs under the profile: the hard floor, and the kinematic/table value. */
export function requiredYellowS(p: ProfileParams, g: Pick<SignalGroup, 'speedKmh' | 'gradePct'>): { floorS: number; kinematicS: number; tableS: number | null } {
  const table = p.amberBySpeed?.find((row) => g.speedKmh <= row.upToKmh)?.amberS ?? null
  return { floorS: p.yellowFloorS, kinematicS: Math.max(p.yellowFloorS, ceilTo(iteYellowS(g.speedKmh, g.gradePct), 0.5)), tableS: table }
}

export function pedestrianSpeedMs(p: ProfileParams, sensitive: boolean): number {
  return sensitive ? p.pedestrianSpeedSensitiveMs : p.pedestrianSpeedMs
}

/**
 * The computed minimum intergreen `ceil(t_ü + (s_r + l)/v_r − s_e/v_e)` for group `clearing`
 * leaving a conflict point `clearToPointM` from its stop line while `entering` reaches it from
 * `enterToPointM`; `yellowS` is the clearing group's yellow (t_ü; 0 for pedestrians). Never below 0.
 */
export function computedIntergreenS(
  p: ProfileParams,
  clearing: Pick<SignalGroup, 'type' | 'turn' | 'crossing'>,
  entering: Pick<SignalGroup, 'type'>,
  clearToPointM: number,
  enterToPointM: number,
  yellowS: number,
): number {
  const ig = p.intergreen
  const passing = clearing.type === 'pedestrian' ? 0 : yellowS
  const vr =
    clearing.type === 'pedestrian'
      ? pedestrianSpeedMs(p, clearing.crossing?.sensitive ?? false)
      : clearing.type === 'cyclist'
        ? ig.clearingSpeedMs.cyclist
        : clearing.turn === 'left' || clearing.turn === 'right'
          ? ig.clearingSpeedMs.turning
          : ig.clearingSpeedMs.straight
  const raw = passing + (clearToPointM + ig.lengthM[clearing.type]) / vr - enterToPointM / ig.enteringSpeedMs[entering.type]
  return Math.max(0, ceilTo(raw, 1))
}

/**
 * The computed minimum intergreen from `clearing` to `entering` over every geometry entry of the pair
 * (the largest), or null when the network gives the pair no conflict geometry.
 */
export function pairComputedIntergreenS(
  p: ProfileParams,
  geometry: ReadonlyArray<{ a: string; b: string; aToPointM: number; bToPointM: number }>,
  clearing: Pick<SignalGroup, 'id' | 'type' | 'turn' | 'crossing'>,
  entering: Pick<SignalGroup, 'id' | 'type'>,
  yellowS: number,
): number | null {
  let computed: number | null = null
  for (const geo of geometry) {
    const forward = geo.a === clearing.id && geo.b === entering.id
    const backward = geo.a === entering.id && geo.b === clearing.id
    if (!forward && !backward) continue
    const clearM = forward ? geo.aToPointM : geo.bToPointM
    const enterM = forward ? geo.bToPointM : geo.aToPointM
    computed = Math.max(computed ?? 0, computedIntergreenS(p, clearing, entering, clearM, enterM, yellowS))
  }
  return computed
}
