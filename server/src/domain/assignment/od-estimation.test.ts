/**
 * OD estimation from counts on a generated city (a grid with six zones): counts made by assigning a
 * known "true" matrix to the network are reproduced from a wrong prior — the mean GEH on the counted
 * links falls below 1 — and the estimate moves the matrix towards the truth.
 */
import { describe, expect, it } from 'vitest'
import { assign } from './assign'
import { buildNetwork, type LinkInput } from './network'
import { estimateOd, meanGeh } from './od-estimation'

function grid() {
  const n = 6
  const links: LinkInput[] = []
  const id = (i: number, j: number) => `${i},${j}`
  const add = (a: string, b: string, t: number) => links.push({ id: `${a}>${b}`, from: a, to: b, t0S: t, capacityVehH: 900, lengthM: t * 12 })
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i + 1 < n) { add(id(i, j), id(i + 1, j), 40 + ((i * 5 + j * 3) % 7) * 5); add(id(i + 1, j), id(i, j), 40 + ((i + j * 7) % 5) * 5) }
      if (j + 1 < n) { add(id(i, j), id(i, j + 1), 40 + ((i * 3 + j) % 6) * 5); add(id(i, j + 1), id(i, j), 40 + ((i * 7 + j * 2) % 4) * 5) }
    }
  }
  const spots = [id(0, 0), id(0, 5), id(5, 0), id(5, 5), id(2, 3), id(3, 1)]
  const zones = spots.map((s, k) => ({ id: `z${k}`, node: `c${k}` }))
  spots.forEach((s, k) => {
    links.push({ id: `c${k}>${s}`, from: `c${k}`, to: s, t0S: 5, capacityVehH: 1e6, lengthM: 50, connector: true, alpha: 0 })
    links.push({ id: `${s}>c${k}`, from: s, to: `c${k}`, t0S: 5, capacityVehH: 1e6, lengthM: 50, connector: true, alpha: 0 })
  })
  return buildNetwork(links, zones)
}

describe('OD estimation from counts', () => {
  it('reproduces counts made from a known matrix, starting from a uniform prior', () => {
    const net = grid()
    const Z = 6
    // The "true" matrix: strongly unequal (zone 4 is a centre attracting most trips).
    const truth = new Float64Array(Z * Z)
    for (let a = 0; a < Z; a++) for (let b = 0; b < Z; b++) if (a !== b) truth[a * Z + b] = b === 4 ? 500 : 60 + 20 * ((a + 2 * b) % 3)
    const observed = assign(net, truth, { relativeGap: 1e-6 })
    // Counts on every third road link (not on connectors), as a city's loops would be.
    const counts = []
    for (let l = 0; l < net.linkCount; l++) if (!net.connector[l] && l % 3 === 0 && observed.flows[l]! > 1) counts.push({ link: l, vehH: observed.flows[l]! })
    const prior = new Float64Array(Z * Z)
    for (let a = 0; a < Z; a++) for (let b = 0; b < Z; b++) if (a !== b) prior[a * Z + b] = 100
    const before = meanGeh(assign(net, prior, { relativeGap: 1e-6 }).flows, counts)
    const est = estimateOd(net, prior, counts, { iterations: 12, assign: { relativeGap: 1e-6 } })
    const after = est.meanGehHistory.at(-1)!
    expect(before).toBeGreaterThan(3)
    expect(after).toBeLessThan(1)
    expect(after).toBeLessThan(before / 4)
    // Towards the truth (counts alone do not determine a matrix): the error in the centre's attraction more than halves.
    const toCentre = (m: Float64Array) => [0, 1, 2, 3, 5].reduce((s, a) => s + m[a * Z + 4]!, 0)
    expect(Math.abs(toCentre(est.od) - toCentre(truth))).toBeLessThan(Math.abs(toCentre(prior) - toCentre(truth)) / 2)
  })
})
