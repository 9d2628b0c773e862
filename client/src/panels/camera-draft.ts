/**
 * A camera's compliance record as a form (ADR 0006, "Cameras"): the draft as typed, what it still
 * lacks before the camera may be activated (the contract's `cameraMissing`, as the server checks it),
 * and the PUT body checked with the contract's schema.
 */
import {
  CameraRecordInputSchema,
  RETENTION_UNJUSTIFIED_MAX_DAYS,
  cameraMissing,
  type Camera,
  type CameraField,
  type CameraRecordInput,
} from '../../../contracts/camera-api'

export interface CameraDraft {
  purpose: string
  legalBasis: string
  signage: boolean
  signageNote: string
  /** As typed. */
  retentionDays: string
  retentionJustification: string
  dpiaRef: string
  controller: string
  /** Never filled from the server (listings do not carry it): typed to set or replace, blank to keep the stored one. */
  streamUrl: string
  /** Remove the stored stream URL. */
  removeStream: boolean
}

export function draftFromCamera(c: Camera): CameraDraft {
  const r = c.record
  return {
    purpose: r?.purpose ?? '',
    legalBasis: r?.legalBasis ?? '',
    signage: r?.signage ?? false,
    signageNote: r?.signageNote ?? '',
    retentionDays: r?.retentionDays == null ? '' : String(r.retentionDays),
    retentionJustification: r?.retentionJustification ?? '',
    dpiaRef: r?.dpiaRef ?? '',
    controller: r?.controller ?? '',
    streamUrl: '',
    removeStream: false,
  }
}

const days = (s: string): number | null => {
  if (s.trim() === '') return null
  const n = Number(s)
  return Number.isFinite(n) ? n : Number.NaN
}

/** A justification is asked for only above 7 days. */
export function needsJustification(d: CameraDraft): boolean {
  const n = days(d.retentionDays)
  return n !== null && n > RETENTION_UNJUSTIFIED_MAX_DAYS
}

/** What the draft still lacks for activation, in the contract's order. */
export function draftMissing(d: CameraDraft): CameraField[] {
  const n = days(d.retentionDays)
  return cameraMissing({
    purpose: d.purpose,
    legalBasis: d.legalBasis,
    signage: d.signage,
    retentionDays: n === null || Number.isNaN(n) ? null : n,
    retentionJustification: d.retentionJustification,
    dpiaRef: d.dpiaRef,
    controller: d.controller,
  })
}

export type RecordField = keyof CameraDraft
export type RecordCheck = { ok: true; body: CameraRecordInput } | { ok: false; errors: Partial<Record<RecordField, string>> }

/** The PUT body (with the stored version, when there is a record), or the fields the schema refuses. */
export function checkCameraDraft(d: CameraDraft, version: number | null): RecordCheck {
  const parsed = CameraRecordInputSchema.safeParse({
    purpose: d.purpose,
    legalBasis: d.legalBasis,
    signage: d.signage,
    signageNote: d.signageNote,
    retentionDays: days(d.retentionDays),
    retentionJustification: needsJustification(d) ? d.retentionJustification : '',
    dpiaRef: d.dpiaRef,
    controller: d.controller,
    // Blank keeps the stored URL (the server keeps it when the field is left out); removing is explicit.
    ...(d.removeStream ? { streamUrl: null } : d.streamUrl.trim() === '' ? {} : { streamUrl: d.streamUrl.trim() }),
    ...(version === null ? {} : { version }),
  })
  if (parsed.success) return { ok: true, body: parsed.data }
  const errors: Partial<Record<RecordField, string>> = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as RecordField | undefined
    if (field && !errors[field]) errors[field] = issue.message
  }
  return { ok: false, errors }
}
