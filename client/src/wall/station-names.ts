/**
 * Station names on a narrow tile: when every name starts with the same word — the network, as in
 * "ARPAE De Amicis", "ARPAE Via Chiarini" — the word is said once (in the column title) and the
 * names are shown without it.
 */
export interface ShortNames {
  /** The shared first word, or null when the names share none. */
  network: string | null
  names: string[]
}

export function shortStationNames(names: readonly string[]): ShortNames {
  const first = names[0]?.split(' ')[0]
  if (names.length < 2 || !first) return { network: null, names: [...names] }
  const rest = names.map((n) => (n.startsWith(`${first} `) ? n.slice(first.length + 1).trim() : null))
  if (rest.some((r) => r === null || r === '')) return { network: null, names: [...names] }
  return { network: first, names: rest as string[] }
}
