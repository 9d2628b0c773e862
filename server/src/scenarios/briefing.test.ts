import { describe, expect, it } from 'vitest'
import { ScenarioEstimateSchema, type EstimateLinkFeature, type ScenarioEstimateDto, type ScenarioVersion } from '../../../contracts/scenario-api'
import { ScenarioSchema, type ScenarioInput } from '../../../contracts/schemas/scenario'
import { describeEdit, renderBriefing, type BriefingInput } from './briefing'

const HOSTILE = '<script>alert("x")</script>'
const kpis = (k: number) => ({ vehKm: 123_456.7 * k, vehHours: 4_321 * k, meanSpeedKmh: 28.6 / k, delayVehHours: 900 * k, unservedVehH: 0, linksOverCapacity: Math.round(40 * k), co2Kg: 21_000 * k, noxKg: 55.5 * k, pm25Kg: 1.25 * k })
const delta = (b: number, s: number) => ({ base: b, scenario: s, delta: s - b, percent: b === 0 ? null : ((s - b) / b) * 100 })

function version(doc: Partial<ScenarioInput> = {}): ScenarioVersion {
  return {
    id: 'via-costa-works',
    version: 3,
    author: 'plan-neri',
    createdAtMs: Date.UTC(2025, 2, 10, 9, 30),
    note: 'works moved to the night',
    document: ScenarioSchema.parse({
      id: 'via-costa-works',
      title: 'Works on via Andrea Costa',
      base: { kind: 'observed', date: '2024-03-15', hour: 8 },
      edits: [
        { kind: 'close-road', edges: ['e1', 'e2'], fromHour: 7, toHour: 10, note: 'gas main', source: { pmoSiteId: 'PMO-12' } },
        { kind: 'speed-limit', edges: ['e9'], speedKmh: 30 },
        { kind: 'signal-plan', controllerId: '201', planId: 'day', version: 4 },
        { kind: 'close-road', edges: ['e3'], fromHour: 20, toHour: 22 },
      ],
      assumptions: ['The detour is signed at via Saffi'],
      ...doc,
    }),
  }
}

function estimate(over: Partial<ScenarioEstimateDto> = {}): ScenarioEstimateDto {
  const b = kpis(1)
  const s = kpis(1.1)
  return ScenarioEstimateSchema.parse({
    scenario: { id: 'via-costa-works', version: 3, title: 'Works on via Andrea Costa', network: 'city', base: { kind: 'observed', date: '2024-03-15', hour: 8 } },
    hour: 8,
    calibration: { fitShare: 0.38, fits: false, meanGeh: 11.6, rmseVehH: 522, loops: [{ deviceId: 'loop-1', roadEdgeId: 'e1', position: [11.31, 44.49], countedVehH: 800, assignedVehH: 790, geh: 0.35 }, { deviceId: 'loop-2', roadEdgeId: 'e9', position: [11.33, 44.5], countedVehH: 900, assignedVehH: 300, geh: 24.5 }], window: { fromDate: '2024-03-15', untilDate: '2024-03-15', days: 1, dayType: 'weekday', hour: 8 } },
    base: b,
    result: s,
    compare: Object.fromEntries(Object.keys(b).map((k) => [k, delta(b[k as keyof typeof b], s[k as keyof typeof s])])),
    assignment: { algorithm: 'conjugate Frank-Wolfe', iterations: 16, relativeGap: 8e-5, converged: true, zones: 194, links: 11589, demandVehH: 47_857, scenarioDemandVehH: 47_857 },
    problems: [{ edit: 1, kind: 'speed-limit', message: 'edge e9 is not in the network' }],
    unsupported: [{ edit: 2, kind: 'signal-plan', message: 'signal plans are verified in SUMO' }],
    inactiveEdits: [3],
    durationMs: 1200,
    computedAtMs: Date.UTC(2025, 2, 10, 9, 31),
    ...over,
  })
}

const link = (edgeId: string, coords: Array<[number, number]>, base: number, flow: number, o: Partial<EstimateLinkFeature['properties']> = {}): EstimateLinkFeature => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates: coords },
  properties: { edgeId, reverse: false, roadClass: 'primary', name: null, baseFlowVehH: base, flowVehH: flow, deltaVehH: flow - base, baseVc: 0.5, vc: 0.5, baseTimeS: 10, timeS: 10, closed: false, ...o },
})

