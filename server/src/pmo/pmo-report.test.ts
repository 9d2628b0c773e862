import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import type { KpiValue } from '../../../contracts/pmo-api'
import { ProjectSchema, type LiveKpi, type PmoLine, type Project, type ProjectInput } from '../../../contracts/schemas/pmo'
import { kpiStatus, portfolioOf, projectSummary } from '../domain/pmo/pmo-health'
import { portfolioReportPdf, type ReportInput } from './pmo-report'

const PDFTOTEXT = '/usr/bin/pdftotext'
const noPdftotext = !existsSync(PDFTOTEXT)
const TODAY = '2026-06-15'
const LIVE: Record<LiveKpi, number | null> = { 'devices-online': 71.5, 'datasets-published': 42, 'services-online': 12, 'case-sla': 88 }

const project = (over: Partial<ProjectInput> & Pick<ProjectInput, 'id' | 'line' | 'title'>): Project =>
  ProjectSchema.parse({ status: 'in_progress', startDate: '2025-01-01', endDate: '2027-06-30', ...over })

/** The KPIs as the server reads them: live ones measured (from LIVE), each with its status today. */
function kpiValues(p: Project): KpiValue[] {
  return p.kpis.map((k) => {
    const actual = k.live ? LIVE[k.live] : k.actual
    const v = { key: k.key, title: k.title, unit: k.unit, baseline: k.baseline, target: k.target, targetDate: k.targetDate, direction: k.direction, live: k.live, actual, measuredAtMs: Date.parse(`${TODAY}T08:00:00Z`) }
    return { ...v, status: kpiStatus(v, p.startDate, TODAY) }
  })
}

function reportOf(projects: Project[], over: Partial<ReportInput> = {}): ReportInput {
  const items = projects.map((p) => {
    const kpis = kpiValues(p)
    return { project: p, kpis, summary: projectSummary(p, kpis, { version: 1, updatedAtMs: 0, updatedBy: 'pmo' }, TODAY) }
  })
  return { portfolio: portfolioOf(items, Date.parse(`${TODAY}T08:00:00Z`), TODAY), projects: items, lang: 'it', publisher: 'Comune di Bologna', date: TODAY, ...over }
}

/** Four projects over four lines: 1.250.000,00 € planned; one late milestone, one severe risk, one road closed. */
function samplePortfolio(): Project[] {
  return [
    project({
      id: 'open-data-metropolitano',
      line: 'governo-dati',
      title: 'Piattaforma open data metropolitana',
      cup: 'F31B22000010006',
      owners: ['RUP – Settore Agenda digitale'],
      funding: [
        { source: 'PN Metro Plus 2021-2027', plannedCents: 40_000_000 },
        { source: 'Bilancio comunale', plannedCents: 10_000_000 },
      ],
      committedCents: 30_000_000,
      spentCents: 12_000_000,
      milestones: [
        { key: 'gara', title: 'Aggiudicazione della gara', kind: 'milestone', dueDate: '2025-03-01', doneDate: '2025-02-20' },
        { key: 'catalogo', title: 'Catalogo dei dataset pubblicato', kind: 'deliverable', dueDate: '2026-06-03' },
      ],
      kpis: [
        { key: 'dataset', title: 'Dataset aperti', unit: 'n', baseline: 10, target: 60, targetDate: '2027-06-30', live: 'datasets-published' },
        { key: 'accessi', title: 'Accessi mensili al portale', unit: 'n', baseline: 1000, target: 5000, targetDate: '2027-06-30', actual: 5200, actualDate: '2026-05-31' },
      ],
    }),
    project({
      id: 'sensori-traffico',
      line: 'infrastrutture-smart',
      title: 'Sensori IoT per il traffico',
      owners: ['Settore Mobilità'],
      funding: [{ source: 'PN Metro Plus 2021-2027', plannedCents: 40_000_000 }],
      committedCents: 25_000_000,
      spentCents: 10_000_000,
      milestones: [{ key: 'posa', title: 'Posa dei sensori', kind: 'milestone', dueDate: '2026-09-30' }],
      kpis: [{ key: 'online', title: 'Sensori che trasmettono', unit: '%', baseline: 60, target: 95, targetDate: '2026-12-31', live: 'devices-online' }],
      risks: [{ key: 'fornitura', title: 'Ritardo nella fornitura dei sensori', probability: 4, impact: 5, mitigation: 'Secondo fornitore qualificato', owner: 'RUP' }],
      site: { geometry: { type: 'LineString', coordinates: [[11.34, 44.49], [11.35, 44.495]] }, closesRoad: true, fromDate: '2026-07-01', toDate: '2026-09-30' },
    }),
    project({
      id: 'scrivania-digitale',
      line: 'processi-interni',
      title: 'Scrivania digitale degli operatori',
      status: 'completed',
      endDate: '2026-03-31',
      funding: [{ source: 'PNRR M1C1', plannedCents: 25_000_000 }],
      committedCents: 25_000_000,
      spentCents: 25_000_000,
    }),
    project({
      id: 'ufficio-pmo',
      line: 'pmo',
      title: 'Ufficio di gestione del programma',
      funding: [{ source: 'Bilancio comunale', plannedCents: 10_000_000 }],
      committedCents: 4_000_000,
      spentCents: 1_000_000,
      kpis: [{ key: 'rapporti', title: 'Rapporti trimestrali consegnati', unit: 'n', baseline: 0, target: 4, targetDate: '2026-12-31', actual: 4, actualDate: '2026-06-01' }],
    }),
  ]
}

