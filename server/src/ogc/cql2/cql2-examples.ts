/**
 * Test data: CQL2 examples from OGC 21-065 (opengeospatial/ogcapi-features,
 * cql2/standard/schema/examples/{text,json}/exampleNN.*; OGC document licence). Text and JSON are paired
 * where the staged versions agree; where the repo's two encodings drifted (a property renamed in one
 * of them), the JSON property name was aligned to the text and the case says so.
 */
export interface TextExample { id: string; text: string }
export interface PairedExample { id: string; text: string; json: unknown }

export const TEXT_EXAMPLES: TextExample[] = [
  { id: 'example01', text: "landsat:scene_id = 'LC82030282019133LGN00'" },
  { id: 'example02', text: "eo:instrument LIKE 'OLI%'" },
  { id: 'example03', text: "landsat:wrs_path IN ('153','154','15X')" },
  { id: 'example04', text: 'eq:cloud_cover < 0.1 AND landsat:wrs_row=28 AND landsat:wrs_path=203' },
  { id: 'example05a', text: 'ro:cloud_cover=0.1 OR ro:cloud_cover=0.2' },
  { id: 'example06a', text: '    eo:cloud_cover BETWEEN 0.1 AND 0.2\nAND landsat:wrs_row=28\nAND landsat:wrs_path=203\n' },
  { id: 'example07', text: "eo_instruments LIKE 'OLI%'\n AND S_INTERSECTS(footprint,POLYGON((43.5845 -79.5442,\n 43.6079 -79.4893, 43.5677 -79.4632, 43.6129 -79.3925, 43.6223 -79.3238, 43.6576 -79.3163,\n 43.7945 -79.1178, 43.8144 -79.1542, 43.8555 -79.1714, 43.7509 -79.6390, 43.5845 -79.5442)))" },
  { id: 'example09', text: 'floors>5' },
  { id: 'example10', text: 'taxes <= 500' },
  { id: 'example12', text: "owner LIKE 'Mike%'" },
  { id: 'example13', text: "owner NOT LIKE '%Mike%'" },
  { id: 'example15', text: 'floors>5 AND swimming_pool=true' },
  { id: 'example17', text: "(floors>5 AND material='brick') OR swimming_pool=true" },
  { id: 'example19', text: "(owner LIKE 'mike%' OR owner LIKE 'Mike%') AND floors<4" },
  { id: 'example20', text: "T_BEFORE(built, DATE('2015-01-01'))" },
  { id: 'example21', text: "T_AFTER(built,DATE('2012-06-05'))" },
  { id: 'example22', text: "T_DURING(INTERVAL(starts_at, ends_at), INTERVAL('2017-06-10T07:30:00Z', '2017-06-11T10:30:00Z'))" },
  { id: 'example24', text: 'S_INTERSECTS(geometry,POLYGON((-10.0 -10.0,10.0 -10.0,10.0 10.0,-10.0 -10.0)))' },
  { id: 'example26', text: "CASEI(road_class) IN (CASEI('Οδος'),CASEI('Straße'))" },
  { id: 'example28', text: "CASEI(geophys:SURVEY_NAME) LIKE CASEI('%calcutta%')" },
  { id: 'example30', text: "\"id\" <> 'fa7e1920-9107-422d-a3db-c468cbc5d6df'" },
  { id: 'example33', text: '"value" <= 10' },
  { id: 'example35', text: "\"name\" LIKE 'foo%'" },
  { id: 'example37', text: '"value" BETWEEN 10 AND 20' },
  { id: 'example40', text: "NOT \"value\" IN ('a', 'b', 'c')" },
  { id: 'example45', text: 'S_INTERSECTS("geometry", BBOX(-128.098193, -1.1, -99999.0, 180.0, 90.0, 100000.0))' },
  { id: 'example48', text: 'S_TOUCHES("geometry", MULTILINESTRING ((-1.9 -0.99999, 75.292574 1.5, -0.5 -4.016458, -31.708594 -74.743801, 179.0 -90.0),(-1.9 -1.1, 1.5 8.547371)))' },
  { id: 'example55', text: "T_CONTAINS(INTERVAL('2000-01-01T00:00:00.000000Z', '2005-01-10T01:01:01.393216Z'), INTERVAL(starts_at, ends_at))" },
  { id: 'example57', text: "T_DURING(INTERVAL(starts_at, ends_at), INTERVAL('2005-01-10', '2010-02-10'))" },
  { id: 'example61', text: "T_INTERSECTS(INTERVAL(starts_at, ends_at), INTERVAL('1991-10-07T08:21:06.393262Z', '2010-02-10T05:29:20.073225Z'))" },
  { id: 'example64', text: "T_OVERLAPPEDBY(INTERVAL('1991-10-07T08:21:06.393262Z', '2010-02-10T05:29:20.073225Z'), INTERVAL(starts_at, ends_at))" },
  { id: 'example66', text: "T_STARTEDBY(INTERVAL('1991-10-07T08:21:06.393262Z', '2010-02-10T05:29:20.073225Z'), INTERVAL(starts_at, ends_at))" },
]