function input(over: Partial<BriefingInput> = {}): BriefingInput {
  return {
    version: version(),
    status: 'published',
    estimate: estimate(),
    links: [
      link('e1', [[11.30, 44.48], [11.31, 44.49]], 900, 0, { name: 'Via Andrea Costa', closed: true }),
      // Closed by the active closure, though the link does not say so.
      link('e2', [[11.31, 44.49], [11.32, 44.49]], 700, 0, { name: 'Via Andrea Costa' }),
      link('e5', [[11.32, 44.49], [11.34, 44.51]], 300, 1100, { name: 'Via Saffi' }),
      link('e5', [[11.34, 44.51], [11.32, 44.49]], 250, 260, { name: 'Via Saffi', reverse: true }),
      link('e6', [[11.30, 44.50], [11.33, 44.50]], 500, 150, { name: 'Via Emilia Ponente' }),
    ],
    attributions: [{ text: '© OpenStreetMap contributors', licence: 'ODbL-1.0', url: 'https://www.openstreetmap.org/copyright' }, { text: 'Comune di Bologna', licence: 'CC-BY-4.0', url: 'javascript:alert(1)' }],
    generatedAtMs: Date.UTC(2025, 2, 11, 8, 0),
    lang: 'en',
    ...over,
  }
}

describe('the briefing', () => {
  it('escapes every text a person typed: title, note, assumptions, edit notes', () => {
    const page = renderBriefing(input({ version: { ...version({ title: HOSTILE, assumptions: [`a ${HOSTILE}`], edits: [{ kind: 'bus-lane', edges: ['e5'], note: HOSTILE }] }), note: `"><img src=x onerror=alert(1)>` } }))
    expect(page).not.toMatch(/<script/i)
    expect(page).not.toMatch(/<img/i)
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
  })

  it('loads nothing: no script, no external stylesheet, font or image; a link only for http(s) attributions', () => {
    const page = renderBriefing(input())
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i)
    expect(page).toContain('<a href="https://www.openstreetmap.org/copyright">')
    expect(page).not.toContain('javascript:')
    expect(page).toContain('Comune di Bologna — CC-BY-4.0')
  })

  it('prints on A4', () => {
    const page = renderBriefing(input())
    expect(page).toMatch(/@page \{ size: A4;/)
    expect(page).toMatch(/@media print \{/)
  })

  it('tabulates each KPI with base, scenario, Δ and %', () => {
    const page = renderBriefing(input())
    expect(page).toContain('<tr><td>Vehicle-km</td><td>123,457</td><td>135,802</td><td class="up">+12,346</td><td class="up">+10.0 %</td></tr>')
    expect(page).toContain('<tr><td>Mean speed, km/h</td><td>28.6</td><td>26.0</td><td class="down">−2.6</td><td class="down">−9.1 %</td></tr>')
    expect(page).toMatch(/<tr><td>Unserved demand, veh\/h<\/td><td>0<\/td><td>0<\/td><td class="">0<\/td><td class="">—<\/td><\/tr>/)
  })

  it('shows a figure that is not a number as a dash', () => {
    const e = estimate()
    const page = renderBriefing(input({ estimate: { ...e, compare: { ...e.compare, vehHours: { base: 4321, scenario: Number.NaN, delta: Number.NaN, percent: Number.NaN } } } }))
    expect(page).toContain('<tr><td>Vehicle-hours</td><td>4,321</td><td>—</td><td class="">—</td><td class="">—</td></tr>')
  })

  it('shows the fit badge: the model does not fit yet, with the share of loops under GEH 5 and the mean GEH', () => {
    const page = renderBriefing(input())
    expect(page).toContain('<span class="badge no">The model does not fit yet</span> GEH &lt; 5 for 38 % of 2 counted loops')
    expect(page).toContain('mean GEH 11.6, RMSE 522 veh/h. <span class="muted">(counts of 2024-03-15)</span>')
    const fits = renderBriefing(input({ estimate: estimate({ calibration: { ...estimate().calibration, fitShare: 0.9, fits: true } }) }))
    expect(fits).toContain('<span class="badge ok">The model fits</span>')
  })

  it('lists the edits in words with street names, and what the estimate did not model', () => {
    const page = renderBriefing(input())
    expect(page).toContain('Close Via Andrea Costa (2 road links) from 7:00 to 10:00 (from PMO work site PMO-12) — <em>gas main</em>')
    expect(page).toContain('Speed limit 30 km/h on e9 (1 road link)<br><span class="flag">Problem: edge e9 is not in the network</span>')
    expect(page).toContain('Signal plan day version 4 at controller 201<br><span class="flag">Not modelled by the estimate: signal plans are verified in SUMO</span>')
    expect(page).toContain('from 20:00 to 22:00<br><span class="flag">Not active at this hour</span>')
    expect(page).toContain('<li>The detour is signed at via Saffi</li>')
  })

  it('says who wrote which version, its status and when', () => {
    const page = renderBriefing(input())
    expect(page).toContain('<dt>Version</dt><dd>3</dd><dt>Status</dt><dd>published</dd><dt>Author</dt><dd>plan-neri</dd>')
    // Dates in Rome time, as the locale writes them (ICU versions differ in commas).
    expect(page).toMatch(/<dt>Saved<\/dt><dd>10 March 2025,? (at )?10:30<\/dd>/)
    expect(page).toMatch(/<dt>Base<\/dt><dd>Counts of Friday,? 15 March 2024, 8:00–9:00<\/dd>/)
    expect(page).toContain('<dt>Note</dt><dd>works moved to the night</dd>')
  })

  it('draws the links on a diverging palette, both directions summed, closures dashed, loops by fit', () => {
    const page = renderBriefing(input())
    const svg = /<svg class="map"[\s\S]*?<\/svg>/.exec(page)![0]
    // Via Saffi: 550 → 1360 veh/h over both directions (+810: the strongest red), width of ≥ 1200.
    expect(svg).toMatch(/<path d="M[^"]+" stroke="#b2182b" stroke-width="3.6"\/>/)
    // Via Emilia: −350 (the middle blue), width < 200.
    expect(svg).toMatch(/<path d="M[^"]+" stroke="#4393c3" stroke-width="0.5"\/>/)
    // The closed links: one dashed black path with both of them.
    expect(svg).toMatch(/<path d="M[^"L]+L[^"M]+M[^"L]+L[^"]+" stroke="#111111" stroke-width="1.6" stroke-dasharray="4 3"\/>/)
    expect(svg.match(/<circle /g)).toHaveLength(2)
    expect(svg).toContain('fill="#1a9850"><title>loop-1: GEH 0.4</title>')
    expect(svg).toMatch(/\d km<\/text>/)
  })

  it('speaks Italian, with Italian numbers and dates', () => {
    const page = renderBriefing(input({ lang: 'it' }))
    expect(page).toContain('<html lang="it">')
    expect(page).toContain('<span class="badge no">Il modello non è ancora calibrato</span>')
    expect(page).toContain('<tr><td>Veicoli·km</td><td>123.457</td><td>135.802</td><td class="up">+12.346</td><td class="up">+10,0 %</td></tr>')
    expect(page).toContain('<dt>Stato</dt><dd>pubblicato</dd>')
    expect(page).toMatch(/Conteggi di venerdì,? 15 marzo 2024, 8:00–9:00/)
    expect(page).toContain('Chiusura di Via Andrea Costa (2 archi stradali) dalle 7:00 alle 10:00')
  })
})

describe('edits in words', () => {
  it('names a partial closure, a demand factor by district and a generator', () => {
    expect(describeEdit({ kind: 'close-road', edges: ['a'], lanesClosed: 1 }, 'en')).toBe('Close 1 lane of a (1 road link)')
    expect(describeEdit({ kind: 'scale-demand', factor: 1.1, districts: ['Navile', 'Reno'] }, 'en')).toBe('Demand × 1.10 for trips from or to Navile, Reno')
    expect(describeEdit({ kind: 'scale-demand', factor: 0.9 }, 'it')).toBe('Domanda × 0,90 ovunque')
    expect(describeEdit({ kind: 'generator', name: 'Stadio', position: [11.3, 44.49], producedVehH: 1500, attractedVehH: 0 }, 'en')).toBe('New trips at “Stadio”: 1,500 veh/h produced, 0 veh/h attracted')
    expect(describeEdit({ kind: 'bus-lane', edges: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'en')).toBe('Bus lane on a, b, c, d and 2 more (6 road links) (one lane taken from general traffic)')
  })
})
