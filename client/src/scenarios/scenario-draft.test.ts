import { describe, expect, it } from 'vitest'
import { scenarioDocument } from './testing/scenario-fixtures'
import { documentProblems, documentToSave, draftReducer, isDirty, loadDraft, mergeDocuments, slugOf, type DraftAction } from './scenario-draft'

const fresh = () => loadDraft(scenarioDocument(), 2, 2)
const run = (...actions: DraftAction[]) => actions.reduce(draftReducer, fresh())

describe('the scenario draft', () => {
  it('is clean as loaded, dirty after a change, clean again when the change is undone', () => {
    expect(isDirty(fresh())).toBe(false)
    const d = run({ type: 'title', title: 'Altro' })
    expect(isDirty(d)).toBe(true)
    expect(isDirty(draftReducer(d, { type: 'title', title: 'Chiusura via Rizzoli' }))).toBe(false)
  })

  it('adds, replaces and removes edits in order', () => {
    const d = run({ type: 'addEdit', edit: { kind: 'bus-lane', edges: ['e9'] } }, { type: 'replaceEdit', index: 0, edit: { kind: 'speed-limit', edges: ['e1'], speedKmh: 30 } }, { type: 'removeEdit', index: 1 })
    expect(d.document.edits).toEqual([{ kind: 'speed-limit', edges: ['e1'], speedKmh: 30 }])
  })

  it('keeps assumptions as a list; blank ones are not saved and do not make it dirty', () => {
    const d = run({ type: 'addAssumption' })
    expect(d.document.assumptions).toEqual(['Cantiere di 6 mesi', ''])
    expect(isDirty(d)).toBe(false)
    const e = draftReducer(draftReducer(d, { type: 'setAssumption', index: 1, text: ' Domanda 2024 ' }), { type: 'removeAssumption', index: 0 })
    expect(documentToSave(e.document).assumptions).toEqual(['Domanda 2024'])
    expect(isDirty(e)).toBe(true)
  })

  it('saves on the latest version known, and on the newer one after "keep my changes"', () => {
    const d = draftReducer(loadDraft(scenarioDocument(), 1, 3), { type: 'title', title: 'Mine' })
    expect(d.baseVersion).toBe(3)
    const theirs = scenarioDocument({ assumptions: ['Cantiere di 6 mesi', 'Theirs'] })
    const r = draftReducer(d, { type: 'rebase', latestVersion: 4, latest: theirs })
    expect(r).toMatchObject({ baseVersion: 4, version: 1, document: { title: 'Mine', assumptions: ['Cantiere di 6 mesi', 'Theirs'] } })
    expect(isDirty(r)).toBe(true)
  })

  it('merges my changes onto a version saved meanwhile: mine where I changed, theirs elsewhere, clashes named', () => {
    const base = scenarioDocument()
    const mine = scenarioDocument({ title: 'Mine', edits: [] })
    const theirs = scenarioDocument({ edits: [{ kind: 'bus-lane', edges: ['e7'] }], base: { kind: 'observed', date: '2024-03-14', hour: 8 } })
    const { document, clashes } = mergeDocuments(base, mine, theirs)
    expect(document).toMatchObject({ title: 'Mine', edits: [], base: { date: '2024-03-14' } })
    expect(clashes).toEqual(['edits'])
    expect(mergeDocuments(base, base, theirs)).toEqual({ document: theirs, clashes: [] })
  })

  it('says what the contract refuses', () => {
    expect(documentProblems(scenarioDocument())).toEqual([])
    expect(documentProblems(scenarioDocument({ title: '  ' }))).toEqual([expect.stringMatching(/^title: /)])
  })

  it('makes an id from a title', () => {
    expect(slugOf('Chiusura via Rizzoli — lavori 2026!')).toBe('chiusura-via-rizzoli-lavori-2026')
    expect(slugOf('Città è più')).toBe('citta-e-piu')
    expect(slugOf('x'.repeat(100))).toHaveLength(80)
  })
})
