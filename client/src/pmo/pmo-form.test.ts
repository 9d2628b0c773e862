import { describe, expect, it } from 'vitest'
import { ProjectSchema, type ProjectInput } from '../../../contracts/schemas/pmo'
import { EMPTY_NEW_PROJECT, formFromProject, problemsFromDetails, projectFromForm, withKpiActual, withMilestoneDone, withRiskStatus, withStatusAndMoney, type NewProjectForm } from './pmo-form'

const form = (o: Partial<NewProjectForm> = {}): NewProjectForm => ({ ...EMPTY_NEW_PROJECT, id: 'wifi-piazze', line: 'infrastrutture-smart', title: ' Wi-Fi nelle piazze ', status: 'in_progress', startDate: '2026-02-01', endDate: '2027-01-31', fundingSource: 'PN Metro Plus', fundingEuros: '250.000,50', ...o })
const project = (o: Partial<ProjectInput> = {}) =>
  ProjectSchema.parse({
    id: 'pp', line: 'pmo', title: 'P', status: 'in_progress', startDate: '2026-01-01', endDate: '2026-12-31',
    funding: [{ source: 'Bilancio', plannedCents: 100_000_00 }],
    milestones: [{ key: 'm', title: 'M', kind: 'milestone', dueDate: '2026-03-01' }],
    kpis: [{ key: 'k', title: 'K', unit: 'n', target: 5, targetDate: '2026-12-31' }, { key: 'live', title: 'L', unit: '%', target: 90, targetDate: '2026-12-31', live: 'devices-online' }],
    risks: [{ key: 'r', title: 'R', probability: 3, impact: 5 }],
    ...o,
  })

describe('projectFromForm', () => {
  it('makes a document the contract accepts, with the amount in cents', () => {
    const r = projectFromForm(form(), 'it')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.project).toMatchObject({ id: 'wifi-piazze', title: 'Wi-Fi nelle piazze', funding: [{ source: 'PN Metro Plus', plannedCents: 250_000_50 }] })
    expect(ProjectSchema.safeParse(r.project).success).toBe(true)
  })
  it('leaves funding out when none is given', () => {
    const r = projectFromForm(form({ fundingSource: '', fundingEuros: '' }), 'en')
    expect(r.ok && r.project.funding).toEqual([])
  })
  it('names the amount field when it is not an amount', () => expect(projectFromForm(form({ fundingEuros: 'molti' }), 'it')).toEqual({ ok: false, problems: { fundingEuros: 'amount' } }))
  it('comes back to the same form from the document', () => {
    const r = projectFromForm(form(), 'it')
    expect(r.ok && formFromProject(ProjectSchema.parse(r.project), 'it')).toEqual({ ...form(), title: 'Wi-Fi nelle piazze', fundingEuros: '250000,50' })
  })
})

describe('problemsFromDetails', () => {
  it('puts body.project.<field> problems next to their fields and keeps the rest', () => {
    const r = problemsFromDetails([
      { path: 'body.project.id', message: 'bad id' },
      { path: 'body.project.endDate', message: 'before start' },
      { path: 'body.project.funding.0.source', message: 'empty' },
      { path: 'body.project.funding.0.plannedCents', message: 'too big' },
      { path: 'body.note', message: 'too long' },
    ])
    expect(r.fields).toEqual({ id: 'bad id', endDate: 'before start', fundingSource: 'empty', fundingEuros: 'too big' })
    expect(r.other).toEqual(['body.note: too long'])
  })
})

describe('edits', () => {
  it('changes status and money together', () => expect(withStatusAndMoney(project(), { status: 'suspended', committedCents: 5, spentCents: 1 })).toMatchObject({ status: 'suspended', committedCents: 5, spentCents: 1 }))
  it('marks one milestone done on a date', () => expect(withMilestoneDone(project(), 'm', '2026-03-04').milestones[0]!.doneDate).toBe('2026-03-04'))
  it('enters a hand-entered KPI’s value, never a live one’s', () => {
    const p = withKpiActual(withKpiActual(project(), 'k', 3, '2026-05-01'), 'live', 50, '2026-05-01')
    expect(p.kpis[0]).toMatchObject({ actual: 3, actualDate: '2026-05-01' })
    expect(p.kpis[1]).toMatchObject({ actual: null, actualDate: null })
    expect(ProjectSchema.safeParse(p).success).toBe(true)
  })
  it('clears the date with the value', () => expect(withKpiActual(project(), 'k', null, '2026-05-01').kpis[0]).toMatchObject({ actual: null, actualDate: null }))
  it('changes a risk’s status', () => expect(withRiskStatus(project(), 'r', 'mitigated').risks[0]!.status).toBe('mitigated'))
})
