import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json'
import { MqttKeyring, parseDeviceKey, planKey, PLAN_KEY_PURPOSE } from './mqtt-identity'
import { SignalPlanSchema } from './schemas/signal-plan'
import { plan } from './signal-safety/testing/signal-factories'
import { deviceOfAckTopic, PLAN_ACK_SUBSCRIPTION, PlanAckSchema, planAckTopic, planCommandTopic, planHashOf, signingInput, signPlanCommand, verifyPlanCommand, DEPLOY_RETRY_AT_MS, DEPLOY_ACK_TIMEOUT_MS, DEPLOY_MAX_ATTEMPTS } from './signal-deploy'
import { topicMatches } from './mqtt-acl'
import { INGEST_SUBSCRIPTIONS } from './events'

const KEY = parseDeviceKey('11'.repeat(32))
const cmd = { deploymentId: 7, controllerId: '209', sequence: 3, planId: 'day', version: 2, planHash: 'a'.repeat(64), groups: ['A', 'B', 'P'] }

describe('the plan key', () => {
  it('is HMAC-SHA256(device key, "plan-signing" ‖ 0 ‖ device id), distinct from the device password', async () => {
    const expected = createHmac('sha256', Buffer.from(KEY)).update(`${PLAN_KEY_PURPOSE}\0signal-209`).digest()
    const ring = await MqttKeyring.create(KEY)
    expect(Buffer.from(await ring.planKey('signal-209'))).toEqual(expected)
    expect(Buffer.from(await planKey(KEY, 'signal-209'))).toEqual(expected)
    const password = await ring.password({ type: 'device', deviceId: 'signal-209' })
    expect(Buffer.from(password, 'base64url')).not.toEqual(expected)
    expect(Buffer.from(await ring.planKey('signal-210'))).not.toEqual(expected)
  })
})

describe('signing a plan command', () => {
  it('signs what identifies the deployment, the plan hash and the group order, and verifies in constant time', async () => {
    const key = await planKey(KEY, 'signal-209')
    const signature = await signPlanCommand(key, cmd)
    expect(signature).toBe(createHmac('sha256', Buffer.from(key)).update(signingInput(cmd)).digest('hex'))
    expect(await verifyPlanCommand(key, { ...cmd, signature })).toBe(true)
    for (const changed of [{ sequence: 2 }, { planHash: 'b'.repeat(64) }, { groups: ['B', 'A', 'P'] }, { deploymentId: 8 }, { controllerId: '210' }, { version: 1 }, { planId: 'night' }]) {
      expect(await verifyPlanCommand(key, { ...cmd, ...changed, signature })).toBe(false)
    }
    expect(await verifyPlanCommand(await planKey(KEY, 'signal-210'), { ...cmd, signature })).toBe(false)
    expect(await verifyPlanCommand(key, { ...cmd, signature: signature.slice(0, 62) })).toBe(false)
  })

  it('hashes a plan as the server does (sha256 of the canonical JSON)', async () => {
    const p = SignalPlanSchema.parse(plan())
    expect(await planHashOf(p)).toBe(createHash('sha256').update(canonicalJson(p)).digest('hex'))
    expect(await planHashOf(JSON.parse(JSON.stringify(p)))).toBe(await planHashOf(p))
  })
})

describe('topics and answers', () => {
  it('answers are 6 levels: the ingest never reads them, the deploy manager does', () => {
    expect(planCommandTopic('signal-209')).toBe('gemello/v1/signal-controller/signal-209/cmd/plan')
    expect(topicMatches(PLAN_ACK_SUBSCRIPTION, planAckTopic('signal-209'))).toBe(true)
    for (const s of INGEST_SUBSCRIPTIONS) expect(topicMatches(s, planAckTopic('signal-209'))).toBe(false)
    expect(deviceOfAckTopic(planAckTopic('signal-209'))).toBe('signal-209')
    expect(deviceOfAckTopic('gemello/v1/signal-controller/signal-209/traffic')).toBeNull()
  })

  it('a refusal says why, a staged answer says when', () => {
    const base = { deploymentId: 1, sequence: 1, planHash: 'a'.repeat(64), runningSequence: 0, atMs: 0 }
    expect(PlanAckSchema.safeParse({ ...base, status: 'refused', reason: 'hash-mismatch' }).success).toBe(true)
    expect(PlanAckSchema.safeParse({ ...base, status: 'refused' }).success).toBe(false)
    expect(PlanAckSchema.safeParse({ ...base, status: 'activated', reason: 'hash-mismatch' }).success).toBe(false)
    expect(PlanAckSchema.safeParse({ ...base, status: 'staged' }).success).toBe(false)
    expect(PlanAckSchema.safeParse({ ...base, status: 'staged', activateInMs: 4000 }).success).toBe(true)
  })

  it('spreads at most 4 sends inside the 30 s, with growing gaps (no retry storm)', () => {
    expect(DEPLOY_RETRY_AT_MS).toHaveLength(DEPLOY_MAX_ATTEMPTS)
    expect(DEPLOY_RETRY_AT_MS[DEPLOY_RETRY_AT_MS.length - 1]!).toBeLessThan(DEPLOY_ACK_TIMEOUT_MS)
    const gaps = DEPLOY_RETRY_AT_MS.slice(1).map((t, i) => t - DEPLOY_RETRY_AT_MS[i]!)
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b))
  })
})
