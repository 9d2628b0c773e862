import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { io as connect, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION, type Delta, type LiveClientToServer, type LiveServerToClient, type Snapshot, type SubscribeAck } from '../../../contracts/events'
import type { Device } from '../../../contracts/schemas/device'
import type { ValidReading } from '../db/readings'
import { waitFor } from '../../../tests/helpers/wait-for'
import { LiveMirror } from './live-mirror'
import { RealtimeServer } from './realtime-server'

type Client = Socket<LiveServerToClient, LiveClientToServer>
const device = (id: string): Device => ({ id, kind: 'traffic-loop', name: id, position: [11.34, 44.49], expectedIntervalS: 60, source: 'open-data', dataset: null, props: {} })
let obs = Date.now() - 3_000_000
const reading = (deviceId: string): ValidReading => {
  obs += 1000
  return { deviceId, kind: 'traffic-loop', stream: 'traffic', shape: 'traffic', seq: obs, observedAtMs: obs, receivedAtMs: obs, quality: 'good', values: { flowVehH: obs % 1000, occupancyPct: 1, speedKmh: 30, intervalS: 60 } }
}

interface Running { http: Server; rt: RealtimeServer; mirror: LiveMirror; url: string }
const running: Running[] = []
const clients: Client[] = []

async function startServer(port = 0): Promise<Running> {
  const http = createServer()
  const mirror = new LiveMirror({ retainEntries: 10_000 })
  mirror.upsertDevices([device('loop-1'), device('loop-2')])
  const rt = new RealtimeServer(http, {
    mirror,
    defaultCadenceMs: 50,
    sessions: null,
    heartbeat: () => ({ ingest: { brokerConnected: true, dbHealthy: true, pending: 0, lastCommitAtMs: null, workers: 1 }, quarantine: { total: 0, lastReason: null, lastAtMs: null }, liveFeed: 'up', rootCause: null }),
  })
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r()))
  const r = { http, rt, mirror, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` }
  running.push(r)
  return r
}
async function stopServer(r: Running) {
  await r.rt.close()
  r.http.closeAllConnections()
  running.splice(running.indexOf(r), 1)
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  for (const r of [...running]) await stopServer(r)
})

/** A client that applies frames the way the browser does and records what it saw. */
function liveClient(url: string) {
  const socket: Client = connect(`${url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], reconnectionDelay: 100, reconnectionDelayMax: 200 })
  clients.push(socket)
  const state = new Map<string, number>()
  const seen: string[] = []
  let cursor: { epoch: string; seq: number } | null = null
  let snapshots = 0
  let gaps = 0
  socket.on('live:snapshot', (s: Snapshot) => {
    snapshots++
    state.clear()
    for (const st of s.states) state.set(st.deviceId, st.observedAtMs)
    cursor = s.cursor
  })
  socket.on('live:delta', (d: Delta) => {
    if (!cursor || d.from.epoch !== cursor.epoch || d.from.seq !== cursor.seq) gaps++
    for (const st of d.states) {
      seen.push(`${st.deviceId}@${st.observedAtMs}`)
      state.set(st.deviceId, st.observedAtMs)
    }
    cursor = d.cursor
  })
  const subscribe = () =>
    new Promise<SubscribeAck>((resolve) => socket.emit('live:subscribe', { layers: ['traffic-loop'], cadenceMs: 50, ...(cursor ? { resume: cursor } : {}) }, resolve))
  socket.on('connect', () => void subscribe())
  return { socket, state, seen, get cursor() { return cursor }, get snapshots() { return snapshots }, get gaps() { return gaps } }
}

