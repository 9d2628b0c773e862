import { describe, expect, it } from 'vitest'
import { lanePosition } from './lane-position'

const L: Array<[number, number]> = [[0, 0], [30, 0], [30, 40]]

describe('lanePosition', () => {
  it('walks the shape to pos', () => {
    expect(lanePosition(L, 70, 50)).toEqual({ point: [30, 20], posM: 50, clamped: null })
  })
  it('counts a negative pos back from the lane end, as SUMO does', () => {
    expect(lanePosition(L, 70, -10)).toEqual({ point: [30, 30], posM: 60, clamped: null })
  })
  it('scales pos by drawn length / declared length', () => {
    // Declared 35 m, drawn 70 m: pos 25 is 50 m along the shape.
    expect(lanePosition(L, 35, 25).point).toEqual([30, 20])
  })
  it('clamps a pos beyond either end and says so', () => {
    expect(lanePosition(L, 70, 90)).toEqual({ point: [30, 40], posM: 70, clamped: 'pos 90 is outside the lane (length 70 m); placed at its end' })
    expect(lanePosition(L, 70, -80)).toEqual({ point: [0, 0], posM: 0, clamped: 'pos -80 is outside the lane (length 70 m); placed at its start' })
  })
})