/** The text as `pdftotext -layout` extracts it, runs of blanks made one space. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pmo-report-'))
  try {
    const file = join(dir, 'report.pdf')
    await writeFile(file, bytes)
    const { stdout } = await promisify(execFile)(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 })
    return stdout.replace(/[ \t]+/g, ' ')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

describe('portfolioReportPdf', () => {
  it('gives the same bytes for the same input', async () => {
    const a = await portfolioReportPdf(reportOf(samplePortfolio()))
    const b = await portfolioReportPdf(reportOf(samplePortfolio()))
    expect(a.length).toBeGreaterThan(1000)
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
  })

  it.skipIf(noPdftotext)('writes the Italian report: title, totals, projects, late milestone, KPI status, severe risk (skipped without pdftotext)', async () => {
    const text = await pdfText(await portfolioReportPdf(reportOf(samplePortfolio())))
    expect(text).toContain('Rapporto di avanzamento del portafoglio')
    expect(text).toContain('PN Metro Plus – Officine della Conoscenza')
    expect(text).toContain('15 giugno 2026')
    expect(text).toContain('Programmato: € 1.250.000,00')
    expect(text).toContain('Impegnato: € 840.000,00 (67,2% del programmato)')
    expect(text).toContain('Speso: € 480.000,00 (38,4% del programmato)')
    for (const p of samplePortfolio()) expect(text).toContain(p.title)
    expect(text).toContain('in ritardo di 12 giorni')
    expect(text).toContain('raggiunto')
    expect(text).toContain('(misurato da Gemello)')
    expect(text).toContain('4 × 5 = 20')
    expect(text).toContain('1 rischio aperto con punteggio 15 o più')
    expect(text).toContain('chiude la strada dal 01/07/2026 al 30/09/2026')
    expect(text).toMatch(/pagina 1\/\d+/)
  })

  it.skipIf(noPdftotext)('writes the English report with English words and amounts (skipped without pdftotext)', async () => {
    const text = await pdfText(await portfolioReportPdf(reportOf(samplePortfolio(), { lang: 'en' })))
    expect(text).toContain('Portfolio progress report')
    expect(text).toContain('15 June 2026')
    expect(text).toContain('Planned: €1,250,000.00')
    expect(text).toContain('Committed: €840,000.00 (67.2% of planned)')
    expect(text).toContain('late by 12 days')
    expect(text).toContain('(measured by Gemello)')
    expect(text).toContain('at risk')
    expect(text).toContain('1 open risk scoring 15 or more')
    expect(text).not.toContain('Rapporto di avanzamento')
  })

  it.skipIf(noPdftotext)('words every health reason from its code, in Italian and in English (skipped without pdftotext)', async () => {
    // Late: past its end (2026-05-31), one milestone 45 days late, two 5 days late, two severe risks, a KPI behind.
    const late = project({
      id: 'ritardi', line: 'servizi-digitali', title: 'Sportello online', endDate: '2026-05-31',
      milestones: [
        { key: 'a', title: 'Analisi', kind: 'milestone', dueDate: '2026-05-01' },
        { key: 'b', title: 'Gara', kind: 'milestone', dueDate: '2026-06-10' },
        { key: 'c', title: 'Prototipo', kind: 'deliverable', dueDate: '2026-06-10' },
      ],
      risks: [{ key: 'r', title: 'Fornitore', probability: 4, impact: 4 }, { key: 'q', title: 'Meteo', probability: 3, impact: 5 }],
      kpis: [{ key: 'k', title: 'Pratiche', unit: 'n', baseline: null, target: 10, targetDate: '2026-06-01', actual: 2, actualDate: '2026-06-01' }],
    })
    // Early: 95 % of the money committed in the first half of its time.
    const early = project({ id: 'anticipo', line: 'pmo', title: 'Cruscotto', startDate: '2026-01-01', endDate: '2027-12-31', funding: [{ source: 'Bilancio comunale', plannedCents: 100_000 }], committedCents: 95_000 })
    const flat = async (lang: 'it' | 'en') => (await pdfText(await portfolioReportPdf(reportOf([late, early], { lang })))).replace(/\s+/g, ' ')
    const it = await flat('it')
    for (const words of [
      'oltre la data di fine (31/05/2026)',
      '1 milestone in ritardo di oltre 30 giorni (Analisi)',
      '2 milestone in ritardo (Gara, Prototipo)',
      '2 rischi aperti con punteggio 15 o più (Fornitore, Meteo)',
      '1 KPI in ritardo (Pratiche)',
      'oltre il 90 % delle risorse programmate impegnato prima dell’ultimo quarto della durata',
    ])
      expect(it).toContain(words)
    const en = await flat('en')
    for (const words of [
      'past its end date (2026-05-31)',
      '1 milestone more than 30 days late (Analisi)',
      '2 milestones late (Gara, Prototipo)',
      '2 open risks scoring 15 or more (Fornitore, Meteo)',
      '1 KPI behind (Pratiche)',
      'over 90 % of the planned money committed before the last quarter of its time',
    ])
      expect(en).toContain(words)
  })

  it.skipIf(noPdftotext)('reports one line of action only when one is asked (skipped without pdftotext)', async () => {
    const text = await pdfText(await portfolioReportPdf(reportOf(samplePortfolio(), { line: 'governo-dati' })))
    expect(text).toContain('Linea di azione: Governo e valorizzazione dei dati')
    expect(text).toContain('Piattaforma open data metropolitana')
    expect(text).not.toContain('Sensori IoT per il traffico')
    expect(text).toContain('Programmato: € 500.000,00')
  })

  describe('with 60 projects', () => {
    const lines: PmoLine[] = ['processi-interni', 'servizi-digitali', 'governo-dati', 'infrastrutture-smart', 'pmo']
    const many = () =>
      Array.from({ length: 60 }, (_, i) => {
        const n = String(i + 1).padStart(2, '0')
        return project({
          id: `progetto-${n}`,
          line: lines[i % lines.length]!,
          title: `Progetto numero ${n} della rete civica`,
          description: 'Un intervento del programma descritto con un testo abbastanza lungo da andare a capo più volte. '.repeat(4),
          funding: [{ source: `Fonte ${i % 3}`, plannedCents: 1_000_000 + i * 12_345 }],
          committedCents: 500_000,
          milestones: Array.from({ length: 8 }, (_, m) => ({ key: `m${m}`, title: `Milestone ${m} del progetto ${n}`, kind: 'milestone' as const, dueDate: `2026-0${(m % 9) + 1}-10` })),
          kpis: [{ key: 'k', title: 'Servizi online', unit: 'n', baseline: 0, target: 10, targetDate: '2026-12-31', live: 'services-online' }],
          risks: [{ key: 'r', title: 'Un rischio', probability: 3, impact: 3, mitigation: 'Una mitigazione lunga '.repeat(10) }],
        })
      })

    it('paginates without error', async () => {
      const bytes = await portfolioReportPdf(reportOf(many()))
      expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThan(5)
    })

    it.skipIf(noPdftotext)('prints every project’s title (skipped without pdftotext)', async () => {
      const text = await pdfText(await portfolioReportPdf(reportOf(many())))
      for (const p of many()) expect(text).toContain(p.title)
    })
  })

  describe('a title outside WinAnsi (emoji, Cyrillic)', () => {
    const odd = () => [project({ id: 'strano', line: 'servizi-digitali', title: 'Città 🚦 Москва', owners: ['Ufficio 🚧'], funding: [{ source: 'Фонд', plannedCents: 100 }] })]

    it('does not throw', async () => {
      await expect(portfolioReportPdf(reportOf(odd()))).resolves.toBeInstanceOf(Uint8Array)
    })

    it.skipIf(noPdftotext)('prints "?" for each such character (skipped without pdftotext)', async () => {
      const text = await pdfText(await portfolioReportPdf(reportOf(odd())))
      expect(text).toContain('Città ? ??????')
      expect(text).toContain('Ufficio ?')
    })
  })
})
