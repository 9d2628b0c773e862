/**
 * The PMO's progress report as PDF (issue 11, docs/pmo.md), for the program's reporting (PN Metro Plus,
 * "Officine della Conoscenza"): the portfolio's totals, the budget by line of action with a bar each,
 * the projects by health and the funding by source; the projects that need attention and why; then one
 * section per project — budget, milestones, KPIs against their targets, open risks, its site on the map.
 * The whole portfolio, or one line when one is asked.
 *
 * The bytes depend only on the input: the PDF's dates are the report's date, amounts and numbers are
 * formatted here without Intl, pdf-lib writes no random identifier. Lateness is counted to the
 * portfolio's `today`, the day its summaries were computed on. Any character the standard fonts cannot
 * encode is written "?" (pdf-table.ts).
 */
import { PDFDocument, StandardFonts, grayscale } from 'pdf-lib'
import type { Health, HealthReason, KpiStatus, KpiValue, Portfolio, ProjectSummary } from '../../../contracts/pmo-api'
import { PMO_LINES, type PmoLine, type Project, type ProjectStatus } from '../../../contracts/schemas/pmo'
import { longDate } from '../pdf/pdf-text'
import { PdfWriter, type Cell, type Column, type DrawnCell } from './pdf-table'

export interface ReportInput {
  portfolio: Portfolio
  projects: Array<{ project: Project; summary: ProjectSummary; kpis: KpiValue[] }>
  lang: 'it' | 'en'
  /** Who publishes the report, e.g. "Comune di Bologna". */
  publisher: string
  /** The report's date, YYYY-MM-DD (also the PDF's creation and modification date). */
  date: string
  /** A report of this line of action only. */
  line?: PmoLine
}
type Lang = ReportInput['lang']

const PROGRAM = 'PN Metro Plus – Officine della Conoscenza'
const HEALTHS: Health[] = ['on_track', 'at_risk', 'off_track', 'completed', 'suspended', 'cancelled']
const LINE_ORDER = Object.keys(PMO_LINES) as PmoLine[]

