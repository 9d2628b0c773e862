import { describe, expect, it } from 'vitest'
import { assetType, type AssetType } from '../../../contracts/schemas/census'
import { censusModel } from './testing/census-fixtures'
import { assetTypeOf, changedProperties, checkValues, creationProperties, detailsOnFields, rawOf, storedOf, valuesOf, versionOf } from './form-model'

const poles = () => assetTypeOf(censusModel().types.find((t) => t.id === 'poles')!)
const lights = () => assetTypeOf(censusModel().types.find((t) => t.id === 'street-lights')!)
const empty = (t: AssetType) => Object.fromEntries(t.attributes.map((a) => [a.name, '']))

describe('the attribute form', () => {
  it('is built from the model the server sends, like the contract’s own asset type', () => {
    expect(poles().attributes.map((a) => a.name)).toEqual(assetType('poles')!.attributes.map((a) => a.name))
  })

  it('shows stored values as text, decimals with the UI language’s separator, and leaves out _version', () => {
    const v = valuesOf(poles(), { status: 'functional', heightM: 8.5, armCount: 2, _version: 3 }, 'it')
    expect(v).toMatchObject({ status: 'functional', heightM: '8,5', armCount: '2', name: '' })
    expect(v).not.toHaveProperty('_version')
    expect(valuesOf(lights(), { dimmable: false, powerW: 70.5 }, 'en')).toMatchObject({ dimmable: 'false', powerW: '70.5' })
  })

  it('accepts a decimal comma and normalises values as the server does', () => {
    const r = checkValues(poles(), { ...empty(poles()), status: 'functional', heightM: ' 8,5 ', armCount: '2', name: '  Palo 12 ' })
    expect(r).toEqual({ ok: true, properties: expect.objectContaining({ status: 'functional', heightM: 8.5, armCount: 2, name: 'Palo 12', notes: null }) })
  })

  it('names each problem the contract’s checker finds, on its field', () => {
    const r = checkValues(poles(), { ...empty(poles()), heightM: '50', armCount: '1.5', installedOn: '2026-02-30', material: 'gold' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems.status).toMatchObject({ code: 'required' })
    expect(r.problems.heightM).toMatchObject({ code: 'max', params: { max: 40, unit: 'm' } })
    expect(r.problems.armCount).toMatchObject({ code: 'integer' })
    expect(r.problems.installedOn).toMatchObject({ code: 'date' })
    expect(r.problems.material).toMatchObject({ code: 'code' })
    expect(r.problems.heightM!.message).toMatch(/at most 40/)
  })

  it('checks relations and text lengths', () => {
    const r = checkValues(lights(), { ...empty(lights()), status: 'functional', poleId: 'P-12', name: 'x'.repeat(201), dimmable: 'true' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.problems.poleId).toMatchObject({ code: 'refId', params: { collections: 'poles' } })
    expect(r.problems.name).toMatchObject({ code: 'maxLength', params: { max: 200 } })
    expect(r.problems.dimmable).toBeUndefined()
    expect(rawOf(lights(), { ...empty(lights()), dimmable: 'true', poleId: '42' })).toMatchObject({ dimmable: true, poleId: '42', name: null })
  })

  it('patches only what changed, null clearing a value', () => {
    const stored = storedOf(poles(), { status: 'functional', heightM: 8, name: 'Palo', _version: 2 })
    const r = checkValues(poles(), { ...valuesOf(poles(), stored, 'en'), heightM: '9', name: '' })
    expect(r.ok && changedProperties(stored, r.properties)).toEqual({ heightM: 9, name: null })
    const same = checkValues(poles(), valuesOf(poles(), stored, 'en'))
    expect(same.ok && changedProperties(stored, same.properties)).toEqual({})
  })

  it('creates with the values given only', () => {
    expect(creationProperties({ status: 'functional', heightM: null, name: 'Palo' })).toEqual({ status: 'functional', name: 'Palo' })
  })

  it('puts the server’s INVALID_FEATURE details on their fields', () => {
    const d = detailsOnFields(poles(), [
      { path: 'properties.heightM', message: 'Height (heightM) is 50 m; at most 40' },
      { path: 'properties.colour', message: '"colour" is not an attribute of poles' },
      { path: 'body', message: 'something else' },
    ])
    expect(d.fields).toEqual({ heightM: 'Height (heightM) is 50 m; at most 40' })
    expect(d.other).toEqual(['"colour" is not an attribute of poles', 'something else'])
  })

  it('reads the version from the properties', () => {
    expect(versionOf({ _version: 4 })).toBe(4)
    expect(versionOf({})).toBeNull()
  })
})
