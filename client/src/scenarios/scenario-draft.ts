/**
 * The scenario being edited: the document of the version opened, the planner's changes to it (title,
 * base, edits, assumptions), and the version a save builds on — the latest one when it was loaded, so
 * that a version saved meanwhile by someone else is a CONFLICT, never overwritten. Pure reducer.
 */
import { ScenarioSchema, type Scenario, type ScenarioBase, type ScenarioEdit, type ScenarioNetwork } from '../../../contracts/schemas/scenario'

export interface Draft {
  document: Scenario
  /** The document as the version opened has it. */
  saved: Scenario
  /** The version on screen. */
  version: number
  /** What a save names as its base: the latest version when loaded (or after "keep my changes"). */
  baseVersion: number
}

export type DraftAction =
  | { type: 'load'; document: Scenario; version: number; latestVersion: number }
  | { type: 'title'; title: string }
  | { type: 'network'; network: ScenarioNetwork }
  | { type: 'base'; base: ScenarioBase }
  | { type: 'addEdit'; edit: ScenarioEdit }
  | { type: 'replaceEdit'; index: number; edit: ScenarioEdit }
  | { type: 'removeEdit'; index: number }
  | { type: 'addAssumption' }
  | { type: 'setAssumption'; index: number; text: string }
  | { type: 'removeAssumption'; index: number }
  /** Someone saved `latestVersion` meanwhile: keep these changes, applied to that version's document. */
  | { type: 'rebase'; latestVersion: number; latest: Scenario }

export function loadDraft(document: Scenario, version: number, latestVersion: number): Draft {
  return { document, saved: document, version, baseVersion: latestVersion }
}

const replaceAt = <T>(list: readonly T[], index: number, value: T) => list.map((x, i) => (i === index ? value : x))
const removeAt = <T>(list: readonly T[], index: number) => list.filter((_, i) => i !== index)

export function draftReducer(d: Draft, a: DraftAction): Draft {
  const doc = d.document
  const set = (document: Scenario) => ({ ...d, document })
  switch (a.type) {
    case 'load':
      return loadDraft(a.document, a.version, a.latestVersion)
    case 'title':
      return set({ ...doc, title: a.title })
    case 'network':
      return set({ ...doc, network: a.network })
    case 'base':
      return set({ ...doc, base: a.base })
    case 'addEdit':
      return set({ ...doc, edits: [...doc.edits, a.edit] })
    case 'replaceEdit':
      return set({ ...doc, edits: replaceAt(doc.edits, a.index, a.edit) })
    case 'removeEdit':
      return set({ ...doc, edits: removeAt(doc.edits, a.index) })
    case 'addAssumption':
      return set({ ...doc, assumptions: [...doc.assumptions, ''] })
    case 'setAssumption':
      return set({ ...doc, assumptions: replaceAt(doc.assumptions, a.index, a.text) })
    case 'removeAssumption':
      return set({ ...doc, assumptions: removeAt(doc.assumptions, a.index) })
    case 'rebase':
      return { ...d, document: mergeDocuments(d.saved, d.document, a.latest).document, saved: a.latest, baseVersion: a.latestVersion }
  }
}

/** The parts of a scenario a merge takes whole from one side or the other. */
export const MERGED_FIELDS = ['title', 'network', 'base', 'edits', 'assumptions'] as const
export type MergedField = (typeof MERGED_FIELDS)[number]

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * My changes (from `base`, the version I opened, to `mine`) applied to `theirs` (the version saved
 * meanwhile): each part I changed is mine, each part I left is theirs; `clashes` names the parts we
 * both changed differently (mine are kept — the planner chose to).
 */
export function mergeDocuments(base: Scenario, mine: Scenario, theirs: Scenario): { document: Scenario; clashes: MergedField[] } {
  const document: Scenario = { ...theirs }
  const clashes: MergedField[] = []
  for (const f of MERGED_FIELDS) {
    if (same(mine[f], base[f])) continue
    if (!same(theirs[f], base[f]) && !same(theirs[f], mine[f])) clashes.push(f)
    ;(document as Record<MergedField, unknown>)[f] = mine[f]
  }
  return { document, clashes }
}

/** The document as a save sends it: assumptions trimmed, empty ones dropped. */
export function documentToSave(doc: Scenario): Scenario {
  return { ...doc, title: doc.title.trim(), assumptions: doc.assumptions.map((x) => x.trim()).filter(Boolean) }
}

/** The planner changed something since the version was opened (blank assumptions do not count). */
export function isDirty(d: Draft): boolean {
  return JSON.stringify(documentToSave(d.document)) !== JSON.stringify(documentToSave(d.saved))
}

/** Why the document cannot be saved, as the contract says it (path: message); empty when it can. */
export function documentProblems(doc: Scenario): string[] {
  const parsed = ScenarioSchema.safeParse(documentToSave(doc))
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`)
}

/** A new scenario's id from its title: lower case, ASCII, dashes (the contract's slug). */
export function slugOf(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '')
}