const WORDS = {
  it: {
    title: 'Rapporto di avanzamento del portafoglio', line: 'Linea di azione', page: 'pagina', summary: 'Sintesi',
    projects: 'Progetti', planned: 'Programmato', committed: 'Impegnato', spent: 'Speso', pctSpent: '% speso', bar: 'Avanzamento',
    ofPlanned: 'del programmato', byLine: 'Per linea di azione', byHealth: 'Progetti per stato di salute', funding: 'Risorse per fonte di finanziamento',
    source: 'Fonte', share: 'Quota', legend: 'Barre: contorno = programmato, grigio chiaro = impegnato, grigio scuro = speso.',
    attention: 'Progetti che richiedono attenzione', noAttention: 'Nessun progetto a rischio o critico.', reasons: 'Motivi', lateMilestones: 'Milestone in ritardo',
    projectsSection: 'Schede di progetto', cup: 'CUP', status: 'Stato', health: 'Salute', owners: 'Responsabili', dates: 'Durata', from: 'dal', to: 'al',
    budget: 'Budget', sources: 'Fonti', description: 'Descrizione', milestones: 'Milestone e deliverable', kpis: 'Indicatori (KPI)', risks: 'Rischi aperti',
    noMilestones: 'Nessuna milestone.', noKpis: 'Nessun indicatore.', noRisks: 'Nessun rischio aperto.', noProjects: 'Nessun progetto.',
    mTitle: 'Titolo', kind: 'Tipo', due: 'Scadenza', state: 'Stato', kinds: { milestone: 'milestone', deliverable: 'deliverable' },
    done: (d: string) => `completata il ${d}`, late: (n: number) => `in ritardo di ${n} ${n === 1 ? 'giorno' : 'giorni'}`,
    kpi: 'Indicatore', baseline: 'Base', target: 'Obiettivo', actual: 'Valore attuale', by: 'entro il', live: '(misurato da Gemello)',
    risk: 'Rischio', score: 'P × I = punteggio', mitigation: 'Mitigazione', owner: 'Responsabile',
    site: 'Cantiere sulla mappa', yes: 'sì', no: 'no', closes: 'chiude la strada', undated: 'date non indicate',
    health_: { on_track: 'in linea', at_risk: 'a rischio', off_track: 'critico', completed: 'completato', suspended: 'sospeso', cancelled: 'annullato' } satisfies Record<Health, string>,
    status_: { planned: 'pianificato', in_progress: 'in corso', suspended: 'sospeso', completed: 'completato', cancelled: 'annullato' } satisfies Record<ProjectStatus, string>,
    kpi_: { met: 'raggiunto', on_track: 'in linea', behind: 'in ritardo', no_data: 'nessun dato' } satisfies Record<KpiStatus, string>,
  },
  en: {
    title: 'Portfolio progress report', line: 'Line of action', page: 'page', summary: 'Summary',
    projects: 'Projects', planned: 'Planned', committed: 'Committed', spent: 'Spent', pctSpent: '% spent', bar: 'Progress',
    ofPlanned: 'of planned', byLine: 'By line of action', byHealth: 'Projects by health', funding: 'Funding by source',
    source: 'Source', share: 'Share', legend: 'Bars: outline = planned, light grey = committed, dark grey = spent.',
    attention: 'Projects needing attention', noAttention: 'No project is at risk or off track.', reasons: 'Reasons', lateMilestones: 'Late milestones',
    projectsSection: 'Projects', cup: 'CUP', status: 'Status', health: 'Health', owners: 'Owners', dates: 'Dates', from: 'from', to: 'to',
    budget: 'Budget', sources: 'Sources', description: 'Description', milestones: 'Milestones and deliverables', kpis: 'Indicators (KPIs)', risks: 'Open risks',
    noMilestones: 'No milestones.', noKpis: 'No indicators.', noRisks: 'No open risks.', noProjects: 'No projects.',
    mTitle: 'Title', kind: 'Kind', due: 'Due', state: 'State', kinds: { milestone: 'milestone', deliverable: 'deliverable' },
    done: (d: string) => `done on ${d}`, late: (n: number) => `late by ${n} ${n === 1 ? 'day' : 'days'}`,
    kpi: 'Indicator', baseline: 'Baseline', target: 'Target', actual: 'Actual', by: 'by', live: '(measured by Gemello)',
    risk: 'Risk', score: 'P × I = score', mitigation: 'Mitigation', owner: 'Owner',
    site: 'Site on the map', yes: 'yes', no: 'no', closes: 'closes the road', undated: 'dates not set',
    health_: { on_track: 'on track', at_risk: 'at risk', off_track: 'off track', completed: 'completed', suspended: 'suspended', cancelled: 'cancelled' } satisfies Record<Health, string>,
    status_: { planned: 'planned', in_progress: 'in progress', suspended: 'suspended', completed: 'completed', cancelled: 'cancelled' } satisfies Record<ProjectStatus, string>,
    kpi_: { met: 'met', on_track: 'on track', behind: 'behind', no_data: 'no data' } satisfies Record<KpiStatus, string>,
  },
}
type Words = (typeof WORDS)[Lang]

/** "1.234.567" / "1,234,567": an integer's digits in groups of three. */
function grouped(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep)
}

/** Euro cents as "€ 1.234.567,89" (it) or "€1,234,567.89" (en). */
function euro(cents: number, lang: Lang): string {
  const c = Math.round(Math.abs(cents))
  const units = grouped(Math.floor(c / 100), lang === 'it' ? '.' : ',')
  const rest = String(c % 100).padStart(2, '0')
  const sign = cents < 0 ? '-' : ''
  return lang === 'it' ? `${sign}€ ${units},${rest}` : `${sign}€${units}.${rest}`
}

