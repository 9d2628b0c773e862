/**
 * The MQTT access rules, written once (ADR 0005). The embedded broker's hooks ask `mqttAcl`; the
 * production Mosquitto reads `mosquittoAclFile()`, printed from the same table by
 * `npm run mqtt-credentials -- acl` into deploy/mosquitto/acl (a test keeps the two equal, and runs
 * the same cases against both brokers).
 *
 * The table has Mosquitto's shape and `mqttAcl` Mosquitto's meaning: `pattern` entries apply to
 * every client with %u replaced by its username; `user` entries to one class of identity; a topic
 * is allowed when some entry grants the access, and nothing is allowed otherwise (deny by default).
 *
 * One difference in *when*, not in what: Mosquitto 2 accepts every SUBSCRIBE and checks read access
 * on each message it would deliver; the embedded broker checks the filter when it is subscribed
 * and refuses one that could match a topic the client may not read. Either way nothing unreadable
 * is delivered.
 */
import { GATEWAY_SUFFIX, SERVICE_USERNAME, usernameOf, type MqttIdentity } from './mqtt-identity'

export type AclAccess = 'read' | 'write'

export interface AclEntry {
  /** `pattern`: every client, %u = its username; otherwise the identities of that type. */
  who: 'pattern' | 'service' | 'gateway'
  access: AclAccess
  topic: string
  why: string
}

export const MQTT_ACL: readonly AclEntry[] = [
  // Readings and the registration are exactly 5 levels; commands (…/cmd/<name>) are 6, so never writable by a device.
  { who: 'pattern', access: 'write', topic: 'gemello/v1/+/%u/+', why: 'a device publishes its own readings and registration' },
  // Answers (…/ack/<name>, e.g. a signal controller's plan acknowledgement) are 6 levels: never ingested as readings.
  { who: 'pattern', access: 'write', topic: 'gemello/v1/+/%u/ack/+', why: 'a device answers a command' },
  { who: 'pattern', access: 'read', topic: 'gemello/v1/+/%u/cmd/#', why: 'a device reads its own commands' },
  { who: 'service', access: 'read', topic: 'gemello/v1/#', why: 'the ingest reads everything devices and gateways publish' },
  { who: 'service', access: 'write', topic: 'gemello/v1/+/+/cmd/#', why: 'only Gemello sends commands to devices' },
  { who: 'gateway', access: 'write', topic: 'gemello/v1/fiware/+', why: 'a FIWARE gateway publishes entities only' },
]

export type AclDecision = { allowed: true; rule: AclEntry } | { allowed: false; reason: string }

/** May `identity` publish to `topic`, or subscribe to the filter `topic`? Anonymous (null): never. */
export function mqttAcl(identity: MqttIdentity | null, action: 'publish' | 'subscribe', topic: string): AclDecision {
  if (!identity) return { allowed: false, reason: 'not authenticated' }
  const username = usernameOf(identity)
  const access: AclAccess = action === 'publish' ? 'write' : 'read'
  const filter = action === 'subscribe' ? withoutShare(topic) : topic
  if (action === 'publish' && /[+#]/.test(topic)) return { allowed: false, reason: 'wildcards are not allowed in a topic name' }
  for (const rule of MQTT_ACL) {
    if (rule.access !== access) continue
    if (rule.who !== 'pattern' && rule.who !== identity.type) continue
    const ruleFilter = rule.who === 'pattern' ? rule.topic.split('%u').join(username) : rule.topic
    if (action === 'publish' ? topicMatches(ruleFilter, filter) : filterCovers(ruleFilter, filter)) return { allowed: true, rule }
  }
  return { allowed: false, reason: `${username} may not ${action === 'publish' ? 'publish to' : 'subscribe to'} ${topic}` }
}

/** `$share/<group>/<filter>` → `<filter>` (MQTT 5 shared subscriptions are checked on their filter). */
function withoutShare(filter: string): string {
  const m = /^\$share\/[^/]+\/(.+)$/.exec(filter)
  return m ? m[1]! : filter
}

/** MQTT matching of a topic name against a filter with + and #. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i > 0 || !topic.startsWith('$')
    if (i >= t.length) return false
    if (f[i] === '+') {
      if (i === 0 && t[0]!.startsWith('$')) return false
      continue
    }
    if (f[i] !== t[i]) return false
  }
  return f.length === t.length
}

/** True when every topic the filter `sub` can match is matched by `rule` too. */
export function filterCovers(rule: string, sub: string): boolean {
  const r = rule.split('/')
  const s = sub.split('/')
  for (let i = 0; i < r.length; i++) {
    if (r[i] === '#') return true
    if (i >= s.length) return false
    if (s[i] === '#') return false
    if (r[i] === '+') continue
    if (s[i] === '+' || r[i] !== s[i]) return false
  }
  // `a/#` also matches `a`: a rule without # does not cover it.
  return r.length === s.length
}

/** deploy/mosquitto/acl, for the given FIWARE gateways (none by default). */
export function mosquittoAclFile(gateways: readonly string[] = []): string {
  const lines = [
    '# Mosquitto ACL for Gemello, generated from contracts/mqtt-acl.ts: edit the rules there, not here.',
    '#   npm run mqtt-credentials -- acl [--gateway <name>]… > deploy/mosquitto/acl',
    '# tests/integration/mqtt-acl.int.test.ts checks this file against the generator and a real Mosquitto.',
    '',
    '# Every client, %u = its username: devices (username = device id).',
  ]
  const entries = (who: AclEntry['who']) => MQTT_ACL.filter((r) => r.who === who).flatMap((r) => [`# ${r.why}`, `${who === 'pattern' ? 'pattern' : 'topic'} ${r.access} ${r.topic}`])
  lines.push(...entries('pattern'), '', `# The Gemello service (ingest, command publisher).`, `user ${SERVICE_USERNAME}`, ...entries('service'))
  for (const name of gateways) lines.push('', `# FIWARE gateway "${name}".`, `user ${usernameOf({ type: 'gateway', name })}`, ...entries('gateway'))
  if (gateways.length === 0) lines.push('', `# FIWARE gateways (<name>${GATEWAY_SUFFIX}) get a user block each: regenerate with --gateway <name>.`)
  return `${lines.join('\n')}\n`
}
