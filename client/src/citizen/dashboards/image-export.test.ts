import { describe, expect, it } from 'vitest'
import { composePanelSvg, wrapText } from './image-export'

describe('panel image', () => {
  it('wraps words into lines of at most the given length', () => {
    expect(wrapText('Fonti: Comune di Bologna (CC BY 4.0); ARPAE', 20)).toEqual(['Fonti: Comune di', 'Bologna (CC BY 4.0);', 'ARPAE'])
    expect(wrapText('', 10)).toEqual([])
  })
  it('frames the panel with its title above, the legend and the sources below, escaped, on white', () => {
    const { markup, width, height } = composePanelSvg({
      svgMarkup: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 400"><path d="M0,0L1,1Z"/></svg>',
      svgWidth: 600,
      svgHeight: 400,
      title: 'Segnalazioni per area <quartieri>',
      legend: [{ swatch: '#08519c', label: '3 – 8' }, { swatch: 'hatch', label: 'Nessun dato' }],
      footer: 'Fonti: Segnalazioni — Comune di Bologna & ARPAE (CC BY 4.0)',
      hatchId: 'nodata-x',
    })
    expect(width).toBe(632)
    expect(height).toBeGreaterThan(400 + 18 + 14)
    expect(markup).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="632" height="\d+"/)
    expect(markup).toContain('<rect width="100%" height="100%" fill="#fff"/>')
    expect(markup).toContain('Segnalazioni per area &lt;quartieri&gt;')
    expect(markup).toContain('<svg x="16" y="42" width="600" height="400" xmlns=')
    expect(markup).toContain('fill="url(#nodata-x)"')
    expect(markup).toContain('Comune di Bologna &amp; ARPAE (CC BY 4.0)')
    expect(markup.indexOf('Segnalazioni per area')).toBeLessThan(markup.indexOf('<path'))
    expect(markup.indexOf('<path')).toBeLessThan(markup.indexOf('ARPAE'))
  })
})
