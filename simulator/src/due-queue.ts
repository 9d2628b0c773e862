/** Binary min-heap ordered by (due, index): equal due times pop in a fixed order, so runs are reproducible. */
export interface DueItem {
  due: number
  readonly index: number
}

export class DueQueue<T extends DueItem> {
  private readonly items: T[] = []

  get size(): number {
    return this.items.length
  }

  peek(): T | undefined {
    return this.items[0]
  }

  push(item: T): void {
    const a = this.items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!less(a[i] as T, a[p] as T)) break
      swap(a, i, p)
      i = p
    }
  }

  pop(): T | undefined {
    const a = this.items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last !== undefined) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && less(a[l] as T, a[m] as T)) m = l
        if (r < a.length && less(a[r] as T, a[m] as T)) m = r
        if (m === i) break
        swap(a, i, m)
        i = m
      }
    }
    return top
  }
}

function less(x: DueItem, y: DueItem): boolean {
  return x.due < y.due || (x.due === y.due && x.index < y.index)
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i] as T
  a[i] = a[j] as T
  a[j] = t
}
