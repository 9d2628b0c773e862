/**
 * Runs GDAL's command-line tools (ogr2ogr, ogrinfo) on files we do not trust, as a sandboxed child:
 *   - execFile, never a shell; fixed file names in a private temporary directory as the cwd;
 *   - only the GPKG, ESRI Shapefile and GeoJSON drivers: GDAL 3.6 has no `-if` option, so every other
 *     driver is named in GDAL_SKIP (the list is read once from `ogrinfo/gdalinfo --formats` and the
 *     result is checked), and plugins are off (GDAL_DRIVER_PATH=disable);
 *   - no network: /vsicurl/ limited to an extension no file has, HTTP through a dead proxy, 1 s timeouts,
 *     no retries, PROJ_NETWORK=OFF (no grid downloads); HOME and temp files inside the directory;
 *   - SQLite (GeoPackage) with trusted_schema=OFF and cell_size_check=ON (OGR_SQLITE_PRAGMA);
 *   - wall-clock timeout with SIGKILL, and, through util-linux `prlimit` when present, CPU seconds
 *     and address space capped (without prlimit only the timeout applies).
 * GDAL missing → GDAL_UNAVAILABLE (503). Other failures are GdalFailure values for the caller to word.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { ApiError } from '../../http/api-error'

export const ALLOWED_DRIVERS = ['GPKG', 'ESRI Shapefile', 'GeoJSON'] as const

export interface GdalRun {
  /** The private directory the files are in; the child's cwd, HOME and TMPDIR. */
  cwd: string
  timeoutMs: number
  memoryBytes: number
  /** Folder holding ogr2ogr and ogrinfo; default: found on PATH. */
  binDir?: string
}

export type GdalFailureKind = 'exit' | 'timeout' | 'cpu' | 'crash' | 'output'

/** GDAL ran and failed; `detail` is its error output with the temporary directory's path removed. */
export class GdalFailure extends Error {
  override name = 'GdalFailure'
  constructor(
    readonly kind: GdalFailureKind,
    readonly detail: string,
  ) {
    super(`GDAL ${kind}: ${detail}`)
  }
}

const OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024

/** Runs `tool` with `args` in the sandbox; resolves with its standard output. */
export async function runGdal(tool: 'ogr2ogr' | 'ogrinfo', args: readonly string[], run: GdalRun): Promise<string> {
  const skip = await driverSkipList(run.binDir)
  const env = sandboxEnv(skip, run.cwd)
  const toolPath = run.binDir ? path.join(run.binDir, tool) : tool
  const limited = await hasPrlimit()
  const [file, argv] = limited
    ? ['prlimit', [`--as=${Math.floor(run.memoryBytes)}`, `--cpu=${Math.max(1, Math.ceil(run.timeoutMs / 1000))}`, '--', toolPath, ...args]]
    : [toolPath, [...args]]
  const r = await exec(file, argv, { cwd: run.cwd, env, timeoutMs: run.timeoutMs })
  if (r.ok) return r.stdout
  const detail = gdalMessage(r, run.cwd)
  if (r.errno === 'ENOENT' || (limited && r.exitCode === 127 && /failed to execute .*No such file/.test(r.stderr))) throw gdalUnavailable(toolPath)
  if (r.errno === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') throw new GdalFailure('output', `${tool} wrote more than ${OUTPUT_LIMIT_BYTES} bytes of output`)
  if (r.timedOut) throw new GdalFailure('timeout', detail)
  if (r.signal === 'SIGXCPU') throw new GdalFailure('cpu', detail)
  // The address-space cap shows as an allocation failure, or (below what GDAL needs to start) as a loader error.
  if (r.signal !== null || /out of memory|bad_alloc|cannot allocate|error while loading shared libraries/i.test(r.stderr)) {
    throw new GdalFailure('crash', detail || `killed by ${r.signal ?? 'an error'}`)
  }
  throw new GdalFailure('exit', detail || `${tool} exited with code ${r.exitCode}`)
}

/** GDAL_UNAVAILABLE for a missing ogr2ogr/ogrinfo. */
export function gdalUnavailable(what: string): ApiError {
  return new ApiError('GDAL_UNAVAILABLE', `GeoPackage and Shapefile need GDAL, and ${what} was not found on this server. Install it (Debian/Ubuntu: apt-get install gdal-bin), or use GeoJSON or CSV meanwhile.`)
}

/** The environment of every GDAL child: nothing inherited but PATH and where GDAL/PROJ keep their data. */
export function sandboxEnv(skip: string, dir: string): NodeJS.ProcessEnv {
  const deadProxy = 'http://127.0.0.1:9'
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: dir,
    TMPDIR: dir,
    CPL_TMPDIR: dir,
    PROJ_USER_WRITABLE_DIRECTORY: dir,
    LC_ALL: 'C',
    GDAL_SKIP: skip,
    GDAL_DRIVER_PATH: 'disable',
    CPL_VSIL_CURL_ALLOWED_EXTENSIONS: '.gemello-no-network',
    GDAL_HTTP_TIMEOUT: '1',
    GDAL_HTTP_CONNECTTIMEOUT: '1',
    GDAL_HTTP_MAX_RETRY: '0',
    GDAL_HTTP_PROXY: '127.0.0.1:9',
    http_proxy: deadProxy,
    https_proxy: deadProxy,
    HTTP_PROXY: deadProxy,
    HTTPS_PROXY: deadProxy,
    ALL_PROXY: deadProxy,
    NO_PROXY: '',
    PROJ_NETWORK: 'OFF',
    GDAL_PAM_ENABLED: 'NO',
    OGR_SQLITE_PRAGMA: 'trusted_schema=OFF,cell_size_check=ON',
  }
  for (const key of ['GDAL_DATA', 'PROJ_DATA', 'PROJ_LIB']) if (process.env[key]) env[key] = process.env[key]
  return env
}

