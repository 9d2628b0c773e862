/**
 * A change refused with 412 (someone else saved the feature meanwhile): what each side changed since
 * the version the editor started from, and "re-apply mine on top of theirs" — their version with the
 * attributes and the geometry this editor changed. Nothing is overwritten silently: where both changed
 * the same attribute, the row says so before the person chooses. Pure.
 */
import type { EditableGeometry } from '../state/census-map'
import { sameGeometry } from './census-geometry'
import type { FormValues } from './form-model'

/** What the form edits: the attributes as typed, and the geometry. */
export interface Draft {
  values: FormValues
  geometry: EditableGeometry | null
}

export interface MergeRow {
  name: string
  base: string
  mine: string
  theirs: string
  mineChanged: boolean
  theirsChanged: boolean
  /** Both changed it, to different values. */
  clash: boolean
}

export interface DraftComparison {
  rows: MergeRow[]
  geometry: { mineChanged: boolean; theirsChanged: boolean; clash: boolean }
  clashes: number
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').trim() === (b ?? '').trim()

/** Every attribute someone changed since `base`, in `names` order, and the geometry. */
export function compareDrafts(base: Draft, mine: Draft, theirs: Draft, names: readonly string[]): DraftComparison {
  const rows: MergeRow[] = []
  for (const name of names) {
    const b = base.values[name] ?? ''
    const m = mine.values[name] ?? ''
    const t = theirs.values[name] ?? ''
    const mineChanged = !same(b, m)
    const theirsChanged = !same(b, t)
    if (!mineChanged && !theirsChanged) continue
    rows.push({ name, base: b, mine: m, theirs: t, mineChanged, theirsChanged, clash: mineChanged && theirsChanged && !same(m, t) })
  }
  const gm = !sameGeometry(base.geometry, mine.geometry)
  const gt = !sameGeometry(base.geometry, theirs.geometry)
  const geometry = { mineChanged: gm, theirsChanged: gt, clash: gm && gt && !sameGeometry(mine.geometry, theirs.geometry) }
  return { rows, geometry, clashes: rows.filter((r) => r.clash).length + (geometry.clash ? 1 : 0) }
}

/** Their version with my changes on top: each attribute I changed takes my value, the geometry mine if I moved it. */
export function reapply(base: Draft, mine: Draft, theirs: Draft): Draft {
  const values: Record<string, string> = { ...theirs.values }
  for (const [name, m] of Object.entries(mine.values)) if (!same(base.values[name], m)) values[name] = m
  return { values, geometry: sameGeometry(base.geometry, mine.geometry) ? theirs.geometry : mine.geometry }
}
