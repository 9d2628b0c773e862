/**
 * Demand per signal group from the loop counts (signal-demand.ts), on readings written through the
 * ingest's write path and rolled up by the rollup job: the mean at a Rome-local hour over the days
 * of one type in the window — across the March and October clock changes and around holidays —
 * and the loop ↔ detector ↔ lane links: own lanes, a shared approach, a loop on two lanes, two
 * groups on one lane, two loops on one lane, no loop. Every expected value is computed here from
 * the generator with the Rome offsets written out (UTC+1, UTC+2 from 30 March to 26 October 2025).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignalControllerSchema, type SignalController, type SignalGroupInput } from '../../../contracts/schemas/signal-plan'
import { createTestDb, type TestDb } from '../../../tests/helpers/test-db'
import { runRollups } from '../jobs/rollup-job'
import { writeBatch, type ValidReading } from './readings'
import { groupDemand, romeHourStarts, type DemandQuery, type GroupDemandRow } from './signal-demand'

const HOUR = 3_600_000
const DAY = 86_400_000

let t: TestDb
const write = (readings: ValidReading[]) => t.db.transaction((tx) => writeBatch(tx, { readings, quarantine: [], registrations: [] }))
const rollAll = async () => {
  for (let i = 0; i < 500; i++) {
    const r = await t.db.transaction((tx) => runRollups(tx))
    if (r.queueRows === 0) return
  }
  throw new Error('the rollup queue did not drain')
}

// ── The counts ─────────────────────────────────────────────────────────────────────────────────
// One reading per UTC hour, at half past, counting the hour (as the open data does). The value says
// which UTC hour and day it is, so a wrong hour or a wrong day changes the mean:
//   base + 10 × UTC hour + 2 × days since 2025-03-01 + 1000 on a Saturday or Sunday (UTC date).
const BASE: Record<string, number> = { 'loop-1': 300, 'loop-2': 500, 'loop-3': 700, 'loop-4': 900, 'loop-7a': 1100, 'loop-7b': 1300, 'loop-9': 1500 }
const EPOCH = Date.UTC(2025, 2, 1)
function value(deviceId: string, hourMs: number): number {
  const d = new Date(hourMs)
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6
  return (BASE[deviceId] ?? 0) + 10 * d.getUTCHours() + 2 * Math.floor((hourMs - EPOCH) / DAY) + (weekend ? 1000 : 0)
}
/** Rome midnight 3 March 2025 (CET) … Rome midnight 28 April 2025 (CEST): eight whole weeks. */
const SPRING: [number, number] = [Date.parse('2025-03-02T23:00:00Z'), Date.parse('2025-04-27T22:00:00Z')]
/** Rome midnight 3 March … 24 March 2025: the other loops of the main controller (the weeks its tests read). */
const MARCH: [number, number] = [SPRING[0], Date.parse('2025-03-23T23:00:00Z')]
/** 20–26 October 2025 in Rome: the week ending with the 25-hour Sunday. */
const AUTUMN: [number, number] = [Date.parse('2025-10-19T22:00:00Z'), Date.parse('2025-10-26T23:00:00Z')]

