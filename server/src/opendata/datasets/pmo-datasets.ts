/**
 * The PMO's portfolio as open data (docs/opendata.md "Datasets", docs/pmo.md): each project's line of
 * action, title, CUP, status, dates, money (planned, committed, spent, in euro) and funding sources, at
 * its site's centre — what transparency rules publish about public investment (as OpenCoesione does).
 * Not published: owners, risks, KPIs, descriptions (free text written by staff) and the PMO's own
 * assessment of health.
 */
import { PMO_LINES, ProjectSchema } from '../../../../contracts/schemas/pmo'
import { col, type DatasetDefinition } from './dataset-definition'

const euro = (cents: number) => Math.round(cents) / 100

export const pmoProjectsDataset: DatasetDefinition = {
  id: 'progetti-pmo',
  title: { it: 'Progetti del portafoglio di trasformazione digitale', en: 'Projects of the digital transformation portfolio' },
  description: {
    it: 'I progetti del Comune per la trasformazione digitale (PN Metro Plus – Officine della Conoscenza) per linea d’azione: stato, date, risorse programmate, impegnate e spese, fonti di finanziamento e CUP; la posizione è il centro del cantiere o del luogo del progetto, quando c’è.',
    en: 'The Comune’s digital transformation projects (PN Metro Plus – Officine della Conoscenza) by line of action: status, dates, planned, committed and spent money, funding sources and CUP; the position is the centre of the project’s site, when it has one.',
  },
  keywords: ['PMO', 'progetti', 'PN Metro Plus', 'trasformazione digitale', 'trasparenza'],
  themes: ['GOVE', 'ECON'],
  frequency: 'DAILY',
  licence: 'CC-BY-4.0',
  sources: ['Comune di Bologna – Project Management Office'],
  geometry: 'Point',
  columns: [
    col('id', 'string', 'Project identifier', 'Identificativo del progetto'),
    col('line', 'string', 'Line of action (program.md)', 'Linea d’azione'),
    col('line_title', 'string', 'Line of action, in words', 'Linea d’azione, per esteso'),
    col('title', 'string', 'Title', 'Titolo'),
    col('cup', 'string', 'Codice Unico di Progetto', 'Codice Unico di Progetto (CUP)'),
    col('status', 'string', 'Status: planned, in_progress, suspended, completed, cancelled', 'Stato: planned, in_progress, suspended, completed, cancelled'),
    col('start_date', 'date', 'Start', 'Inizio'),
    col('end_date', 'date', 'Planned end', 'Fine prevista'),
    col('planned_eur', 'number', 'Planned money (sum of the funding)', 'Risorse programmate (somma dei finanziamenti)', 'EUR'),
    col('committed_eur', 'number', 'Committed', 'Impegnato', 'EUR'),
    col('spent_eur', 'number', 'Spent', 'Speso', 'EUR'),
    col('funding_sources', 'string', 'Funding sources, separated by "; "', 'Fonti di finanziamento, separate da "; "'),
  ],
  async read(q) {
    const r = await q.query<{ document: unknown; lon: number | null; lat: number | null }>(
      `SELECT v.document, ST_X(ST_PointOnSurface(p.site))::float8 AS lon, ST_Y(ST_PointOnSurface(p.site))::float8 AS lat
       FROM pmo_project p JOIN pmo_project_version v ON v.project_id = p.id AND v.version = p.latest_version ORDER BY p.id`,
    )
    return {
      temporal: null,
      rows: r.rows.map((x) => {
        const p = ProjectSchema.parse(typeof x.document === 'string' ? JSON.parse(x.document) : x.document)
        return {
          geometry: x.lon === null || x.lat === null ? null : { type: 'Point' as const, coordinates: [Number(x.lon), Number(x.lat)] },
          properties: {
            id: p.id, line: p.line, line_title: PMO_LINES[p.line].it, title: p.title, cup: p.cup, status: p.status, start_date: p.startDate, end_date: p.endDate,
            planned_eur: euro(p.funding.reduce((s, f) => s + f.plannedCents, 0)), committed_eur: euro(p.committedCents), spent_eur: euro(p.spentCents),
            funding_sources: p.funding.map((f) => f.source).join('; '),
          },
        }
      }),
    }
  },
}
