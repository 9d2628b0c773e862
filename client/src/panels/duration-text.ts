/**
 * Durations an operator reads at a glance, in two units at most ("1 h 5 min", "2 min 30 s"):
 * times to acknowledge, shelving left, time in flood. Formatted with Intl in the UI language.
 */
type Unit = 'day' | 'hour' | 'minute' | 'second'
const UNIT_MS: ReadonlyArray<[Unit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
]

/** The two largest non-zero units of a duration, rounded down; under a second is 0 s. */
export function durationParts(ms: number): Array<{ value: number; unit: Unit }> {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000)
  const parts: Array<{ value: number; unit: Unit }> = []
  for (const [unit, size] of UNIT_MS) {
    const value = Math.floor(rest / size)
    rest -= value * size
    if (value > 0 || parts.length > 0) parts.push({ value, unit })
    if (parts.length === 2) break
  }
  if (parts.length === 0) return [{ value: 0, unit: 'second' }]
  // "1 h 0 min" reads as "1 h".
  return parts[1]?.value === 0 ? [parts[0]!] : parts
}

const formats = new Map<string, Intl.NumberFormat>()
function unitFormat(language: string, unit: Unit): Intl.NumberFormat {
  const key = `${language}|${unit}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' })
    formats.set(key, f)
  }
  return f
}

export function durationText(ms: number, language: string): string {
  return durationParts(ms)
    .map((p) => unitFormat(language, p.unit).format(p.value))
    .join(' ')
}