/** The UTC instant of `hour`:00 in Rome on `date`, with the offsets written out (not for the changeover hours). */
const romeToUtc = (date: string, hour: number) => Date.parse(`${date}T00:00:00Z`) + hour * HOUR - (date >= '2025-03-30' && date < '2025-10-26' ? 2 : 1) * HOUR
/** Calendar dates from `from` to `until`, inclusive. */
function dates(from: string, until: string): string[] {
  const out: string[] = []
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${until}T00:00:00Z`); ms += DAY) out.push(new Date(ms).toISOString().slice(0, 10))
  return out
}
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1
const HOLIDAYS_2025 = new Set(['2025-04-21', '2025-04-25']) // Easter Monday, Liberation Day
const weekdays = (from: string, until: string) => dates(from, until).filter((d) => isoWeekday(d) <= 5 && !HOLIDAYS_2025.has(d))
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
/** A loop's expected flow: its mean at Rome `hour` over `days`. */
const loopMean = (deviceId: string, days: string[], hour: number) => mean(days.map((d) => value(deviceId, romeToUtc(d, hour))))

// ── The network: lanes, detectors, loops ───────────────────────────────────────────────────────
// E1: loop-1 counts both lanes (detectors d1a on E1_0, d1b on E1_1).
// E3: loop-3 sits on E3_0, a lane no group lists (say, a bus lane): groups on E3 share it by lanes.
// E4: loop-4 counts both lanes; G4a lists E4_0 and E4_1, G4b lists E4_1 only (a shared left/through lane).
// E6: only a detector without a loop (d6, unlinked), and in another network a detector linked to loop-1.
// E7: two loops on the one lane.
// E9: loop-9, counted only in October.
const LANES = ['E1_0', 'E1_1', 'E3_0', 'E3_1', 'E3_2', 'E3_3', 'E4_0', 'E4_1', 'E6_0', 'E7_0', 'E9_0']
const DETECTORS: Array<[network: string, id: string, lane: string, device: string | null]> = [
  ['net-t', 'd1a', 'E1_0', 'loop-1'],
  ['net-t', 'd1b', 'E1_1', 'loop-1'],
  ['net-t', 'd3', 'E3_0', 'loop-3'],
  ['net-t', 'd4a', 'E4_0', 'loop-4'],
  ['net-t', 'd4b', 'E4_1', 'loop-4'],
  ['net-t', 'd6', 'E6_0', null],
  ['net-t', 'd7a', 'E7_0', 'loop-7a'],
  ['net-t', 'd7b', 'E7_0', 'loop-7b'],
  ['net-t', 'd9', 'E9_0', 'loop-9'],
  ['net-other', 'x6', 'E6_0', 'loop-1'],
]

const group = (id: string, approach: string | null, lanes: string[], type: SignalGroupInput['type'] = 'vehicle'): SignalGroupInput => ({ id, name: id, type, approach, lanes })
function controllerOf(id: string, groups: SignalGroupInput[]): SignalController {
  return SignalControllerSchema.parse({
    id,
    name: `Incrocio ${id}`,
    networkId: 'net-t',
    signalGroups: groups,
    conflicts: groups.map(() => '.'.repeat(groups.length)),
    intergreen: {},
    startup: null,
  })
}
const MAIN = controllerOf('900', [
  group('G1', 'E1', ['E1_0', 'E1_1']),
  group('G3a', 'E3', ['E3_1', 'E3_2']),
  group('G3b', 'E3', ['E3_3']),
  group('G4a', 'E4', ['E4_0', 'E4_1']),
  group('G4b', 'E4', ['E4_1']),
  group('G6', 'E6', ['E6_0']),
  group('G7', 'E7', ['E7_0']),
  group('P1', null, [], 'pedestrian'),
])
const ONLY_G1 = controllerOf('901', [group('G1', 'E1', ['E1_0', 'E1_1'])])
const AUTUMN_CTRL = controllerOf('902', [group('G9', 'E9', ['E9_0'])])

beforeAll(async () => {
  t = await createTestDb()
  await t.db.query(
    `INSERT INTO sumo_network (id, dataset, file, net_offset_x, net_offset_y, proj, conv_boundary)
     SELECT n, 'test', 'test.net.xml', 0, 0, '+proj=longlat', '{0,0,1,1}' FROM unnest($1::text[]) AS n`,
    [['net-t', 'net-other']],
  )
  await t.db.query(
    `INSERT INTO sumo_lane (network_id, id, edge_id, idx, speed_ms, length_m, geom)
     SELECT n, l, regexp_replace(l, '_[0-9]+$', ''), 0, 13.9, 100, ST_SetSRID(ST_MakeLine(ST_MakePoint(11.34, 44.49), ST_MakePoint(11.341, 44.49)), 4326)
     FROM unnest($1::text[]) AS l CROSS JOIN unnest($2::text[]) AS n`,
    [LANES, ['net-t', 'net-other']],
  )
  await t.db.query(
    `INSERT INTO sumo_detector (network_id, id, lane_id, pos_m, file, device_id, geom)
     SELECT n, i, l, 10, 'test.add.xml', d, ST_SetSRID(ST_MakePoint(11.34, 44.49), 4326) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(n, i, l, d)`,
    [DETECTORS.map((d) => d[0]), DETECTORS.map((d) => d[1]), DETECTORS.map((d) => d[2]), DETECTORS.map((d) => d[3])],
  )
  await t.db.query(
    `INSERT INTO device (id, kind, name, geom, expected_interval_s, source)
     SELECT id, 'traffic-loop', id, ST_SetSRID(ST_MakePoint(11.34, 44.49), 4326), 3600, 'generated' FROM unnest($1::text[]) AS id`,
    [Object.keys(BASE)],
  )
  const readings: ValidReading[] = []
  let seq = 1
  const hourly = (deviceId: string, [from, to]: [number, number]) => {
    for (let h = from; h < to; h += HOUR) {
      const at = h + 30 * 60_000
      readings.push({ deviceId, kind: 'traffic-loop', stream: 'traffic', shape: 'traffic', seq: seq++, observedAtMs: at, receivedAtMs: at + 1000, quality: 'good', values: { flowVehH: value(deviceId, h), occupancyPct: 10, speedKmh: 40, intervalS: 3600, lane: null } })
    }
  }
  hourly('loop-1', SPRING)
  for (const id of ['loop-3', 'loop-4', 'loop-7a', 'loop-7b']) hourly(id, MARCH)
  hourly('loop-9', AUTUMN)
  for (let i = 0; i < readings.length; i += 1000) await write(readings.slice(i, i + 1000))
  await rollAll()
})
afterAll(async () => {
  await t?.drop()
})

const byGroup = (rows: GroupDemandRow[]) => new Map(rows.map((r) => [r.groupId, r]))
const WEEKDAY_8: DemandQuery = { weeks: 2, untilDate: '2025-03-21', dayType: 'weekday', hour: 8 }

describe('the mean at a Rome hour over the days of a type', () => {
  it('averages the weekdays of the window only, at the Rome-local hour', async () => {
    const r = await groupDemand(t.db, ONLY_G1, 'net-t', WEEKDAY_8)
    const days = weekdays('2025-03-08', '2025-03-21')
    expect(days).toHaveLength(10)
    expect(r.window).toEqual({ fromDate: '2025-03-08', untilDate: '2025-03-21', days: 10, dayType: 'weekday', hour: 8 })
    const g1 = r.demand[0]!
    expect(g1.flowVehH).toBeCloseTo(loopMean('loop-1', days, 8), 9)
    // 08:00 in Rome is 07:00 UTC in winter: 300 + 70 + 2·(day) — never a weekend's +1000
    expect(g1.flowVehH).toBeLessThan(BASE['loop-1']! + 100 + 2 * 21)
    const sat = await groupDemand(t.db, ONLY_G1, 'net-t', { ...WEEKDAY_8, dayType: 'saturday' })
    expect(sat.window?.days).toBe(2)
    expect(sat.demand[0]!.flowVehH).toBeCloseTo(loopMean('loop-1', ['2025-03-08', '2025-03-15'], 8), 9)
    expect(sat.demand[0]!.loops.map((l) => l.samples)).toEqual([2, 2])
  })

  it('follows Rome time across the March clock change: 08:00 is 07:00 UTC, then 06:00 UTC', async () => {
    const r = await groupDemand(t.db, ONLY_G1, 'net-t', { weeks: 2, untilDate: '2025-04-04', dayType: 'weekday', hour: 8 })
    const days = weekdays('2025-03-22', '2025-04-04')
    expect(days).toHaveLength(10)
    const expected = mean(days.map((d) => value('loop-1', Date.parse(`${d}T0${d < '2025-03-30' ? 7 : 6}:00:00Z`))))
    expect(r.demand[0]!.flowVehH).toBeCloseTo(expected, 9)
    // a fixed UTC+1 would read 07:00 UTC all along: 5 of 10 days 10 veh/h higher
    expect(mean(days.map((d) => value('loop-1', Date.parse(`${d}T07:00:00Z`)))) - expected).toBeCloseTo(5, 9)
  })

  it('has no 02:00 on the Sunday clocks go forward: that day is not a sample', async () => {
    const r = await groupDemand(t.db, ONLY_G1, 'net-t', { weeks: 2, untilDate: '2025-03-30', dayType: 'sunday', hour: 2 })
    expect(r.window).toMatchObject({ fromDate: '2025-03-17', days: 2 })
    expect(r.demand[0]!.loops[0]!.samples).toBe(1)
    expect(r.demand[0]!.flowVehH).toBeCloseTo(value('loop-1', Date.parse('2025-03-23T01:00:00Z')), 9)
    // 03:00 that day is 01:00 UTC
    const three = await groupDemand(t.db, ONLY_G1, 'net-t', { weeks: 1, untilDate: '2025-03-30', dayType: 'sunday', hour: 3 })
    expect(three.demand[0]!.flowVehH).toBeCloseTo(value('loop-1', Date.parse('2025-03-30T01:00:00Z')), 9)
  })

  it('takes both 02:00 hours of the Sunday clocks go back as that day’s one sample', async () => {
    const r = await groupDemand(t.db, AUTUMN_CTRL, 'net-t', { weeks: 1, untilDate: '2025-10-26', dayType: 'sunday', hour: 2 })
    expect(r.window).toEqual({ fromDate: '2025-10-20', untilDate: '2025-10-26', days: 1, dayType: 'sunday', hour: 2 })
    expect(r.demand[0]!.loops).toEqual([{ deviceId: 'loop-9', detectorId: 'd9', laneId: 'E9_0', samples: 1 }])
    expect(r.demand[0]!.flowVehH).toBeCloseTo(mean([value('loop-9', Date.parse('2025-10-26T00:00:00Z')), value('loop-9', Date.parse('2025-10-26T01:00:00Z'))]), 9)
    // and the weekdays before it, 08:00 CEST = 06:00 UTC
    const wd = await groupDemand(t.db, AUTUMN_CTRL, 'net-t', { weeks: 1, untilDate: '2025-10-26', dayType: 'weekday', hour: 8 })
    expect(wd.demand[0]!.flowVehH).toBeCloseTo(mean(weekdays('2025-10-20', '2025-10-24').map((d) => value('loop-9', Date.parse(`${d}T06:00:00Z`)))), 9)
  })

  it('counts a public holiday as a Sunday (Easter Monday and 25 April 2025)', async () => {
    const q: DemandQuery = { weeks: 1, untilDate: '2025-04-27', dayType: 'weekday', hour: 8 }
    const wd = await groupDemand(t.db, ONLY_G1, 'net-t', q)
    expect(wd.window?.days).toBe(3)
    expect(wd.demand[0]!.flowVehH).toBeCloseTo(loopMean('loop-1', ['2025-04-22', '2025-04-23', '2025-04-24'], 8), 9)
    const sun = await groupDemand(t.db, ONLY_G1, 'net-t', { ...q, dayType: 'sunday' })
    expect(sun.window?.days).toBe(3)
    expect(sun.demand[0]!.flowVehH).toBeCloseTo(loopMean('loop-1', ['2025-04-21', '2025-04-25', '2025-04-27'], 8), 9)
  })

  it('reads the window [untilDate − 7·weeks + 1, untilDate] and nothing outside it', async () => {
    for (const weeks of [1, 2, 3]) {
      const r = await groupDemand(t.db, ONLY_G1, 'net-t', { weeks, untilDate: '2025-03-28', dayType: 'weekday', hour: 8 })
      const from = new Date(Date.parse('2025-03-28T00:00:00Z') - (weeks * 7 - 1) * DAY).toISOString().slice(0, 10)
      const days = weekdays(from, '2025-03-28')
      expect(r.window).toEqual({ fromDate: from, untilDate: '2025-03-28', days: 5 * weeks, dayType: 'weekday', hour: 8 })
      expect(r.demand[0]!.loops[0]!.samples).toBe(5 * weeks)
      expect(r.demand[0]!.flowVehH).toBeCloseTo(loopMean('loop-1', days, 8), 9)
    }
    // a window reaching before the first count: only the days with counts are samples
    const early = await groupDemand(t.db, ONLY_G1, 'net-t', { weeks: 4, untilDate: '2025-03-07', dayType: 'weekday', hour: 8 })
    expect(early.window).toMatchObject({ fromDate: '2025-02-08', days: 20 })
    expect(early.demand[0]!.loops[0]!.samples).toBe(5)
    expect(early.demand[0]!.flowVehH).toBeCloseTo(loopMean('loop-1', weekdays('2025-03-03', '2025-03-07'), 8), 9)
    // a window without counts: the loops are there, the flow is not
    const none = await groupDemand(t.db, ONLY_G1, 'net-t', { weeks: 1, untilDate: '2025-06-06', dayType: 'weekday', hour: 8 })
    expect(none.demand[0]).toMatchObject({ flowVehH: null, loops: [{ samples: 0 }, { samples: 0 }] })
  })

  it('ends the window by default on the newest Rome day with counts of these loops', async () => {
    const r = await groupDemand(t.db, ONLY_G1, 'net-t', { weeks: 1, dayType: 'weekday', hour: 8 })
    // the last reading is 21:30 UTC on 27 April = 23:30 in Rome; loop-9's October counts are not these loops'
    expect(r.window).toEqual({ fromDate: '2025-04-21', untilDate: '2025-04-27', days: 3, dayType: 'weekday', hour: 8 })
    expect((await groupDemand(t.db, AUTUMN_CTRL, 'net-t', { weeks: 1, dayType: 'sunday', hour: 2 })).window?.untilDate).toBe('2025-10-26')
  })

  it('answers from the rollups what raw history answers', async () => {
    for (const q of [WEEKDAY_8, { weeks: 8, untilDate: '2025-04-27', dayType: 'sunday', hour: 2 } as DemandQuery]) {
      const auto = await groupDemand(t.db, MAIN, 'net-t', q)
      // raw only; and rollups up to an hour of 18 March with raw after it (as if that were now)
      for (const other of [await groupDemand(t.db, MAIN, 'net-t', q, { source: 'raw' }), await groupDemand(t.db, MAIN, 'net-t', q, { nowMs: Date.parse('2025-03-18T06:30:00Z') })]) {
        expect(other.window).toEqual(auto.window)
        auto.demand.forEach((a, i) => {
          const b = other.demand[i]!
          expect(b.loops).toEqual(a.loops)
          if (a.flowVehH === null) expect(b.flowVehH).toBeNull()
          else expect(b.flowVehH).toBeCloseTo(a.flowVehH, 6)
        })
      }
    }
  })
})

describe('the loops of a group: loop ↔ detector ↔ lane', () => {
  let rows: Map<string, GroupDemandRow>
  const days = weekdays('2025-03-08', '2025-03-21')
  const F = (deviceId: string) => loopMean(deviceId, days, 8)
  beforeAll(async () => {
    rows = byGroup((await groupDemand(t.db, MAIN, 'net-t', WEEKDAY_8)).demand)
  })

  it('lists every group, in the controller’s order, with its lane count (at least 1)', () => {
    expect([...rows.values()].map((r) => [r.groupId, r.lanes])).toEqual([
      ['G1', 2],
      ['G3a', 2],
      ['G3b', 1],
      ['G4a', 2],
      ['G4b', 1],
      ['G6', 1],
      ['G7', 1],
      ['P1', 1],
    ])
  })

  it('counts a loop on the group’s own lanes once, though two detectors link it', () => {
    expect(rows.get('G1')).toEqual({
      groupId: 'G1',
      flowVehH: expect.closeTo(F('loop-1'), 9),
      lanes: 2,
      loops: [
        { deviceId: 'loop-1', detectorId: 'd1a', laneId: 'E1_0', samples: 10 },
        { deviceId: 'loop-1', detectorId: 'd1b', laneId: 'E1_1', samples: 10 },
      ],
    })
  })

  it('shares a loop on the approach among the approach’s groups by their lane counts', () => {
    const loops = [{ deviceId: 'loop-3', detectorId: 'd3', laneId: 'E3_0', samples: 10 }]
    expect(rows.get('G3a')).toMatchObject({ loops, flowVehH: expect.closeTo((F('loop-3') * 2) / 3, 9) })
    expect(rows.get('G3b')).toMatchObject({ loops, flowVehH: expect.closeTo(F('loop-3') / 3, 9) })
  })

  it('spreads a loop over the lanes it counts and splits a lane two groups use', () => {
    // loop-4 counts E4_0 and E4_1: half each; E4_1 is G4a's and G4b's
    expect(rows.get('G4a')!.flowVehH).toBeCloseTo(F('loop-4') * (1 / 2 + 1 / 4), 9)
    expect(rows.get('G4b')!.flowVehH).toBeCloseTo(F('loop-4') / 4, 9)
    expect(rows.get('G4b')!.loops).toEqual([{ deviceId: 'loop-4', detectorId: 'd4b', laneId: 'E4_1', samples: 10 }])
  })

  it('takes the mean of two loops on one lane (they count the same vehicles)', () => {
    expect(rows.get('G7')!.flowVehH).toBeCloseTo((F('loop-7a') + F('loop-7b')) / 2, 9)
    expect(rows.get('G7')!.loops.map((l) => l.deviceId)).toEqual(['loop-7a', 'loop-7b'])
  })

  it('has no flow and no loops without a linked detector of this network on its lanes or approach', () => {
    // E6_0 has an unlinked detector here and a linked one in another network
    expect(rows.get('G6')).toEqual({ groupId: 'G6', flowVehH: null, lanes: 1, loops: [] })
    expect(rows.get('P1')).toEqual({ groupId: 'P1', flowVehH: null, lanes: 1, loops: [] })
  })

  it('has no loops without a network, and no window without counts or an untilDate', async () => {
    const r = await groupDemand(t.db, MAIN, null, { weeks: 4, dayType: 'weekday', hour: 8 })
    expect(r.window).toBeNull()
    expect(r.demand.every((d) => d.flowVehH === null && d.loops.length === 0)).toBe(true)
    const only6 = controllerOf('903', [group('G6', 'E6', ['E6_0'])])
    expect((await groupDemand(t.db, only6, 'net-t', { weeks: 4, dayType: 'weekday', hour: 8 })).window).toBeNull()
    expect((await groupDemand(t.db, only6, 'net-t', { weeks: 1, untilDate: '2025-03-21', dayType: 'weekday', hour: 8 })).window).toMatchObject({ days: 5 })
  })
})

describe('Rome hours', () => {
  it('gives one UTC instant for an ordinary hour, none for the skipped one, two for the repeated one', () => {
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY
    expect(romeHourStarts(day('2025-03-29'), 8)).toEqual([Date.parse('2025-03-29T07:00:00Z')])
    expect(romeHourStarts(day('2025-03-30'), 2)).toEqual([])
    expect(romeHourStarts(day('2025-03-30'), 0)).toEqual([Date.parse('2025-03-29T23:00:00Z')])
    expect(romeHourStarts(day('2025-10-26'), 2)).toEqual([Date.parse('2025-10-26T00:00:00Z'), Date.parse('2025-10-26T01:00:00Z')])
    expect(romeHourStarts(day('2025-10-27'), 0)).toEqual([Date.parse('2025-10-26T23:00:00Z')])
  })
})
