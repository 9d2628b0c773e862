/**
 * Deploying a signal plan to a controller over MQTT (docs/signals.md "Deploy", SIG-15).
 *
 *   gemello/v1/signal-controller/<deviceId>/cmd/plan   Gemello → controller (QoS 1, not retained): PlanCommand
 *   gemello/v1/signal-controller/<deviceId>/ack/plan   controller → Gemello (QoS 1, not retained): PlanAck
 *
 * The command carries the plan, its sha256 (of the canonical JSON, contracts/canonical-json.ts), a
 * sequence number monotonic per controller, and an HMAC-SHA256 signature with the controller's own
 * plan key (derived from the fleet key like its MQTT password, purpose "plan-signing":
 * contracts/mqtt-identity.ts). The controller verifies signature, hash and `sequence > the one it
 * runs`, stages the plan and answers `staged` (with how long until its running plan's next switch
 * point), switches there (a safe point: the validator checked that switch) and answers `activated`.
 * Refusals are answered too, with the reason. Acks are 6 levels deep, so the ingest (which reads
 * 5-level readings) never sees them.
 *
 * Timing (Gemello's side): sends at DEPLOY_RETRY_AT_MS after the request (4 at most), and without
 * any answer 30 s after the first send the deployment is "unconfirmed" (not deployed, a high alarm).
 * A `staged` answer stops the re-sends and gives the controller until its switch point plus
 * DEPLOY_ACTIVATION_GRACE_MS (at most DEPLOY_MAX_STAGED_MS) to answer `activated`. A controller that
 * runs a cycle of 90 s with one switch point may need more than 30 s to reach it: the staged answer
 * is what keeps such a deployment from timing out while the controller waits for its safe point.
 */
import { z } from 'zod'
import { canonicalJson } from './canonical-json'
import { TOPIC_ROOT } from './events'
import { constantTimeEqual } from './mqtt-identity'
import { SignalPlanSchema } from './schemas/signal-plan'

export { PLAN_KEY_PURPOSE, planKey } from './mqtt-identity'

export const DEPLOY_ACK_TIMEOUT_MS = 30_000
/** Sends of one deployment before it is "unconfirmed": the first and up to 3 retries with backoff. */
export const DEPLOY_MAX_ATTEMPTS = 4
/** When each send goes out, from the first: backoff spread inside the 30 s, never a retry storm. */
export const DEPLOY_RETRY_AT_MS: readonly number[] = [0, 5_000, 12_000, 22_000]
/** After a `staged` answer: the switch point may be this late and still be confirmed. */
export const DEPLOY_ACTIVATION_GRACE_MS = 10_000
/** The longest a staged plan may wait for its switch point (a cycle is at most a few minutes). */
export const DEPLOY_MAX_STAGED_MS = 300_000

export const planCommandTopic = (deviceId: string) => `${TOPIC_ROOT}/signal-controller/${deviceId}/cmd/plan`
export const planAckTopic = (deviceId: string) => `${TOPIC_ROOT}/signal-controller/${deviceId}/ack/plan`
/** What Gemello subscribes to for every controller's acknowledgements. */
export const PLAN_ACK_SUBSCRIPTION = `${TOPIC_ROOT}/signal-controller/+/ack/plan`
/** What a controller subscribes to. */
export const planCommandSubscription = (deviceId: string) => planCommandTopic(deviceId)
/** The device id of an ack topic, or null when the topic is not one. */
export function deviceOfAckTopic(topic: string): string | null {
  const m = /^gemello\/v1\/signal-controller\/([^/+#]+)\/ack\/plan$/.exec(topic)
  return m ? m[1]! : null
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/)

export const PlanCommandSchema = z.object({
  deploymentId: z.number().int().positive(),
  controllerId: z.string(),
  sequence: z.number().int().positive(),
  planId: z.string(),
  version: z.number().int().positive(),
  planHash: Hex64,
  /** HMAC-SHA256(plan key, signingInput(...)) in hex. */
  signature: Hex64,
  /** Signal group ids in order: the meaning of each plan interval's state vector (signed). */
  groups: z.array(z.string()).min(1),
  plan: SignalPlanSchema,
  /** The attempt number (1 = first send): a controller acknowledges a repeated command again. */
  attempt: z.number().int().positive(),
  sentAtMs: z.number(),
})
export type PlanCommand = z.infer<typeof PlanCommandSchema>

export const PLAN_REFUSALS = ['hash-mismatch', 'bad-signature', 'stale-sequence', 'invalid-plan', 'wrong-controller'] as const
export type PlanRefusal = (typeof PLAN_REFUSALS)[number]
export const PlanAckSchema = z
  .object({
    deploymentId: z.number().int().positive(),
    sequence: z.number().int().positive(),
    planHash: z.string().max(64),
    /**
     * staged: verified and staged, switching at the running plan's next switch point in
     * `activateInMs`; activated: switched to it; refused: not taken (reason).
     */
    status: z.enum(['staged', 'activated', 'refused']),
    reason: z.enum(PLAN_REFUSALS).optional(),
    detail: z.string().max(500).optional(),
    /** staged only: milliseconds from this answer to the switch. */
    activateInMs: z.number().int().nonnegative().optional(),
    /** The sequence the controller runs after this command. */
    runningSequence: z.number().int().nonnegative(),
    atMs: z.number(),
  })
  .refine((a) => (a.status === 'refused') === (a.reason !== undefined), 'a refusal says why (reason), and only a refusal')
  .refine((a) => a.status !== 'staged' || a.activateInMs !== undefined, 'a staged answer says when it switches (activateInMs)')
export type PlanAck = z.infer<typeof PlanAckSchema>

/**
 * The bytes signed: what identifies the deployment, the plan (by its hash) and the meaning of its
 * state vectors (the group order: swapping two groups would swap their lanterns' aspects).
 */
export function signingInput(c: Pick<PlanCommand, 'controllerId' | 'deploymentId' | 'sequence' | 'planId' | 'version' | 'planHash' | 'groups'>): string {
  return `gemello-plan/1\n${c.controllerId}\n${c.deploymentId}\n${c.sequence}\n${c.planId}\n${c.version}\n${c.planHash}\n${c.groups.join(',')}`
}

const hex = (bytes: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('')
const utf8 = (s: string) => new TextEncoder().encode(s)

async function hmacHex(key: Uint8Array, text: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return hex(await crypto.subtle.sign('HMAC', k, utf8(text)))
}

/** The command's signature with the controller's plan key (hex). */
export function signPlanCommand(key: Uint8Array, c: Parameters<typeof signingInput>[0]): Promise<string> {
  return hmacHex(key, signingInput(c))
}

/** Whether `c.signature` is the plan key's signature of the command; constant time in the signature. */
export async function verifyPlanCommand(key: Uint8Array, c: Parameters<typeof signingInput>[0] & { signature: string }): Promise<boolean> {
  const expected = utf8(await hmacHex(key, signingInput(c)))
  return constantTimeEqual(expected, utf8(c.signature.toLowerCase()))
}

/** sha256 of the canonical JSON of a plan as received (hex): what the controller compares with planHash. */
export async function planHashOf(plan: unknown): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', utf8(canonicalJson(plan))))
}
