/**
 * The briefing of a scenario version (docs/scenarios.md "The briefing"): one self-contained HTML page
 * that prints to an A4 PDF — the map of the estimate's links (Δ flow on a diverging palette, width by
 * flow, closures dashed, counted loops by fit), the KPIs of base and scenario with Δ and %, the fit
 * badge, the edits in words with what the estimate could not model, the assumptions, who wrote the
 * version and when, and the data's attributions. A pure function of the data, in Italian or English.
 *
 * Safe by construction: every interpolated value goes through the `h` template, which escapes it
 * (titles, notes and assumptions are user input); the page loads nothing (inline CSS, inline SVG, no
 * font, no image, no script), so it opens under the app's Content Security Policy and offline.
 */
import type { EstimateLinkFeature, ScenarioEstimateDto, ScenarioStatus, ScenarioVersion } from '../../../contracts/scenario-api'
import type { ScenarioBase, ScenarioEdit } from '../../../contracts/schemas/scenario'

export type BriefingLang = 'it' | 'en'
export interface BriefingInput {
  version: ScenarioVersion
  status: ScenarioStatus
  estimate: ScenarioEstimateDto
  links: readonly EstimateLinkFeature[]
  /** The loaded datasets' attributions (as /api/about lists them). */
  attributions: ReadonlyArray<{ text: string; licence: string; url: string | null }>
  generatedAtMs: number
  lang: BriefingLang
}

// ---- Safe HTML -------------------------------------------------------------------------------------

class Html {
  constructor(readonly text: string) {}
}
type Part = Html | string | number | null | undefined | false | readonly Part[]
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
const render = (p: Part): string => (p instanceof Html ? p.text : Array.isArray(p) ? p.map(render).join('') : p === null || p === undefined || p === false ? '' : escapeHtml(String(p)))
/** A template whose every interpolation is escaped, except Html made by this same template. */
function h(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!))
  return new Html(out)
}

// ---- Words -----------------------------------------------------------------------------------------

const KPI_WORDS: Record<string, { en: string; it: string; digits: number }> = {
  vehKm: { en: 'Vehicle-km', it: 'Veicoli·km', digits: 0 },
  vehHours: { en: 'Vehicle-hours', it: 'Veicoli·ora', digits: 0 },
  meanSpeedKmh: { en: 'Mean speed, km/h', it: 'Velocità media, km/h', digits: 1 },
  delayVehHours: { en: 'Delay, vehicle-hours', it: 'Ritardo, veicoli·ora', digits: 0 },
  unservedVehH: { en: 'Unserved demand, veh/h', it: 'Domanda non servita, veic/h', digits: 0 },
  linksOverCapacity: { en: 'Links over capacity', it: 'Archi oltre la capacità', digits: 0 },
  co2Kg: { en: 'CO₂, kg', it: 'CO₂, kg', digits: 0 },
  noxKg: { en: 'NOₓ, kg', it: 'NOₓ, kg', digits: 1 },
  pm25Kg: { en: 'PM2.5, kg', it: 'PM2.5, kg', digits: 2 },
}

