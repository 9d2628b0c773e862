import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CITY_DATA_DIR } from '../../../tests/helpers/test-env'
import { corruptLikeCountsExport, LOOP_COUNTS_HEADER, loopCountsRow, makeTempDir, removeTempDirs, writeCsv } from '../testing/edge-case-files'
import { parseItalianDate, readLoopCounts } from './loop-counts'
import { BOLOGNA_ENVELOPE } from './row-checks'
import { loopPosition, parseGeopoint } from './loop-position'

afterAll(removeTempDirs)

const COUNTS = path.join(CITY_DATA_DIR, 'bologna-opendata/spire_conteggi_2024-01_04_costa_pasubio.csv')

describe('parseGeopoint', () => {
  it('reads "lat, lon" as [lon, lat] and refuses a number with thousands separators', () => {
    expect(parseGeopoint('44.4990522268361, 11.3086826273458')).toEqual([11.3086826273458, 44.4990522268361])
    expect(parseGeopoint('113.086.826.273.458')).toBeNull()
  })
})

describe('loopPosition', () => {
  it('detects thousands separators in longitudine/latitudine and uses geopoint', () => {
    const p = loopPosition('113.282.993.665.462', '444.937.079.783.006', '44.4937079783006, 11.3282993665462', BOLOGNA_ENVELOPE)
    expect(p.position).toEqual([11.3282993665462, 44.4937079783006])
    expect(p.columnsCorrupted).toBe(true)
    expect(p.note).toMatch(/corrupted .*the digits of geopoint with thousands separators inserted/)
  })

  it('does not trust plausible-looking columns over geopoint', () => {
    const p = loopPosition('11.35', '44.50', '44.4937079783006, 11.3282993665462', BOLOGNA_ENVELOPE)
    expect(p.position).toEqual([11.3282993665462, 44.4937079783006])
    expect(p.note).toMatch(/differ from geopoint by \d+ m/)
  })

  it('has no position when both are unusable', () => {
    const p = loopPosition('113.282.993', '444.937', 'n/a', BOLOGNA_ENVELOPE)
    expect(p.position).toBeNull()
    expect(p.problem).toMatch(/no usable position/)
  })
})

describe('parseItalianDate', () => {
  it('reads dd/mm/yyyy and refuses impossible dates', () => {
    expect(parseItalianDate('01/02/2024')).toBe('2024-02-01')
    expect(parseItalianDate('29/02/2024')).toBe('2024-02-29')
    expect(parseItalianDate('30/02/2024')).toBeNull()
    expect(parseItalianDate('2024-02-01')).toBeNull()
  })
})

describe.skipIf(!existsSync(COUNTS))('readLoopCounts on the 2024 Costa/Pasubio counts', () => {
  const result = readLoopCounts(COUNTS)

  it('detects the corrupted longitudine/latitudine on every row and reports it once per loop', () => {
    expect(result.rows).toBe(3323)
    expect(result.corruptedLonLatRows).toBe(3323)
    const notes = result.problems.filter((p) => p.problem.startsWith('kept: longitudine/latitudine are corrupted'))
    expect(notes).toHaveLength(84)
  })

  it('returns 84 loops keyed by id_uni with positions from geopoint', () => {
    expect(result.records).toHaveLength(84)
    const loop = result.byIdUni.get('166')
    expect(loop?.codiceSpira).toBe('0.127 2.10 8 1')
    expect(loop?.deviceId).toBe('loop-166')
    expect(loop?.position).toEqual([11.3282993665462, 44.4937079783006])
  })

  it('gives the 24 hourly counts of loop 166 on 1 February 2024', () => {
    const day = result.byIdUni.get('166')?.days.find((d) => d.date === '2024-02-01')
    expect(day?.counts).toEqual([10, 3, 2, 1, 2, 8, 35, 178, 196, 124, 139, 82, 109, 102, 124, 99, 142, 103, 126, 115, 68, 36, 42, 22])
    expect(day?.total).toBe(1868)
    expect(day?.isoWeekday).toBe(4)
  })

  it('keeps one codice spira for id_uni 296 and refuses the rows of the other', () => {
    const loop = result.byIdUni.get('296')
    expect(loop?.codiceSpira).toBe('2.30 2.30 6 1')
    expect(loop?.days).toHaveLength(60)
    expect(result.rejected).toBe(36)
    expect(result.problems.filter((p) => p.problem.startsWith('rejected:')).every((p) => p.id === '296')).toBe(true)
  })

  it('sorts each loop’s days', () => {
    for (const s of result.records) expect(s.days.map((d) => d.date)).toEqual([...s.days.map((d) => d.date)].sort())
  })
})

describe('readLoopCounts on a generated file with bad rows', () => {
  const dir = makeTempDir()
  const file = writeCsv(path.join(dir, 'counts.csv'), LOOP_COUNTS_HEADER, [
    loopCountsRow('1', '01/02/2024'), // line 2
    loopCountsRow('1', '02/02/2024', { '07:00-08:00': '' }), // line 3: empty count
    loopCountsRow('1', '03/02/2024', { '08:00-09:00': '12.5' }), // line 4: not whole
    loopCountsRow('1', '31/02/2024'), // line 5: no such date
    loopCountsRow('1', '01/02/2024'), // line 6: same loop and day again
    loopCountsRow('2', '01/02/2024', { geopoint: '', longitudine: corruptLikeCountsExport('11.34') }), // line 7: no position, counts kept
    loopCountsRow('3', '01/02/2024', { 'giorno settimana': 'Lunedì' }), // line 8: 1 Feb 2024 is a Thursday
  ])
  const result = readLoopCounts(file)
  const problemAt = (line: number) => result.problems.filter((p) => p.row === line).map((p) => p.problem)

  it('keeps the good rows per loop', () => {
    expect(result.byIdUni.get('1')?.days.map((d) => d.date)).toEqual(['2024-02-01'])
    expect(result.byIdUni.get('1')?.days[0]?.total).toBe(24 * 10 + 276)
    expect(result.byIdUni.get('2')?.position).toBeNull()
    expect(result.rejected).toBe(4)
  })

  it('reports each bad row', () => {
    expect(problemAt(3)).toEqual(['rejected: count 07:00-08:00 is empty, not a whole number of vehicles'])
    expect(problemAt(4)).toEqual(['rejected: count 08:00-09:00 is "12.5", not a whole number of vehicles'])
    expect(problemAt(5)).toEqual(['rejected: "31/02/2024" is not a date (dd/mm/yyyy)'])
    expect(problemAt(6)).toEqual(['rejected: second row for loop 1 on 2024-02-01 (first at line 2)'])
    expect(problemAt(7)).toEqual([expect.stringMatching(/^kept: no usable position.*counts are kept without a position/)])
    expect(problemAt(8)).toEqual(expect.arrayContaining([expect.stringMatching(/giorno settimana" says Lunedì but 2024-02-01 is a giovedì/)]))
  })
})
