/**
 * Where the census editor is: the collections, one collection, or one feature (new or stored); and
 * where a link `?census=<collection>[/<id>]` (the OGC API's HTML pages give them) opens it. Pure.
 */
import { CollectionIdSchema, type CollectionId } from '../../../contracts/schemas/census'

export type CensusScreen =
  | { kind: 'home' }
  | { kind: 'collection'; collection: CollectionId }
  /** `session` tells one opening of a feature from the next (a fresh editor); `focus` brings it into view. */
  | { kind: 'feature'; collection: CollectionId; id: number | null; session: number; focus: boolean }

/** `poles/123` → that feature; `poles` → the collection; anything else → the list of collections. */
export function screenOfLink(link: string | null | undefined): CensusScreen {
  const [c, id] = (link ?? '').split('/')
  const collection = CollectionIdSchema.safeParse(c)
  if (!collection.success) return { kind: 'home' }
  if (id && /^[1-9]\d{0,14}$/.test(id)) return { kind: 'feature', collection: collection.data, id: Number(id), session: 0, focus: true }
  return { kind: 'collection', collection: collection.data }
}

