import { describe, expect, it } from 'vitest'
import { PERSONAL_DATA_DENY_LIST, isDeniedColumn } from '../../../contracts/opendata-api'
import { ASSET_TYPES } from '../../../contracts/schemas/census'
import { col, type DatasetRow } from './datasets/dataset-definition'
import { DATASETS } from './datasets/registry'
import { privacyRefusal } from './privacy-guard'

const def = (...names: string[]) => ({ id: 'test', columns: names.map((n) => col(n, 'string', n, n)) })
const row = (properties: DatasetRow['properties']): DatasetRow => ({ properties, geometry: null })

describe('the privacy guard', () => {
  it('refuses a declared column on the deny list, however it is spelt', () => {
    for (const name of ['email', 'E-Mail', 'codice_fiscale', 'fiscalCode', 'first_name', 'Cognome', 'ip_address', 'assignee', 'notes']) {
      expect(privacyRefusal(def('id', name), []), name).toMatch(new RegExp(`column ${name} is on the personal-data deny list`))
    }
  })

  it('refuses a column a row carries but the dataset does not declare', () => {
    expect(privacyRefusal(def('id'), [row({ id: 1 }), row({ id: 2, reporter_hint: 'x' })])).toBe(
      'Dataset test: row 2 has the column reporter_hint, which the dataset does not declare; declare and describe it (or stop reading it) before publishing.',
    )
  })

  it('refuses an e-mail address or a fiscal code (also with omocodia) in any text, without repeating it', () => {
    const mail = privacyRefusal(def('id', 'status'), [row({ id: 1, status: 'scrivere a mario.rossi@example.org' })])
    expect(mail).toMatch(/row 1, column status holds what looks like an e-mail address/)
    expect(mail).not.toContain('mario')
    expect(privacyRefusal(def('id', 'status'), [row({ id: 1, status: 'CF RSSMRA80A01A944X' })])).toMatch(/looks like a fiscal code/)
    expect(privacyRefusal(def('id', 'status'), [row({ id: 1, status: 'rssmra80a01a94qx' })])).toMatch(/looks like a fiscal code/)
  })

  it('lets ordinary values through: device ids, street names, ISO times, numbers', () => {
    expect(privacyRefusal(def('id', 'name', 'at', 'n'), [row({ id: 'loop-450', name: 'Via dell’Indipendenza', at: '2026-11-28T10:00:00Z', n: 3 }), row({ id: 'arpae-giardini-margherita', name: null, at: null, n: null })])).toBeNull()
  })

  it('holds for every dataset Gemello publishes: no declared column is denied, nor any census attribute kept from the public', () => {
    for (const d of DATASETS) expect(d.columns.filter((c) => isDeniedColumn(c.name)), d.id).toEqual([])
    const restricted = ASSET_TYPES.flatMap((t) => t.attributes.filter((a) => a.public === false).map((a) => a.name))
    expect(restricted.length).toBeGreaterThan(0)
    for (const name of restricted) expect(isDeniedColumn(name), `${name} is a restricted census attribute`).toBe(true)
    expect(PERSONAL_DATA_DENY_LIST).toContain('email')
  })
})