/** A number with at most `decimals` decimals (trailing zeros dropped), in the language's separators. */
function num(n: number, lang: Lang, decimals = 2): string {
  const fixed = Math.abs(n).toFixed(decimals).replace(/\.?0+$/, '')
  const [int, frac] = fixed.split('.') as [string, string | undefined]
  const out = grouped(Number(int), lang === 'it' ? '.' : ',') + (frac ? (lang === 'it' ? ',' : '.') + frac : '')
  return n < 0 && out !== '0' ? `-${out}` : out
}

/** part / whole as "12,5%" / "12.5%" (one decimal); "—" when the whole is 0. */
function pct(part: number, whole: number, lang: Lang): string {
  if (whole <= 0) return '—'
  const v = (Math.round((1000 * part) / whole) / 10).toFixed(1)
  return `${lang === 'it' ? v.replace('.', ',') : v}%`
}

/** A calendar day as "31/12/2026" (it) or "2026-12-31" (en). */
function day(d: string, lang: Lang): string {
  if (lang === 'en') return d
  const [y, m, dd] = d.split('-')
  return `${dd}/${m}/${y}`
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many)
const listed = (titles: readonly string[]) => `(${titles.join(', ')})`

/** A health reason (contracts/pmo-api.ts HealthReason) in the report's language, from its code and figures. */
const REASON: Record<Lang, (r: HealthReason) => string> = {
  it: (r) => {
    switch (r.code) {
      case 'past_end': return `oltre la data di fine (${day(r.endDate, 'it')})`
      case 'milestones_very_late': return `${r.count} milestone in ritardo di oltre ${r.days} giorni ${listed(r.titles)}`
      case 'milestones_late': return `${r.count} milestone in ritardo ${listed(r.titles)}`
      case 'severe_risks': return `${r.count} ${plural(r.count, 'rischio aperto', 'rischi aperti')} con punteggio ${r.score} o più ${listed(r.titles)}`
      case 'kpis_behind': return `${r.count} KPI in ritardo ${listed(r.titles)}`
      case 'committed_early': return `oltre il ${r.pct} % delle risorse programmate impegnato prima dell’ultimo quarto della durata`
    }
  },
  en: (r) => {
    switch (r.code) {
      case 'past_end': return `past its end date (${day(r.endDate, 'en')})`
      case 'milestones_very_late': return `${r.count} ${plural(r.count, 'milestone', 'milestones')} more than ${r.days} days late ${listed(r.titles)}`
      case 'milestones_late': return `${r.count} ${plural(r.count, 'milestone', 'milestones')} late ${listed(r.titles)}`
      case 'severe_risks': return `${r.count} ${plural(r.count, 'open risk', 'open risks')} scoring ${r.score} or more ${listed(r.titles)}`
      case 'kpis_behind': return `${r.count} ${plural(r.count, 'KPI', 'KPIs')} behind ${listed(r.titles)}`
      case 'committed_early': return `over ${r.pct} % of the planned money committed before the last quarter of its time`
    }
  },
}

type Item = ReportInput['projects'][number]
type Money = { plannedCents: number; committedCents: number; spentCents: number }

