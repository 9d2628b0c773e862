import { useCallback, useSyncExternalStore } from 'react'

/** A minimal observable value: immutable snapshots, replaced by `set`, observed by React via useSyncExternalStore. */
export interface Store<T> {
  get(): T
  set(update: (prev: T) => T): void
  subscribe(listener: () => void): () => void
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial
  const listeners = new Set<() => void>()
  return {
    get: () => value,
    set(update) {
      const next = update(value)
      if (Object.is(next, value)) return
      value = next
      for (const listener of [...listeners]) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * Reads a slice of a store. The selector must return a value that is stable while its inputs are
 * unchanged (a field of the snapshot, or a primitive): derived objects belong in useMemo.
 */
export function useStore<T, S>(store: Store<T>, selector: (value: T) => S): S {
  const getSnapshot = useCallback(() => selector(store.get()), [store, selector])
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot)
}
