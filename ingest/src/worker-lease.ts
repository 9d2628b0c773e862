/**
 * One live process per ingest client id (ADR 0004 §2). Two MQTT clients with one id take the session
 * from each other in a loop, so a worker takes a Redis lease on its id at start and refuses to run,
 * saying why, while another live process holds it. The lease lasts 10 s and is renewed every 3 s:
 * a worker that was killed frees its id within 10 s, and its restart (same id) takes it back.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { createClient } from 'redis'

const LEASE_MS = 10_000
const RENEW_MS = 3000

export class WorkerIdTakenError extends Error {
  constructor(
    readonly clientId: string,
    readonly holder: string,
  ) {
    super(
      `ingest client id "${clientId}" is in use by another running ingest (${holder}). Give each ingest worker its own INGEST_CLIENT_ID (gemello-ingest-1, gemello-ingest-2, …), or stop the other one; a stopped worker frees its id within ${LEASE_MS / 1000} s.`,
    )
    this.name = 'WorkerIdTakenError'
  }
}

export interface WorkerLease {
  readonly holder: string
  release(): Promise<void>
}

/** Takes the lease, waiting up to `waitMs` for a previous holder's lease to run out (a restart after a kill). */
export async function takeWorkerLease(redisUrl: string, clientId: string, opts: { prefix?: string; waitMs?: number; log?: { warn(o: object, m?: string): void } } = {}): Promise<WorkerLease> {
  const key = `${opts.prefix ?? 'gemello'}:ingest-id:${clientId}`
  const holder = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`
  const client = createClient({ url: redisUrl, socket: { connectTimeout: 3000, reconnectStrategy: (n: number) => Math.min(200 + n * 200, 2000) } })
  client.on('error', () => undefined)
  await client.connect()
  const deadline = Date.now() + (opts.waitMs ?? LEASE_MS + 2000)
  for (;;) {
    const ok = await client.set(key, holder, { condition: 'NX', expiration: { type: 'PX', value: LEASE_MS } })
    if (ok === 'OK') break
    const other = (await client.get(key)) ?? 'unknown'
    if (Date.now() >= deadline) {
      client.destroy()
      throw new WorkerIdTakenError(clientId, other)
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  // Renew only while it is still ours (compare-and-extend in one script).
  const renewScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return -1 end"
  let lostWarned = false
  const timer = setInterval(() => {
    if (!client.isReady) return
    client.eval(renewScript, { keys: [key], arguments: [holder, String(LEASE_MS)] }).then(
      (r) => {
        if (r === -1 && !lostWarned) {
          lostWarned = true
          opts.log?.warn({ clientId }, 'ingest client id lease was lost (Redis restarted or the lease expired); taking it again')
          void client.set(key, holder, { condition: 'NX', expiration: { type: 'PX', value: LEASE_MS } }).then((ok) => {
            if (ok === 'OK') lostWarned = false
          })
        }
      },
      () => undefined,
    )
  }, RENEW_MS)
  timer.unref()
  return {
    holder,
    release: async () => {
      clearInterval(timer)
      if (client.isReady) {
        await client.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end", { keys: [key], arguments: [holder] }).catch(() => undefined)
      }
      client.destroy()
    },
  }
}
