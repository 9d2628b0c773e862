-- City layers for the twin (issue 3): street graph nodes, the OSM drive graph and land use,
-- buildings with heights, and SUMO networks (edges, lanes, junctions, connections, signal
-- programs, detectors) with their links to the open-data loops and street arcs.
-- Every geometry is EPSG:4326; every row names the dataset that wrote it, so a re-import
-- replaces exactly its own rows.

-- Stradario nodes (Comune di Bologna): the ends of the street arcs.
CREATE TABLE street_node (
  id      text PRIMARY KEY,
  props   jsonb NOT NULL DEFAULT '{}'::jsonb,
  dataset text NOT NULL,
  geom    geometry(Point, 4326) NOT NULL
);
CREATE INDEX street_node_geom_idx ON street_node USING gist (geom);
CREATE INDEX street_node_dataset_idx ON street_node (dataset);

-- OpenStreetMap-derived drive graph. road_class is the OSM highway tag (motorway … service).
CREATE TABLE road_edge (
  id           text PRIMARY KEY,
  osm_id       text,
  from_node    text,
  to_node      text,
  name         text,
  road_class   text NOT NULL,
  lanes        smallint,
  maxspeed_kmh real,
  oneway       boolean NOT NULL DEFAULT false,
  length_m     real,
  props        jsonb NOT NULL DEFAULT '{}'::jsonb,
  dataset      text NOT NULL,
  geom         geometry(LineString, 4326) NOT NULL
);
CREATE INDEX road_edge_geom_idx ON road_edge USING gist (geom);
CREATE INDEX road_edge_class_idx ON road_edge (road_class);
CREATE INDEX road_edge_dataset_idx ON road_edge (dataset);

CREATE TABLE road_node (
  id              text PRIMARY KEY,
  traffic_signals boolean NOT NULL DEFAULT false,
  props           jsonb NOT NULL DEFAULT '{}'::jsonb,
  dataset         text NOT NULL,
  geom            geometry(Point, 4326) NOT NULL
);
CREATE INDEX road_node_geom_idx ON road_node USING gist (geom);
CREATE INDEX road_node_dataset_idx ON road_node (dataset);

