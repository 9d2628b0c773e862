const LOWER_WORDS = new Set(['di', 'de', 'del', 'dell', 'all', 'dall', 'sull', 'nell', 'della', 'delle', 'dei', 'degli', 'dello', 'da', 'dal', 'dalla', 'e', 'in', 'a', 'al', 'alla', 'sul', 'sulla'])

/** "VIA DEL PRATELLO" → "Via del Pratello"; names already in mixed case are kept. */
export function streetCase(name: string): string {
  if (name !== name.toUpperCase()) return name
  return name
    .toLowerCase()
    .split(/(\s+|-|')/)
    .map((word, i) => (i > 0 && LOWER_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('')
}

function text(props: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = props[key]
    if (typeof v === 'string' && v.trim() !== '') return v.trim()
    if (typeof v === 'number') return String(v)
  }
  return null
}

export type BasemapFeatureKind = 'street' | 'ztl' | 'zone' | 'district'

/** The name of a base-map feature for the hover tooltip, across the importers' property names. */
export function featureLabel(kind: BasemapFeatureKind, props: Record<string, unknown>): string | null {
  switch (kind) {
    case 'street': {
      const name = text(props, 'name', 'nomevia', 'street')
      return name ? streetCase(name) : null
    }
    case 'ztl':
      return text(props, 'name', 'nome', 'zona', 'codice')
    case 'zone': {
      const name = text(props, 'name', 'nomezona', 'nome')
      return name ? streetCase(name) : null
    }
    case 'district': {
      const name = text(props, 'quartiere', 'name', 'nome', 'nomequart')
      return name ? streetCase(name) : null
    }
  }
}
