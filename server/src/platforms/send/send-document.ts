/**
 * The legal notice a case sends through SEND, as the PDF SEND delivers to the citizen: A4, the Comune's
 * heading, the office, the place and date, the case number and service, the subject and the text. The
 * bytes depend only on the input — the document's dates are the notice's date, pdf-lib writes no
 * random file identifier — so a retried call uploads the same document with the same sha256.
 *
 * The standard Helvetica fonts encode WinAnsi only: a character outside it (an emoji, Cyrillic) is
 * written as "?" rather than breaking the notice.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib'
import { longDate, wrap, writable } from '../../pdf/pdf-text'

export interface CaseNotice {
  caseId: number
  /** The catalogue's service ("Buca nella strada"). */
  serviceName: string
  subject: string
  /** Paragraphs separated by blank lines or newlines. */
  body: string
  /** The office that signs the notice ("Settore Manutenzione strade"). */
  office: string
  /** The notice's date, YYYY-MM-DD (also the PDF's creation and modification date). */
  date: string
  lang: 'it' | 'en'
}

const A4: [number, number] = [595.28, 841.89]
const MARGIN = 64
const WORDS = {
  it: { case: 'Segnalazione n.', subject: 'Oggetto', footer: 'Atto notificato tramite SEND - Servizio Notifiche Digitali (piattaforma notifiche della pubblica amministrazione).' },
  en: { case: 'Report no.', subject: 'Subject', footer: 'Notice served through SEND - Servizio Notifiche Digitali (the Italian public administration notification platform).' },
}

/** The notice as PDF bytes; the same input gives the same bytes. */
export async function caseNoticePdf(n: CaseNotice): Promise<Uint8Array> {
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(n.date)) throw new Error(`caseNoticePdf: date must be YYYY-MM-DD, not "${n.date}"`)
  const at = new Date(`${n.date}T00:00:00Z`)
  const doc = await PDFDocument.create({ updateMetadata: false })
  doc.setTitle(`${WORDS[n.lang].case} ${n.caseId}`)
  doc.setAuthor('Comune di Bologna')
  doc.setProducer('Gemello')
  doc.setCreator('Gemello')
  doc.setLanguage(n.lang === 'it' ? 'it-IT' : 'en-GB')
  doc.setCreationDate(at)
  doc.setModificationDate(at)
  const regular = await doc.embedFont(StandardFonts.Helvetica)
  const bold = await doc.embedFont(StandardFonts.HelveticaBold)
  const width = A4[0] - 2 * MARGIN

  let page: PDFPage = doc.addPage(A4)
  let y = A4[1] - MARGIN
  const write = (text: string, font: PDFFont, size: number, gapAfter = 0) => {
    for (const line of wrap(font, size, writable(font, text), width)) {
      if (y - size < MARGIN + 24) {
        page = doc.addPage(A4)
        y = A4[1] - MARGIN
      }
      y -= size * 1.35
      page.drawText(line, { x: MARGIN, y, size, font })
    }
    y -= gapAfter
  }

  write('COMUNE DI BOLOGNA', bold, 18, 2)
  write(n.office, regular, 11, 18)
  write(`Bologna, ${longDate(n.date, n.lang)}`, regular, 11, 14)
  write(`${WORDS[n.lang].case} ${n.caseId} - ${n.serviceName}`, bold, 12, 6)
  write(`${WORDS[n.lang].subject}: ${n.subject}`, bold, 12, 14)
  for (const paragraph of n.body.split(/\r?\n/).map((p) => p.trim()).filter(Boolean)) write(paragraph, regular, 11, 8)
  y -= 16
  write(n.office, regular, 11)
  for (const [i, p] of doc.getPages().entries()) p.drawText(`${writable(regular, WORDS[n.lang].footer)}  ${i + 1}/${doc.getPageCount()}`, { x: MARGIN, y: MARGIN - 24, size: 8, font: regular })
  return doc.save({ useObjectStreams: false })
}
