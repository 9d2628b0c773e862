/**
 * `npm run lint`: the folder boundaries of docs/house-style.md as a rule with a message.
 *   contracts/ imports only zod and pure libraries — no node:*, no DOM, no other project folder;
 *   client/ imports contracts/ only (from the project); server/ never imports client/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PROJECT_DIRS = ['contracts', 'client', 'server', 'ingest', 'geodata', 'simulator', 'scenes', 'tests', 'bench', 'scripts']

interface Rule {
  folder: string
  allow(spec: string, targetDir: string | null): boolean
  why: string
}
const RULES: Rule[] = [
  { folder: 'contracts', allow: (spec, dir) => (dir === null ? !spec.startsWith('node:') && !['fs', 'path', 'crypto'].includes(spec) : dir === 'contracts'), why: 'contracts/ may import only zod and pure libraries, never node:* or another project folder' },
  { folder: 'client', allow: (spec, dir) => (dir === null ? !spec.startsWith('node:') : dir === 'client' || dir === 'contracts'), why: 'client/ may import only contracts/ from the project, and nothing from node:*' },
  { folder: 'server', allow: (_spec, dir) => dir !== 'client', why: 'server/ never imports client/' },
  { folder: 'ingest', allow: (_spec, dir) => dir !== 'client', why: 'ingest/ never imports client/' },
  { folder: 'geodata', allow: (_spec, dir) => dir !== 'client', why: 'geodata/ never imports client/' },
  { folder: 'simulator', allow: (_spec, dir) => dir !== 'client' && dir !== 'server' && dir !== 'ingest', why: 'simulator/ plays the devices: it may use contracts/ but not the server, ingest or client' },
]

function files(dir: string): string[] {
  const out: string[] = []
  const walk = (p: string) => {
    for (const f of readdirSync(p)) {
      if (f === 'node_modules' || f === 'dist') continue
      const full = path.join(p, f)
      if (statSync(full).isDirectory()) walk(full)
      else if (/\.(ts|tsx)$/.test(f)) out.push(full)
    }
  }
  walk(dir)
  return out
}

export function violations(): string[] {
  const found: string[] = []
  for (const rule of RULES) {
    const base = path.join(root, rule.folder)
    let list: string[] = []
    try {
      list = files(base)
    } catch {
      continue
    }
    for (const file of list) {
      if (/\.(test|int\.test|e2e)\.tsx?$/.test(file)) continue
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? ''
        let dir: string | null = null
        if (spec.startsWith('.')) {
          const rel = path.relative(root, path.resolve(path.dirname(file), spec))
          dir = PROJECT_DIRS.find((d) => rel === d || rel.startsWith(`${d}/`)) ?? '(outside)'
        }
        if (!rule.allow(spec, dir)) found.push(`${path.relative(root, file)} imports "${spec}": ${rule.why}`)
      }
    }
  }
  return found
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const v = violations()
  for (const line of v) console.error(line)
  if (v.length > 0) process.exit(1)
  console.log('Folder boundaries hold.')
}