export const PAIRED_EXAMPLES: PairedExample[] = [
  { id: 'example10', text: 'taxes <= 500', json: { op: '<=', args: [{ property: 'taxes' }, 500] } },
  { id: 'example12', text: "owner LIKE 'Mike%'", json: { op: 'like', args: [{ property: 'owner' }, 'Mike%'] } },
  {
    id: 'example19',
    text: "(owner LIKE 'mike%' OR owner LIKE 'Mike%') AND floors<4",
    json: {
      op: 'and',
      args: [
        { op: 'or', args: [{ op: 'like', args: [{ property: 'owner' }, 'mike%'] }, { op: 'like', args: [{ property: 'owner' }, 'Mike%'] }] },
        { op: '<', args: [{ property: 'floors' }, 4] },
      ],
    },
  },
  { id: 'example40', text: "NOT \"value\" IN ('a', 'b', 'c')", json: { op: 'not', args: [{ op: 'in', args: [{ property: 'value' }, ['a', 'b', 'c']] }] } },
  {
    id: 'example28 (draft casei form in JSON)',
    text: "CASEI(geophys:SURVEY_NAME) LIKE CASEI('%calcutta%')",
    json: { op: 'like', args: [{ casei: { property: 'geophys:SURVEY_NAME' } }, { casei: '%calcutta%' }] },
  },
  {
    id: 'example08 (JSON property "footprint" renamed "geometry" as in the text)',
    text: "beamMode='ScanSAR Narrow'\nAND swathDirection='ascending'\nAND polarization='HH+VV+HV+VH'\nAND s_intersects(geometry,POLYGON((-77.117938 38.936860,\n -77.040604 39.995648, -76.910536 38.892912, -77.039359 38.791753, -77.047906 38.841462,\n -77.034183 38.840655, -77.033142 38.857490, -77.117938 38.936860)))",
    json: {
      op: 'and',
      args: [
        { op: '=', args: [{ property: 'beamMode' }, 'ScanSAR Narrow'] },
        { op: '=', args: [{ property: 'swathDirection' }, 'ascending'] },
        { op: '=', args: [{ property: 'polarization' }, 'HH+VV+HV+VH'] },
        {
          op: 's_intersects',
          args: [
            { property: 'geometry' },
            {
              type: 'Polygon',
              coordinates: [[[-77.117938, 38.93686], [-77.040604, 39.995648], [-76.910536, 38.892912], [-77.039359, 38.791753],
                [-77.047906, 38.841462], [-77.034183, 38.840655], [-77.033142, 38.85749], [-77.117938, 38.93686]]],
            },
          ],
        },
      ],
    },
  },
  {
    id: 'example22 (JSON interval of two properties as in the text)',
    text: "T_DURING(INTERVAL(starts_at, ends_at), INTERVAL('2017-06-10T07:30:00Z', '2017-06-11T10:30:00Z'))",
    json: {
      op: 't_during',
      args: [
        { interval: [{ property: 'starts_at' }, { property: 'ends_at' }] },
        { interval: ['2017-06-10T07:30:00Z', '2017-06-11T10:30:00Z'] },
      ],
    },
  },
  {
    id: 'example45',
    text: 'S_INTERSECTS("geometry", BBOX(-128.098193, -1.1, -99999.0, 180.0, 90.0, 100000.0))',
    json: { op: 's_intersects', args: [{ property: 'geometry' }, { bbox: [-128.098193, -1.1, -99999.0, 180.0, 90.0, 100000.0] }] },
  },
  {
    id: 'open interval and timestamp',
    text: "T_INTERSECTS(updated, INTERVAL('..', '2020-01-01')) AND T_AFTER(built, TIMESTAMP('2012-06-05T00:00:00Z'))",
    json: {
      op: 'and',
      args: [
        { op: 't_intersects', args: [{ property: 'updated' }, { interval: ['..', '2020-01-01'] }] },
        { op: 't_after', args: [{ property: 'built' }, { timestamp: '2012-06-05T00:00:00Z' }] },
      ],
    },
  },
  {
    id: 'is null, between and accenti (CQL2 1.0 op form)',
    text: "name IS NULL OR height NOT BETWEEN 1 AND 2.5 OR ACCENTI(name) = ACCENTI('Città')",
    json: {
      op: 'or',
      args: [
        { op: 'isNull', args: [{ property: 'name' }] },
        { op: 'not', args: [{ op: 'between', args: [{ property: 'height' }, 1, 2.5] }] },
        { op: '=', args: [{ op: 'accenti', args: [{ property: 'name' }] }, { op: 'accenti', args: ['Città'] }] },
      ],
    },
  },
]