const skipLists = new Map<string, Promise<string>>()

/**
 * GDAL_SKIP naming every installed driver but ALLOWED_DRIVERS (comma-separated: some names hold
 * spaces), checked by listing the drivers left with it. Computed once per binDir.
 */
export function driverSkipList(binDir?: string): Promise<string> {
  const key = binDir ?? ''
  let list = skipLists.get(key)
  if (!list) {
    list = computeSkipList(binDir)
    skipLists.set(key, list)
    list.catch(() => skipLists.delete(key))
  }
  return list
}

async function computeSkipList(binDir?: string): Promise<string> {
  const tool = (name: string) => (binDir ? path.join(binDir, name) : name)
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GDAL_DRIVER_PATH: 'disable', LC_ALL: 'C' }
  const list = async (name: string, extraEnv: Record<string, string> = {}) => {
    const r = await exec(tool(name), ['--formats'], { env: { ...env, ...extraEnv }, timeoutMs: 30_000 })
    if (r.errno === 'ENOENT') throw gdalUnavailable(tool(name))
    if (!r.ok) throw new Error(`${name} --formats failed: ${r.stderr}`)
    return parseFormats(r.stdout)
  }
  const vector = await list('ogrinfo')
  // gdalinfo lists the raster-only drivers too; GDAL_SKIP covers both kinds.
  const raster = await list('gdalinfo').catch(() => [])
  const skipped = [...new Set([...vector, ...raster])].filter((d) => !(ALLOWED_DRIVERS as readonly string[]).includes(d))
  if (skipped.some((d) => d.includes(','))) throw new Error(`A GDAL driver name holds a comma, which GDAL_SKIP cannot express: ${skipped.join(' | ')}`)
  const skip = skipped.join(',')
  const left = await list('ogrinfo', { GDAL_SKIP: skip })
  const unexpected = left.filter((d) => !(ALLOWED_DRIVERS as readonly string[]).includes(d))
  if (unexpected.length > 0) throw new Error(`GDAL_SKIP left drivers enabled that uploads must not reach: ${unexpected.join(', ')}`)
  return skip
}

/** Driver short names from `--formats` output ('  ESRI Shapefile -vector- (rw+v): ESRI Shapefile'). */
export function parseFormats(stdout: string): string[] {
  const names: string[] = []
  for (const line of stdout.split('\n')) {
    const m = /^\s+(.+?) -[a-z, ]+- \(/.exec(line)
    if (m?.[1]) names.push(m[1])
  }
  return names
}

let prlimit: Promise<boolean> | null = null

function hasPrlimit(): Promise<boolean> {
  prlimit ??= exec('prlimit', ['--version'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 10_000 }).then((r) => r.ok)
  return prlimit
}

interface ExecResult {
  ok: boolean
  stdout: string
  stderr: string
  exitCode: number | null
  signal: NodeJS.Signals | null
  errno: string | null
  timedOut: boolean
}

function exec(file: string, args: readonly string[], o: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: o.cwd, env: o.env, timeout: o.timeoutMs, killSignal: 'SIGKILL', maxBuffer: OUTPUT_LIMIT_BYTES, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, stdout, stderr, exitCode: 0, signal: null, errno: null, timedOut: false })
      const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null; code?: string | number }
      resolve({
        ok: false,
        stdout: stdout ?? '',
        stderr: stderr ?? '',
        exitCode: typeof e.code === 'number' ? e.code : null,
        signal: e.signal ?? null,
        errno: typeof e.code === 'string' ? e.code : null,
        // Node sets `killed` when it sent the kill signal itself: the timeout (or the output limit, told apart by errno).
        timedOut: e.killed === true,
      })
    })
  })
}

/**
 * What GDAL said went wrong: its 'ERROR n:' lines (without the prefix), else the rest of its error
 * output, else the FAILURE lines ogrinfo prints on standard output; the temporary directory's path
 * removed; at most 3 lines.
 */
function gdalMessage(r: ExecResult, dir: string): string {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((l) => l.split(`${dir}/`).join('').split(dir).join('').trim())
      .filter((l) => l !== '')
  const stderr = lines(r.stderr)
  const errors = stderr.filter((l) => /^ERROR \d+:/.test(l)).map((l) => l.replace(/^ERROR \d+:\s*/, ''))
  const failure = lines(r.stdout).filter((l) => /^Unable to open|^FAILURE/.test(l) && l !== 'FAILURE:')
  const chosen = errors.length > 0 ? errors : stderr.length > 0 ? stderr : failure
  return chosen.slice(0, 3).join(' ').slice(0, 500)
}
