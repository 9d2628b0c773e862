import { describe, expect, it } from 'vitest'
import type { KpiValue } from '../../../../contracts/pmo-api'
import { ProjectSchema, type ProjectInput } from '../../../../contracts/schemas/pmo'
import { kpiStatus, portfolioOf, projectSummary, romeDay } from './pmo-health'

const base: ProjectInput = { id: 'p1', line: 'governo-dati', title: 'Piattaforma dati', status: 'in_progress', startDate: '2026-01-01', endDate: '2026-12-31', funding: [{ source: 'PN Metro Plus', plannedCents: 100_000 }] }
const make = (o: Partial<ProjectInput> = {}) => ProjectSchema.parse({ ...base, ...o })
const meta = { version: 1, updatedAtMs: 0, updatedBy: 'pmo' }
const kpi = (o: Partial<KpiValue>): KpiValue => ({ key: 'k', title: 'KPI', unit: 'n', baseline: 0, target: 100, targetDate: '2026-12-31', direction: 'increase', live: null, actual: null, measuredAtMs: null, status: 'no_data', ...o })

describe('a KPI against its target', () => {
  it('is met when the actual reached the target in its direction', () => {
    expect(kpiStatus(kpi({ actual: 100 }), '2026-01-01', '2026-03-01')).toBe('met')
    expect(kpiStatus(kpi({ direction: 'decrease', baseline: 60, target: 30, actual: 29 }), '2026-01-01', '2026-03-01')).toBe('met')
  })

  it('is behind on the wrong side of the straight line from the baseline at the start to the target at its date', () => {
    // Half way through the year (2026-07-02: 182 of 364 days), ≈ 50 expected.
    expect(kpiStatus(kpi({ actual: 55 }), '2026-01-01', '2026-07-02')).toBe('on_track')
    expect(kpiStatus(kpi({ actual: 45 }), '2026-01-01', '2026-07-02')).toBe('behind')
    expect(kpiStatus(kpi({ direction: 'decrease', baseline: 60, target: 30, actual: 50 }), '2026-01-01', '2026-07-02')).toBe('behind')
  })

  it('without a baseline is behind only once its date passed; without a value it has no data', () => {
    expect(kpiStatus(kpi({ baseline: null, actual: 10 }), '2026-01-01', '2026-12-31')).toBe('on_track')
    expect(kpiStatus(kpi({ baseline: null, actual: 10 }), '2026-01-01', '2027-01-01')).toBe('behind')
    expect(kpiStatus(kpi({ actual: null }), '2026-01-01', '2026-07-02')).toBe('no_data')
  })
})

