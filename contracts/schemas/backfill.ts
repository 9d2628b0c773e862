import { z } from 'zod'

/**
 * Gemello → device, on `gemello/v1/<kind>/<deviceId>/cmd/backfill` (QoS 1, not retained): what is
 * durable, and what to send again. A broker's PUBACK is not durability (a broker killed before it
 * saves loses what it queued), so a device keeps each reading in an outbox until Gemello confirms it
 * here (ADR 0004 §5, docs/chaos.md).
 *
 * - `confirmedThroughSeq`: every seq ≤ it is stored, quarantined or declared lost — the device may drop
 *   those entries from its outbox.
 * - `ranges`: inclusive seq ranges Gemello is missing; the device re-publishes those readings unchanged
 *   (same seq and observedAt) on its normal topic — the ordinary, idempotent path.
 * - `heldThroughSeq`: every seq in (confirmedThroughSeq, heldThroughSeq] outside `ranges` is stored too —
 *   the device may drop those as well. What lies above it (the tail Gemello has not seen) the device
 *   re-sends by itself when nobody confirmed it for a while.
 */
export const BackfillRequestSchema = z
  .object({
    requestId: z.string().min(1).max(64),
    stream: z.string().min(1).max(64),
    confirmedThroughSeq: z.number().int().nullable(),
    ranges: z.array(z.tuple([z.number().int(), z.number().int()])).max(64),
    heldThroughSeq: z.number().int().nullable(),
    issuedAtMs: z.number().int(),
  })
  .strict()
export type BackfillRequest = z.infer<typeof BackfillRequestSchema>

/** At most this many seqs asked for in one request (the rest in the next). */
export const BACKFILL_MAX_SEQS = 10_000