/** The progress report as PDF bytes; the same input gives the same bytes. */
export async function portfolioReportPdf(input: ReportInput): Promise<Uint8Array> {
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(input.date)) throw new Error(`portfolioReportPdf: date must be YYYY-MM-DD, not "${input.date}"`)
  const { lang, line } = input
  const w = WORDS[lang]
  const at = new Date(`${input.date}T00:00:00Z`)
  const title = line ? `${w.title} – ${PMO_LINES[line][lang]}` : w.title
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.setTitle(title)
  doc.setAuthor(input.publisher)
  doc.setSubject(PROGRAM)
  doc.setProducer('Gemello')
  doc.setCreator('Gemello')
  doc.setLanguage(lang === 'it' ? 'it-IT' : 'en-GB')
  doc.setCreationDate(at)
  doc.setModificationDate(at)
  const out = new PdfWriter(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold))

  const items = input.projects
    .filter((i) => !line || i.project.line === line)
    .sort((a, b) => LINE_ORDER.indexOf(a.project.line) - LINE_ORDER.indexOf(b.project.line) || (a.project.id < b.project.id ? -1 : a.project.id > b.project.id ? 1 : 0))
  const lines = input.portfolio.lines.filter((l) => !line || l.line === line).sort((a, b) => LINE_ORDER.indexOf(a.line) - LINE_ORDER.indexOf(b.line))
  const totals = line ? sum(lines, lines.reduce((s, l) => s + l.projects, 0)) : input.portfolio.totals
  const summaries = input.portfolio.projects.filter((s) => !line || s.line === line)
  const funding = line ? fundingOf(items) : input.portfolio.funding

  // 1. Title
  out.text(title, { font: out.bold, size: 18, gapAfter: 4 })
  out.text(input.publisher, { font: out.bold, size: 12, gapAfter: 2 })
  out.text(PROGRAM, { size: 11, gapAfter: 2 })
  if (line) out.text(`${w.line}: ${PMO_LINES[line][lang]}`, { size: 11, gapAfter: 2 })
  out.text(longDate(input.date, lang), { size: 11, gapAfter: 12 })

  // 2. Summary
  out.heading(w.summary, 14)
  out.text(`${w.projects}: ${totals.projects}`, { size: 10 })
  out.text(`${w.planned}: ${euro(totals.plannedCents, lang)}`, { size: 10 })
  out.text(`${w.committed}: ${euro(totals.committedCents, lang)} (${pct(totals.committedCents, totals.plannedCents, lang)} ${w.ofPlanned})`, { size: 10 })
  out.text(`${w.spent}: ${euro(totals.spentCents, lang)} (${pct(totals.spentCents, totals.plannedCents, lang)} ${w.ofPlanned})`, { size: 10, gapAfter: 8 })

  const maxPlanned = Math.max(1, ...lines.map((l) => Math.max(l.plannedCents, l.committedCents)))
  const lineColumns: Column[] = [
    { title: w.line, width: 120 },
    { title: w.projects, width: 38, align: 'right' },
    { title: w.planned, width: 72, align: 'right', fit: true },
    { title: w.committed, width: 72, align: 'right', fit: true },
    { title: w.spent, width: 72, align: 'right', fit: true },
    { title: w.pctSpent, width: 40, align: 'right' },
    { title: w.bar, width: out.width - 414 },
  ]
  out.table(lineColumns, lines.map((l) => [PMO_LINES[l.line][lang], String(l.projects), euro(l.plannedCents, lang), euro(l.committedCents, lang), euro(l.spentCents, lang), pct(l.spentCents, l.plannedCents, lang), bar(l, maxPlanned)]), { heading: w.byLine, headingSize: 11 })
  out.text(w.legend, { size: 7.5, gray: 0.3, gapAfter: 8 })

  const healthWidth = out.width / HEALTHS.length
  const byHealth = [HEALTHS.map((h) => String(summaries.filter((s) => s.health === h).length))]
  out.table(HEALTHS.map((h) => ({ title: w.health_[h], width: healthWidth, align: 'right' as const })), byHealth, { heading: w.byHealth, headingSize: 11 })
  out.gap(4)

  if (funding.length === 0) none(out, w.funding, '—', 11)
  else
    out.table(
      [{ title: w.source, width: out.width - 170 }, { title: w.planned, width: 110, align: 'right', fit: true }, { title: w.share, width: 60, align: 'right' }],
      funding.map((f) => [f.source, euro(f.plannedCents, lang), pct(f.plannedCents, totals.plannedCents, lang)]),
      { heading: w.funding, headingSize: 11 },
    )

  // 3. Attention list
  out.gap(6)
  out.heading(w.attention, 14)
  const attention = items.filter((i) => i.summary.health === 'at_risk' || i.summary.health === 'off_track')
  if (attention.length === 0) out.text(w.noAttention, { gapAfter: 6 })
  for (const i of attention) {
    out.heading(`${i.project.title} — ${w.health_[i.summary.health]}`, 10, 24)
    if (i.summary.reasons.length > 0) out.text(`${w.reasons}:`, { font: out.bold, indent: 10 })
    for (const r of i.summary.reasons) out.text(`· ${REASON[lang](r)}`, { indent: 16, hanging: 6 })
    const late = lateMilestones(i.project, input.portfolio.today)
    if (late.length > 0) out.text(`${w.lateMilestones}:`, { font: out.bold, indent: 10 })
    for (const m of late) out.text(`· ${m.title} (${w.due.toLowerCase()} ${day(m.dueDate, lang)}, ${w.late(daysBetween(m.dueDate, input.portfolio.today))})`, { indent: 16, hanging: 6 })
    out.gap(4)
  }

  // 4. One section per project
  out.newPage()
  out.heading(w.projectsSection, 14)
  if (items.length === 0) out.text(w.noProjects)
  for (const i of items) projectSection(out, i, input.portfolio.today, lang)

  out.footers(`${input.publisher} – ${title} – ${longDate(input.date, lang)}`, w.page)
  return doc.save({ useObjectStreams: false })
}

