/**
 * A4 pages written top to bottom for reports (the PMO's progress report): headings and wrapped paragraphs
 * that start a new page when the space runs out, tables whose rows never split and whose header is
 * repeated on every page they cross, cells that draw (a bar) instead of writing, and the page footer
 * "n/N" added once every page exists. Every string goes through `writable` here, so a character the
 * standard fonts cannot encode is written "?" and never throws.
 */
import { grayscale, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib'
import { wrap, writable } from '../pdf/pdf-text'

export const A4: [number, number] = [595.28, 841.89]
const MARGIN = 50
/** Room kept at the bottom of every page for the footer. */
const FOOTER_SPACE = 22

export interface Box {
  x: number
  /** The top edge (PDF y grows upwards). */
  top: number
  width: number
  height: number
}
/** A cell that draws instead of writing, `height` points tall (plus the cell's padding). */
export interface DrawnCell {
  height: number
  draw: (page: PDFPage, box: Box) => void
}
export type Cell = string | DrawnCell
export interface Column {
  title: string
  width: number
  align?: 'left' | 'right'
  /** One line, the font made smaller until it fits (amounts: never cut between "€" and the figure). */
  fit?: boolean
}
export interface TextStyle {
  font?: PDFFont
  size?: number
  indent?: number
  /** Further indent of a paragraph's lines after its first (a bullet list). */
  hanging?: number
  gapAfter?: number
  /** 0 black … 1 white. */
  gray?: number
}

export class PdfWriter {
  page: PDFPage
  y: number
  readonly left = MARGIN
  readonly width = A4[0] - 2 * MARGIN
  private readonly bottom = MARGIN + FOOTER_SPACE

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4)
    this.y = A4[1] - MARGIN
  }

  newPage(): void {
    this.page = this.doc.addPage(A4)
    this.y = A4[1] - MARGIN
  }

  /** Starts a new page unless `height` points are left on this one. */
  ensure(height: number): void {
    if (this.y - height < this.bottom) this.newPage()
  }

  gap(height: number): void {
    this.y -= height
  }

  /** Paragraphs (split on newlines), wrapped to the width, a new page whenever a line does not fit. */
  text(text: string, style: TextStyle = {}): void {
    const font = style.font ?? this.regular
    const size = style.size ?? 9
    const indent = style.indent ?? 0
    const hanging = style.hanging ?? 0
    for (const paragraph of text.split(/\r?\n/)) {
      for (const [n, line] of wrap(font, size, writable(font, paragraph), this.width - indent - hanging).entries()) {
        this.ensure(size * 1.35)
        this.y -= size * 1.35
        this.page.drawText(line, { x: this.left + indent + (n > 0 ? hanging : 0), y: this.y, size, font, color: grayscale(style.gray ?? 0) })
      }
    }
    this.y -= style.gapAfter ?? 0
  }

  /** A heading kept with at least `keep` points of what follows it. */
  heading(text: string, size: number, keep = 60): void {
    this.ensure(size * 1.35 * 2 + keep)
    this.y -= size * 0.4
    this.text(text, { font: this.bold, size, gapAfter: size * 0.3 })
  }

  /** A table under an optional heading kept with its first row; rows never split, and the header is drawn again on each new page. */
  table(columns: readonly Column[], rows: readonly Cell[][], opts: { heading?: string; headingSize?: number; size?: number } = {}): void {
    const size = opts.size ?? 8
    const pad = 3
    const lineH = size * 1.25
    const header = columns.map((c) => wrap(this.bold, size, writable(this.bold, c.title), c.width - 2 * pad))
    const headerH = Math.max(...header.map((l) => l.length)) * lineH + 2 * pad
    const maxLines = Math.max(1, Math.floor((A4[1] - MARGIN - this.bottom - headerH - 2 * pad) / lineH))
    const laid = rows.map((row) => columns.map((c, i) => this.layCell(row[i] ?? '', c, size, pad, maxLines)))
    const heightOf = (cells: LaidCell[]) => Math.max(lineH, ...cells.map((c) => (c.kind === 'drawn' ? c.cell.height : c.lines.length * lineH))) + 2 * pad
    const drawHeader = () => {
      this.page.drawRectangle({ x: this.left, y: this.y - headerH, width: this.tableWidth(columns), height: headerH, color: grayscale(0.9) })
      this.writeRow(columns, header.map((lines) => ({ kind: 'text', lines, size })), this.bold, size, pad, lineH, headerH, true)
    }
    const firstH = laid[0] ? heightOf(laid[0]) : 0
    const headingSize = opts.headingSize ?? 9.5
    this.ensure((opts.heading ? headingSize * 2.1 : 0) + headerH + firstH)
    if (opts.heading) this.heading(opts.heading, headingSize, 0)
    drawHeader()
    for (const cells of laid) {
      const h = heightOf(cells)
      if (this.y - h < this.bottom) {
        this.newPage()
        drawHeader()
      }
      this.writeRow(columns, cells, this.regular, size, pad, lineH, h, false)
    }
    this.y -= 4
  }

  /** The footer of every page: `left` and "n/N" (call once, when every page exists). */
  footers(left: string, pageWord: string): void {
    const pages = this.doc.getPages()
    for (const [i, p] of pages.entries()) {
      const right = `${pageWord} ${i + 1}/${pages.length}`
      const size = 7.5
      p.drawLine({ start: { x: this.left, y: MARGIN }, end: { x: this.left + this.width, y: MARGIN }, thickness: 0.5, color: grayscale(0.6) })
      const rightW = this.regular.widthOfTextAtSize(right, size)
      const leftText = wrap(this.regular, size, writable(this.regular, left), this.width - rightW - 12)[0] ?? ''
      p.drawText(leftText, { x: this.left, y: MARGIN - 12, size, font: this.regular, color: grayscale(0.3) })
      p.drawText(right, { x: this.left + this.width - rightW, y: MARGIN - 12, size, font: this.regular, color: grayscale(0.3) })
    }
  }

  private tableWidth(columns: readonly Column[]): number {
    return columns.reduce((s, c) => s + c.width, 0)
  }

  private layCell(cell: Cell, c: Column, size: number, pad: number, maxLines: number): LaidCell {
    if (typeof cell !== 'string') return { kind: 'drawn', cell }
    const text = writable(this.regular, cell.replace(/\s+/g, ' ').trim())
    const inner = c.width - 2 * pad
    if (c.fit) {
      const w = this.regular.widthOfTextAtSize(text, size)
      return { kind: 'text', lines: [text], size: w > inner ? (size * inner) / w : size }
    }
    const lines = wrap(this.regular, size, text, inner)
    if (lines.length <= maxLines) return { kind: 'text', lines, size }
    return { kind: 'text', lines: [...lines.slice(0, maxLines - 1), `${lines[maxLines - 1] ?? ''}...`], size }
  }

  private writeRow(columns: readonly Column[], cells: LaidCell[], font: PDFFont, size: number, pad: number, lineH: number, height: number, isHeader: boolean): void {
    let x = this.left
    for (const [i, c] of columns.entries()) {
      const cell = cells[i]
      if (cell?.kind === 'drawn') cell.cell.draw(this.page, { x: x + pad, top: this.y - pad, width: c.width - 2 * pad, height: cell.cell.height })
      else if (cell) {
        for (const [n, line] of cell.lines.entries()) {
          const w = font.widthOfTextAtSize(line, cell.size)
          const lx = c.align === 'right' ? x + c.width - pad - w : x + pad
          this.page.drawText(line, { x: lx, y: this.y - pad - size * 0.9 - n * lineH, size: cell.size, font })
        }
      }
      x += c.width
    }
    this.y -= height
    const width = this.tableWidth(columns)
    this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.left + width, y: this.y }, thickness: isHeader ? 0.8 : 0.4, color: grayscale(isHeader ? 0.4 : 0.75) })
  }
}

type LaidCell = { kind: 'text'; lines: string[]; size: number } | { kind: 'drawn'; cell: DrawnCell }
