/**
 * Undo and redo for the editor: the present value with what came before and after. Pure; an edit
 * that changes nothing is not a step.
 */
export interface EditHistory<T> {
  past: readonly T[]
  present: T
  future: readonly T[]
}

export const HISTORY_LIMIT = 200

export function startHistory<T>(present: T): EditHistory<T> {
  return { past: [], present, future: [] }
}

export function pushEdit<T>(h: EditHistory<T>, next: T, limit = HISTORY_LIMIT): EditHistory<T> {
  if (next === h.present) return h
  const past = [...h.past, h.present]
  return { past: past.length > limit ? past.slice(past.length - limit) : past, present: next, future: [] }
}

export function undo<T>(h: EditHistory<T>): EditHistory<T> {
  const prev = h.past[h.past.length - 1]
  if (prev === undefined) return h
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] }
}

export function redo<T>(h: EditHistory<T>): EditHistory<T> {
  const [next, ...rest] = h.future
  if (next === undefined) return h
  return { past: [...h.past, h.present], present: next, future: rest }
}
