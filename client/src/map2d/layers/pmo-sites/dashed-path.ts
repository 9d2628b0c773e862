/**
 * Dashes of a path in lon/lat (deck.gl's PathLayer draws no dashes without the extensions package):
 * the path cut into pieces `dashM` long with `gapM` between them, measured along the ground
 * (equirectangular metres, exact enough over a work site).
 */
type LonLat = readonly [number, number]

const M_PER_DEG_LAT = 111_320

export function dashedPath(path: readonly LonLat[], dashM: number, gapM: number): Array<Array<[number, number]>> {
  if (path.length < 2 || dashM <= 0) return []
  const lat0 = (path[0]![1] * Math.PI) / 180
  const mPerDegLon = M_PER_DEG_LAT * Math.cos(lat0)
  const dashes: Array<Array<[number, number]>> = []
  let current: Array<[number, number]> | null = [[path[0]![0], path[0]![1]]]
  // Metres left in the current dash (drawing) or gap (not drawing).
  let left = dashM
  for (let i = 1; i < path.length; i++) {
    let [ax, ay] = path[i - 1]!
    const [bx, by] = path[i]!
    let segM = Math.hypot((bx - ax) * mPerDegLon, (by - ay) * M_PER_DEG_LAT)
    while (segM > 0) {
      const step = Math.min(left, segM)
      const t = step / segM
      const px = ax + (bx - ax) * t
      const py = ay + (by - ay) * t
      if (current) current.push([px, py])
      ;[ax, ay] = [px, py]
      segM -= step
      left -= step
      if (left <= 1e-9) {
        if (current) {
          dashes.push(current)
          current = null
          left = gapM
        } else {
          current = [[px, py]]
          left = dashM
        }
      }
    }
  }
  if (current && current.length > 1) dashes.push(current)
  return dashes
}