-- Land use polygons; class is the OSM landuse/leisure/natural value (residential, park, …).
CREATE TABLE land_use (
  id      text PRIMARY KEY,
  class   text NOT NULL,
  name    text,
  props   jsonb NOT NULL DEFAULT '{}'::jsonb,
  dataset text NOT NULL,
  geom    geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX land_use_geom_idx ON land_use USING gist (geom);
CREATE INDEX land_use_dataset_idx ON land_use (dataset);

-- Building footprints with heights. height_source says where the height came from
-- ('measured' from the source attribute, or 'estimated' by the documented rule).
CREATE TABLE building (
  id               text PRIMARY KEY,
  name             text,
  height_m         real NOT NULL CHECK (height_m > 0),
  base_m           real NOT NULL DEFAULT 0,
  height_estimated boolean NOT NULL,
  height_source    text NOT NULL,
  props            jsonb NOT NULL DEFAULT '{}'::jsonb,
  dataset          text NOT NULL,
  geom             geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX building_geom_idx ON building USING gist (geom);
CREATE INDEX building_dataset_idx ON building (dataset);

-- SUMO networks. One row per imported .net.xml; id is the dataset id (e.g. sumo-acosta).
CREATE TABLE sumo_network (
  id            text PRIMARY KEY,
  dataset       text NOT NULL,
  file          text NOT NULL,
  net_offset_x  double precision NOT NULL,
  net_offset_y  double precision NOT NULL,
  proj          text NOT NULL,
  conv_boundary double precision[] NOT NULL,
  props         jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom          geometry(Polygon, 4326)
);
CREATE INDEX sumo_network_dataset_idx ON sumo_network (dataset);

CREATE TABLE sumo_edge (
  network_id    text NOT NULL REFERENCES sumo_network (id) ON DELETE CASCADE,
  id            text NOT NULL,
  from_junction text,
  to_junction   text,
  name          text,
  edge_type     text,
  priority      integer,
  func          text NOT NULL DEFAULT 'normal',
  props         jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom          geometry(LineString, 4326) NOT NULL,
  PRIMARY KEY (network_id, id)
);
CREATE INDEX sumo_edge_geom_idx ON sumo_edge USING gist (geom);

CREATE TABLE sumo_lane (
  network_id text NOT NULL REFERENCES sumo_network (id) ON DELETE CASCADE,
  id         text NOT NULL,
  edge_id    text NOT NULL,
  idx        integer NOT NULL,
  speed_ms   real NOT NULL,
  length_m   real NOT NULL,
  width_m    real,
  allow      text,
  disallow   text,
  props      jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom       geometry(LineString, 4326) NOT NULL,
  PRIMARY KEY (network_id, id)
);
CREATE INDEX sumo_lane_geom_idx ON sumo_lane USING gist (geom);

-- requests: [{index, response, foes, cont}] from <request> elements.
CREATE TABLE sumo_junction (
  network_id    text NOT NULL REFERENCES sumo_network (id) ON DELETE CASCADE,
  id            text NOT NULL,
  junction_type text NOT NULL,
  inc_lanes     text[] NOT NULL DEFAULT '{}',
  int_lanes     text[] NOT NULL DEFAULT '{}',
  requests      jsonb NOT NULL DEFAULT '[]'::jsonb,
  props         jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom          geometry(Point, 4326) NOT NULL,
  shape         geometry(Polygon, 4326),
  PRIMARY KEY (network_id, id)
);
CREATE INDEX sumo_junction_geom_idx ON sumo_junction USING gist (geom);

CREATE TABLE sumo_connection (
  network_id text NOT NULL REFERENCES sumo_network (id) ON DELETE CASCADE,
  from_edge  text NOT NULL,
  to_edge    text NOT NULL,
  from_lane  integer NOT NULL,
  to_lane    integer NOT NULL,
  via        text,
  tl         text,
  link_index integer,
  dir        text,
  state      text,
  props      jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (network_id, from_edge, from_lane, to_edge, to_lane)
);
CREATE INDEX sumo_connection_tl_idx ON sumo_connection (network_id, tl, link_index);

-- Signal programs: the network's defaults (source 'net') and additional files such as the
-- UTOPIA plans (source 'additional'). phases: [{duration, state, minDur?, maxDur?, name?}].
-- intersection_code: the Bologna intersection code the tlLogic id stands for, as the loop codes
-- write it (209 → '2.9', 210 → '2.10'; the bundle README's '2.09' is not what the registry uses).
CREATE TABLE sumo_tls_program (
  network_id        text NOT NULL REFERENCES sumo_network (id) ON DELETE CASCADE,
  tls_id            text NOT NULL,
  program_id        text NOT NULL,
  program_type      text NOT NULL,
  offset_s          real NOT NULL DEFAULT 0,
  source            text NOT NULL CHECK (source IN ('net', 'additional')),
  file              text NOT NULL,
  phases            jsonb NOT NULL,
  params            jsonb NOT NULL DEFAULT '{}'::jsonb,
  intersection_code text,
  PRIMARY KEY (network_id, tls_id, program_id)
);

-- e1 induction loops placed along their lanes. loop_code is the open-data codice spira the id
-- encodes; device_id the loop device it matched (null, with match_note saying why, when none).
CREATE TABLE sumo_detector (
  network_id text NOT NULL REFERENCES sumo_network (id) ON DELETE CASCADE,
  id         text NOT NULL,
  lane_id    text NOT NULL,
  pos_m      real NOT NULL,
  freq_s     real,
  file       text NOT NULL,
  loop_code  text,
  device_id  text,
  match_note text,
  props      jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom       geometry(Point, 4326) NOT NULL,
  PRIMARY KEY (network_id, id)
);
CREATE INDEX sumo_detector_device_idx ON sumo_detector (device_id);
