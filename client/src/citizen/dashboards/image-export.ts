/**
 * A panel as a PNG image: its SVG (drawn with presentation attributes, so it looks the same outside
 * the page's CSS) framed in a new SVG with the panel's title above, its legend and the sources and
 * licences line below (attributions are mandatory wherever the figures go), rasterised through a
 * canvas at 2× for sharp text. Only blob: URLs are used, which the Content-Security-Policy allows
 * (img-src 'self' data: blob:). Then a download through Blob + <a download>.
 */

export interface ImageLegendItem {
  /** A colour, or 'hatch' for the no-data pattern. */
  swatch: string
  label: string
}

export interface PanelImage {
  svg: SVGSVGElement
  title: string
  /** A line above the legend (the measure and its unit). */
  legendTitle?: string
  legend?: ImageLegendItem[]
  /** The sources and licences. */
  footer: string
}

const MARGIN = 16
const FONT = "'Titillium Web', Geneva, Tahoma, sans-serif"
/** A rough width of a character at 12 px, for wrapping and laying out text without measuring it. */
const CHAR_PX = 6.4

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Words in lines of at most `max` characters (a longer word gets a line of its own). */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

/** The framed SVG's text and size (CSS px). */
export function composePanelSvg(o: { svgMarkup: string; svgWidth: number; svgHeight: number; title: string; legendTitle?: string; legend?: ImageLegendItem[]; footer: string; hatchId?: string }): { markup: string; width: number; height: number } {
  const width = Math.max(o.svgWidth + 2 * MARGIN, 480)
  const maxChars = Math.floor((width - 2 * MARGIN) / CHAR_PX)
  const parts: string[] = []
  let y = MARGIN
  for (const line of wrapText(o.title, Math.floor(maxChars * 0.8))) {
    y += 18
    parts.push(`<text x="${MARGIN}" y="${y}" font-size="16" font-weight="700" fill="#17324d">${escapeXml(line)}</text>`)
  }
  y += 8
  const mapX = (width - o.svgWidth) / 2
  const nested = o.svgMarkup.replace(/^<svg\b/, `<svg x="${mapX}" y="${y}" width="${o.svgWidth}" height="${o.svgHeight}"`)
  parts.push(nested)
  y += o.svgHeight + 8
  if (o.legendTitle) {
    y += 14
    parts.push(`<text x="${MARGIN}" y="${y}" font-size="12" font-weight="700" fill="#1a1a1a">${escapeXml(o.legendTitle)}</text>`)
  }
  if (o.legend?.length) {
    let x = MARGIN
    y += 8
    for (const item of o.legend) {
      const w = 18 + item.label.length * CHAR_PX + 16
      if (x > MARGIN && x + w > width - MARGIN) {
        x = MARGIN
        y += 18
      }
      const fill = item.swatch === 'hatch' ? `url(#${o.hatchId ?? 'hatch'})` : item.swatch
      parts.push(`<rect x="${x}" y="${y}" width="12" height="12" fill="${escapeXml(fill)}" stroke="#455b71" stroke-width="0.75"/>`)
      parts.push(`<text x="${x + 18}" y="${y + 10.5}" font-size="12" fill="#1a1a1a">${escapeXml(item.label)}</text>`)
      x += w
    }
    y += 12
  }
  y += 6
  for (const line of wrapText(o.footer, maxChars)) {
    y += 14
    parts.push(`<text x="${MARGIN}" y="${y}" font-size="11" fill="#455b71">${escapeXml(line)}</text>`)
  }
  const height = Math.ceil(y + MARGIN)
  const hatch = o.hatchId
    ? ''
    : `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#5c6f82" stroke-width="1.5"/></pattern></defs>`
  const markup = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">${hatch}<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`
  return { markup, width, height }
}

/** The panel's SVG without what only the page needs (focus order, ARIA), as markup (the serializer writes the SVG namespace). */
function panelMarkup(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement
  for (const el of [clone, ...clone.querySelectorAll('*')]) for (const a of ['tabindex', 'role', 'aria-label', 'aria-pressed', 'aria-describedby', 'class', 'style', 'data-testid']) el.removeAttribute(a)
  for (const a of ['width', 'height', 'x', 'y']) clone.removeAttribute(a)
  return new XMLSerializer().serializeToString(clone)
}

/** The PNG of a panel at `scale`× (2 by default). */
export async function panelPng(p: PanelImage, scale = 2): Promise<Blob> {
  const box = p.svg.viewBox.baseVal
  const hatchId = p.svg.querySelector('pattern')?.id
  const { markup, width, height } = composePanelSvg({ svgMarkup: panelMarkup(p.svg), svgWidth: box.width, svgHeight: box.height, title: p.title, legendTitle: p.legendTitle, legend: p.legend, footer: p.footer, hatchId })
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }))
  try {
    const img = new Image()
    img.src = url
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(width * scale)
    canvas.height = Math.round(height * scale)
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('this browser cannot draw on a canvas')
    ctx.scale(scale, scale)
    ctx.drawImage(img, 0, 0, width, height)
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'))
  } finally {
    URL.revokeObjectURL(url)
  }
}

/** Saves a file through a temporary <a download> (the object URL is released once the click is handled). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.hidden = true
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
