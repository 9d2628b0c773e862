/**
 * One batched GLB per tile with @gltf-transform: the extruded mesh, per-vertex feature ids
 * (EXT_mesh_features, attribute _FEATURE_ID_0) and a property table of the buildings
 * (EXT_structural_metadata, class `building`: id, height, base, estimated). CesiumJS resolves a
 * picked triangle to its row, so a click identifies the building.
 */
import { Accessor, Document, NodeIO, type Buffer as GltfBuffer } from '@gltf-transform/core'
import { EXTMeshFeatures, EXTStructuralMetadata } from '@gltf-transform/extensions'
import { extrudeBuildings, type BuildingFootprint } from './building-mesh'
import { ecefToGltf, type Vec3 } from './geodesy'

export const BUILDING_CLASS = 'building'
const io = new NodeIO().registerExtensions([EXTMeshFeatures, EXTStructuralMetadata])

/** A reader that understands the extensions we write (tests, tools). */
export function glbReader(): NodeIO {
  return new NodeIO().registerExtensions([EXTMeshFeatures, EXTStructuralMetadata])
}

const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

function stringColumn(values: readonly string[]): { values: Uint8Array; offsets: Uint8Array } {
  const encoder = new TextEncoder()
  const encoded = values.map((v) => encoder.encode(v))
  const offsets = new Uint32Array(values.length + 1)
  for (let i = 0; i < encoded.length; i++) offsets[i + 1] = offsets[i]! + encoded[i]!.length
  const out = new Uint8Array(offsets[values.length]!)
  for (let i = 0; i < encoded.length; i++) out.set(encoded[i]!, offsets[i]!)
  return { values: out, offsets: bytes(offsets) }
}

/** BOOLEAN properties are bitstreams, least significant bit first. */
function booleanColumn(values: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(values.length / 8))
  values.forEach((v, i) => {
    if (v) out[i >> 3]! |= 1 << (i & 7)
  })
  return out
}

function addMetadata(doc: Document, buildings: readonly BuildingFootprint[]) {
  const ext = doc.createExtension(EXTStructuralMetadata)
  const cls = ext.createClass().setDescription('A building footprint extruded to its height')
  cls.setProperty('id', ext.createClassProperty().setType('STRING').setRequired(true).setDescription('building.id'))
  cls.setProperty('height', ext.createClassProperty().setType('SCALAR').setComponentType('FLOAT32').setDescription('Top above ground, metres'))
  cls.setProperty('base', ext.createClassProperty().setType('SCALAR').setComponentType('FLOAT32').setDescription('Bottom above ground, metres'))
  cls.setProperty('estimated', ext.createClassProperty().setType('BOOLEAN').setDescription('Height estimated by the documented rule, not measured'))
  const schema = ext.createSchema().setId('gemello').setVersion('1').setClass(BUILDING_CLASS, cls)

  const ids = stringColumn(buildings.map((b) => b.id))
  const table = ext.createPropertyTable().setClass(BUILDING_CLASS).setCount(buildings.length)
  table.setProperty('id', ext.createPropertyTableProperty().setValues(ids.values).setStringOffsets(ids.offsets).setStringOffsetType('UINT32'))
  table.setProperty('height', ext.createPropertyTableProperty().setValues(bytes(Float32Array.from(buildings, (b) => b.heightM))))
  table.setProperty('base', ext.createPropertyTableProperty().setValues(bytes(Float32Array.from(buildings, (b) => b.baseM))))
  table.setProperty('estimated', ext.createPropertyTableProperty().setValues(booleanColumn(buildings.map((b) => b.estimated))))
  doc.getRoot().setExtension('EXT_structural_metadata', ext.createStructuralMetadata().setSchema(schema).addPropertyTable(table))
  return table
}

function accessor(doc: Document, buffer: GltfBuffer, type: 'SCALAR' | 'VEC3', array: Float32Array | Uint16Array | Uint32Array): Accessor {
  return doc.createAccessor().setBuffer(buffer).setType(type).setArray(array)
}

/**
 * The GLB of a tile's buildings; `centre` (ECEF) is the tile's RTC centre, written as the node's
 * translation so the float32 vertex positions stay small.
 */
export async function buildingGlb(buildings: readonly BuildingFootprint[], centre: Vec3): Promise<Uint8Array> {
  const mesh = extrudeBuildings(buildings, centre)
  const doc = new Document()
  doc.getRoot().getAsset().generator = 'Gemello'
  const buffer = doc.createBuffer()
  const table = addMetadata(doc, buildings)

  // Vertex attributes may not be UNSIGNED_INT in glTF; FLOAT holds any id a tile can have.
  const ids = buildings.length < 65535 ? Uint16Array.from(mesh.featureIds) : Float32Array.from(mesh.featureIds)
  const featureExt = doc.createExtension(EXTMeshFeatures)
  const featureId = featureExt.createFeatureID().setFeatureCount(buildings.length).setAttribute(0).setPropertyTable(table)
  const material = doc.createMaterial('building').setBaseColorFactor([0.78, 0.8, 0.84, 1]).setMetallicFactor(0).setRoughnessFactor(0.9)
  const indices = mesh.positions.length / 3 < 65535 ? Uint16Array.from(mesh.indices) : mesh.indices
  const primitive = doc
    .createPrimitive()
    .setAttribute('POSITION', accessor(doc, buffer, 'VEC3', mesh.positions))
    .setAttribute('NORMAL', accessor(doc, buffer, 'VEC3', mesh.normals))
    .setAttribute('_FEATURE_ID_0', accessor(doc, buffer, 'SCALAR', ids))
    .setIndices(accessor(doc, buffer, 'SCALAR', indices))
    .setMaterial(material)
    .setExtension('EXT_mesh_features', featureExt.createFeatures().addFeatureID(featureId))
  const node = doc.createNode('buildings').setMesh(doc.createMesh('buildings').addPrimitive(primitive)).setTranslation(ecefToGltf(centre))
  doc.createScene('tile').addChild(node)
  return io.writeBinary(doc)
}
