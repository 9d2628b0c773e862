import latin400 from '@fontsource/titillium-web/files/titillium-web-latin-400-normal.woff2?url'
import latinExt400 from '@fontsource/titillium-web/files/titillium-web-latin-ext-400-normal.woff2?url'
import latin600 from '@fontsource/titillium-web/files/titillium-web-latin-600-normal.woff2?url'
import latinExt600 from '@fontsource/titillium-web/files/titillium-web-latin-ext-600-normal.woff2?url'

/** The unicode ranges of @fontsource's latin and latin-ext subsets (Italian needs only the first). */
const LATIN = 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD'
const LATIN_EXT = 'U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF'

/**
 * The families the style's `text-font` names (server/src/style/style-fonts.ts). MapLibre draws text
 * with TinySDF in the CSS family of that name, and sniffs the weight from it ("Semibold" → 600), so
 * the semibold face is registered under its own family name with weight 600.
 */
const FACES: Array<{ family: string; weight: string; files: Array<[string, string]> }> = [
  { family: 'Titillium Web', weight: '400', files: [[latin400, LATIN], [latinExt400, LATIN_EXT]] },
  { family: 'Titillium Web Semibold', weight: '600', files: [[latin600, LATIN], [latinExt600, LATIN_EXT]] },
]

let loading: Promise<void> | null = null

/**
 * Registers (synchronously, on the first call) and loads the label fonts: bundled woff2 served by us,
 * no font CDN. Call before the map is created so that the families exist when MapLibre asks
 * document.fonts for them. A font that fails to load leaves the labels in sans-serif rather than
 * blocking the map.
 */
export function loadMapFonts(): Promise<void> {
  loading ??= (async () => {
    const faces = FACES.flatMap(({ family, weight, files }) =>
      files.map(([url, unicodeRange]) => new FontFace(family, `url(${url}) format('woff2')`, { weight, style: 'normal', unicodeRange, display: 'block' })),
    )
    for (const face of faces) document.fonts.add(face)
    const results = await Promise.allSettled(FACES.map(({ family, weight }) => document.fonts.load(`${weight} 16px "${family}"`, 'Via Rizzoli àèìòù')))
    for (const r of results) if (r.status === 'rejected') console.warn('map label font not loaded; labels use sans-serif', r.reason)
  })()
  return loading
}
