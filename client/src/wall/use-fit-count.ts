import { useLayoutEffect, useState, type RefObject } from 'react'

/**
 * How many children of a clipped list are wholly visible — so a tile can say "+ N more" instead of
 * cutting a line in half without a word. Re-measured when the list resizes or `version` changes.
 */
export function useFitCount(listRef: RefObject<HTMLElement | null>, version: unknown): number | null {
  const [fit, setFit] = useState<number | null>(null)
  useLayoutEffect(() => {
    const list = listRef.current
    if (!list) return
    const measure = () => {
      const bottom = list.getBoundingClientRect().bottom + 0.5
      let n = 0
      for (const child of Array.from(list.children)) {
        if (child.getBoundingClientRect().bottom > bottom) break
        n += 1
      }
      setFit(n)
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(list)
    return () => observer.disconnect()
  }, [listRef, version])
  return fit
}
