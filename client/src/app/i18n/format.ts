/** Number, time and age formatting with Intl in the current UI language. */
export interface Formatters {
  number(value: number, digits?: number): string
  /** Clock time with seconds, e.g. 14:05:09. */
  time(ms: number): string
  /** Date and time, e.g. 26/11/2026, 14:05. */
  dateTime(ms: number): string
  /** "3 minutes ago" / "3 minuti fa". */
  ago(ageMs: number): string
  /** A short duration, e.g. "12 s", "4 min", "2 h". */
  duration(ms: number): string
}

type Unit = 'second' | 'minute' | 'hour' | 'day'

/** The largest unit that keeps the number ≥ 1, with the value rounded down. */
export function splitAge(ageMs: number): { value: number; unit: Unit } {
  const s = Math.max(0, Math.floor(ageMs / 1000))
  if (s < 60) return { value: s, unit: 'second' }
  if (s < 3600) return { value: Math.floor(s / 60), unit: 'minute' }
  if (s < 48 * 3600) return { value: Math.floor(s / 3600), unit: 'hour' }
  return { value: Math.floor(s / 86_400), unit: 'day' }
}

export function createFormatters(language: string): Formatters {
  const numbers = new Map<number, Intl.NumberFormat>()
  const numberFormat = (digits: number) => {
    let f = numbers.get(digits)
    if (!f) {
      f = new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits })
      numbers.set(digits, f)
    }
    return f
  }
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' })
  const relative = new Intl.RelativeTimeFormat(language, { numeric: 'always', style: 'long' })
  const units = new Map<Unit, Intl.NumberFormat>()
  const unitFormat = (unit: Unit) => {
    let f = units.get(unit)
    if (!f) {
      f = new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' })
      units.set(unit, f)
    }
    return f
  }
  return {
    number: (value, digits = 0) => numberFormat(digits).format(value),
    time: (ms) => time.format(ms),
    dateTime: (ms) => dateTime.format(ms),
    ago(ageMs) {
      const { value, unit } = splitAge(ageMs)
      return relative.format(-value, unit)
    },
    duration(ms) {
      const { value, unit } = splitAge(ms)
      return unitFormat(unit).format(value)
    },
  }
}
