/**
 * Text for PDFs written with pdf-lib's standard fonts (the SEND legal notice, the PMO progress report):
 * the written date without Intl (the same bytes on every ICU), the characters the font can encode
 * (WinAnsi; anything else "?"), and word wrapping to a width.
 */
import type { PDFFont } from 'pdf-lib'

const MONTHS = {
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
}
/** The written date: "27 novembre 2026" / "27 November 2026" (no Intl: the same bytes on every ICU). */
export function longDate(date: string, lang: 'it' | 'en'): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return `${d} ${MONTHS[lang][m - 1]} ${y}`
}

/** The text as the font can write it: WinAnsi characters, anything else "?", tabs as spaces. */
export function writable(font: PDFFont, text: string): string {
  const known = new Set(font.getCharacterSet())
  return Array.from(text.normalize('NFC').replace(/\t/g, ' '), (c) => (known.has(c.codePointAt(0)!) ? c : '?')).join('')
}

/** Words into lines no wider than `width` (a word longer than a line is cut). */
export function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (let word of text.split(/ +/).filter(Boolean)) {
    while (font.widthOfTextAtSize(word, size) > width) {
      let n = word.length - 1
      while (n > 1 && font.widthOfTextAtSize(word.slice(0, n), size) > width) n--
      if (line) lines.push(line)
      lines.push(word.slice(0, n))
      line = ''
      word = word.slice(n)
    }
    const next = line ? `${line} ${word}` : word
    if (font.widthOfTextAtSize(next, size) <= width) line = next
    else {
      lines.push(line)
      line = word
    }
  }
  if (line) lines.push(line)
  return lines
}

