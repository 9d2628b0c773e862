/**
 * GeoReport v2's two formats (issue 10): XML (required by the specification: UTF-8, no namespace, the
 * element names of its examples) and JSON (the Spark convention: the XML's lists as bare arrays). The
 * format is the path's extension; errors are a list of { code, description } in the same format.
 */
import type { Response } from 'express'
import { XMLBuilder } from 'fast-xml-parser'

export type Open311Format = 'xml' | 'json'

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: true })

/** `{ root: { item: [ … ] } }` for a list, `{ root: { … } }` for one document; arrays inside become repeated elements. */
export function xmlDocument(value: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build(value) as string}`
}

export function send(res: Response, format: Open311Format, json: unknown, xml: () => Record<string, unknown>, status = 200): void {
  res.status(status)
  if (format === 'xml') res.type('text/xml; charset=utf-8').send(xmlDocument(xml()))
  else res.type('application/json; charset=utf-8').send(JSON.stringify(json))
}

/** A list of elements under a root: `<root><item>…</item>…</root>` and, in JSON, the bare array. */
export function sendList(res: Response, format: Open311Format, root: string, item: string, items: Array<Record<string, unknown>>, status = 200): void {
  send(res, format, items, () => ({ [root]: items.length === 0 ? '' : { [item]: items } }), status)
}

export interface Open311ErrorItem {
  code: number
  description: string
}

export function sendErrors(res: Response, format: Open311Format, status: number, errors: Open311ErrorItem[]): void {
  sendList(res, format, 'errors', 'error', errors as unknown as Array<Record<string, unknown>>, status)
}
