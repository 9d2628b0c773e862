/**
 * The privacy guard (docs/opendata.md "What is never published"): before a dataset's files are made,
 * its rows are checked, and the whole publication is refused — nothing of it written — when
 *   - a declared column is on the personal-data deny list (contracts/opendata-api.ts), or
 *   - a row carries a column the definition did not declare (a query that grew a column), or
 *   - a text value looks like an e-mail address or an Italian fiscal code, whatever its column.
 * The refusal names the dataset, the column and the row, never the value itself.
 */
import { isDeniedColumn } from '../../../contracts/opendata-api'
import type { DatasetDefinition, DatasetRow } from './datasets/dataset-definition'

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/
/** Codice fiscale, with the omocodia substitutions of digits (L M N P Q R S T U V). */
const FISCAL_CODE = /(?:^|[^A-Za-z0-9])[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[ABCDEHLMPRSTabcdehlmprst][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?:$|[^A-Za-z0-9])/

/** Null when the rows may be published; otherwise why not, in words a data steward can act on. */
export function privacyRefusal(def: Pick<DatasetDefinition, 'id' | 'columns'>, rows: readonly DatasetRow[]): string | null {
  const denied = def.columns.filter((c) => isDeniedColumn(c.name)).map((c) => c.name)
  if (denied.length > 0) return `Dataset ${def.id}: the column${denied.length > 1 ? 's' : ''} ${denied.join(', ')} ${denied.length > 1 ? 'are' : 'is'} on the personal-data deny list; remove ${denied.length > 1 ? 'them' : 'it'} from the dataset definition.`
  const declared = new Set(def.columns.map((c) => c.name))
  for (let i = 0; i < rows.length; i++) {
    const props = rows[i]!.properties
    for (const [name, value] of Object.entries(props)) {
      if (!declared.has(name)) return `Dataset ${def.id}: row ${i + 1} has the column ${name}, which the dataset does not declare; declare and describe it (or stop reading it) before publishing.`
      if (typeof value !== 'string') continue
      if (EMAIL.test(value)) return `Dataset ${def.id}: row ${i + 1}, column ${name} holds what looks like an e-mail address; personal data are never published.`
      if (FISCAL_CODE.test(value)) return `Dataset ${def.id}: row ${i + 1}, column ${name} holds what looks like a fiscal code; personal data are never published.`
    }
  }
  return null
}