describe('RealtimeServer (/live)', () => {
  it('refuses a client speaking another protocol version', async () => {
    const s = await startServer()
    const socket: Client = connect(`${s.url}/live`, { auth: { protocolVersion: 999 }, transports: ['websocket'], reconnection: false })
    clients.push(socket)
    const err = await new Promise<Error>((resolve) => socket.on('connect_error', resolve))
    expect(err.message).toMatch(/PROTOCOL_MISMATCH/)
  })

  it('answers an invalid subscription with VALIDATION_FAILED', async () => {
    const s = await startServer()
    const socket: Client = connect(`${s.url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'] })
    clients.push(socket)
    const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('live:subscribe', { layers: ['toasters'], bbox: [12, 45, 11, 44] } as never, resolve))
    expect(ack.ok).toBe(false)
    expect(!ack.ok && ack.error.code).toBe('VALIDATION_FAILED')
  })

  it('sends a snapshot, then batched deltas, and resumes after a dropped connection with no gap and no duplicate', async () => {
    const s = await startServer()
    const c = liveClient(s.url)
    await waitFor(() => c.snapshots === 1, 'snapshot')
    const published: string[] = []
    const publish = (id: string) => {
      const r = reading(id)
      published.push(`${id}@${r.observedAtMs}`)
      s.mirror.applyReadings([r])
    }
    for (let i = 0; i < 5; i++) publish('loop-1')
    await waitFor(() => c.seen.length > 0 && c.state.get('loop-1') === obs, 'first deltas')
    c.socket.io.engine.close() // the network drops; the client reconnects by itself
    for (let i = 0; i < 5; i++) publish('loop-2') // published while it is away
    await waitFor(() => c.state.get('loop-2') === obs, 'the missed readings after reconnect')
    expect(c.snapshots).toBe(1) // resumed from its cursor, not re-snapshotted
    expect(c.gaps).toBe(0)
    expect(new Set(c.seen).size).toBe(c.seen.length) // no duplicates
    // Coalescing may skip intermediate values of one stream, never the newest one.
    expect(c.seen).toContain(published.filter((p) => p.startsWith('loop-1')).at(-1))
    expect(c.seen).toContain(published.at(-1))
  })

  it('gives a fresh snapshot of the same state to a client that reconnects after a server restart', async () => {
    const s = await startServer()
    const port = (s.http.address() as AddressInfo).port
    s.mirror.applyReadings([reading('loop-1'), reading('loop-2')])
    const c = liveClient(s.url)
    await waitFor(() => c.state.size === 2, 'initial state')
    const before = new Map(c.state)
    const oldEpoch = c.cursor?.epoch
    await stopServer(s)
    const s2 = await startServer(port)
    // The new process loads the same latest state from the database (here: applied again).
    s2.mirror.applyReadings([...before].map(([id, t]) => ({ ...reading(id), observedAtMs: t, seq: t })))
    await waitFor(() => c.snapshots === 2, 'snapshot from the restarted server')
    expect(c.cursor?.epoch).not.toBe(oldEpoch)
    expect(new Map(c.state)).toEqual(before)
  })

  it('builds one frame for screens at the same cursor with the same filter, and its own for a screen with another', async () => {
    const s = await startServer()
    const wall = [liveClient(s.url), liveClient(s.url), liveClient(s.url)]
    const frames: Delta[][] = wall.map(() => [])
    wall.forEach((c, i) => c.socket.on('live:delta', (d: Delta) => frames[i]!.push(d)))
    // Another screen: only a viewport without the loops.
    const other: Client = connect(`${s.url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'] })
    clients.push(other)
    const otherFrames: Delta[] = []
    other.on('live:delta', (d: Delta) => otherFrames.push(d))
    await new Promise<SubscribeAck>((resolve) => other.emit('live:subscribe', { layers: ['traffic-loop'], bbox: [0, 0, 1, 1], cadenceMs: 50 }, resolve))
    await waitFor(() => wall.every((c) => c.snapshots === 1), 'the wall subscribed')
    for (let round = 0; round < 5; round++) {
      s.mirror.applyReadings([reading('loop-1'), reading('loop-2')])
      await new Promise((r) => setTimeout(r, 60))
    }
    await waitFor(() => wall.every((c) => c.state.get('loop-2') === obs) && otherFrames.at(-1)?.cursor.seq === s.mirror.cursor.seq, 'every screen at the last change')
    // Every screen saw every change, in order, without a gap.
    for (const c of wall) expect(c.gaps).toBe(0)
    expect(otherFrames.every((f) => f.states.length === 0)).toBe(true)
    // Frames over the same span of the log carry the same changes; fewer frames were built than sent.
    const bySpan = new Map<string, string>()
    for (const f of frames.flat()) {
      const span = `${f.from.seq}-${f.cursor.seq}`
      const k = JSON.stringify(f.states)
      if (bySpan.has(span)) expect(k).toBe(bySpan.get(span))
      bySpan.set(span, k)
    }
    expect(s.rt.frames.groups).toBeLessThan(s.rt.frames.sockets)
  })
})
