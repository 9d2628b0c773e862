/**
 * An import's report (POST /api/census/:collection/import) as the dialog shows it: the problems per
 * feature of the file, in file order, and whether the file may be imported as it is. Pure.
 */
import type { ImportReport } from '../../../contracts/census-api'

export interface FeatureProblems {
  /** Position in the file (0-based), and the feature's own id when it has one. */
  index: number
  id: string | number | null
  problems: Array<{ path: string; message: string }>
}

export function problemsByFeature(report: Pick<ImportReport, 'problems'>): FeatureProblems[] {
  const byIndex = new Map<number, FeatureProblems>()
  for (const p of report.problems) {
    const entry = byIndex.get(p.index) ?? { index: p.index, id: p.id, problems: [] }
    entry.problems.push({ path: p.path, message: p.message })
    byIndex.set(p.index, entry)
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index)
}

/** A dry run of this very file found nothing wrong: it may be stored. */
export function importable(report: ImportReport | null, dryRunOf: File | null, file: File | null): boolean {
  return !!report && !report.stored && report.problems.length === 0 && report.features > 0 && !!file && dryRunOf === file
}
