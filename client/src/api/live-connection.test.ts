import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Delta, Snapshot, SubscribeRequest } from '../../../contracts/events'
import { connectLive, type LiveSink, type LiveSocket } from './live-connection'

class FakeSocket {
  connected = false
  handlers = new Map<string, (...args: unknown[]) => void>()
  subscribes: SubscribeRequest[] = []
  options: Record<string, unknown> = {}
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, handler)
    return this
  }
  timeout() {
    return {
      emit: (_event: string, request: SubscribeRequest, ack: (err: Error | null, res: unknown) => void) => {
        this.subscribes.push(request)
        ack(null, { ok: true, resumed: Boolean(request.resume), cursor: { epoch: 'e1', seq: 0 } })
      },
    }
  }
  close() {
    this.connected = false
  }
  fire(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true
    if (event === 'disconnect') this.connected = false
    this.handlers.get(event)?.(...args)
  }
}

function recordingSink() {
  const log: string[] = []
  const sink: LiveSink = {
    snapshot: (s) => log.push(`snapshot ${s.cursor.seq}`),
    delta: (d) => log.push(`delta ${d.cursor.seq}`),
    heartbeat: () => log.push('heartbeat'),
    socketConnected: (c) => log.push(c ? 'connected' : 'disconnected'),
    error: (m) => {
      if (m) log.push(`error ${m}`)
    },
  }
  return { sink, log }
}

const snapshot = (seq: number, epoch = 'e1'): Snapshot => ({ cursor: { epoch, seq }, serverTimeMs: 1000, devices: [], states: [] })
const delta = (from: number, seq: number, epoch = 'e1'): Delta => ({ cursor: { epoch, seq }, from: { epoch, seq: from }, serverTimeMs: 1000, states: [], devices: [] })

describe('connectLive', () => {
  let socket: FakeSocket
  beforeEach(() => {
    vi.useFakeTimers()
    socket = new FakeSocket()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  function connect() {
    const { sink, log } = recordingSink()
    const live = connectLive(sink, {
      socketFactory: (_uri, options) => {
        socket.options = options as Record<string, unknown>
        return socket as unknown as LiveSocket
      },
    })
    return { live, log }
  }

  it('sends the protocol version in the handshake, and reconnects with jittered back-off', () => {
    connect()
    expect(socket.options.auth).toEqual({ protocolVersion: 2 })
    // Hundreds of screens must not come back in one burst after a server restart.
    expect(socket.options).toMatchObject({ reconnectionDelay: 1000, reconnectionDelayMax: 3000, randomizationFactor: 0.5 })
  })

  it('subscribes on connect with layers and bbox, without resume the first time', () => {
    const { live } = connect()
    live.setSubscription({ layers: ['traffic-loop'], bbox: [11.3, 44.4, 11.4, 44.5] })
    socket.fire('connect')
    expect(socket.subscribes).toEqual([{ layers: ['traffic-loop'], bbox: [11.3, 44.4, 11.4, 44.5] }])
  })

  it('resumes from the last cursor after a reconnect', () => {
    const { live } = connect()
    live.setSubscription({ layers: ['traffic-loop'] })
    socket.fire('connect')
    socket.fire('live:snapshot', snapshot(5))
    socket.fire('live:delta', delta(5, 6))
    socket.fire('disconnect')
    socket.fire('connect')
    expect(socket.subscribes[1]).toEqual({ layers: ['traffic-loop'], resume: { epoch: 'e1', seq: 6 } })
  })

  it('applies deltas in order and drops duplicates', () => {
    const { live, log } = connect()
    live.setSubscription({ layers: ['traffic-loop'] })
    socket.fire('connect')
    socket.fire('live:snapshot', snapshot(5))
    socket.fire('live:delta', delta(5, 6))
    socket.fire('live:delta', delta(5, 6))
    socket.fire('live:delta', delta(6, 7))
    expect(log).toEqual(['connected', 'snapshot 5', 'delta 6', 'delta 7'])
  })

  it('re-subscribes without resume when a delta leaves a gap', () => {
    const { live, log } = connect()
    live.setSubscription({ layers: ['traffic-loop'] })
    socket.fire('connect')
    socket.fire('live:snapshot', snapshot(5))
    socket.fire('live:delta', delta(7, 8))
    expect(socket.subscribes).toHaveLength(2)
    expect(socket.subscribes[1]).toEqual({ layers: ['traffic-loop'] })
    socket.fire('live:delta', delta(8, 9))
    expect(log).toEqual(['connected', 'snapshot 5'])
  })

  it('re-subscribes debounced when the viewport changes', () => {
    const { live } = connect()
    live.setSubscription({ layers: ['traffic-loop'], bbox: [11, 44, 12, 45] })
    socket.fire('connect')
    live.setSubscription({ layers: ['traffic-loop'], bbox: [11.1, 44, 12, 45] })
    live.setSubscription({ layers: ['traffic-loop'], bbox: [11.2, 44, 12, 45] })
    expect(socket.subscribes).toHaveLength(1)
    vi.advanceTimersByTime(500)
    expect(socket.subscribes).toHaveLength(2)
    expect(socket.subscribes[1]?.bbox).toEqual([11.2, 44, 12, 45])
  })

  it('ignores frames that do not match the contract', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { live, log } = connect()
    live.setSubscription({ layers: ['traffic-loop'] })
    socket.fire('connect')
    socket.fire('live:snapshot', { cursor: 'nope' })
    socket.fire('live:heartbeat', { serverTimeMs: 'x' })
    expect(log).toEqual(['connected'])
  })
})
