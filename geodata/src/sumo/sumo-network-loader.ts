/**
 * The loader of a SUMO network dataset: reads the .net.xml and its additional files, builds the
 * rows (pure, before the transaction) and returns a `write` hook that stores and links them inside
 * the import transaction.
 *
 * Which additional files: the dataset's `alsoReads` that sit next to the network (they are part of
 * the dataset's checksum): the manifest's for the Bologna networks; for a network imported as kind
 * `sumo`, its siblings `<base>_tls.add.xml` and `<base>_detectors.add.xml`, where base is the file
 * name without `.net.xml`, also tried without a `_buslanes` suffix (`acosta_buslanes.net.xml` →
 * `acosta_tls.add.xml`). With no alsoReads found, the siblings are looked for all the same.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { DatasetContent } from '../importers/dataset-loaders'
import { DatasetFileError, ProblemLog, type RowProblem } from '../readers/read-result'
import { parseSumoAdditional } from './sumo-additional-parser'
import { sumoGeoref } from './sumo-georef'
import { linkSumoNetwork } from './sumo-links'
import { parseSumoNet } from './sumo-net-parser'
import { buildSumoRows } from './sumo-rows'
import { writeSumoRows } from './sumo-writer'

export interface SumoNetworkLoadOptions {
  /** The dataset's alsoReads (paths whose basenames are looked for next to the network). */
  alsoReads?: readonly string[]
  /** Explicit additional files (overrides the lookup). */
  additionalFiles?: readonly string[]
}

/** The additional files of a network, by the rule in the header. */
export function sumoAdditionalFiles(netFile: string, alsoReads: readonly string[] = []): string[] {
  const dir = path.dirname(netFile)
  const fromManifest = alsoReads.map((f) => path.join(dir, path.basename(f))).filter((f) => existsSync(f))
  if (fromManifest.length > 0) return fromManifest
  return sumoSiblingNames(netFile).map((f) => path.join(dir, f)).filter((f) => existsSync(f))
}

/** The names the additional files of a network not in the manifest may have, by the rule in the header. */
export function sumoSiblingNames(netFile: string): string[] {
  const base = path.basename(netFile).replace(/\.net\.xml$/i, '')
  const stems = [...new Set([base, base.replace(/_buslanes$/, '')])]
  return stems.flatMap((s) => [`${s}_tls.add.xml`, `${s}_detectors.add.xml`])
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new DatasetFileError(`Cannot read ${file}: ${e.code === 'ENOENT' ? 'the file does not exist' : e.message}.`, file)
  }
}

const rejectedIn = (problems: readonly RowProblem[]) => problems.filter((p) => p.problem.startsWith('rejected:')).length

export function loadSumoNetwork(file: string, opts: SumoNetworkLoadOptions = {}): DatasetContent {
  const parsed = parseSumoNet(readText(file), file)
  const adds = (opts.additionalFiles ?? sumoAdditionalFiles(file, opts.alsoReads)).map((f) => parseSumoAdditional(readText(f), f))
  const geo = sumoGeoref(parsed.net.location, file)
  const log = new ProblemLog()
  const rows = buildSumoRows(
    parsed.net,
    adds.map((a) => a.additional),
    geo,
    log,
  )
  const problems = [...parsed.problems, ...adds.flatMap((a) => a.problems), ...log.problems]
  const detectorLines = new Map(rows.detectors.map((d) => [d.id, d.line]))
  return {
    rows: parsed.elements + adds.reduce((n, a) => n + a.elements, 0),
    rejected: rejectedIn(problems),
    problems,
    write: async (tx, dataset) => {
      const writeLog = new ProblemLog()
      const written = await writeSumoRows(tx, dataset, dataset, rows, writeLog)
      await linkSumoNetwork(tx, dataset, writeLog, (id) => detectorLines.get(id) ?? 0)
      return { written, problems: writeLog.problems, rejected: rejectedIn(writeLog.problems) }
    },
  }
}
