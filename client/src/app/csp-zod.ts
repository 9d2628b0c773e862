/**
 * Imported first by main.tsx. Zod 4 compiles fast object parsers with `new Function` when it may, and
 * finds out whether it may by trying — which the page's Content Security Policy (no 'unsafe-eval',
 * server/src/http/app.ts) reports as a violation. Gemello's client parses small frames; the
 * interpreted parser is enough, and nothing tries eval.
 */
import { z } from 'zod'

z.config({ jitless: true })
