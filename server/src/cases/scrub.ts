/**
 * What a citizen wrote, made fit for the public (reliability-security §4.3): e-mail addresses, phone
 * numbers and fiscal codes in a description are replaced before any GET or export shows it.
 */
const PATTERNS: RegExp[] = [
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  /\b[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]\b/g,
  // Italian and international phone numbers: 8 or more digits, spaces, dots, dashes or slashes between them.
  /(?:\+|00)?\d[\d .\/-]{6,}\d/g,
]
export const REDACTED = '[…]'

export function scrubPersonal(text: string): string {
  let out = text
  for (const p of PATTERNS) out = out.replace(p, (m) => (m.replace(/\D/g, '').length >= 8 || /[@A-Za-z]/.test(m) ? REDACTED : m))
  return out
}
