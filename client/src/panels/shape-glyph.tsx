import type { ShapeName } from '../map2d/marker-style'

export interface ShapeGlyphProps {
  shape: ShapeName
  /** CSS colour of the fill; 'none' for hollow. */
  fill: string
  stroke: string
  hatched?: boolean
  size?: number
}

const PATHS: Record<Exclude<ShapeName, 'circle' | 'cross'>, string> = {
  square: 'M3 3H13V13H3Z',
  diamond: 'M8 1.5L14.5 8L8 14.5L1.5 8Z',
  triangle: 'M8 2L14.5 13.5H1.5Z',
  hexagon: 'M8 1.5L13.7 4.75V11.25L8 14.5L2.3 11.25V4.75Z',
}

/** The map marker shapes as inline SVG, for legends and the layer panel (decorative: text says the same). */
export function ShapeGlyph({ shape, fill, stroke, hatched, size = 16 }: ShapeGlyphProps) {
  const patternId = `hatch-${shape}`
  const paint = hatched ? `url(#${patternId})` : fill
  return (
    <svg className="shape-glyph" width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {hatched && (
        <defs>
          <pattern id={patternId} width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="2" height="4" fill={fill} />
          </pattern>
        </defs>
      )}
      {shape === 'circle' && <circle cx="8" cy="8" r="6" fill={paint} stroke={stroke} strokeWidth="1.5" />}
      {shape === 'cross' && <path d="M3.5 3.5L12.5 12.5M12.5 3.5L3.5 12.5" stroke={stroke} strokeWidth="2.2" strokeLinecap="round" />}
      {shape !== 'circle' && shape !== 'cross' && <path d={PATHS[shape]} fill={paint} stroke={stroke} strokeWidth="1.5" strokeLinejoin="round" />}
    </svg>
  )
}