function sum(rows: readonly Money[], projects: number): Money & { projects: number } {
  return rows.reduce((s, r) => ({ projects, plannedCents: s.plannedCents + r.plannedCents, committedCents: s.committedCents + r.committedCents, spentCents: s.spentCents + r.spentCents }), { projects, plannedCents: 0, committedCents: 0, spentCents: 0 })
}

function fundingOf(items: readonly Item[]): Portfolio['funding'] {
  const by = new Map<string, number>()
  for (const { project } of items) for (const f of project.funding) by.set(f.source, (by.get(f.source) ?? 0) + f.plannedCents)
  return [...by].map(([source, plannedCents]) => ({ source, plannedCents })).sort((a, b) => b.plannedCents - a.plannedCents || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
}

function lateMilestones(p: Project, today: string): Project['milestones'] {
  return p.milestones.filter((m) => m.doneDate === null && m.dueDate < today).sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0))
}

/** A line's money as a bar: planned as an outline, committed (light) and spent (dark) as fills, to the largest line's scale. */
function bar(m: Money, scale: number): DrawnCell {
  const height = 7
  return {
    height,
    draw: (page, box) => {
      const len = (cents: number) => Math.min(box.width, (box.width * cents) / scale)
      const y = box.top - height
      if (m.committedCents > 0) page.drawRectangle({ x: box.x, y, width: len(m.committedCents), height, color: grayscale(0.78) })
      if (m.spentCents > 0) page.drawRectangle({ x: box.x, y, width: len(m.spentCents), height, color: grayscale(0.35) })
      if (m.plannedCents > 0) page.drawRectangle({ x: box.x, y, width: len(m.plannedCents), height, borderColor: grayscale(0), borderWidth: 0.6 })
    },
  }
}

