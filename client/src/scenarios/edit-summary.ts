/**
 * One edit of a scenario in words, for the list of edits and the compare view's notes: its kind and
 * what it changes, the streets by name where the links or the clicks gave one (the edge id otherwise).
 */
import type { TFunction } from 'i18next'
import type { ScenarioEdit } from '../../../contracts/schemas/scenario'
import type { EditSource } from './edit-form'
import { hourText } from './hour-text'

/** "Via Rizzoli, Via Indipendenza (+2)": distinct names in order, ids for edges with no name. */
export function streetsText(edges: readonly string[], names: ReadonlyMap<string, string>, max = 3): string {
  const labels = [...new Set(edges.map((e) => names.get(e) ?? e))]
  return labels.length <= max ? labels.join(', ') : `${labels.slice(0, max).join(', ')} (+${labels.length - max})`
}

export function editSummary(t: TFunction, edit: ScenarioEdit, names: ReadonlyMap<string, string>): string {
  const streets = 'edges' in edit ? streetsText(edit.edges, names) : ''
  switch (edit.kind) {
    case 'close-road': {
      const what = edit.lanesClosed === undefined ? t('scenarios.summary.closeWhole', { streets }) : t('scenarios.summary.closeLanes', { count: edit.lanesClosed, streets })
      const when = edit.fromHour !== undefined || edit.toHour !== undefined ? ` ${t('scenarios.summary.window', { from: hourText(edit.fromHour ?? 0), to: hourText(edit.toHour ?? 0) })}` : ''
      return what + when
    }
    case 'speed-limit':
      return t('scenarios.summary.speedLimit', { streets, speed: edit.speedKmh })
    case 'lane-use':
      return t('scenarios.summary.laneUse', { streets, count: edit.lanes })
    case 'bus-lane':
      return t('scenarios.summary.busLane', { streets })
    case 'signal-plan':
      return t('scenarios.summary.signalPlan', { controller: edit.controllerId, plan: edit.planId, v: edit.version })
    case 'scale-demand':
      return edit.districts?.length ? t('scenarios.summary.scaleDistricts', { factor: edit.factor, districts: edit.districts.join(', ') }) : t('scenarios.summary.scaleAll', { factor: edit.factor })
    case 'generator':
      return t('scenarios.summary.generator', { name: edit.name, produced: edit.producedVehH, attracted: edit.attractedVehH })
  }
}

/** Where a closure comes from, when not drawn by hand: "from incident #12", "from PMO work site …"; null otherwise. */
export function sourceText(t: TFunction, edit: ScenarioEdit): string | null {
  return edit.kind === 'close-road' && edit.source ? sourceLabel(t, edit.source) : null
}

export function sourceLabel(t: TFunction, source: EditSource): string {
  return 'incidentId' in source ? t('scenarios.source.incident', { id: source.incidentId }) : t('scenarios.source.pmoSite', { id: source.pmoSiteId })
}
