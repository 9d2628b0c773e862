import { describe, expect, it } from 'vitest'
import type { ChartPanel, Measure } from '../../../../contracts/theme-dashboard-api'
import { BOM, buildCsv, chartCsv, choroplethCsv, csvCell, exportFileName } from './csv-export'

const NO2: Measure = { id: 'no2', label: { it: 'Biossido di azoto', en: 'Nitrogen dioxide' }, unit: 'µg/m³', format: 'decimal', higherIsWorse: true }
const CASES: Measure = { id: 'open', label: { it: 'Segnalazioni aperte', en: 'Open reports' }, unit: null, format: 'integer', higherIsWorse: true }
const lines = (csv: string) => csv.slice(BOM.length).split('\r\n')

describe('panel CSV', () => {
  it('starts with a byte-order mark, ends every line with CRLF and quotes what RFC 4180 says', () => {
    const csv = buildCsv(['a', 'b'], [['x, y', 'say "hi"'], ['two\nlines', ' padded']])
    expect(csv.startsWith(BOM)).toBe(true)
    expect(csv.slice(BOM.length)).toBe('a,b\r\n"x, y","say ""hi"""\r\n"two\nlines"," padded"\r\n')
  })
  it('puts an apostrophe before text a spreadsheet would run as a formula, never before numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('+39 051')).toBe("'+39 051")
    expect(csvCell('-cmd')).toBe("'-cmd")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tx')).toBe("'\tx")
    expect(csvCell(-3.5)).toBe('-3.5')
    expect(csvCell('-3.5')).toBe('-3.5')
    expect(csvCell(null)).toBe('')
    expect(csvCell(Number.NaN)).toBe('')
  })
  it('writes a choropleth as code, name and each measure, one row per area, empty where there is no data', () => {
    const rows = [
      { areaId: '1', code: '01', name: 'Borgo Panigale-Reno', values: { open: 4, no2: 31.25 } },
      { areaId: '2', code: '02', name: '=Navile', values: { open: null, no2: null } },
    ]
    expect(lines(choroplethCsv(rows, [CASES, NO2], 'it', { code: 'Codice', name: 'Nome' }))).toEqual(['Codice,Nome,Segnalazioni aperte,Biossido di azoto (µg/m³)', '01,Borgo Panigale-Reno,4,31.25', "02,'=Navile,,", ''])
  })
  it('writes a chart as x and one column per series: days in Rome’s calendar, hours as numbers, categories by label', () => {
    const day = (d: number) => Date.UTC(2025, 0, d) - 3_600_000 // Rome's midnight in winter (UTC+1)
    const time: ChartPanel = { kind: 'chart', id: 'no2-daily', title: { it: 't', en: 't' }, chart: 'line', xKind: 'time', xLabel: { it: 'Giorno', en: 'Day' }, measureId: 'no2', references: [], note: null,
      series: [{ id: 'a', label: { it: 'Porta San Felice', en: 'Porta San Felice' }, points: [{ x: day(2), y: 40 }, { x: day(1), y: null }] }, { id: 'b', label: { it: 'Giardini Margherita', en: 'Giardini Margherita' }, points: [{ x: day(1), y: 20.5 }] }] }
    expect(lines(chartCsv(time, NO2, 'en'))).toEqual(['Day,Porta San Felice (µg/m³),Giardini Margherita (µg/m³)', '2025-01-01,,20.5', '2025-01-02,40,', ''])
    const hour: ChartPanel = { ...time, xKind: 'hour', xLabel: { it: 'Ora', en: 'Hour' }, series: [{ id: 'a', label: { it: 'Flusso', en: 'Flow' }, points: [{ x: 8, y: 1200 }] }] }
    const h = lines(chartCsv(hour, undefined, 'it'))
    expect(h).toHaveLength(26) // header, 0–23, and the final CRLF
    expect(h[9]).toBe('8,1200')
    const cat: ChartPanel = { ...time, xKind: 'category', categories: [{ key: 'buca', label: { it: 'Buca stradale', en: 'Pothole' } }], series: [{ id: 'n', label: { it: 'Segnalazioni', en: 'Reports' }, points: [{ x: 'buca', y: 7 }, { x: 'altro', y: 1 }] }] }
    expect(lines(chartCsv(cat, CASES, 'en'))).toEqual(['Day,Reports', 'Pothole,7', 'altro,1', ''])
  })
  it('names the file after the dashboard and the panel', () => {
    expect(exportFileName('cases', 'by-area', 'csv')).toBe('cases-by-area.csv')
    expect(exportFileName('mobility', 'flow/hour 1', 'png')).toBe('mobility-flow-hour-1.png')
  })
})
