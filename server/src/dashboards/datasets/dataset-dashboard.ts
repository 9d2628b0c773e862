/**
 * A loaded dataset's dashboard (contracts/theme-dashboard-api.ts, docs/dashboards.md), assembled from
 * its stored aggregates:
 *   - KPIs: the rows (how many placed in an area), then each measure over the whole city — total or mean;
 *   - one choropleth of every measure with a level for each of district and statistical area that has
 *     placed rows, every area listed (null where no row of the file falls);
 *   - per measure, a bar chart by area at the finest level with placed rows;
 *   - with a category column: per measure, a bar chart by category (the whole city), and one chart of
 *     districts × categories, stacked, for the first measure that adds up (a sum or a count).
 */
import type { AreaLevel, ChartPanel, DatasetLoad, Localised, Measure, Panel, ThemeDashboard } from '../../../../contracts/theme-dashboard-api'
import { areaRows, type AreaRef } from '../../db/dashboard-areas'
import { figureValue, type FigureIndex } from './dataset-figures'
import { ROWS_MEASURE } from './dataset-values'

/** What is kept of a load: everything but the file. */
export type StoredDefinition = Omit<DatasetLoad, 'content'>

export interface StoredDataset {
  definition: StoredDefinition
  rowCount: number
  placedCount: number
  loadedAtMs: number
}

const LEVEL_NAMES: Record<AreaLevel, Localised> = {
  quartiere: { it: 'quartiere', en: 'district' },
  area_statistica: { it: 'area statistica', en: 'statistical area' },
}
const NO_CATEGORY: Localised = { it: '(non indicata)', en: '(not given)' }
const ROWS: Measure = { id: ROWS_MEASURE, label: { it: 'Righe', en: 'Rows' }, unit: null, format: 'integer', higherIsWorse: false }
const same = (s: string): Localised => ({ it: s, en: s })
const int = (n: number) => n.toLocaleString('it-IT')
const intEn = (n: number) => n.toLocaleString('en-GB')

export function datasetDashboard(d: StoredDataset, figures: FigureIndex, areas: ReadonlyMap<AreaLevel, readonly AreaRef[]>, nowMs: number): ThemeDashboard {
  const def = d.definition
  const measures: Measure[] = [ROWS, ...def.measures.map((m) => ({ id: m.id, label: m.label, unit: m.unit, format: m.format, higherIsWorse: m.higherIsWorse }))]
  const ids = def.measures.map((m) => m.id)
  const levels = (['quartiere', 'area_statistica'] as const).filter((l) => figures.levels.has(l))
  const unplaced = d.rowCount - d.placedCount

  const panels: Panel[] = [
    {
      kind: 'kpi',
      id: 'kpi-rows',
      title: { it: 'Righe del file', en: 'Rows of the file' },
      measureId: ROWS_MEASURE,
      value: d.rowCount,
      note: { it: `${int(d.placedCount)} collocate in un'area, ${int(unplaced)} solo nel totale della città`, en: `${intEn(d.placedCount)} placed in an area, ${intEn(unplaced)} in the city's total only` },
    },
    ...def.measures.map((m): Panel => ({
      kind: 'kpi',
      id: `kpi-${m.id}`,
      title: m.label,
      measureId: m.id,
      value: figureValue(m.agg, figures.city(m.id)),
      note: m.agg === 'mean' ? { it: 'Media della città', en: 'City mean' } : { it: 'Totale della città', en: 'City total' },
    })),
  ]

  if (levels.length > 0) {
    panels.push({
      kind: 'choropleth',
      id: 'areas',
      title: { it: 'Per area', en: 'By area' },
      measureIds: ids,
      levels: Object.fromEntries(
        levels.map((level) => {
          const values = new Map((areas.get(level) ?? []).map((a) => [a.id, Object.fromEntries(def.measures.map((m) => [m.id, figureValue(m.agg, figures.area(level, a.id, m.id))]))]))
          return [level, areaRows(areas.get(level) ?? [], values, ids)]
        }),
      ),
      note: unplaced > 0 ? { it: `${int(unplaced)} righe fuori da ogni area contano solo nei totali della città.`, en: `${intEn(unplaced)} rows outside every area count in the city's totals only.` } : null,
    })
    const finest = levels[levels.length - 1]!
    const finestAreas = areas.get(finest) ?? []
    for (const m of def.measures) {
      panels.push(chart(`by-area-${m.id}`, { it: `${m.label.it} per ${LEVEL_NAMES[finest].it}`, en: `${m.label.en} by ${LEVEL_NAMES[finest].en}` }, 'bar', LEVEL_NAMES[finest], m.id,
        finestAreas.map((a) => ({ key: a.id, label: same(a.name) })),
        [{ id: m.id, label: m.label, points: finestAreas.map((a) => ({ x: a.id, y: figureValue(m.agg, figures.area(finest, a.id, m.id)) })) }]))
    }
  }

  if (def.categoryColumn !== null) {
    const categories = figures.categories()
    const categoryLabels = categories.map((c) => ({ key: c, label: c === '' ? NO_CATEGORY : same(c) }))
    const column = same(def.categoryColumn)
    for (const m of def.measures) {
      panels.push(chart(`by-category-${m.id}`, { it: `${m.label.it} per ${def.categoryColumn}`, en: `${m.label.en} by ${def.categoryColumn}` }, 'bar', column, m.id, categoryLabels,
        [{ id: m.id, label: m.label, points: categories.map((c) => ({ x: c, y: figureValue(m.agg, figures.category(c, m.id)) })) }]))
    }
    const additive = def.measures.find((m) => m.agg !== 'mean')
    const districts = areas.get('quartiere') ?? []
    if (additive && levels.includes('quartiere')) {
      panels.push(chart(`by-quartiere-category-${additive.id}`, { it: `${additive.label.it} per quartiere e ${def.categoryColumn}`, en: `${additive.label.en} by district and ${def.categoryColumn}` }, 'stacked', LEVEL_NAMES.quartiere, additive.id,
        districts.map((a) => ({ key: a.id, label: same(a.name) })),
        categoryLabels.map((c) => ({ id: `category-${c.key}`, label: c.label, points: districts.map((a) => ({ x: a.id, y: figureValue(additive.agg, figures.areaCategory('quartiere', a.id, c.key, additive.id)) })) }))))
    }
  }

  return {
    id: def.id,
    kind: 'dataset',
    title: def.title,
    description: def.description,
    generatedAtMs: nowMs,
    window: null,
    days: null,
    measures,
    panels,
    sources: [{ title: def.source.title, licence: def.source.licence, attribution: def.source.attribution, url: def.source.url }],
  }
}

function chart(id: string, title: Localised, kind: 'bar' | 'stacked', xLabel: Localised, measureId: string, categories: ChartPanel['categories'], series: ChartPanel['series']): ChartPanel {
  return { kind: 'chart', id, title, chart: kind, xKind: 'category', xLabel, categories, measureId, series, references: [], note: null }
}