const WORDS = {
  en: {
    briefing: 'Scenario briefing', version: 'Version', status: 'Status', author: 'Author', saved: 'Saved', note: 'Note', branched: 'Branched from',
    base: 'Base', hour: 'Hour estimated', computed: 'Estimate computed', generated: 'Briefing generated', statuses: { draft: 'draft', published: 'published', archived: 'archived' },
    map: 'Change in traffic flow', kpis: 'Key figures', kpi: 'Figure', baseCol: 'Base', scenarioCol: 'Scenario', delta: 'Δ', percent: '%',
    fit: 'Calibration', fits: 'The model fits', fitsNot: 'The model does not fit yet',
    fitLine: (share: string, n: number, mean: string, rmse: string) => `GEH < 5 for ${share} of ${n} counted loops (the model fits at ≥ 85 %), mean GEH ${mean}, RMSE ${rmse} veh/h.`,
    edits: 'Edits', noEdits: 'No edits: the scenario is the base.', problems: 'Problem', unsupported: 'Not modelled by the estimate', inactive: 'Not active at this hour',
    assumptions: 'Assumptions', noAssumptions: 'The author states no assumption.', method: 'Method', sources: 'Data sources',
    methodLine: (alg: string, it: number, gap: string, conv: boolean, zones: number, links: number, demand: string, sd: string) =>
      `${alg}: ${it} iterations, relative gap ${gap}${conv ? '' : ' (not converged)'}; ${zones} zones, ${links} links; demand ${demand} veh/h in the base, ${sd} veh/h in the scenario. Demand is estimated from the base's loop counts (a gravity prior adjusted to them); a static one-hour equilibrium, not a simulation.`,
    legendDelta: 'Δ flow, veh/h (both directions)', legendWidth: 'Line width: flow in the scenario', closed: 'closed', loopFit: 'loop, GEH < 5', loopMiss: 'loop, GEH ≥ 5', less: 'less', more: 'more',
    observed: (date: string, hh: string) => `Counts of ${date}, ${hh}`, typical: (dt: string, hh: string, range: string) => `Typical ${dt}, ${hh}${range}`,
    dayTypes: { weekday: 'weekday', saturday: 'Saturday', sunday: 'Sunday or holiday' }, from: 'from', to: 'to', window: (f: string, u: string, d: number) => (d === 1 && f === u ? `counts of ${f}` : `counts read from ${f} to ${u} (${d} days)`),
    links: (n: number) => (n === 1 ? '1 road link' : `${n} road links`), more2: (n: number) => `and ${n} more`,
    edit: {
      close: (what: string, lanes: number | undefined, when: string) => `${lanes ? `Close ${lanes} lane${lanes > 1 ? 's' : ''} of` : 'Close'} ${what}${when}`,
      when: (f: string, t: string) => ` from ${f} to ${t}`, speed: (what: string, v: number) => `Speed limit ${v} km/h on ${what}`,
      lanes: (what: string, n: number) => `${n} lane${n > 1 ? 's' : ''} for general traffic on ${what}`, bus: (what: string) => `Bus lane on ${what} (one lane taken from general traffic)`,
      signal: (c: string, p: string, v: number) => `Signal plan ${p} version ${v} at controller ${c}`,
      demand: (f: string, d: string | null) => `Demand × ${f} ${d ? `for trips from or to ${d}` : 'everywhere'}`,
      generator: (n: string, p: string, a: string) => `New trips at “${n}”: ${p} veh/h produced, ${a} veh/h attracted`,
      incident: (id: number) => `from incident ${id}`, pmo: (id: string) => `from PMO work site ${id}`,
    },
  },
  it: {
    briefing: 'Scheda di scenario', version: 'Versione', status: 'Stato', author: 'Autore', saved: 'Salvata', note: 'Nota', branched: 'Derivato da',
    base: 'Base', hour: 'Ora stimata', computed: 'Stima calcolata', generated: 'Scheda generata', statuses: { draft: 'bozza', published: 'pubblicato', archived: 'archiviato' },
    map: 'Variazione dei flussi di traffico', kpis: 'Indicatori', kpi: 'Indicatore', baseCol: 'Base', scenarioCol: 'Scenario', delta: 'Δ', percent: '%',
    fit: 'Calibrazione', fits: 'Il modello è calibrato', fitsNot: 'Il modello non è ancora calibrato',
    fitLine: (share: string, n: number, mean: string, rmse: string) => `GEH < 5 per il ${share} di ${n} spire conteggiate (il modello è calibrato dall’85 %), GEH medio ${mean}, RMSE ${rmse} veic/h.`,
    edits: 'Modifiche', noEdits: 'Nessuna modifica: lo scenario coincide con la base.', problems: 'Problema', unsupported: 'Non modellata dalla stima', inactive: 'Non attiva in quest’ora',
    assumptions: 'Ipotesi', noAssumptions: 'L’autore non indica ipotesi.', method: 'Metodo', sources: 'Fonti dei dati',
    methodLine: (alg: string, it: number, gap: string, conv: boolean, zones: number, links: number, demand: string, sd: string) =>
      `${alg}: ${it} iterazioni, gap relativo ${gap}${conv ? '' : ' (non a convergenza)'}; ${zones} zone, ${links} archi; domanda ${demand} veic/h nella base, ${sd} veic/h nello scenario. La domanda è stimata dai conteggi delle spire della base (un modello gravitazionale adattato ai conteggi); equilibrio statico su un’ora, non una simulazione.`,
    legendDelta: 'Δ flusso, veic/h (entrambi i sensi)', legendWidth: 'Spessore: flusso nello scenario', closed: 'chiuso', loopFit: 'spira, GEH < 5', loopMiss: 'spira, GEH ≥ 5', less: 'meno', more: 'più',
    observed: (date: string, hh: string) => `Conteggi di ${date}, ${hh}`, typical: (dt: string, hh: string, range: string) => `${dt} tipico, ${hh}${range}`,
    dayTypes: { weekday: 'Feriale', saturday: 'Sabato', sunday: 'Festivo' }, from: 'dal', to: 'al', window: (f: string, u: string, d: number) => (d === 1 && f === u ? `conteggi del ${f}` : `conteggi letti dal ${f} al ${u} (${d} giorni)`),
    links: (n: number) => (n === 1 ? '1 arco stradale' : `${n} archi stradali`), more2: (n: number) => `e altri ${n}`,
    edit: {
      close: (what: string, lanes: number | undefined, when: string) => `${lanes ? `Chiusura di ${lanes} corsi${lanes > 1 ? 'e' : 'a'} su` : 'Chiusura di'} ${what}${when}`,
      when: (f: string, t: string) => ` dalle ${f} alle ${t}`, speed: (what: string, v: number) => `Limite di velocità ${v} km/h su ${what}`,
      lanes: (what: string, n: number) => `${n} corsi${n > 1 ? 'e' : 'a'} per il traffico generale su ${what}`, bus: (what: string) => `Corsia preferenziale su ${what} (una corsia tolta al traffico generale)`,
      signal: (c: string, p: string, v: number) => `Piano semaforico ${p} versione ${v} all’impianto ${c}`,
      demand: (f: string, d: string | null) => `Domanda × ${f} ${d ? `per gli spostamenti da o per ${d}` : 'ovunque'}`,
      generator: (n: string, p: string, a: string) => `Nuovi spostamenti a “${n}”: ${p} veic/h generati, ${a} veic/h attratti`,
      incident: (id: number) => `dall’evento ${id}`, pmo: (id: string) => `dal cantiere PMO ${id}`,
    },
  },
}
type Words = (typeof WORDS)[BriefingLang]

