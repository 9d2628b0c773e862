import { describe, expect, it } from 'vitest'
import { ruleTexts } from './alarm-text'

describe('rule texts', () => {
  const alarm = { ruleName: 'Device silent', cause: 'c-en', consequence: 'q-en', response: 'r-en', translations: { it: { name: 'Dispositivo silente', response: 'r-it' } } }
  it('uses the language’s texts where the rule has them, its own texts elsewhere', () => {
    expect(ruleTexts(alarm, 'it')).toEqual({ name: 'Dispositivo silente', cause: 'c-en', consequence: 'q-en', response: 'r-it' })
    expect(ruleTexts(alarm, 'en-GB')).toEqual({ name: 'Device silent', cause: 'c-en', consequence: 'q-en', response: 'r-en' })
  })
})