function projectSection(out: PdfWriter, { project: p, summary: s, kpis }: Item, today: string, lang: Lang): void {
  const w: Words = WORDS[lang]
  out.gap(6)
  out.heading(p.title, 12, 80)
  const field = (label: string, value: string) => out.text(`${label}: ${value}`, { indent: 6 })
  if (p.cup) field(w.cup, p.cup)
  field(w.line, PMO_LINES[p.line][lang])
  field(`${w.status} / ${w.health}`, `${w.status_[p.status]} / ${w.health_[s.health]}`)
  if (p.owners.length > 0) field(w.owners, p.owners.join('; '))
  field(w.dates, `${w.from} ${day(p.startDate, lang)} ${w.to} ${day(p.endDate, lang)}`)
  field(
    w.budget,
    `${w.planned.toLowerCase()} ${euro(s.plannedCents, lang)} · ${w.committed.toLowerCase()} ${euro(s.committedCents, lang)} (${pct(s.committedCents, s.plannedCents, lang)}) · ${w.spent.toLowerCase()} ${euro(s.spentCents, lang)} (${pct(s.spentCents, s.plannedCents, lang)})`,
  )
  if (p.funding.length > 0) field(w.sources, p.funding.map((f) => `${f.source} ${euro(f.plannedCents, lang)}`).join('; '))
  field(w.site, siteWords(p, lang))
  if (p.description) field(w.description, p.description)
  out.gap(4)

  if (p.milestones.length === 0) none(out, w.milestones, w.noMilestones)
  else {
    const cols: Column[] = [{ title: w.mTitle, width: out.width - 250 }, { title: w.kind, width: 65 }, { title: w.due, width: 65 }, { title: w.state, width: 120 }]
    const milestones = [...p.milestones].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.key < b.key ? -1 : 1))
    out.table(cols, milestones.map((m) => [m.title, w.kinds[m.kind], day(m.dueDate, lang), milestoneState(m, today, w, lang)]), { heading: w.milestones })
  }

  if (kpis.length === 0) none(out, w.kpis, w.noKpis)
  else {
    const cols: Column[] = [
      { title: w.kpi, width: out.width - 305 },
      { title: w.baseline, width: 60, align: 'right' },
      { title: w.target, width: 110, align: 'right' },
      { title: w.actual, width: 70, align: 'right' },
      { title: w.status, width: 65 },
    ]
    const value = (n: number | null, unit: string) => (n === null ? '—' : unit === 'n' ? num(n, lang) : `${num(n, lang)} ${unit}`)
    out.table(cols, kpis.map((k): Cell[] => [k.live ? `${k.title} ${w.live}` : k.title, value(k.baseline, k.unit), `${value(k.target, k.unit)} ${w.by} ${day(k.targetDate, lang)}`, value(k.actual, k.unit), w.kpi_[k.status]]), { heading: w.kpis })
  }

  const risks = p.risks.filter((r) => r.status === 'open').sort((a, b) => b.probability * b.impact - a.probability * a.impact || (a.key < b.key ? -1 : 1))
  if (risks.length === 0) none(out, w.risks, w.noRisks)
  else {
    const cols: Column[] = [{ title: w.risk, width: 150 }, { title: w.score, width: 70 }, { title: w.mitigation, width: out.width - 320 }, { title: w.owner, width: 100 }]
    out.table(cols, risks.map((r) => [r.title, `${r.probability} × ${r.impact} = ${r.probability * r.impact}`, r.mitigation || '—', r.owner || '—']), { heading: w.risks })
  }
}

/** A section's heading and the words saying it has nothing to list. */
function none(out: PdfWriter, heading: string, words: string, size = 9.5): void {
  out.heading(heading, size, 12)
  out.text(words, { indent: 6, gapAfter: 4 })
}

function milestoneState(m: Project['milestones'][number], today: string, w: Words, lang: Lang): string {
  if (m.doneDate !== null) return w.done(day(m.doneDate, lang))
  if (m.dueDate < today) return w.late(daysBetween(m.dueDate, today))
  return '—'
}

function siteWords(p: Project, lang: Lang): string {
  const w = WORDS[lang]
  if (!p.site) return w.no
  if (!p.site.closesRoad) return w.yes
  const { fromDate, toDate } = p.site
  const when = fromDate || toDate ? [fromDate ? `${w.from} ${day(fromDate, lang)}` : '', toDate ? `${w.to} ${day(toDate, lang)}` : ''].filter(Boolean).join(' ') : `(${w.undated})`
  return `${w.yes}, ${w.closes} ${when}`
}