describe('a project’s health', () => {
  it('is on track with nothing late, no severe risk, no KPI behind', () => {
    const s = projectSummary(make({ milestones: [{ key: 'm', title: 'M', kind: 'milestone', dueDate: '2026-09-01' }] }), [], meta, '2026-06-01')
    expect(s).toMatchObject({ health: 'on_track', reasons: [], nextMilestone: { key: 'm' }, plannedCents: 100_000 })
  })

  it('is at risk with a late milestone, a risk scoring 15 or more, a KPI behind, or money committed early', () => {
    const p = make({ committedCents: 95_000, milestones: [{ key: 'm', title: 'Gara', kind: 'milestone', dueDate: '2026-05-20' }], risks: [{ key: 'r', title: 'Fornitore', probability: 3, impact: 5 }, { key: 'q', title: 'Lieve', probability: 2, impact: 2 }] })
    const s = projectSummary(p, [kpi({ title: 'Utenti', status: 'behind' })], meta, '2026-06-01')
    expect(s.health).toBe('at_risk')
    expect(s.reasons).toEqual([
      { code: 'milestones_late', count: 1, titles: ['Gara'], text: '1 milestone late (Gara)' },
      { code: 'severe_risks', count: 1, score: 15, titles: ['Fornitore'], text: '1 open risk scoring 15 or more (Fornitore)' },
      { code: 'kpis_behind', count: 1, titles: ['Utenti'], text: '1 KPI behind (Utenti)' },
      { code: 'committed_early', pct: 90, text: 'over 90 % of the planned money committed before the last quarter of its time' },
    ])
    expect(s).toMatchObject({ lateMilestones: 1, openRisks: 2, topRiskScore: 15, kpisBehind: 1 })
  })

  it('counts and lists what makes it late: two milestones, two risks, two KPIs', () => {
    const p = make({
      milestones: [{ key: 'a', title: 'Gara', kind: 'milestone', dueDate: '2026-05-20' }, { key: 'b', title: 'Collaudo', kind: 'deliverable', dueDate: '2026-05-25' }],
      risks: [{ key: 'r', title: 'Fornitore', probability: 3, impact: 5 }, { key: 'q', title: 'Meteo', probability: 4, impact: 4 }],
    })
    const s = projectSummary(p, [kpi({ title: 'Utenti', status: 'behind' }), kpi({ title: 'Accessi', status: 'behind' })], meta, '2026-06-01')
    expect(s.reasons.map((r) => r.text)).toEqual(['2 milestones late (Gara, Collaudo)', '2 open risks scoring 15 or more (Fornitore, Meteo)', '2 KPIs behind (Utenti, Accessi)'])
    expect(s.reasons.map((r) => ('count' in r ? r.count : null))).toEqual([2, 2, 2])
  })

  it('is off track past its end or with a milestone more than 30 days late; a closed risk or a done milestone does not count', () => {
    const late = make({ milestones: [{ key: 'm', title: 'Rilascio', kind: 'milestone', dueDate: '2026-04-01' }, { key: 'd', title: 'Fatto', kind: 'deliverable', dueDate: '2026-03-01', doneDate: '2026-03-05' }], risks: [{ key: 'r', title: 'Chiuso', probability: 5, impact: 5, status: 'closed' }] })
    expect(projectSummary(late, [], meta, '2026-06-01').reasons).toEqual([{ code: 'milestones_very_late', count: 1, days: 30, titles: ['Rilascio'], text: '1 milestone more than 30 days late (Rilascio)' }])
    expect(projectSummary(make(), [], meta, '2027-01-05')).toMatchObject({ health: 'off_track', reasons: [{ code: 'past_end', endDate: '2026-12-31', text: 'past its end date (2026-12-31)' }] })
    expect(projectSummary(make({ status: 'completed' }), [], meta, '2027-01-05')).toMatchObject({ health: 'completed', reasons: [] })
  })
})

describe('the portfolio', () => {
  it('adds up by line (every line listed) and funding source', () => {
    const a = make()
    const b = make({ id: 'p2', line: 'pmo', funding: [{ source: 'PN Metro Plus', plannedCents: 50_000 }, { source: 'Bilancio comunale', plannedCents: 70_000 }], spentCents: 10_000, committedCents: 20_000 })
    const items = [a, b].map((project) => ({ project, summary: projectSummary(project, [], meta, '2026-06-01') }))
    const p = portfolioOf(items, 0, '2026-06-01')
    expect(p.totals).toEqual({ projects: 2, plannedCents: 220_000, committedCents: 20_000, spentCents: 10_000 })
    expect(p.lines).toHaveLength(5)
    expect(p.lines.find((l) => l.line === 'pmo')).toMatchObject({ projects: 1, plannedCents: 120_000, byHealth: { on_track: 1 } })
    expect(p.funding).toEqual([{ source: 'PN Metro Plus', plannedCents: 150_000 }, { source: 'Bilancio comunale', plannedCents: 70_000 }])
  })

  it('counts days in Rome: 23:30 UTC on 31 December is already the new year', () => {
    expect(romeDay(Date.parse('2026-12-31T23:30:00Z'))).toBe('2027-01-01')
  })
})