const locale = (lang: BriefingLang) => (lang === 'it' ? 'it-IT' : 'en-GB')
/** A number as the locale writes it, with a true minus sign; a figure that is not a number is a dash. */
const num = (lang: BriefingLang, v: number, digits = 0) => (Number.isFinite(v) ? new Intl.NumberFormat(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v).replace(/^-/, '−') : '—')
const signed = (lang: BriefingLang, v: number, digits = 0) => (v > 0 && Number.isFinite(v) ? '+' : '') + num(lang, v, digits)
const dateTime = (lang: BriefingLang, ms: number) => new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(ms)
const day = (lang: BriefingLang, iso: string) => new Intl.DateTimeFormat(locale(lang), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${iso}T12:00:00Z`))
const hours = (hr: number) => `${hr}:00–${hr + 1}:00`

function describeBase(w: Words, lang: BriefingLang, b: ScenarioBase, hour: number): string {
  if (b.kind === 'observed') return w.observed(day(lang, b.date), hours(hour))
  const range = `${b.fromDate ? ` ${w.from} ${b.fromDate}` : ''}${b.toDate ? ` ${w.to} ${b.toDate}` : ''}`
  return w.typical(w.dayTypes[b.dayType], hours(hour), range)
}

function describeWindow(w: Words, window: unknown): string | null {
  const x = window as { fromDate?: unknown; untilDate?: unknown; days?: unknown } | null
  return x && typeof x.fromDate === 'string' && typeof x.untilDate === 'string' && typeof x.days === 'number' ? w.window(x.fromDate, x.untilDate, x.days) : null
}

/** The edges an edit names, in words: their streets' names where the map has them, else their ids. */
function roads(w: Words, edges: readonly string[], names: ReadonlyMap<string, string>): string {
  const named = [...new Set(edges.map((e) => names.get(e) ?? null).filter((n): n is string => n !== null))]
  const list = named.length > 0 ? named : edges
  const shown = list.slice(0, 4).join(', ') + (list.length > 4 ? ` ${w.more2(list.length - 4)}` : '')
  return `${shown} (${w.links(edges.length)})`
}

export function describeEdit(e: ScenarioEdit, lang: BriefingLang, names: ReadonlyMap<string, string> = new Map()): string {
  const w = WORDS[lang].edit
  switch (e.kind) {
    case 'close-road': {
      const when = e.fromHour !== undefined || e.toHour !== undefined ? w.when(`${e.fromHour ?? 0}:00`, `${e.toHour ?? 24}:00`) : ''
      const source = e.source ? ` (${'incidentId' in e.source ? w.incident(e.source.incidentId) : w.pmo(e.source.pmoSiteId)})` : ''
      return w.close(roads(WORDS[lang], e.edges, names), e.lanesClosed, when) + source
    }
    case 'speed-limit':
      return w.speed(roads(WORDS[lang], e.edges, names), e.speedKmh)
    case 'lane-use':
      return w.lanes(roads(WORDS[lang], e.edges, names), e.lanes)
    case 'bus-lane':
      return w.bus(roads(WORDS[lang], e.edges, names))
    case 'signal-plan':
      return w.signal(e.controllerId, e.planId, e.version)
    case 'scale-demand':
      return w.demand(num(lang, e.factor, 2), e.districts && e.districts.length > 0 ? e.districts.join(', ') : null)
    case 'generator':
      return w.generator(e.name, num(lang, e.producedVehH), num(lang, e.attractedVehH))
  }
}

// ---- The map ---------------------------------------------------------------------------------------

/** Diverging palette (ColorBrewer RdBu): less traffic blue, more red, about the same grey. */
const DELTA_STEPS = [50, 200, 500]
const DECREASE = ['#92c5de', '#4393c3', '#2166ac']
const INCREASE = ['#f4a582', '#d6604d', '#b2182b']
const NEUTRAL = '#c8c8c8'
const WIDTH_STEPS = [200, 600, 1200]
const WIDTHS = [0.5, 1.2, 2.2, 3.6]
const MAP_W = 1000

const stepOf = (v: number, steps: readonly number[]) => steps.filter((s) => v >= s).length
function deltaColour(d: number): string {
  const s = stepOf(Math.abs(d), DELTA_STEPS)
  return s === 0 ? NEUTRAL : d > 0 ? INCREASE[s - 1]! : DECREASE[s - 1]!
}

interface EdgeDraw { coords: ReadonlyArray<readonly [number, number]>; base: number; flow: number; closed: boolean }

/** `closedEdges`: the edges of the whole closures active at the hour (drawn closed whatever the link says). */
function mapSvg(links: readonly EstimateLinkFeature[], closedEdges: ReadonlySet<string>, loops: ScenarioEstimateDto['calibration']['loops'], w: Words, lang: BriefingLang): Html {
  // Both directions of a road drawn once: flows summed.
  const edges = new Map<string, EdgeDraw>()
  for (const f of links) {
    const p = f.properties
    const e = edges.get(p.edgeId)
    const closed = p.closed || closedEdges.has(p.edgeId)
    if (e) edges.set(p.edgeId, { coords: e.coords, base: e.base + p.baseFlowVehH, flow: e.flow + p.flowVehH, closed: e.closed || closed })
    else edges.set(p.edgeId, { coords: f.geometry.coordinates as Array<[number, number]>, base: p.baseFlowVehH, flow: p.flowVehH, closed })
  }
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const e of edges.values()) for (const [lon, lat] of e.coords) [minLon, minLat, maxLon, maxLat] = [Math.min(minLon, lon), Math.min(minLat, lat), Math.max(maxLon, lon), Math.max(maxLat, lat)]
  if (!Number.isFinite(minLon) || maxLon === minLon || maxLat === minLat) return h`<p class="muted">—</p>`
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)
  const scale = MAP_W / ((maxLon - minLon) * kx)
  const H = Math.ceil((maxLat - minLat) * scale)
  const x = (lon: number) => (lon - minLon) * kx * scale
  const y = (lat: number) => (maxLat - lat) * scale
  // One path per colour and width class (a few dozen elements for ten thousand links), vertices under 0.6 px apart dropped.
  const classes = new Map<string, { colour: string; width: number; dashed: boolean; order: number; d: string[] }>()
  for (const e of edges.values()) {
    const delta = e.flow - e.base
    const ws = stepOf(e.closed ? e.base : e.flow, WIDTH_STEPS)
    const colour = e.closed ? '#111111' : deltaColour(delta)
    const key = `${colour}|${ws}|${e.closed}`
    const c = classes.get(key) ?? { colour, width: e.closed ? 1.6 : WIDTHS[ws]!, dashed: e.closed, order: e.closed ? 9 : stepOf(Math.abs(delta), DELTA_STEPS) * 4 + ws, d: [] }
    classes.set(key, c)
    let last: [number, number] | null = null
    let seg = ''
    for (const [lon, lat] of e.coords) {
      const p: [number, number] = [x(lon), y(lat)]
      if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < 0.6) continue
      seg += `${last ? 'L' : 'M'}${p[0].toFixed(1)} ${p[1].toFixed(1)}`
      last = p
    }
    if (seg.includes('L')) c.d.push(seg)
  }
  const paths = [...classes.values()]
    .sort((a, b) => a.order - b.order)
    .map((c) => h`<path d="${c.d.join('')}" stroke="${c.colour}" stroke-width="${c.width}"${c.dashed ? new Html(' stroke-dasharray="4 3"') : ''}/>`)
  const dots = loops.flatMap((l) => (l.position ? [h`<circle cx="${x(l.position[0]).toFixed(1)}" cy="${y(l.position[1]).toFixed(1)}" r="4" fill="${l.geh < 5 ? '#1a9850' : '#f46d43'}"><title>${l.deviceId}: GEH ${num(lang, l.geh, 1)}</title></circle>`] : []))
  const km = scale / 111.32
  const bar = km * (MAP_W / km > 8 ? 2 : 1)
  const barKm = Math.round(bar / km)
  return h`<svg class="map" viewBox="0 0 ${MAP_W} ${H + 30}" role="img" aria-label="${w.map}" xmlns="http://www.w3.org/2000/svg">
<g fill="none" stroke-linecap="round" stroke-linejoin="round">${paths}</g>
<g stroke="#ffffff" stroke-width="1">${dots}</g>
<g transform="translate(10 ${H + 12})"><path d="M0 0H${bar.toFixed(1)}" stroke="#333333" stroke-width="3"/><text x="${(bar + 8).toFixed(1)}" y="5" font-size="14">${barKm} km</text></g>
</svg>`
}

function legend(w: Words): Html {
  const swatch = (colour: string, width = 4, dashed = false) =>
    h`<svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><path d="M1 5H27" stroke="${colour}" stroke-width="${width}"${dashed ? new Html(' stroke-dasharray="4 3"') : ''}/></svg>`
  const dot = (colour: string) => h`<svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><circle cx="14" cy="5" r="4" fill="${colour}"/></svg>`
  const steps = [...DECREASE.map((c, i) => [c, `≤ −${DELTA_STEPS[i]}`] as const).reverse(), [NEUTRAL, `±${DELTA_STEPS[0]}`] as const, ...INCREASE.map((c, i) => [c, `≥ +${DELTA_STEPS[i]}`] as const)]
  const widths = WIDTHS.map((wd, i) => h`<span>${swatch('#777777', wd)}${i === 0 ? `< ${WIDTH_STEPS[0]}` : i === WIDTHS.length - 1 ? `≥ ${WIDTH_STEPS[i - 1]}` : `${WIDTH_STEPS[i - 1]}–${WIDTH_STEPS[i]}`}</span>`)
  return h`<div class="legend">
<p><strong>${w.legendDelta}</strong> ${steps.map(([c, label]) => h`<span>${swatch(c)}${label}</span>`)}</p>
<p><strong>${w.legendWidth}</strong> ${widths} <span>${swatch('#111111', 1.6, true)}${w.closed}</span> <span>${dot('#1a9850')}${w.loopFit}</span> <span>${dot('#f46d43')}${w.loopMiss}</span></p>
</div>`
}

// ---- The page --------------------------------------------------------------------------------------

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d1d1f; background: #fff; margin: 0; }
main { max-width: 190mm; margin: 0 auto; padding: 12mm 8mm; }
h1 { font-size: 22px; margin: 0 0 2px; } h2 { font-size: 15px; margin: 18px 0 6px; border-bottom: 1px solid #ccc; padding-bottom: 2px; }
.kicker { text-transform: uppercase; letter-spacing: .06em; font-size: 11px; color: #555; margin: 0; }
.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 12px; margin: 8px 0; font-size: 12.5px; }
.meta dt { color: #555; } .meta dd { margin: 0; }
figure { margin: 0; }
.map { width: 100%; height: auto; display: block; border: 1px solid #ddd; }
.legend { font-size: 11.5px; } .legend p { margin: 3px 0; } .legend span { white-space: nowrap; margin-right: 10px; }
.swatch { width: 28px; height: 10px; vertical-align: middle; margin-right: 3px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { padding: 3px 6px; border-bottom: 1px solid #e3e3e3; text-align: right; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; } thead th { border-bottom: 1.5px solid #888; }
.up { color: #b2182b; } .down { color: #2166ac; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 4px; font-weight: 600; border: 1.5px solid; }
.badge.ok { color: #1a7a3c; border-color: #1a7a3c; background: #eaf6ee; } .badge.no { color: #9a4a00; border-color: #c76b00; background: #fff3e3; }
ol.edits li { margin: 3px 0; } .flag { font-size: 11.5px; color: #9a4a00; } .muted { color: #666; } .small { font-size: 11.5px; }
footer { margin-top: 16px; font-size: 10.5px; color: #555; border-top: 1px solid #ccc; padding-top: 6px; }
@page { size: A4; margin: 12mm 12mm 14mm; }
@media print {
  main { max-width: none; padding: 0; } body { font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } figure, table, .legend, .fit { break-inside: avoid; } a { color: inherit; text-decoration: none; }
}`

export function renderBriefing(i: BriefingInput): string {
  const { lang, estimate: est, version: v } = i
  const w = WORDS[lang]
  const doc = v.document
  const names = new Map<string, string>()
  for (const f of i.links) if (f.properties.name) names.set(f.properties.edgeId, f.properties.name)
  const closedEdges = new Set(doc.edits.flatMap((e, k) => (e.kind === 'close-road' && e.lanesClosed === undefined && !est.inactiveEdits.includes(k) ? e.edges : [])))
  const flagsOf = (index: number) => [
    ...est.problems.filter((p) => p.edit === index).map((p) => h`<br><span class="flag">${w.problems}: ${p.message}</span>`),
    ...est.unsupported.filter((p) => p.edit === index).map((p) => h`<br><span class="flag">${w.unsupported}: ${p.message}</span>`),
    est.inactiveEdits.includes(index) ? h`<br><span class="flag">${w.inactive}</span>` : null,
  ]
  const edits = doc.edits.length === 0 ? h`<p class="muted">${w.noEdits}</p>` : h`<ol class="edits">${doc.edits.map((e, k) => h`<li>${describeEdit(e, lang, names)}${'note' in e && e.note ? h` — <em>${e.note}</em>` : null}${flagsOf(k)}</li>`)}</ol>`
  const kpiRows = Object.entries(est.compare).map(([key, d]) => {
    const kw = KPI_WORDS[key]
    const digits = kw?.digits ?? 1
    const cls = d.delta > 0 ? 'up' : d.delta < 0 ? 'down' : ''
    return h`<tr><td>${kw?.[lang] ?? key}</td><td>${num(lang, d.base, digits)}</td><td>${num(lang, d.scenario, digits)}</td><td class="${cls}">${signed(lang, d.delta, digits)}</td><td class="${cls}">${d.percent === null || !Number.isFinite(d.percent) ? '—' : `${signed(lang, d.percent, 1)} %`}</td></tr>`
  })
  const c = est.calibration
  const a = est.assignment
  const window = describeWindow(w, c.window)
  const attributions = i.attributions.map((x) => h`<li>${x.text}${x.text.includes(x.licence) ? null : ` — ${x.licence}`}${x.url && /^https?:\/\//i.test(x.url) ? h` (<a href="${x.url}">${x.url}</a>)` : null}</li>`)
  const meta: Array<[string, Part]> = [
    [w.version, v.version],
    [w.status, w.statuses[i.status]],
    [w.author, v.author],
    [w.saved, dateTime(lang, v.createdAtMs)],
    [w.base, describeBase(w, lang, doc.base, doc.base.hour)],
    [w.hour, hours(est.hour)],
    [w.computed, dateTime(lang, est.computedAtMs)],
    [w.generated, dateTime(lang, i.generatedAtMs)],
    ...(doc.parent ? [[w.branched, `${doc.parent.id}, ${w.version.toLowerCase()} ${doc.parent.version}`] as [string, Part]] : []),
    ...(v.note ? [[w.note, v.note] as [string, Part]] : []),
  ]
  return `<!doctype html>\n${
    h`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title} · ${w.briefing} · Gemello</title>
<style>${new Html(CSS)}</style>
</head>
<body>
<main>
<header>
<p class="kicker">${w.briefing} · Gemello · ${doc.id}</p>
<h1>${doc.title}</h1>
<dl class="meta">${meta.map(([k, val]) => h`<dt>${k}</dt><dd>${val}</dd>`)}</dl>
</header>
<section class="fit">
<h2>${w.fit}</h2>
<p><span class="badge ${c.fits ? 'ok' : 'no'}">${c.fits ? w.fits : w.fitsNot}</span> ${w.fitLine(`${num(lang, c.fitShare * 100, 0)} %`, c.loops.length, num(lang, c.meanGeh, 1), num(lang, c.rmseVehH, 0))}${window ? h` <span class="muted">(${window})</span>` : null}</p>
</section>
<section>
<h2>${w.kpis}</h2>
<table><thead><tr><th>${w.kpi}</th><th>${w.baseCol}</th><th>${w.scenarioCol}</th><th>${w.delta}</th><th>${w.percent}</th></tr></thead><tbody>${kpiRows}</tbody></table>
</section>
<section>
<h2>${w.map} · ${hours(est.hour)}</h2>
<figure>${mapSvg(i.links, closedEdges, c.loops, w, lang)}</figure>
${legend(w)}
</section>
<section>
<h2>${w.edits}</h2>
${edits}
</section>
<section>
<h2>${w.assumptions}</h2>
${doc.assumptions.length > 0 ? h`<ul>${doc.assumptions.map((x) => h`<li>${x}</li>`)}</ul>` : h`<p class="muted">${w.noAssumptions}</p>`}
<h2>${w.method}</h2>
<p class="small">${w.methodLine(a.algorithm, a.iterations, a.relativeGap.toExponential(1), a.converged, a.zones, a.links, num(lang, a.demandVehH), num(lang, a.scenarioDemandVehH))}</p>
</section>
<footer>
<p><strong>${w.sources}</strong></p>
<ul>${attributions}</ul>
<p>Gemello · ${doc.id} · ${w.version.toLowerCase()} ${v.version}</p>
</footer>
</main>
</body>
</html>`.text
  }\n`
}
