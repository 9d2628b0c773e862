/**
 * A loaded dataset's aggregates (migration 0021, docs/dashboards.md): per level × area × category ×
 * measure, the sum of the values and how many there were. Level 'city' (area '') holds every row,
 * placed or not; 'quartiere' and 'area_statistica' the rows placed there. Sums and counts add up over
 * categories and areas, so every figure a dashboard shows is one of these summed — a mean is the sum
 * of sums over the sum of counts, never a mean of means.
 */
import type { AreaLevel } from '../../../../contracts/theme-dashboard-api'
import { ROWS_MEASURE, type DatasetValues } from './dataset-values'
import type { Placement } from './dataset-placement'

export type FigureLevel = 'city' | AreaLevel

export interface Figure {
  level: FigureLevel
  /** '' at level city. */
  areaId: string
  /** '' without a category column, or for an empty cell. */
  category: string
  measureId: string
  sum: number
  count: number
}

export interface SumCount {
  sum: number
  count: number
}

/** The figures of a load: the rows counted (measure `rows`) and each measure, at every level a row reaches. */
export function aggregate(measureIds: readonly string[], values: DatasetValues, placement: Placement): Figure[] {
  const ids = [ROWS_MEASURE, ...measureIds]
  const acc = new Map<string, { level: FigureLevel; areaId: string; category: string; sc: Float64Array }>()
  const add = (level: FigureLevel, areaId: string, category: string, row: number) => {
    const key = `${level}\u0000${areaId}\u0000${category}`
    let a = acc.get(key)
    if (!a) acc.set(key, (a = { level, areaId, category, sc: new Float64Array(ids.length * 2) }))
    a.sc[0]! += 1
    a.sc[1]! += 1
    values.measures.forEach((m, k) => {
      const v = m[row]!
      if (Number.isNaN(v)) return
      a.sc[(k + 1) * 2]! += v
      a.sc[(k + 1) * 2 + 1]! += 1
    })
  }
  values.categories.forEach((category, row) => {
    add('city', '', category, row)
    const place = placement.places[row]
    if (place?.quartiere) add('quartiere', place.quartiere, category, row)
    if (place?.area_statistica) add('area_statistica', place.area_statistica, category, row)
  })
  const figures: Figure[] = []
  for (const a of acc.values()) {
    ids.forEach((measureId, k) => {
      const count = a.sc[k * 2 + 1]!
      if (count > 0) figures.push({ level: a.level, areaId: a.areaId, category: a.category, measureId, sum: a.sc[k * 2]!, count })
    })
  }
  return figures
}

/** Stored figures summed the ways a dashboard reads them. */
export class FigureIndex {
  private readonly byAreaMap = new Map<string, Map<string, SumCount>>()
  private readonly byCategoryMap = new Map<string, Map<string, SumCount>>()
  private readonly byAreaCategoryMap = new Map<string, Map<string, SumCount>>()
  readonly levels = new Set<AreaLevel>()

  constructor(figures: readonly Figure[]) {
    for (const f of figures) {
      const area = `${f.level}\u0000${f.areaId}`
      addTo(this.byAreaMap, area, f)
      addTo(this.byAreaCategoryMap, `${area}\u0000${f.category}`, f)
      if (f.level === 'city') addTo(this.byCategoryMap, f.category, f)
      else this.levels.add(f.level)
    }
  }

  /** The city's figure of a measure, every row counted (placed or not). */
  city(measureId: string): SumCount | null {
    return this.byAreaMap.get('city\u0000')?.get(measureId) ?? null
  }
  /** An area's figure over all categories; null: no row (or no value) there. */
  area(level: AreaLevel, areaId: string, measureId: string): SumCount | null {
    return this.byAreaMap.get(`${level}\u0000${areaId}`)?.get(measureId) ?? null
  }
  /** A category's figure over the whole city. */
  category(category: string, measureId: string): SumCount | null {
    return this.byCategoryMap.get(category)?.get(measureId) ?? null
  }
  /** An area's figure for one category. */
  areaCategory(level: AreaLevel, areaId: string, category: string, measureId: string): SumCount | null {
    return this.byAreaCategoryMap.get(`${level}\u0000${areaId}\u0000${category}`)?.get(measureId) ?? null
  }
  /** The categories, in descending order of rows (then by name). */
  categories(): string[] {
    const rows = (c: string) => this.category(c, ROWS_MEASURE)?.count ?? 0
    return [...this.byCategoryMap.keys()].sort((a, b) => rows(b) - rows(a) || a.localeCompare(b, 'it'))
  }
}

function addTo(map: Map<string, Map<string, SumCount>>, key: string, f: Figure): void {
  let m = map.get(key)
  if (!m) map.set(key, (m = new Map()))
  const sc = m.get(f.measureId)
  if (sc) {
    sc.sum += f.sum
    sc.count += f.count
  } else m.set(f.measureId, { sum: f.sum, count: f.count })
}

/** A figure as a dashboard shows it: the sum (sum, count) or the mean; null without values. */
export function figureValue(agg: 'sum' | 'mean' | 'count', sc: SumCount | null): number | null {
  if (sc === null || sc.count === 0) return null
  return agg === 'mean' ? sc.sum / sc.count : sc.sum
}
