/** Reads a building GLB back (tests, bench): world ECEF positions, normals, feature ids and the property table. */
import type { Document } from '@gltf-transform/core'
import type { StructuralMetadata } from '@gltf-transform/extensions'
import { glbReader } from '../building-glb'
import { gltfToEcef, type Vec3 } from '../geodesy'

export interface DecodedGlb {
  doc: Document
  positions: Vec3[]
  normals: Vec3[]
  featureIds: number[]
  indices: number[]
  rows: Array<{ id: string; height: number; base: number; estimated: boolean }>
  extensionsUsed: string[]
}

export async function decodeBuildingGlb(glb: Uint8Array): Promise<DecodedGlb> {
  const doc = await glbReader().readBinary(glb)
  const node = doc.getRoot().listNodes()[0]!
  const t = node.getTranslation() as Vec3
  const prim = node.getMesh()!.listPrimitives()[0]!
  const pos = prim.getAttribute('POSITION')!.getArray()!
  const nor = prim.getAttribute('NORMAL')!.getArray()!
  const positions: Vec3[] = []
  const normals: Vec3[] = []
  for (let i = 0; i < pos.length; i += 3) {
    positions.push(gltfToEcef([pos[i]! + t[0], pos[i + 1]! + t[1], pos[i + 2]! + t[2]]))
    normals.push(gltfToEcef([nor[i]!, nor[i + 1]!, nor[i + 2]!]))
  }
  const featureIds = Array.from(prim.getAttribute('_FEATURE_ID_0')!.getArray() as ArrayLike<number>)
  const indices = Array.from(prim.getIndices()!.getArray() as ArrayLike<number>)
  const metadata = doc.getRoot().getExtension<StructuralMetadata>('EXT_structural_metadata')!
  const table = metadata.listPropertyTables()[0]!
  const col = (k: string) => table.getProperty(k)!
  const idBytes = col('id').getValues()
  const so = col('id').getStringOffsets()!
  const offsets = new Uint32Array(so.buffer.slice(so.byteOffset, so.byteOffset + so.byteLength))
  const hb = col('height').getValues()
  const heights = new Float32Array(hb.buffer.slice(hb.byteOffset, hb.byteOffset + hb.byteLength))
  const bb = col('base').getValues()
  const bases = new Float32Array(bb.buffer.slice(bb.byteOffset, bb.byteOffset + bb.byteLength))
  const est = col('estimated').getValues()
  const decoder = new TextDecoder()
  const rows = Array.from({ length: table.getCount() }, (_, i) => ({
    id: decoder.decode(idBytes.subarray(offsets[i]!, offsets[i + 1]!)),
    height: heights[i]!,
    base: bases[i]!,
    estimated: ((est[i >> 3]! >> (i & 7)) & 1) === 1,
  }))
  return { doc, positions, normals, featureIds, indices, rows, extensionsUsed: doc.getRoot().listExtensionsUsed().map((e) => e.extensionName) }
}
