import { describe, expect, it } from 'vitest'
import { violations } from '../scripts/check-boundaries'

describe('house style', () => {
  it('keeps the folder boundaries (contracts pure, client on contracts only, server never on client)', () => {
    expect(violations()).toEqual([])
  })
})
