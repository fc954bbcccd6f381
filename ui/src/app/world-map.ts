// The countries of the dashboard's map: Natural Earth's 1:110m boundaries as world-atlas ships them
// (TopoJSON, bundled: no CDN, no request at run time), turned into SVG paths in the Equal Earth projection
// (an equal-area projection, so big countries do not look bigger than they are). The dashboard imports this
// module lazily, so the map's data loads only with the map. No Angular: node --test checks it
// (test/world-map.test.mjs).
import { feature } from 'topojson-client';
import atlas from 'world-atlas/countries-110m.json';
import { ALPHA2, ALPHA2_BY_NAME } from './country-codes';

export interface CountryShape {
  /** ISO 3166-1 alpha-2, as the stats answer countries */
  readonly code: string;
  /** the atlas's English name, for when the browser knows no better */
  readonly name: string;
  /** the SVG path */
  readonly d: string;
}

export interface WorldMap { readonly width: number; readonly height: number; readonly shapes: readonly CountryShape[]; }

type Ring = ReadonlyArray<readonly number[]>;

// Equal Earth (Šavrič, Patterson and Jenny, 2018)
const A1 = 1.340264;
const A2 = -0.081106;
const A3 = 0.000893;
const A4 = 0.003796;
const M = Math.sqrt(3) / 2;
/** map units per projected unit: the world is about 975 wide */
const SCALE = 180;

/** Longitude and latitude in degrees as x (east) and y (south, as SVG counts) in map units. */
export function project(lon: number, lat: number): [number, number] {
  const lambda = (lon * Math.PI) / 180;
  const theta = Math.asin(M * Math.sin((lat * Math.PI) / 180));
  const t2 = theta * theta;
  const t6 = t2 * t2 * t2;
  const x = (lambda * Math.cos(theta)) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x * SCALE, -y * SCALE];
}

/**
 * A ring drawn without a jump across the whole world. Natural Earth's small scale keeps a few islands whole
 * where they straddle the antimeridian (Vanua Levu of Fiji), and TopoJSON shares one arc between the pieces
 * west and east of it, so the eastern tip of Russia reaches back to -180 where it means +180. Each point is
 * taken on the side of the one before it (longitudes may pass 180 by a little), and a ring that ends up
 * mostly beyond the date line is moved back by a whole turn.
 */
export function unwrap(ring: Ring): number[][] {
  const points: number[][] = [];
  for (const [lon, lat] of ring) {
    const previous = points.length ? points[points.length - 1][0] : lon;
    let unwrapped = lon;
    while (unwrapped - previous > 180) unwrapped -= 360;
    while (unwrapped - previous < -180) unwrapped += 360;
    points.push([unwrapped, lat]);
  }
  const mean = points.reduce((sum, point) => sum + point[0], 0) / (points.length || 1);
  const shift = mean > 180 ? -360 : mean < -180 ? 360 : 0;
  return shift ? points.map(([lon, lat]) => [lon + shift, lat]) : points;
}

const round = (n: number) => Math.round(n * 10) / 10;

// the frame: from the date line at the equator to the north of Greenland and the south of Tierra del Fuego
const WEST = project(-180, 0)[0];
const NORTH = project(0, 84)[1];
const SOUTH = project(0, -57)[1];

/** One ring as an SVG subpath in the frame (0,0 top left); points that round to the same spot once. */
export function ringPath(ring: Ring): string {
  let path = '';
  let last = '';
  for (const [lon, lat] of unwrap(ring)) {
    const [x, y] = project(lon, lat);
    const point = `${round(x - WEST)},${round(y - NORTH)}`;
    if (point === last) continue;
    path += (path ? 'L' : 'M') + point;
    last = point;
  }
  return path ? path + 'Z' : '';
}

/** The alpha-2 code of an atlas country (numeric id, or by name for the three without one); null when unknown. */
export function alpha2(id: string | number | undefined, name: string): string | null {
  if (id !== undefined && Object.hasOwn(ALPHA2, String(id))) return ALPHA2[String(id)];
  return Object.hasOwn(ALPHA2_BY_NAME, name) ? ALPHA2_BY_NAME[name] : null;
}

/** Antarctica: nobody browses from there, and it would take a fifth of the height. */
const LEFT_OUT = new Set(['AQ']);

let cached: WorldMap | null = null;

/** The map, computed once. */
export function worldMap(): WorldMap {
  if (cached) return cached;
  const topology = atlas as any;
  const collection = feature(topology, topology.objects.countries) as any;
  const shapes: CountryShape[] = [];
  for (const country of collection.features) {
    const name: string = country.properties?.name ?? '';
    const code = alpha2(country.id, name);
    if (!code || LEFT_OUT.has(code) || !country.geometry) continue;
    const polygons: Ring[][] = country.geometry.type === 'Polygon' ? [country.geometry.coordinates] : country.geometry.coordinates;
    const d = polygons.flatMap((polygon) => polygon.map(ringPath)).join('');
    shapes.push({ code, name, d });
  }
  cached = { width: round(-WEST * 2), height: round(SOUTH - NORTH), shapes };
  return cached;
}

/**
 * How strongly a country is coloured: 0 without visitors, else from 0.2 for the fewest to 1 for the most,
 * on a square-root scale so one big country does not wash out all the others.
 */
export function shade(visitors: number, max: number): number {
  if (!(visitors > 0) || !(max > 0)) return 0;
  return Math.round((0.2 + 0.8 * Math.sqrt(Math.min(visitors, max) / max)) * 100) / 100;
}
