/** The measuring Socket.IO client of the ingest benchmark: latency from the monotonic seq, duplicates, final state. */
import { io as connect, type Socket } from 'socket.io-client'
import { signInAdmin } from '../../tests/helpers/staff-session'
import { PROTOCOL_VERSION, type Delta } from '../../contracts/events'

const nowUs = () => Number(process.hrtime.bigint() / 1000n)

// ------------------------------------------------------------------------------------------
// the measuring client
// ------------------------------------------------------------------------------------------

export class Recorder {
  lat: number[] = []
  delivered = 0
  dup = 0
  last = new Map<string, number>()
  reset() {
    this.lat = []
    this.delivered = 0
    this.dup = 0
  }
  see(deviceId: string, seq: number) {
    const prev = this.last.get(deviceId)
    if (prev !== undefined && seq <= prev) {
      this.dup++
      return
    }
    this.last.set(deviceId, seq)
    this.delivered++
    this.lat.push((nowUs() - seq) / 1000)
  }
  pct(p: number): number {
    if (this.lat.length === 0) return NaN
    const s = [...this.lat].sort((a, b) => a - b)
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
  }
}

/** A live client signed in as the benchmark's administrator (GEMELLO_ADMIN_* in the SUT's environment). */
export async function gemelloClient(url: string, rec: Recorder, cadenceMs: number): Promise<Socket> {
  const cookie = await signInAdmin(url)
  return new Promise((resolve) => {
    const s = connect(`${url}/live`, { auth: { protocolVersion: PROTOCOL_VERSION }, transports: ['websocket'], extraHeaders: { cookie } })
    s.on('live:delta', (d: Delta) => {
      for (const st of d.states) if (st.deviceId.startsWith('bench-') && st.seq !== null) rec.see(st.deviceId, st.seq)
    })
    s.on('connect', () => s.emit('live:subscribe', { layers: ['traffic-loop'], cadenceMs }, () => resolve(s)))
  })
}

export function bareClient(url: string, rec: Recorder): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect(url, { transports: ['websocket'] })
    s.on('bare', (rows: Array<[string, number]>) => {
      for (const [d, q] of rows) rec.see(d, q)
    })
    s.on('connect', () => resolve(s))
  })
}

