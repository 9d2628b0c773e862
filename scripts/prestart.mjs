// Runs before `npm start` with plain Node (no dependencies needed), so that on a fresh clone
// `npm start` alone installs what is missing and builds the client when its sources changed.
import { execSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' })

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Gemello needs Node.js 20.19 or newer (this is ${process.versions.node}).`)
  process.exit(1)
}

const lock = path.join(root, 'package-lock.json')
const stamp = path.join(root, 'node_modules', '.gemello-lock-hash')
const lockHash = createHash('sha256').update(readFileSync(lock)).digest('hex')
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  console.log('Installing dependencies (npm ci)…')
  run('npm ci --no-audit --no-fund')
  writeFileSync(stamp, lockHash)
}

function hashTree(dirs) {
  const h = createHash('sha256')
  const walk = (p) => {
    const st = statSync(p)
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f !== 'dist' && f !== 'node_modules') walk(path.join(p, f))
    } else if (!/\.test\.tsx?$/.test(p)) {
      h.update(path.relative(root, p))
      h.update(readFileSync(p))
    }
  }
  for (const d of dirs) if (existsSync(path.join(root, d))) walk(path.join(root, d))
  return h.digest('hex')
}
const sources = hashTree(['client', 'contracts'])
const built = path.join(root, 'client', 'dist', '.build-hash')
if (!existsSync(built) || readFileSync(built, 'utf8') !== sources) {
  console.log('Building the client (vite build)…')
  run('npx vite build --config client/vite.config.ts --logLevel warn')
  writeFileSync(built, sources)
}
