/**
 * Money of the PMO screens (docs/pmo.md: amounts are euro cents, integers): cents → "1.250.000 €"
 * in the UI language, a person's euro text → cents (Italian "1.234,56", English "1,234.56"), and the
 * share of a whole for the bars.
 */

/** Euro amount in the language's format; whole euros when the amount has no cents. */
export function formatEuro(cents: number, language: string): string {
  const whole = cents % 100 === 0
  return new Intl.NumberFormat(language, { style: 'currency', currency: 'EUR', minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 }).format(cents / 100)
}

/**
 * Cents from what a person typed in euro: the language's grouping and decimal marks, a "€" and spaces
 * allowed; null when it is not an amount ≥ 0 with at most two decimals.
 */
export function parseEuroToCents(text: string, language: string): number | null {
  let s = text.replace(/[€\s\u00a0\u202f]/g, '')
  if (s === '') return null
  const italian = language.startsWith('it')
  if (italian) {
    // A lone "." followed by one or two digits is a decimal point typed the English way.
    if (!s.includes(',') && /^\d+\.\d{1,2}$/.test(s)) s = s.replace('.', ',')
    s = s.replace(/\./g, '').replace(',', '.')
  } else s = s.replace(/,/g, '')
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null
  const [euros, decimals = ''] = s.split('.')
  const cents = Number(euros) * 100 + Number(decimals.padEnd(2, '0'))
  return Number.isSafeInteger(cents) ? cents : null
}

/** Cents → the euro text an input shows (no grouping, the language's decimal mark). */
export function centsToEuroInput(cents: number, language: string): string {
  const euros = Math.floor(cents / 100)
  const rest = cents % 100
  if (rest === 0) return String(euros)
  return `${euros}${language.startsWith('it') ? ',' : '.'}${String(rest).padStart(2, '0')}`
}

/** Percentage of `part` in `whole` (0 when the whole is 0), rounded to one decimal. */
export function sharePct(part: number, whole: number): number {
  if (whole <= 0) return 0
  return Math.round((part / whole) * 1000) / 10
}
