import i18next, { type TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import type { HealthReason } from '../../../contracts/pmo-api'
import { RESOURCES } from '../app/i18n/init-i18n'
import { reasonText } from './pmo-reasons'

function translator(lng: 'it' | 'en'): TFunction {
  const i18n = i18next.createInstance()
  void i18n.init({ resources: { [lng]: { translation: RESOURCES[lng] } }, lng, initAsync: false, interpolation: { escapeValue: false } })
  return i18n.t
}

/** One reason of each code, as the server sends them (the English `text` is not what the panel shows). */
const REASONS: HealthReason[] = [
  { code: 'past_end', endDate: '2026-12-31', text: '' },
  { code: 'milestones_very_late', count: 1, days: 30, titles: ['Rilascio'], text: '' },
  { code: 'milestones_late', count: 2, titles: ['Gara', 'Collaudo'], text: '' },
  { code: 'severe_risks', count: 1, score: 15, titles: ['Fornitore'], text: '' },
  { code: 'kpis_behind', count: 2, titles: ['Utenti', 'Accessi'], text: '' },
  { code: 'committed_early', pct: 90, text: '' },
]

describe('a health reason in words', () => {
  it('is worded in Italian from its code and figures', () => {
    const t = translator('it')
    expect(REASONS.map((r) => reasonText(t, r))).toEqual([
      'oltre la data di fine (2026-12-31)',
      '1 milestone in ritardo di oltre 30 giorni (Rilascio)',
      '2 milestone in ritardo (Gara, Collaudo)',
      '1 rischio aperto con punteggio 15 o più (Fornitore)',
      '2 KPI in ritardo (Utenti, Accessi)',
      'oltre il 90 % delle risorse programmate impegnato prima dell’ultimo quarto della durata',
    ])
  })

  it('is worded in English, one or many', () => {
    const t = translator('en')
    expect(REASONS.map((r) => reasonText(t, r))).toEqual([
      'past its end date (2026-12-31)',
      '1 milestone more than 30 days late (Rilascio)',
      '2 milestones late (Gara, Collaudo)',
      '1 open risk scoring 15 or more (Fornitore)',
      '2 KPIs behind (Utenti, Accessi)',
      'over 90 % of the planned money committed before the last quarter of its time',
    ])
  })
})
